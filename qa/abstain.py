"""Whether the documents answer a question: dense similarity per language, and numbers/codes no document has."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .settings import Settings
from .text.cedict import by_simplified, proper_nouns
from .text.tokens import normalize

if TYPE_CHECKING:
    from .search import Query
    from .store import StoreView

_CODE = re.compile(r"\d")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+")
_YEAR = re.compile(r"(?:1[6-9]|20)\d\d")


@dataclass(frozen=True)
class Evidence:
    best_dense: float  # best passage score from the dense channel (passage and best-sentence cosine)
    background: float  # best cosine between the question and off-topic reference passages
    shared_terms: int  # keyword terms (own or dictionary-translated) that occur in the corpus
    unknown_codes: tuple[str, ...]  # numbers / model codes in the question that no passage contains
    best_latent: float | None = None  # best latent-term cosine (qa.latent) of a candidate; None without latent terms
    unknown_names: tuple[str, ...] = ()  # names (places, bodies, leagues) in a Chinese question that no passage has
    unmatched_years: tuple[str, ...] = ()  # years in the question that the best passage's paragraph does not contain

    @property
    def margin(self) -> float:
        return self.best_dense - self.background

    def to_dict(self) -> dict:
        """Rounded, for JSON answers (Answer.evidence)."""
        return {"best_dense": round(self.best_dense, 4), "background": round(self.background, 4),
                "best_latent": None if self.best_latent is None else round(self.best_latent, 4),
                "shared_terms": self.shared_terms, "unknown_codes": list(self.unknown_codes),
                "unknown_names": list(self.unknown_names), "unmatched_years": list(self.unmatched_years)}


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
    names: bool = True  # refuse a question naming a thing no passage has (Evidence.unknown_names)
    years: bool = True  # refuse a question whose year the best paragraph does not mention (Evidence.unmatched_years)

    @classmethod
    def from_settings(cls, s: Settings) -> AbstainPolicy:
        """Floors from settings abstain_*: set below the lowest answerable question of the project's set with room
        (dense 0.887 zh / 0.823 other, the latter with cross_offset_other; latent 0.238 / 0.162): a floor at the lowest one refused a new, plainly
        answerable paraphrase in testing."""
        return cls(s.abstain_dense_zh, s.abstain_dense_other, s.abstain_margin_zh, s.abstain_margin_other,
                   s.abstain_latent_zh, s.abstain_latent_other, s.abstain_cross_offset_zh, s.abstain_cross_offset_other,
                   bool(s.abstain_names), bool(s.abstain_years))

    def cross_offset(self, language: str) -> float:
        return self.cross_offset_zh if language == "zh" else self.cross_offset_other

    def latent_floor(self, language: str) -> float:
        return self.latent_zh if language == "zh" else self.latent_other

    def decide(self, language: str, ev: Evidence) -> bool:
        if ev.unknown_codes or (self.names and ev.unknown_names) or (self.years and ev.unmatched_years) or ev.shared_terms == 0:
            return True  # names a model, year, figure, place or body no document has, or shares no word with them
        zh = language == "zh"
        if ev.best_latent is not None and ev.best_latent < self.latent_floor(language):
            return True
        return ev.margin < (self.margin_zh if zh else self.margin_other) or ev.best_dense < (self.dense_zh if zh else self.dense_other)


def gather_evidence(view: StoreView, query: Query, best_dense: float, terms: dict[str, float],
                    best_latent: float | None, cache_dir: Path, best_paragraph: str = "") -> Evidence:
    """What `AbstainPolicy.decide` reads.

    A near-miss question is on topic and asks about a thing the documents never mention ("歐盟對美國放寬H200出口
    有什麼回應？" over articles without the EU): dense scores cannot tell it from an answerable one, but the
    name is missing from every passage (``unknown_names``). Likewise a year: "台積電2024年的營收" answered from a
    paragraph about TSMC that never says 2024 (``best_paragraph``, the first hit's paragraph) is a near miss.
    """
    unknown = tuple(sorted(t for t in set(query.tokens) if _CODE.search(t) and view.term_idf(t) == 0.0))
    names = unknown_names(view, query, cache_dir)
    shared = sum(1 for t in terms if view.term_idf(t) > 0)
    folded = normalize(best_paragraph)
    years = tuple(sorted(t for t in set(query.tokens) if _YEAR.fullmatch(t) and t not in folded))
    return Evidence(best_dense, query.background, shared, unknown, best_latent, names, years)


def unknown_names(view: StoreView, query: Query, cache_dir: Path) -> tuple[str, ...]:
    """Names in a Chinese question that no passage has: words CC-CEDICT lists only as proper nouns (欧盟, 英超).

    English questions are not checked: measured on XQuAD en->zh, English names whose dictionary translation
    is missing from the passages (Melbourne, Methodist, Chinese) refused 5% of answerable questions, since
    articles write names in forms the dictionary does not list.
    """
    if not query.chinese:
        return ()
    proper = proper_nouns(cache_dir)
    entries = by_simplified(cache_dir)

    def known(name: str) -> bool:  # as itself, or as the Latin name the dictionary gives it (美国宇航局: NASA)
        latin = {w.lower() for e in entries.get(name, ()) for g in e.glosses for w in _CAPITALISED.findall(g)}
        return view.term_idf(name) > 0 or any(view.term_idf(w) > 0 for w in latin)

    return tuple(sorted(t for t in set(query.tokens) if t in proper and not known(t)))
