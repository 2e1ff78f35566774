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
