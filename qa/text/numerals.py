"""Shares as the other way of writing them: 三成 is 30%, 四分之一 a quarter. A question writes one form and the
article the other (a Chinese report's 同比增长三成, an English one's "close to a third of its shipments"), and the
keyword channel, which meets words as written, met neither."""
from __future__ import annotations

import re

# a year written digit by digit in Chinese numerals (二〇一八年, 二零二五年, 一九九七年): the same year as 2018年
# (and before a name without 年, as an edition is named: 二〇二五臺北馬拉松; a count is not spelled digit by digit, so
# 一九 or 二〇 and two more digits standing alone are a year: a tester's story, undated, was read as 1986's, the year
# a later paragraph names for the race's first edition)
_SPELLED_YEAR = re.compile(r"(?<![一二三四五六七八九十百千万亿〇零两])(?:(?:一[六七八九]|二[〇零])[〇零一二三四五六七八九]{2}(?=\s*年)"
                           r"|(?<!第)(?:一九|二[〇零])[〇零一二三四五六七八九]{2}(?![〇零一二三四五六七八九十百千万亿两\s]|年))")
_YEAR_DIGITS = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
                "九": "9"}


def digit_years(text: str) -> str:
    """``text`` with the years it spells in Chinese numerals written in digits (二〇一八年 → 2018年), of the same length:
    what the rules for years read, so that "…risen since 2018?" meets a paragraph saying 自二〇一八年起 (a tester's
    question refused for the year) and 二〇二五年 in a question is a year asked.

    >>> digit_years("二〇一八年起，一九九七年，三千二百年")
    '2018年起，1997年，三千二百年'
    """
    return _SPELLED_YEAR.sub(lambda m: "".join(_YEAR_DIGITS[c] for c in m.group(0)), text)


def spelled_year(year: str) -> str:
    """Digits as Chinese writes a year, one by one: 2018 → 二〇一八, 12345 → 一二三四五 (``digit_years``' reverse)."""
    back = {d: c for c, d in _YEAR_DIGITS.items() if c != "零"}
    return "".join(back[d] for d in year)


_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(numeral: str) -> int:
    """A number written in digits or in Chinese numerals up to 99 (九 9, 十五 15, 二十 20, 五十一 51)."""
    if numeral.isdigit():
        return int(numeral)
    tens, ten, units = numeral.partition("十")
    if ten:
        return (_DIGIT.get(tens, 1) if tens else 1) * 10 + (_DIGIT.get(units, 0) if units else 0)
    return int("".join(str(_DIGIT.get(ch, 0)) for ch in numeral) or 0)


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
        if m.group(1) == "2":  # 两成 as often as 二成: a tester's 逾兩成 asked as "more than 20%"
            out["两成"] = None
    out.update((percent, None) for chinese, percent in _FRACTIONS.items() if chinese in folded)
    for m in _FRACTION_EN.finditer(folded):
        out[_EN_FRACTION[(m.group(1) or m.group(2)).replace("-", " ")]] = None
    return list(out)


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(%?)")
# a share as English words write it, beside its digits: "half of them", "a quarter", "two-thirds", "one in five"
_SHARE_WORDS = {"50": ("half",), "25": ("a quarter", "one quarter"), "75": ("three quarters", "three-quarters"),
                "33": ("a third", "one third"), "67": ("two thirds", "two-thirds"), "20": ("a fifth", "one in five"),
                "10": ("a tenth", "one in ten")}


def english_forms(number: str) -> list[str]:
    """How an English text may write a share a question gives in digits (a keyword token: 71%): "71 per cent",
    "71 percent", and for a round share its words ("half", "a quarter"). [] for anything else.

    >>> english_forms("71%"), english_forms("50%")[-1], english_forms("3400")
    (['71 per cent', '71 percent', '71 pct'], 'half', [])
    """
    m = _NUMBER.fullmatch(number)
    if not m or not m.group(2):
        return []
    return [f"{m.group(1)} {word}" for word in ("per cent", "percent", "pct")] + list(_SHARE_WORDS.get(m.group(1), ()))
_LAST_UNIT = re.compile(r"(?<=[千百万])([一二三四五六七八九])[百十千]$")


def chinese_forms(number: str) -> list[str]:
    """How a Chinese text may write in words a number a question gives in digits (a keyword token: 3400, 1.8, 60%):
    cn2an's reading (三千四百, 一点八), 两 for a leading 二 (两千五百), the last unit left out as speech does (三千四,
    两千五), and a share in tenths or in words (60%: 六成, 百分之六十). [] for anything else (a code, a year is read
    too: 二千零二十六, which no text writes).

    >>> chinese_forms("3400"), chinese_forms("1.8"), chinese_forms("60%")
    (['三千四百', '三千四'], ['一点八'], ['六成', '百分之六十'])
    >>> chinese_forms("2500")
    ['二千五百', '两千五百', '二千五', '两千五']
    """
    from cn2an import an2cn

    m = _NUMBER.fullmatch(number)
    if not m or float(m.group(1)) >= 1e12:
        return []
    words = an2cn(m.group(1))
    if m.group(2):
        tenths = ([f"{an2cn(m.group(1)[0])}成{an2cn(m.group(1)[1])}"]  # 43%: 四成三
                  if re.fullmatch(r"[1-9][1-9]", m.group(1)) else [])
        half = ["一半", "半数"] if m.group(1) == "50" else []
        return [*share_forms(number), *tenths, *half, "百分之" + words]
    forms = [words, "两" + words[1:] if words.startswith("二") and words[1:2] in ("千", "百", "万") else ""]
    forms += [_LAST_UNIT.sub(r"\1", f) for f in forms]
    return [f for f in dict.fromkeys(forms) if f]

