"""The vector index behind one small interface, so another backend (approximate, distributed) can replace it."""
from __future__ import annotations

from pathlib import Path

import numpy as np


class VectorIndex:
    """Inner-product search over L2-normalised vectors; row i of the added matrix is id i.

    A backend overrides ``add``, ``search``, ``save``, ``load`` and ``__len__``; retrieval code sees nothing else.
    """

    kind = "base"

    def add(self, vectors: np.ndarray) -> None:
        raise NotImplementedError

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, ids), each (n_queries, k), best first; ids are -1 where fewer than k exist."""
        raise NotImplementedError

    def save(self, path: Path) -> None:
        raise NotImplementedError

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorIndex:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class FlatIndex(VectorIndex):
    """Exact FAISS IndexFlatIP: right for up to a few hundred thousand passages."""

    kind = "flat"

    def __init__(self, dim: int) -> None:
        import faiss

        self.dim = dim
        self._index = faiss.IndexFlatIP(dim)

    def add(self, vectors: np.ndarray) -> None:
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"vectors must have shape (n, {self.dim}), got {vectors.shape}")
        if len(vectors):
            self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self))) if len(self) else 1
        if not len(self):
            n = len(queries)
            return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
        scores, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores, ids

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, dim: int) -> FlatIndex:
        import faiss

        obj = cls(dim)
        try:
            obj._index = faiss.read_index(str(path))
        except RuntimeError as e:
            raise ValueError(f"{path.name}: unreadable FAISS file ({str(e).splitlines()[0][:200]})") from e
        if obj._index.d != dim:
            raise ValueError(f"{path.name}: dimension {obj._index.d} does not match the manifest's {dim}")
        return obj

    def __len__(self) -> int:
        return int(self._index.ntotal)


BACKENDS: dict[str, type[VectorIndex]] = {"flat": FlatIndex}
