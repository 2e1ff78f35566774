"""Whether the documents answer a question: dense similarity per language, and numbers/codes no document has."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .settings import Settings

if TYPE_CHECKING:
    from .search import Query
    from .store import StoreView

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

    def to_dict(self) -> dict:
        """Rounded, for JSON answers (Answer.evidence)."""
        return {"best_dense": round(self.best_dense, 4), "background": round(self.background, 4),
                "best_latent": None if self.best_latent is None else round(self.best_latent, 4),
                "shared_terms": self.shared_terms, "unknown_codes": list(self.unknown_codes)}


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

    dense_zh: float
    dense_other: float
    margin_zh: float
    margin_other: float
    # Latent terms catch questions about things no passage mentions (weather, recipes, another company's CEO)
    # that dense cosines, compressed into 0.75-0.9 for everything, separate less well. For Chinese questions
    # the dense floor already catches every question a latent floor would (calibration), so it is off (0) and
    # Chinese questions skip computing latent terms altogether.
    latent_zh: float
    latent_other: float
    # Ranking lifts a passage in the other language than the question's so that it competes with same-language
    # ones (qa.search.Ranking.cross_offset); whether it answers at all is judged with these, smaller, offsets:
    # a Chinese question's cosine with an English passage plus the ranking's 0.22 would put off-topic questions
    # above every floor.
    cross_offset_zh: float = 0.0
    cross_offset_other: float = 0.0

    @classmethod
    def from_settings(cls, s: Settings) -> AbstainPolicy:
        """Floors from settings abstain_*: set below the lowest answerable question of the project's set with room
        (dense 0.887 zh / 0.823 other, the latter with cross_offset_other; latent 0.238 / 0.162): a floor at the lowest one refused a new, plainly
        answerable paraphrase in testing."""
        return cls(s.abstain_dense_zh, s.abstain_dense_other, s.abstain_margin_zh, s.abstain_margin_other,
                   s.abstain_latent_zh, s.abstain_latent_other, s.abstain_cross_offset_zh, s.abstain_cross_offset_other)

    def cross_offset(self, language: str) -> float:
        return self.cross_offset_zh if language == "zh" else self.cross_offset_other

    def latent_floor(self, language: str) -> float:
        return self.latent_zh if language == "zh" else self.latent_other

    def decide(self, language: str, ev: Evidence) -> bool:
        if ev.unknown_codes or ev.shared_terms == 0:
            return True  # names a model, year or figure no document has, or shares no word with the corpus at all
        zh = language == "zh"
        if ev.best_latent is not None and ev.best_latent < self.latent_floor(language):
            return True
        return ev.margin < (self.margin_zh if zh else self.margin_other) or ev.best_dense < (self.dense_zh if zh else self.dense_other)


def gather_evidence(view: StoreView, query: Query, best_dense: float, terms: dict[str, float],
                    best_latent: float | None = None) -> Evidence:
    unknown = tuple(sorted(t for t in set(query.tokens) if _CODE.search(t) and view.term_idf(t) == 0.0))
    shared = sum(1 for t in terms if view.term_idf(t) > 0)
    return Evidence(best_dense, view.background_score(query.vector), shared, unknown, best_latent)
