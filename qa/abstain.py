"""Whether the documents answer a question: dense similarity per language, and numbers/codes no document has."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .index import IndexData
from .keyword import tokenize

_CODE = re.compile(r"\d")


@dataclass(frozen=True)
class Evidence:
    best_dense: float  # best passage score from the dense channel (passage and best-sentence cosine)
    background: float  # best cosine between the question and off-topic reference passages
    shared_terms: int  # keyword terms (own or dictionary-translated) that occur in the corpus
    unknown_codes: tuple[str, ...]  # numbers / model codes in the question that no passage contains
    best_latent: float | None = None  # best latent-term cosine (qa.latent) of a candidate; None without latent terms

    @property
    def margin(self) -> float:
        return self.best_dense - self.background


@dataclass(frozen=True)
class AbstainPolicy:
    """Calibrated on the project's question set with scripts/calibrate_abstention.py (rule: refuse none of its
    answerable questions, then catch as many unanswerable ones as that allows).

    e5 cosines are compressed (answerable and off-topic questions both score 0.75-0.9), so an absolute
    threshold alone either refuses paraphrases or answers everything. The margin over general encyclopedic
    text (CMRC/XQuAD Wikipedia sentences, not written with our questions in view) says "this question is about
    as close to random Wikipedia as to our articles". Near-miss questions (on-topic, asking a fact the
    articles lack) are beyond what retrieval evidence can tell; see README.
    """

    margin_zh: float = 0.0
    margin_other: float = -0.05
    # Floors sit below the lowest answerable question of the set with room (dense 0.887 zh / 0.763 other;
    # latent 0.238 / 0.162): a floor at the lowest one refused a new, plainly answerable paraphrase in testing.
    dense_zh: float = 0.875
    dense_other: float = 0.75
    # Latent terms catch questions about things no passage mentions (weather, recipes, another company's CEO)
    # that dense cosines, compressed into 0.75-0.9 for everything, separate less well. For Chinese questions
    # the dense floor already catches every question a latent floor would (calibration), so it is off (0) and
    # Chinese questions skip computing latent terms altogether.
    latent_zh: float = 0.0
    latent_other: float = 0.14

    def latent_floor(self, language: str) -> float:
        return self.latent_zh if language == "zh" else self.latent_other

    def decide(self, language: str, ev: Evidence) -> bool:
        if ev.unknown_codes or ev.shared_terms == 0:
            return True  # names a model, year or figure no document has, or shares no word with the corpus at all
        zh = language == "zh"
        if ev.best_latent is not None and ev.best_latent < self.latent_floor(language):
            return True
        return ev.margin < (self.margin_zh if zh else self.margin_other) or ev.best_dense < (self.dense_zh if zh else self.dense_other)


def gather_evidence(data: IndexData, question: str, qvec: np.ndarray, best_dense: float, terms: dict[str, float],
                    best_latent: float | None = None) -> Evidence:
    kw = data.keyword
    unknown = tuple(sorted(t for t in set(tokenize(question)) if _CODE.search(t) and kw.term_idf(t) == 0.0))
    background = float((data.background @ qvec).max()) if len(data.background) else 0.0
    shared = sum(1 for t in terms if kw.term_idf(t) > 0)
    return Evidence(best_dense, background, shared, unknown, best_latent)
