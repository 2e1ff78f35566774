"""Query vector + question text to ranked Hits: dense search, keyword search, query-dependent fusion."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index import IndexData
from .records import Hit


@dataclass(frozen=True)
class FusionWeights:
    """How much the keyword channel counts, per query language (measured with `qa bench squad`, see README)."""

    zh: float = 0.3
    other: float = 0.0
    candidates: int = 50


def dense_candidates(data: IndexData, qvec: np.ndarray, n: int) -> dict[int, float]:
    scores, ids = data.vector_index.search(qvec[None, :], n)
    return {int(i): float(s) for s, i in zip(scores[0], ids[0]) if i >= 0}


def keyword_candidates(data: IndexData, question: str, n: int) -> dict[int, float]:
    ids, scores = data.keyword.search(question, n)
    return {int(i): float(s) for i, s in zip(ids, scores)}


def fuse(
    data: IndexData,
    qvec: np.ndarray,
    dense: dict[int, float],
    keyword: dict[int, float],
    weight: float,
) -> list[Hit]:
    """Convex combination of dense cosine and max-normalised BM25 over the union of both candidate lists.

    Rank fusion (RRF) treats a keyword list of noise the same as a good one; scaling BM25 by its best
    score and mixing with a measured weight keeps dense order when the keyword channel has nothing to say.
    """
    rows = sorted(set(dense) | set(keyword))
    if not rows:
        return []
    cos = data.vectors[rows] @ qvec  # exact cosine also for keyword-only candidates
    top_kw = max(keyword.values(), default=0.0)
    hits = []
    for row, c in zip(rows, cos):
        kw = keyword.get(row, 0.0) / top_kw if top_kw > 0 else 0.0
        score = (1 - weight) * float(c) + weight * kw
        hits.append(Hit(data.chunks[row], score, dense=float(c), keyword=kw))
    hits.sort(key=lambda h: -h.score)
    return hits
