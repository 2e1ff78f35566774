"""Shares as the other way of writing them: 三成 is 30%, 四分之一 a quarter. A question writes one form and the
article the other (a Chinese report's 同比增长三成, an English one's "close to a third of its shipments"), and the
keyword channel, which meets words as written, met neither."""
from __future__ import annotations

import re

_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TENTHS = re.compile(r"(?<![一二两三四五六七八九十百千万亿\d])([一二两三四五六七八九])成(?![一二三四五六七八九])")
_PERCENT = re.compile(r"(?<![\d.])([1-9])0(?:%|％|\s*percent\b|\s*per cent\b)")
_FRACTIONS = {"四分之一": "25%", "四分之三": "75%"}
# "a third of", "one quarter": not "the third quarter", "a quarter century"
_FRACTION_EN = re.compile(r"\b(?:a|one)[- ](third|quarter)\b(?! (?:century|final|of (?:the |this |last |next )?year))"
                          r"|\b(two[- ]thirds|three[- ]quarters)\b")
_EN_FRACTION = {"third": "三分之一", "quarter": "四分之一", "two thirds": "三分之二", "three quarters": "四分之三"}


def share_forms(folded: str) -> list[str]:
    """The other forms of the shares a (folded: qa.text.tokens.normalize) question writes, as keyword terms: 三成 ->
    30%, 30% or "30 percent" -> 三成, 四分之一 -> 25%, "a third" -> 三分之一.

    >>> share_forms("营收增长三成"), share_forms("grew 30 percent"), share_forms("约四分之一"), share_forms("close to a third of it")
    (['30%'], ['三成'], ['25%'], ['三分之一'])
    """
    out: dict[str, None] = {}
    for m in _TENTHS.finditer(folded):
        out[f"{_DIGIT[m.group(1)]}0%"] = None
    for m in _PERCENT.finditer(folded):
        out["一二三四五六七八九"[int(m.group(1)) - 1] + "成"] = None
    out.update((percent, None) for chinese, percent in _FRACTIONS.items() if chinese in folded)
    for m in _FRACTION_EN.finditer(folded):
        out[_EN_FRACTION[(m.group(1) or m.group(2)).replace("-", " ")]] = None
    return list(out)
