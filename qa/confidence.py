"""How likely a cited card holds the answer: a few signals of the card, mapped to a probability by a logistic
curve fitted on public reading-comprehension sets (`qa bench calibrate`).

A fused score says which card ranks first; it does not say how sure that is. Cosines of e5 sit in 0.75-0.95
for everything, and a card that ranks first by 0.001 is as likely wrong as right. The signals here are what a
reader would look at: how far the card stands above the next, whether it contains the question's words, how
close the question is to the library at all. Their weights are fitted, never set by hand.
"""
from __future__ import annotations

import math
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .errors import BadSetting
from .records import Passage
from .text.answer_type import DEPUTY, DEPUTY_EN, DEPUTY_ZH
from .text.tokens import normalize

# The order of the weights in settings.confidence_weights.
SIGNALS = (
    "score",  # the card's fused score
    "gap_to_first",  # first card's score minus this card's
    "lead",  # first card's score minus the second's: the same for every card of one answer
    "coverage",  # IDF share of the question's terms the card's text contains
    "margin",  # best dense score minus best off-topic (background) cosine: is the question about the library at all
    "first",  # 1 for the first card
    "across",  # 1 when the card is in the other language than the question
)


def term_share(texts: Sequence[str], idf: dict[str, float]) -> list[float]:
    """For each text, the IDF-weighted share of ``idf``'s terms it contains (after keyword normalisation).

    One rule for the card's coverage (confidence) and a sentence's (choose_highlight).
    """
    total = sum(idf.values())
    if total <= 0:
        return [0.0] * len(texts)
    out = []
    for text in texts:
        folded = normalize(text)
        out.append(sum(w for t, w in idf.items() if t in folded and t in without_deputies(folded, t, idf)) / total)
    return out


def without_deputies(folded: str, term: str, terms: Container[str]) -> str:
    """``folded`` less its mentions of ``term`` as a deputy's title (deputy mayor, vice president, 副市长, 助理署长),
    unless the question asks for the deputy (``terms`` holds deputy, 副 or 副市长): "Who is the mayor of Port
    Carrow?" was highlighted on "Deputy Mayor Ronald Price, who voted against…", one sentence after the mayor's."""
    if len(term) < 2 or any(q in terms for q in DEPUTY_EN) or any(q + term in terms for q in DEPUTY_ZH):
        return folded
    return re.sub(DEPUTY + re.escape(term), " ", folded)


@dataclass(frozen=True)
class Calibration:
    """Weights of SIGNALS and an intercept; probability = logistic(weights . signals + bias)."""

    weights: tuple[float, ...]
    bias: float

    @classmethod
    def parse(cls, text: str) -> Calibration:
        """From ``"w1,w2,...;bias"`` (the settings' form).

        Raises:
            BadSetting: not that form, or not one weight per signal.
        """
        try:
            w, b = text.split(";")
            weights = tuple(float(x) for x in w.split(","))
            bias = float(b)
        except ValueError as e:
            raise BadSetting(f"confidence_weights must read 'w1,...,w{len(SIGNALS)};bias' (signals: "
                             f"{', '.join(SIGNALS)}), got {text!r}") from e
        if len(weights) != len(SIGNALS):
            raise BadSetting(f"confidence_weights needs {len(SIGNALS)} weights ({', '.join(SIGNALS)}), got {len(weights)}")
        return cls(weights, bias)

    def format(self) -> str:
        return ",".join(f"{w:.4g}" for w in self.weights) + f";{self.bias:.4g}"

    def probability(self, signals: dict[str, float]) -> float:
        z = self.bias + sum(w * signals[name] for w, name in zip(self.weights, SIGNALS))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


TIE = 1e-4  # scores closer than this are equal (answers show four decimals)


def card_signals(scores: Sequence[float], coverage: Sequence[float], across: Sequence[bool],
                 margin: float) -> list[dict[str, float]]:
    """SIGNALS of each card of one answer, in the order shown (the first card is "first").

    The gaps are to the best score among the cards, which is the first card's unless the findings of its article
    were reordered by their answering sentence (qa.answer.order_by_answer): a card shown first with a lower score
    than the next keeps its gap, and the next does not gain from a negative one (which read as a card above the
    first and rated the lead it displaced above the card that answers).

    A card tied with the first (its score within ``TIE``) is "first" too: which of two equal scores is shown first
    is chance, and a tester's two cards at 0.7351 read 97 % and 6 %."""
    ranked = sorted(scores, reverse=True)
    top = ranked[0] if ranked else 0.0
    lead = top - ranked[1] if len(ranked) > 1 else 0.1  # one card only: a lead as clear as a typical good one
    head = scores[0] if len(scores) else 0.0
    return [{"score": s, "gap_to_first": top - s, "lead": lead, "coverage": c, "margin": margin,
             "first": 1.0 if i == 0 or abs(s - head) <= TIE else 0.0, "across": 1.0 if x else 0.0}
            for i, (s, c, x) in enumerate(zip(scores, coverage, across))]


def fit(rows: Sequence[dict[str, float]], labels: Sequence[bool]) -> Calibration:
    """Logistic regression of ``labels`` (card holds the answer) on the cards' SIGNALS."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[r[name] for name in SIGNALS] for r in rows])
    model = LogisticRegression(C=10.0, max_iter=2000).fit(x, np.asarray(labels, int))
    return Calibration(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))


def reliability(confidences: Sequence[float], labels: Sequence[bool], bins: int = 10) -> tuple[float, list[dict]]:
    """Expected calibration error and the reliability table (per confidence bin: count, mean confidence, share
    holding the answer)."""
    c = np.asarray(confidences, float)
    y = np.asarray(labels, float)
    table, ece = [], 0.0
    edges = np.linspace(0, 1, bins + 1)
    for i in range(bins):
        lo, hi = edges[i], edges[i + 1]
        mask = (c >= lo) & ((c < hi) if i < bins - 1 else (c <= hi))
        if not mask.any():
            continue
        conf, acc = float(c[mask].mean()), float(y[mask].mean())
        ece += mask.sum() / len(c) * abs(conf - acc)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "cards": int(mask.sum()), "confidence": round(conf, 3),
                      "holds_answer": round(acc, 3)})
    return round(float(ece), 4), table


def rate(passages: Sequence[Passage], across: Sequence[bool], idf: dict[str, float], margin: float,
         calibration: Calibration) -> list[Passage]:
    """``passages`` (one answer's cards, best first) with their confidence and the signals behind it.

    Args:
        across: per passage, whether it is in the other language than the question.
        idf: the question's keyword terms and their IDF in the store.
        margin: the answer's dense margin over off-topic text (abstain.Evidence.margin).
    """
    coverage = term_share([p.text for p in passages], idf)
    signals = card_signals([p.score for p in passages], coverage, across, margin)
    return [replace(p, confidence=round(calibration.probability(s), 4), signals={k: round(v, 4) for k, v in s.items()})
            for p, s in zip(passages, signals)]
