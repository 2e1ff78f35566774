"""Lines about an article rather than of it: date lines, bylines, photo captions. A card never highlights one.

News pages put these between the headline and the body ("date 2025-12-10", "記者 王小明／台北報導") and under
photos ("……在電腦展上展出。（Reuters）"). They carry the question's names and dates, so they score well against
a question, but they answer nothing a reader asked.
"""
from __future__ import annotations

import re

from ..extract.dates import find_dates

_LETTERS = re.compile(r"[^\W\d_]")
# A byline: who wrote or reported it, a short line.
_BYLINE = re.compile(r"^\s*(?:by\s+[A-Z]|(?:作者|記者|记者|撰文|編輯|编辑|文|圖|图|攝影|摄影)\s*[:：/／|丨 ])", re.I)
# A caption's credit at its end: (Reuters), （路透社）, (AP Photo/…), （圖／…）, 图片来源: …
_CREDIT = re.compile(
    r"[(（\[【]\s*(?:reuters|afp|ap|ap photo[^)）]*|getty images|bloomberg|xinhua|epa|路透社?|法新社|美联社|美聯社|新华社|新華社|"
    r"中央社|彭博社?|(?:图|圖|照片|图片|圖片)\s*[/／:：][^)）\]】]{0,30}|(?:photo|image)\s*[:/][^)）\]]{0,40})\s*[)）\]】]\s*$"
    r"|(?:图片来源|圖片來源|image credit|photo credit)\s*[:：]",
    re.I,
)
_BYLINE_MAX = 60


def is_metadata(sentence: str, paragraph: str = "") -> bool:
    """Whether ``sentence`` is a date line or a byline, or belongs to a photo caption (its ``paragraph`` ends
    with a credit).

    >>> [is_metadata(s) for s in ("date 2025-12-10", "記者 王小明／台北報導", "By Jane Doe", "H200在電腦展上展出。（Reuters）",
    ...                           "美國政府對獲批出口徵收25%附加費。", "The chip ships in 2026.")]
    [True, True, True, True, False, False]
    >>> is_metadata("H200在電腦展上展出。", "H200在電腦展上展出。（Reuters）")
    True
    """
    text = sentence.strip()
    if not text:
        return True
    if _CREDIT.search(text) or (paragraph and _CREDIT.search(paragraph.strip())):
        return True
    if len(text) <= _BYLINE_MAX and _BYLINE.search(text):
        return True
    dates = find_dates(text)
    if dates:
        rest = text
        for start, end, _ in reversed(dates):
            rest = rest[:start] + rest[end:]
        return len(_LETTERS.findall(rest)) < 8  # a date with a label ("date", "发布时间", "Updated") and little else
    return False
