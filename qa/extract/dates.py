"""Dates as news writes them (2025年3月2日, 2025-03-02, 14 January 2026, Jan. 14, 2026) to ISO YYYY-MM-DD."""
from __future__ import annotations

import datetime as dt
import re

_MONTHS = {name: i for i, names in enumerate((
    "jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
    "sep sept september", "oct october", "nov november", "dec december"), start=1) for name in names.split()}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PATTERNS = [re.compile(p, re.I) for p in (
    # 2025年3月2日, 2025 年 3 月 2 日, 2025-03-02, 2025/3/2, 2025.03.02 (also inside 2025-03-02T10:00:00Z)
    rf"(?<!\d){_YEAR}\s*(?:年\s*(?P<m1>\d{{1,2}})\s*月\s*(?P<d1>\d{{1,2}})\s*[日号號]?|[-/.](?P<m2>\d{{1,2}})[-/.](?P<d2>\d{{1,2}})(?!\d))",
    rf"(?<![\w])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}(?!\d)",  # 14 January 2026
    rf"(?<![\w]){_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)",  # Jan. 14, 2026 / January 14 2026
)]


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every valid date in ``text`` as (start, end, "YYYY-MM-DD"), in text order; impossible ones (2025-02-30) skipped."""
    found = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            month = g.get("month")
            mo = _MONTHS[month.lower()] if month else int(g.get("m1") or g.get("m2"))  # type: ignore[arg-type]
            day = int(g.get("day") or g.get("d1") or g.get("d2"))  # type: ignore[arg-type]
            try:
                found.append((m.start(), m.end(), dt.date(int(g["year"]), mo, day).isoformat()))
            except ValueError:
                continue
    return sorted(found)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as "YYYY-MM-DD", or None.

    Example:
        >>> [parse_date(s) for s in ("2025年3月2日", "14 January 2026", "Jan. 14, 2026", "2025-03-02T08:00Z", "soon")]
        ['2025-03-02', '2026-01-14', '2026-01-14', '2025-03-02', None]
    """
    found = find_dates(text)
    return found[0][2] if found else None


def without_dates(text: str, gap: str = "") -> str:
    """``text`` with every date ``find_dates`` reads replaced by ``gap``: what is said beside the date."""
    for start, end, _ in reversed(find_dates(text)):
        text = text[:start] + gap + text[end:]
    return text


# a dateline that names the month and day only: 新华社西安11月3日电, 本报北京3月2日讯, "WASHINGTON, Dec. 10 (Reuters)"
_DATELINE_MONTH_DAY = [re.compile(p, re.M) for p in (
    r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*(?:电|電|讯|訊)",
    rf"^[A-Z][A-Za-z .'\-]{{1,40}},\s*(?i:{_MONTH})\s+(?P<day>\d{{1,2}})\b(?!,?\s*(?:19|20)\d\d)",
)]


def dateline_month_day(head: str) -> tuple[int, int] | None:
    """The (month, day) of a dateline in ``head`` that names no year (新华社西安11月3日电, "WASHINGTON, Dec. 10"), or None.

    >>> dateline_month_day("本报延安6月12日电（记者 刘涛）"), dateline_month_day("no dateline")
    ((6, 12), None)
    """
    for pattern in _DATELINE_MONTH_DAY:
        if m := pattern.search(head):
            g = m.groupdict()
            return (_MONTHS[g["month"].lower()] if g.get("month") else int(g["m"])), int(g["day"])
    return None


def dateline_date(head: str, reference: str | None) -> str | None:
    """The month and day of a dateline in ``head`` that names no year, in the year of ``reference`` (YYYY-MM-DD:
    the file's creation date), or the year before when that would come after it; None without both. A PDF of
    "新华社西安11月3日电" created on 2026-12-05 is dated 2026-11-03, not by its creation.

    >>> dateline_date("新华社西安11月3日电（记者 赵明远）", "2026-12-05"), dateline_date("WASHINGTON, Dec. 10 (Reuters) -", "2026-01-04")
    ('2026-11-03', '2025-12-10')
    """
    found = dateline_month_day(head) if reference else None
    if found is None:
        return None
    ref = dt.date.fromisoformat(reference)  # type: ignore[arg-type]
    for year in (ref.year, ref.year - 1):
        try:
            date = dt.date(year, *found)
        except ValueError:
            return None
        if date <= ref:
            return date.isoformat()
    return None


# A year told from the story's own: 去年 in a story of February 2027 is 2026. Not 前年 of 提前年底 or 目前年产, nor 明年
# of 说明年轻人 (the characters before decide, in either script).
_TOLD_YEARS = ((re.compile(r"今年|本年|今[春夏秋冬]|\bthis (?:year|spring|summer|autumn|fall|winter)\b", re.I), 0),
               (re.compile(r"(?<![过過])去年|(?<![以之此向])上年(?![级級纪紀])|\blast year\b|\ba year (?:earlier|ago)\b", re.I), -1),
               (re.compile(r"(?<![提此之以目空当當眼从從先向日事])前年(?![度级])|\bthe year before last\b|\btwo years (?:earlier|ago)\b", re.I), -2),
               (re.compile(r"(?<![说說表证證声聲阐闡查透发發聪聰光文英鲜鮮标標注註指])明年|\bnext year\b", re.I), 1))
_LAST_SEASON = re.compile(r"\blast (spring|summer|autumn|fall)\b", re.I)
_SEASON_ENDS = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11}  # the month each ends in
# a month told from the story's (上月 in a story of January 2027 is December 2026's), and "last December"
_TOLD_MONTHS = ((re.compile(r"上个?月|上個月|\blast month\b", re.I), -1), (re.compile(r"本月|这个月|這個月|\bthis month\b", re.I), 0),
                (re.compile(r"下个?月|下個月|\bnext month\b", re.I), 1))
_LAST_MONTH = re.compile(r"\blast (" + "|".join(n for n, m in _MONTHS.items() if len(n) > 3 or n == "may") + r")\b", re.I)


def told_years(text: str, year: int, month: int | None = None) -> list[int]:
    """The years ``text`` tells from its story's ``year`` (and ``month``, when known): 今年, 去年, 前年, 明年, "this
    spring", "last year", "last autumn" ("last autumn" in a story of May 2027 is 2026's; in December, 2027's own),
    上月, "last month", "last December" (in a story of March 2027: 2026's).

    >>> told_years("去年全年旅客量412万人次，今年目标500万", 2027), told_years("It was delayed from last autumn.", 2027, 5)
    ([2027, 2026], [2026])
    >>> told_years("提前年底完工，说明年轻人", 2027), told_years("上月网签4,862套", 2027, 1), told_years("Last December", 2027, 3)
    ([], [2026], [2026])
    """
    out = [year + offset for pattern, offset in _TOLD_YEARS if pattern.search(text)]
    for m in _LAST_SEASON.finditer(text):
        out.append(year if month is not None and month > _SEASON_ENDS[m.group(1).lower()] else year - 1)
    if month is not None:
        out += [year + (month - 1 + offset) // 12 for pattern, offset in _TOLD_MONTHS if pattern.search(text)]
        out += [year if _MONTHS[m.group(1).lower()] < month else year - 1 for m in _LAST_MONTH.finditer(text)]
    return list(dict.fromkeys(out))
