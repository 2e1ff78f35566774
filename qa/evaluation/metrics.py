"""Every retrieval metric computed once: rank of the first relevant item, hit rate / recall at k, MRR, percentiles."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import numpy as np

from ..text.script import normalize_for_match

T = TypeVar("T")


def first_rank(items: Iterable[T], relevant: Callable[[T], bool], limit: int | None = None) -> int | None:
    """1-based position of the first relevant item (among the first ``limit``), None when there is none.

    >>> first_rank(["a", "b", "c"], lambda x: x == "b")
    2
    """
    for i, item in enumerate(items, 1):
        if limit is not None and i > limit:
            return None
        if relevant(item):
            return i
    return None


def hit_rate(ranks: Sequence[int | None], cut: int, n: int | None = None) -> float | None:
    """Share of the ``n`` questions (default: all ranks) whose rank is at most ``cut``; None when n is 0."""
    n = len(ranks) if n is None else n
    return round(sum(1 for r in ranks if r is not None and r <= cut) / n, 4) if n else None


def mrr(ranks: Sequence[int | None], cut: int = 10, n: int | None = None) -> float | None:
    """Mean reciprocal rank, a rank beyond ``cut`` (or None) counting 0."""
    n = len(ranks) if n is None else n
    return round(sum(1 / r for r in ranks if r is not None and r <= cut) / n, 4) if n else None


def percentiles(values: Sequence[float], qs: Sequence[int] = (50, 95)) -> dict[str, float | None]:
    """{"p50": ..., "p95": ...} rounded to 0.01; None for an empty list."""
    if not len(values):
        return {f"p{q}": None for q in qs}
    return {f"p{q}": round(float(np.percentile(values, q)), 2) for q in qs}


def contains_answer(passage_text: str, answers: Sequence[str]) -> bool:
    """Script-, width-, space- and case-insensitive containment of any answer string."""
    hay = normalize_for_match(passage_text)
    return any((needle := normalize_for_match(a)) and needle in hay for a in answers)
