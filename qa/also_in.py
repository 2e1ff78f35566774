"""One fact told by several articles is shown once: a cited paragraph that states what a better-ranked card of
another document states is folded under that card ("also in 《title》 ¶N") instead of taking a card of its own.

"The same thing" is judged sentence by sentence (a card cites one paragraph; a fact is a sentence): two
paragraphs state the same thing when a sentence of one and a sentence of the other are close (cosine of their
sentence vectors, embedded from Simplified text, so a 简体 and a 繁體 telling compare as one script) and their
figures agree. Two sentences that both give figures but share none are never the same (the same story with
other numbers); sharing a figure lowers the cosine needed, since on one topic every sentence is close to every
other in e5's space (on the seed articles the closest pair of sentences that say different things scores 0.957;
pairs that give the same figure score 0.898-0.926). Thresholds: settings ``also_in_cosine`` and
``also_in_cosine_shared``, measured on pairs labelled by reading the seed articles (``eval/also_in_pairs.jsonl``,
``scripts/also_in_eval.py``).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .records import AlsoIn, Passage, Span
from .store import StoreView

_NUMERALS = {"一": "1", "二": "2", "两": "2", "兩": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
             "九": "9", "十": "10"}
# a Chinese numeral before a counter is a figure too: 六倍 and 6倍 are one figure
_HAN_FIGURE = re.compile(f"([{''.join(_NUMERALS)}])(?=[倍成])")
# dates are when, not what: 2025年8月, 12月10日, 2025-12-10 and a bare 6月 say nothing about the fact
_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号號])?|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号號])?"
                   r"|\d{4}-\d{1,2}-\d{1,2}")
# a number not glued to Latin letters before it (H200, A100, HBM3e are names, not figures); 1,000 and 4.8 whole
_FIGURE = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%)?")


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
    """The figures a text gives, normalised: full-width folded, 六倍 → 6, dates and names left out, thousands
    commas dropped, a percent kept.

    >>> sorted(figures("2025年8月起徵收25%附加費，性能約為H20的六倍"))
    ['25%', '6']
    """
    text = unicodedata.normalize("NFKC", text)
    text = _HAN_FIGURE.sub(lambda m: _NUMERALS[m.group(1)], text)
    text = _DATE.sub(" ", text)
    return frozenset(m.group(1).replace(",", "") + ("%" if m.group(2) else "") for m in _FIGURE.finditer(text))


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
            if passages[j].doc_id != p.doc_id:
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
