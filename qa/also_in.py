"""One fact told by several articles is shown once: a cited paragraph that states what a better-ranked card of
another document states is folded under that card ("also in 《title》 ¶N") instead of taking a card of its own.

"The same thing" is judged sentence by sentence (a card cites one paragraph; a fact is a sentence): two
paragraphs state the same thing when a sentence of one and a sentence of the other are close (cosine of their
sentence vectors, embedded from Simplified text, so a 简体 and a 繁體 telling compare as one script) and their
figures agree (a figure is a number with the unit or measure word after it: 30辆 cars, 30秒 seconds and 30分钟
minutes are three figures, and a bare 30 equals only a bare 30). Two sentences that both give figures but share
none are never the same (the same story with other numbers); sharing a figure lowers the cosine needed, since
on one topic every sentence is close to every other in e5's space (on the seed articles the closest pair of
sentences that say different things scores 0.957; pairs that give the same figure score 0.898-0.926).
Thresholds: settings ``also_in_cosine`` and ``also_in_cosine_shared``, measured on pairs labelled by reading
the seed articles (``eval/also_in_pairs.jsonl``, ``scripts/also_in_eval.py``).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .records import AlsoIn, Passage, Span
from .store import StoreView
from .text.script import to_simplified

_NUMERALS = {"一": "1", "二": "2", "两": "2", "兩": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
             "九": "9", "十": "10"}
# a Chinese numeral before a counter is a figure too: 六倍 and 6倍 are one figure
_HAN_FIGURE = re.compile(f"([{''.join(_NUMERALS)}])(?=[倍成])")
# dates are when, not what: 2025年8月, 12月10日, 2025-12-10 and a bare 6月 say nothing about the fact
_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号號])?|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号號])?"
                   r"|\d{4}-\d{1,2}-\d{1,2}")
# What a number counts is part of the figure: 30辆 (cars), 30秒 (seconds) and 30分钟 (minutes) are three figures,
# not one 30. A unit is the measure word or unit right after the number (spaces allowed: "200 万颗"), after an
# optional 万/亿; the longest one that fits (分钟 before 分, 个月 before 个). Written in either script; the figure
# keeps the Simplified form, so 15輛 and 15辆 are one figure. A number with nothing of these after it stays bare.
_CJK_UNITS = (
    # time: 分 and 分钟 stay apart (6分30秒 and 22时30分 tell the clock or a stopwatch, 30分钟 a duration)
    "秒 秒钟 秒鐘 分 分钟 分鐘 小时 小時 时 時 点 點 点钟 點鐘 天 日 周 週 星期 个月 個月 年 岁 歲 "
    # counters
    "个 個 位 名 人 人次 次 家 间 間 所 座 栋 棟 层 層 辆 輛 台 臺 架 艘 列 班 趟 站 条 條 支 只 隻 头 頭 匹 张 張 件 "
    "项 項 款 颗 顆 枚 片 块 塊 本 部 篇 场 場 届 屆 户 戶 套 批 份 种 種 类 類 起 宗 例 股 页 頁 首 队 隊 组 組 处 處 "
    "号 號 节 節 门 門 道 期 轮 輪 季 倍 成 个百分点 個百分點 百分点 百分點 "
    # money and measures
    "元 美元 港元 欧元 歐元 日元 英镑 英鎊 人民币 人民幣 港仙 仙 米 公里 千米 厘米 毫米 纳米 奈米 公尺 公分 平方米 "
    "平方公里 公顷 公頃 亩 畝 公斤 千克 克 吨 噸 升 毫升 度 瓦 千瓦 兆瓦 吉瓦 千瓦时 千瓦時 英里 英尺 磅"
).split()
# English words after a number that name a unit (after a space; Latin letters glued to a number, 141GB or
# 4.8TB/s, are a unit as they stand); time and percent written as the Chinese figure writes them
_EN_UNITS = {"percent": "%", "second": "秒", "seconds": "秒", "sec": "秒", "secs": "秒", "minute": "分钟",
             "minutes": "分钟", "min": "分钟", "mins": "分钟", "hour": "小时", "hours": "小时", "hr": "小时",
             "hrs": "小时", "day": "天", "days": "天", "week": "周", "weeks": "周", "month": "个月", "months": "个月",
             "year": "年", "years": "年", "million": "million", "billion": "billion", "trillion": "trillion"}
_EN_UNITS.update({u.lower(): u for u in ("GB", "TB", "MB", "PB", "GB/s", "TB/s", "km", "kg", "nm", "mm", "cm", "kW",
                                          "MW", "GW", "kWh", "MWh")})
# a number not glued to Latin letters before it (H200, A100, HBM3e are names, not figures); 1,000 and 4.8 whole;
# then its unit, if any: %, 万/亿 and a measure word, or a Latin unit (glued, or a known word after a space)
_FIGURE = re.compile(
    r"(?<![A-Za-z0-9.])(\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?: *(%)"
    rf"| *((?:万亿|萬億|[万萬亿億])?)[ ]*({'|'.join(sorted(_CJK_UNITS, key=len, reverse=True))})?"
    r"(?: ?([A-Za-z]+(?:/[A-Za-z]+)?)(?![A-Za-z]))?)")


@dataclass(frozen=True)
class AlsoInRule:
    """When two sentences state the same thing (settings also_in*)."""

    cosine: float  # needed when the sentences share no figure (and do not both give some)
    cosine_shared: float  # needed when both give figures and one's are all in the other's
    enabled: bool = True

    @classmethod
    def from_settings(cls, settings: object) -> AlsoInRule:
        return cls(float(settings.also_in_cosine), float(settings.also_in_cosine_shared),  # type: ignore[attr-defined]
                   bool(settings.also_in))  # type: ignore[attr-defined]

    def same(self, cosine: float, figures_a: frozenset[str], figures_b: frozenset[str]) -> bool:
        """Whether two sentences with these figures and this cosine state the same thing.

        Figures agree when one sentence's are all in the other's (one may say more); both giving figures with
        none in common never agree."""
        if figures_a and figures_b:
            if not (figures_a <= figures_b or figures_b <= figures_a):
                return False  # other numbers: another fact, or the same one told differently
            return cosine >= self.cosine_shared
        return cosine >= self.cosine


def figures(text: str) -> frozenset[str]:
    """The figures a text gives, each with its unit, normalised: full-width folded, 六倍 → 6倍, a Traditional
    unit in its Simplified form (15輛 → 15辆), dates and names left out, thousands commas dropped.

    >>> sorted(figures("2025年8月起徵收25%附加費，性能約為H20的六倍，每站15輛車"))
    ['15辆', '25%', '6倍']
    """
    text = unicodedata.normalize("NFKC", text)
    text = _HAN_FIGURE.sub(lambda m: _NUMERALS[m.group(1)], text)
    text = _DATE.sub(" ", text)
    return frozenset(_figure(m) for m in _FIGURE.finditer(text))


def _figure(m: re.Match[str]) -> str:
    number, percent, magnitude, unit, latin = m.groups()
    number = number.replace(",", "")
    if percent:
        return number + "%"
    if magnitude or unit:  # a measure word: Latin letters after it are another word ("30辆 SUV")
        return number + _simplified(magnitude + (unit or ""))
    if latin:
        glued = m.group(0)[len(m.group(1))].isalpha()
        known = _EN_UNITS.get(latin.lower())
        if known or glued:
            return number + (known or latin)
    return number


@lru_cache(maxsize=512)
def _simplified(unit: str) -> str:
    return to_simplified(unit)


@dataclass(frozen=True)
class Paragraph:
    """A cited paragraph as the rule reads it: its body sentences, their vectors and figures."""

    doc_id: str
    spans: list[Span]
    vectors: np.ndarray
    figures: list[frozenset[str]]


def paragraph_rows(view: StoreView, doc_id: str, paragraph: int) -> list[int]:
    return [r for r in view.chunk_rows(doc_id) if view.chunks[r].paragraph == paragraph]


def read_paragraph(view: StoreView, doc_id: str, paragraph: int) -> Paragraph:
    spans, vectors = view.body_sentence_vectors(paragraph_rows(view, doc_id, paragraph))
    text = view.documents[doc_id].text
    return Paragraph(doc_id, spans, vectors, [figures(text[a:b]) for a, b in spans])


def best_match(a: Paragraph, b: Paragraph, rule: AlsoInRule) -> float | None:
    """The highest cosine of a sentence pair (one from each) that states the same thing; None when none does."""
    if not len(a.spans) or not len(b.spans):
        return None
    cos = a.vectors @ b.vectors.T
    found = [float(cos[i, j]) for i in range(len(a.spans)) for j in range(len(b.spans))
             if rule.same(float(cos[i, j]), a.figures[i], b.figures[j])]
    return max(found) if found else None


def says_no_more(a: Paragraph, b: Paragraph) -> bool:
    """Whether paragraph ``a`` gives no figure that ``b`` does not: only then may ``a`` be folded under ``b``. A
    tester's "每賣出一張H200晶片，輝達要繳給美國政府多少錢？" found the paragraph with the answer (繳納2500-5000美元)
    folded under another article's "25%的費用", which shares its 25% and gives no amount."""
    return frozenset().union(*a.figures) <= frozenset().union(*b.figures)


def fold(view: StoreView, passages: Sequence[Passage], rule: AlsoInRule, keep: int | None = None) -> list[Passage]:
    """``passages`` (best first) with each one that states what a better card of another document states folded
    into that card's ``also_in``; the order of the rest is kept, up to ``keep`` cards. A card is folded under the
    first (best) card it matches; folding does not chain (a folded card holds nothing)."""
    keep = len(passages) if keep is None else keep
    if not rule.enabled or len({p.doc_id for p in passages}) < 2:
        return list(passages[:keep])
    paragraphs: dict[int, Paragraph] = {}

    def para(i: int) -> Paragraph:  # read when first compared: a card that is never compared costs nothing
        if i not in paragraphs:
            paragraphs[i] = read_paragraph(view, passages[i].doc_id, passages[i].paragraph)
        return paragraphs[i]

    kept: list[int] = []
    folded: dict[int, list[tuple[int, float]]] = {}
    for i, p in enumerate(passages):
        host = None
        for j in kept:
            if passages[j].doc_id != p.doc_id and says_no_more(para(i), para(j)):
                score = best_match(para(j), para(i), rule)
                if score is not None:
                    host = (j, score)
                    break
        if host is None:
            if len(kept) < keep:  # beyond that a card is not shown, but may still be told under one that is
                kept.append(i)
        else:
            folded.setdefault(host[0], []).append((i, host[1]))
    out = []
    for j in kept:
        extra = tuple(AlsoIn(q.doc_id, q.title, q.paragraph, q.start, q.end, q.page, q.page_paragraph, round(score, 4))
                      for i, score in folded.get(j, []) for q in (passages[i],))
        out.append(replace(passages[j], also_in=passages[j].also_in + extra) if extra else passages[j])
    return out
