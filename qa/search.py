"""A question analysed once, searched once: dense, keyword and latent channels fused into ranked hits + evidence.

Everything that ranks or decides reads the one ``Query`` (language, script, keyword tokens, vector, latent
terms) and the one ``StoreView``; benchmarks and sweeps call ``search`` with settings changed, never a copy of it.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .abstain import AbstainPolicy, Evidence, gather_evidence
from .encoder import Encoder
from .records import Hit
from .settings import Settings
from .store import StoreView
from .text.script import detect, to_simplified
from .text.tokens import tokenize
from .text.translate import translate_query


@dataclass(frozen=True)
class Ranking:
    """How the channels mix, per question language (settings candidates, sentence_share, keyword_weight_*,
    translate_terms, latent_share_*; measured with `qa bench squad`, see README)."""

    candidates: int
    sentence_share: float  # share of the best single sentence's cosine in the dense score
    keyword_zh: float
    keyword_other: float
    translate: bool  # CC-CEDICT translations of English question words feed the keyword channel
    latent_zh: float
    latent_other: float

    @classmethod
    def from_settings(cls, s: Settings) -> Ranking:
        return cls(s.candidates, s.sentence_share, s.keyword_weight_zh, s.keyword_weight_other, bool(s.translate_terms),
                   s.latent_share_zh, s.latent_share_other)

    def keyword_weight(self, language: str) -> float:
        return self.keyword_zh if language == "zh" else self.keyword_other

    def latent_share(self, language: str) -> float:
        return self.latent_zh if language == "zh" else self.latent_other


@dataclass(frozen=True)
class Query:
    """A question as every stage reads it."""

    text: str  # the cleaned question, as asked
    language: str  # "zh", "en", ... ("und" when unknown)
    script: str  # "simplified" | "traditional" | "latin" | ...
    tokens: tuple[str, ...]  # keyword tokens (qa.text.tokens), Simplified, folded
    vector: np.ndarray  # unit vector of the Simplified text
    latent: sp.csr_matrix | None  # latent terms, when ranking or abstention reads them


@dataclass
class Stopwatch:
    """Milliseconds per stage, in order; ``lap(stage)`` closes the stage that just ran."""

    timings: dict[str, float] = field(default_factory=dict)
    _t: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round((now - self._t) * 1000, 2)
        self._t = now

    def total(self) -> dict[str, float]:
        return {**self.timings, "total": round(sum(self.timings.values()), 2)}


class QueryAnalyser:
    """Detects, tokenises and embeds questions, keeping recent embeddings (the API and UI call it from threads)."""

    def __init__(self, encoder: Encoder, cache_size: int) -> None:
        self.encoder = encoder
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, bool], tuple[np.ndarray, sp.csr_matrix | None]] = OrderedDict()
        self._lock = threading.Lock()

    def analyse(self, question: str, ranking: Ranking, policy: AbstainPolicy, watch: Stopwatch | None = None) -> Query:
        watch = watch or Stopwatch()
        language, script = detect(question)
        tokens = tuple(tokenize(question))
        watch.lap("detect")
        # latent terms cost ~2-3 ms per question: computed only where ranking or abstention reads them
        with_latent = ranking.latent_share(language) > 0 or policy.latent_floor(language) > 0
        vector, latent = self._embed(question, with_latent)
        watch.lap("embed")
        return Query(question, language, script, tokens, vector, latent)

    def _embed(self, question: str, with_latent: bool) -> tuple[np.ndarray, sp.csr_matrix | None]:
        key = (question, with_latent)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        vecs, latent = self.encoder.embed_queries([to_simplified(question)], with_latent=with_latent)  # passages are Simplified too
        entry = (vecs[0], latent)
        with self._lock:
            if self.cache_size > 0:
                self._cache[key] = entry
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


@dataclass(frozen=True)
class SearchResult:
    query: Query
    hits: list[Hit]  # every candidate, best first
    evidence: Evidence
    terms: dict[str, float]  # the keyword terms searched


def keyword_terms(view: StoreView, query: Query, translate: bool, cache_dir: Path) -> dict[str, float]:
    """Weighted keyword terms of a question.

    Chinese: its own tokens. Other languages: its tokens that occur in the corpus (codes such as H200, names
    written in Latin letters), plus CC-CEDICT Chinese translations of its words that occur in the corpus.
    """
    vocab = view.vocabulary
    zh = query.language == "zh"
    terms = {t: 1.0 for t in query.tokens if zh or t in vocab}
    if not zh and translate:
        for term, w in translate_query(query.text, vocab, cache_dir).items():
            terms[term] = terms.get(term, 0.0) + w
    return terms


def search(view: StoreView, query: Query, k: int, ranking: Ranking, policy: AbstainPolicy, cache_dir: Path,
           watch: Stopwatch | None = None) -> SearchResult:
    """Rank the store's passages for ``query`` and gather what the abstention decision reads."""
    watch = watch or Stopwatch()
    n = min(len(view.chunks), max(ranking.candidates, 4 * k))
    dense = view.dense_search(query.vector, n)
    watch.lap("vector_search")
    weight = ranking.keyword_weight(query.language)
    terms = keyword_terms(view, query, ranking.translate, cache_dir)
    keyword = view.keyword_search(terms, n) if weight > 0 else {}
    watch.lap("keyword_search")
    hits = fuse(view, query, dense, keyword, weight, ranking.sentence_share, ranking.latent_share(query.language))
    watch.lap("fusion")
    best_dense = max((h.dense or 0.0 for h in hits), default=0.0)
    latents = [h.latent for h in hits if h.latent is not None]
    evidence = gather_evidence(view, query, best_dense, terms, max(latents) if latents else None)
    watch.lap("abstain")
    return SearchResult(query, hits, evidence, terms)


def fuse(view: StoreView, query: Query, dense: dict[int, float], keyword: dict[int, float], weight: float,
         sentence_share: float, latent_share: float) -> list[Hit]:
    """Convex combination of dense cosine, max-normalised BM25 and latent-term cosine over the union of candidates.

    Rank fusion (RRF) treats a keyword list of noise the same as a good one; scaling BM25 by its best score and
    mixing with a measured weight keeps dense order when the keyword channel has nothing to say. Latent terms
    (cosine of two sparse vectors, already 0..1) are mixed in last with their own share. Each candidate's best
    sentence is found once here; the highlight uses it.
    """
    rows = sorted(set(dense) | set(keyword))
    if not rows:
        return []
    cos = view.passage_cosines(rows, query.vector)  # exact cosine also for keyword-only candidates
    spans, sentence = view.best_sentences(rows, query.vector)
    if sentence_share > 0:
        # A passage of three sentences dilutes the one that answers; its best sentence alone often matches better.
        cos = (1 - sentence_share) * cos + sentence_share * sentence
    lat = view.latent_scores(rows, query.latent)  # scored whenever available (abstention reads it)
    use_latent = lat is not None and latent_share > 0
    top_kw = max(keyword.values(), default=0.0)
    hits = []
    for i, row in enumerate(rows):
        kw = keyword.get(row, 0.0) / top_kw if top_kw > 0 else 0.0
        score = (1 - weight) * float(cos[i]) + weight * kw
        la = None if lat is None else float(lat[i])
        if use_latent:
            score = (1 - latent_share) * score + latent_share * la  # type: ignore[operator]
        hits.append(Hit(view.chunks[row], score, dense=float(cos[i]), keyword=kw, latent=la, sentence=spans[i],
                        sentence_score=float(sentence[i])))
    hits.sort(key=lambda h: -h.score)
    return hits
