"""Query vector + question text to ranked Hits: dense search, keyword search, query-dependent fusion."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .index import IndexData
from .keyword import tokenize
from .translate import translate_query
from .records import Hit


@dataclass(frozen=True)
class FusionWeights:
    """How much the keyword channel counts, per query language (measured with `qa bench squad`, see README)."""

    # Measured on XQuAD (scripts/fusion_sweep.py): keyword weight 0.04 lifts zh->zh recall@1 0.934 -> 0.960;
    # 0.03 with dictionary-translated terms lifts en->zh 0.781 -> 0.848. Larger weights hurt both.
    zh: float = 0.04
    other: float = 0.03
    translate: bool = True  # CC-CEDICT translations of English question words feed the keyword channel
    sentence: float = 0.5  # share of the best single sentence's cosine in the dense score
    candidates: int = 50
    # Share of latent-term overlap (qa.latent) in the final score, per query language (scripts/latent_sweep.py):
    # English over Chinese text, 0.2 lifts XQuAD recall@1 0.848 -> 0.861 (both halves of the data); for Chinese
    # questions it is neutral (zh->zh +0.003, CMRC -0.001, project set -1 question), so it stays out.
    latent_zh: float = 0.0
    latent_other: float = 0.2

    def keyword_weight(self, language: str) -> float:
        return self.zh if language == "zh" else self.other

    def latent_weight(self, language: str) -> float:
        return self.latent_zh if language == "zh" else self.latent_other


def dense_candidates(data: IndexData, qvec: np.ndarray, n: int) -> dict[int, float]:
    scores, ids = data.vector_index.search(qvec[None, :], n)
    return {int(i): float(s) for s, i in zip(scores[0], ids[0]) if i >= 0}


def keyword_terms(data: IndexData, question: str, language: str, translate: bool = True) -> dict[str, float]:
    """Weighted keyword terms of a question.

    Chinese: its own tokens. Other languages: its tokens that occur in the corpus (codes such as H200,
    names written in Latin letters), plus CC-CEDICT Chinese translations of its words that occur in the corpus.
    """
    vocab = data.keyword.vocab
    terms = {t: 1.0 for t in tokenize(question) if language == "zh" or t in vocab}
    if language != "zh" and translate:
        for term, w in translate_query(question, vocab).items():
            terms[term] = terms.get(term, 0.0) + w
    return terms


def keyword_candidates(data: IndexData, terms: dict[str, float], n: int) -> dict[int, float]:
    ids, scores = data.keyword.search_terms(terms, n)
    return {int(i): float(s) for i, s in zip(ids, scores)}


def fuse(
    data: IndexData,
    qvec: np.ndarray,
    dense: dict[int, float],
    keyword: dict[int, float],
    weight: float,
    sentence_share: float = 0.0,
    qlatent: sp.csr_matrix | None = None,
    latent_share: float = 0.0,
) -> list[Hit]:
    """Convex combination of dense cosine, max-normalised BM25 and latent-term cosine over the union of candidates.

    Rank fusion (RRF) treats a keyword list of noise the same as a good one; scaling BM25 by its best
    score and mixing with a measured weight keeps dense order when the keyword channel has nothing to say.
    Latent terms (cosine of two sparse vectors, already 0..1) are mixed in last with their own share.
    """
    rows = sorted(set(dense) | set(keyword))
    if not rows:
        return []
    cos = data.vectors[rows] @ qvec  # exact cosine also for keyword-only candidates
    if sentence_share > 0:
        # A passage of three sentences dilutes the one that answers; its best sentence alone often matches better.
        cos = (1 - sentence_share) * cos + sentence_share * data.best_sentence_scores(rows, qvec)
    # scored whenever available (abstention reads it), mixed into the ranking only with a share
    has_latent = qlatent is not None and qlatent.shape[1] == data.latent.shape[1] > 0
    lat = (data.latent[rows] @ qlatent.T).toarray().ravel() if has_latent else np.zeros(len(rows))  # type: ignore[union-attr]
    use_latent = has_latent and latent_share > 0
    top_kw = max(keyword.values(), default=0.0)
    hits = []
    for row, c, la in zip(rows, cos, lat):
        kw = keyword.get(row, 0.0) / top_kw if top_kw > 0 else 0.0
        score = (1 - weight) * float(c) + weight * kw
        if use_latent:
            score = (1 - latent_share) * score + latent_share * float(la)
        hits.append(Hit(data.chunks[row], score, dense=float(c), keyword=kw, latent=float(la) if has_latent else None))
    hits.sort(key=lambda h: -h.score)
    return hits
