"""The vector index behind one small interface, so another backend (approximate, distributed) can replace it.

Small corpora get the exact ``FlatIndex``; from the ``vector_approx_threshold`` setting's passage count on, ``make_index`` picks an
approximate FAISS backend whose defaults were tuned with ``scripts/scale_bench.py`` (see docs/performance.md).
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

# Exact search scans every vector: ~0.1 ms per query at 1k passages, 1.5-6 ms at 10k and ~25 ms at 100k on one
# busy core (scale_bench). From this many passages ``make_index`` builds an approximate index instead
# (setting vector_approx_threshold; vector_backend forces one).
DEFAULT_APPROX_THRESHOLD = 20_000
DEFAULT_APPROX_BACKEND = "ivf_sq"
# A question is searched alone: FAISS would split one query over all cores, and on a shared 2-core machine the
# woken threads wait for CPU (100k flat: 30 ms on 1 thread, 75 ms on 2). Batches keep every core.
SEARCH_THREADS = 1
_SMALL_BATCH = 16


@contextmanager
def _search_threads(n_queries: int) -> Iterator[None]:
    """Run FAISS on SEARCH_THREADS threads for a small batch; OpenMP keeps the setting per calling thread."""
    import faiss

    if n_queries > _SMALL_BATCH or not SEARCH_THREADS:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(SEARCH_THREADS)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


class VectorIndex:
    """Inner-product search over L2-normalised vectors; row i of the added matrix is id i.

    A backend overrides ``add``, ``search``, ``save``, ``load`` and ``__len__`` and sets ``kind`` (its key in
    ``BACKENDS``, recorded in the index manifest as ``vector_backend``); retrieval code sees nothing else.
    The contract retrieval relies on:

    - ``add(vectors)``: float32 (n, dim), rows L2-normalised; ids continue from ``len(self)`` in order.
    - ``search(queries, k)``: (scores, ids), each (n_queries, k') with k' <= k, best first; ``ids`` are int64 row
      numbers, -1 where fewer were found. Scores approximate the inner product; retrieval re-scores its
      candidates exactly from ``IndexData.vectors``, so an approximate backend only has to find them.
    - ``save(path)`` writes one file; ``load(path, dim)`` reads it back (raising ValueError when unreadable
      or of another dimension) ready to search.
    """

    kind = "base"

    def add(self, vectors: np.ndarray) -> None:
        raise NotImplementedError

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, ids), each (n_queries, k), best first; ids are -1 where fewer than k exist.
        ``allowed``: sorted int64 ids the search may return (None: all), applied inside the index's search."""
        raise NotImplementedError

    def save(self, path: Path) -> None:
        raise NotImplementedError

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorIndex:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def describe(self) -> dict:
        """Backend name and tuning parameters, for benchmarks and logs."""
        return {"kind": self.kind, "n": len(self)}


class _FaissIndex(VectorIndex):
    """Shared plumbing for backends that wrap one FAISS index."""

    dim: int
    _index: object

    def _check(self, vectors: np.ndarray) -> np.ndarray:
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"vectors must have shape (n, {self.dim}), got {vectors.shape}")
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _empty(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(queries)
        return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        if not len(self) or (allowed is not None and not len(allowed)):
            return self._empty(queries)
        k = max(1, min(k, len(self) if allowed is None else len(allowed)))
        queries = self._check(np.atleast_2d(queries))
        with _search_threads(len(queries)):
            if allowed is None:
                scores, ids = self._index.search(queries, k)  # type: ignore[attr-defined]
            else:  # FAISS skips ids outside the selector while it scans: k results whenever k are allowed
                scores, ids = self._index.search(queries, k, params=self._params(allowed))  # type: ignore[attr-defined]
        return scores, ids

    def _params(self, allowed: np.ndarray) -> object:
        """FAISS search parameters restricting a search to ``allowed`` ids (a backend keeps its own tuning)."""
        import faiss

        ids = np.ascontiguousarray(allowed, dtype=np.int64)
        selector = faiss.IDSelectorBatch(len(ids), faiss.swig_ptr(ids))
        params = self._search_parameters()
        params.sel = selector
        params._keep = (ids, selector)  # the selector reads ``ids`` by pointer: keep both alive with the params
        return params

    def _search_parameters(self) -> object:
        import faiss

        return faiss.SearchParameters()

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @staticmethod
    def _read(path: Path, dim: int) -> object:
        import faiss

        try:
            index = faiss.read_index(str(path))
        except RuntimeError as e:
            raise ValueError(f"{path.name}: unreadable FAISS file ({str(e).splitlines()[0][:200]})") from e
        if index.d != dim:
            raise ValueError(f"{path.name}: dimension {index.d} does not match the manifest's {dim}")
        return index

    def __len__(self) -> int:
        return int(self._index.ntotal)  # type: ignore[attr-defined]


class FlatIndex(_FaissIndex):
    """Exact FAISS IndexFlatIP: every query scans every vector (4 bytes x dim each)."""

    kind = "flat"

    def __init__(self, dim: int, expected: int = 0) -> None:
        import faiss

        self.dim = dim
        self._index = faiss.IndexFlatIP(dim)

    def add(self, vectors: np.ndarray) -> None:
        vectors = self._check(vectors)
        if len(vectors):
            self._index.add(vectors)  # type: ignore[attr-defined]

    @classmethod
    def load(cls, path: Path, dim: int) -> FlatIndex:
        obj = cls(dim)
        obj._index = cls._read(path, dim)
        return obj


class IVFIndex(_FaissIndex):
    """Approximate: inverted lists (k-means cells) over float16 codes (FAISS IndexIVFScalarQuantizer, QT_fp16).

    A query scores only the vectors in the ``nprobe`` cells nearest to it. float16 keeps the codes' own error far
    below the gaps between neighbours' scores (8-bit codes capped recall@10 near 0.975 in scale_bench), at
    2 bytes x dim per vector: 0.78 GB at 1M passages of 384-d. ``nlist`` ~ 2 sqrt(n) cells, trained on the first
    ``add`` (k-means on up to 40 x nlist rows, seeded: the same vectors give the same index).
    """

    kind = "ivf_sq"
    probe_share = 1 / 32  # nprobe = nlist x this (at least MIN_PROBE): recall@10 >= 0.98 at 1M in scale_bench
    MIN_PROBE = 64
    TRAIN_PER_LIST = 40
    KMEANS_ITERATIONS = 10

    def __init__(self, dim: int, expected: int = 0, *, nlist: int | None = None, nprobe: int | None = None) -> None:
        self.dim = dim
        self._nlist = nlist
        self._nprobe = nprobe
        self._expected = expected
        self._index = None  # created on the first add, when the corpus size is known

    @staticmethod
    def default_nlist(n: int) -> int:
        # ~2 sqrt(n) cells, but at least 39 training points per cell (FAISS warns below that).
        return max(1, min(int(round(2 * math.sqrt(max(n, 1)))), n // 39))

    def default_nprobe(self, nlist: int) -> int:
        return min(nlist, max(self.MIN_PROBE, int(math.ceil(nlist * self.probe_share))))

    def add(self, vectors: np.ndarray) -> None:
        import faiss

        vectors = self._check(vectors)
        if not len(vectors):
            return
        if self._index is None:
            nlist = self._nlist or self.default_nlist(max(len(vectors), self._expected))
            quantizer = faiss.IndexFlatIP(self.dim)
            index = faiss.IndexIVFScalarQuantizer(quantizer, self.dim, nlist, faiss.ScalarQuantizer.QT_fp16,
                                                  faiss.METRIC_INNER_PRODUCT)
            index.cp.niter = self.KMEANS_ITERATIONS
            index.cp.seed = 1234
            n_train = min(len(vectors), self.TRAIN_PER_LIST * nlist)
            sample = vectors
            if n_train < len(vectors):
                rows = np.sort(np.random.default_rng(0).choice(len(vectors), n_train, replace=False))
                sample = vectors[rows]
            index.train(sample)  # the Python wrapper keeps ``quantizer`` alive as long as ``index``
            index.nprobe = self._nprobe or self.default_nprobe(nlist)
            self._index = index
        self._index.add(vectors)

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def save(self, path: Path) -> None:
        if self._index is None:  # nothing added: an untrained IVF cannot be written, an empty flat can
            FlatIndex(self.dim).save(path)
            return
        super().save(path)

    @classmethod
    def load(cls, path: Path, dim: int, *, nprobe: int | None = None) -> VectorIndex:
        import faiss

        index = cls._read(path, dim)  # read_index already returns the concrete class
        if index.ntotal == 0:  # type: ignore[attr-defined]
            return FlatIndex(dim)
        if not isinstance(index, faiss.IndexIVF):
            raise ValueError(f"{path.name}: expected an IVF index for backend {cls.kind!r}, found {type(index).__name__}")
        obj = cls(dim, nlist=int(index.nlist), nprobe=nprobe)
        if nprobe:
            index.nprobe = nprobe
        obj._index = index
        return obj

    def _search_parameters(self) -> object:
        import faiss

        # an IVF index takes only IVF parameters; a selected search probes as many cells as an unselected one
        params = faiss.SearchParametersIVF()
        params.nprobe = int(self._index.nprobe)  # type: ignore[attr-defined]
        return params

    def describe(self) -> dict:
        if self._index is None:
            return {"kind": self.kind, "n": 0}
        return {"kind": self.kind, "n": len(self), "nlist": int(self._index.nlist), "nprobe": int(self._index.nprobe),
                "codes": "fp16"}


class HNSWIndex(_FaissIndex):
    """Approximate: HNSW graph over float16 codes (FAISS IndexHNSWSQ, QT_fp16); no training, slower to build.

    Memory is 2 bytes x dim plus ~8 x M bytes of links per vector (M=16: ~0.9 GB at 1M x 384-d).
    ``ef_search`` is the breadth of the graph search: larger is slower and closer to exact.
    """

    kind = "hnsw"
    M = 16
    EF_CONSTRUCTION = 40
    EF_SEARCH = 128

    def __init__(self, dim: int, expected: int = 0, *, ef_search: int | None = None) -> None:
        import faiss

        self.dim = dim
        self._index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_fp16, self.M, faiss.METRIC_INNER_PRODUCT)
        self._index.hnsw.efConstruction = self.EF_CONSTRUCTION
        self._index.hnsw.efSearch = ef_search or self.EF_SEARCH

    def add(self, vectors: np.ndarray) -> None:
        vectors = self._check(vectors)
        if not len(vectors):
            return
        if not self._index.is_trained:  # fp16 codes need no statistics, but FAISS wants train() called
            self._index.train(vectors[: min(len(vectors), 1000)])
        self._index.add(vectors)

    @classmethod
    def load(cls, path: Path, dim: int, *, ef_search: int | None = None) -> HNSWIndex:
        import faiss

        index = cls._read(path, dim)  # read_index already returns the concrete class
        if not isinstance(index, faiss.IndexHNSW):
            raise ValueError(f"{path.name}: expected an HNSW index for backend {cls.kind!r}, found {type(index).__name__}")
        obj = cls(dim)
        if ef_search:
            index.hnsw.efSearch = ef_search
        obj._index = index
        return obj

    def _search_parameters(self) -> object:
        import faiss

        params = faiss.SearchParametersHNSW()
        params.efSearch = int(self._index.hnsw.efSearch)  # type: ignore[attr-defined]
        return params

    def describe(self) -> dict:
        return {"kind": self.kind, "n": len(self), "M": self.M, "ef_search": int(self._index.hnsw.efSearch), "codes": "fp16"}


BACKENDS: dict[str, type[VectorIndex]] = {"flat": FlatIndex, "ivf_sq": IVFIndex, "hnsw": HNSWIndex}


def choose_backend(n: int, threshold: int = DEFAULT_APPROX_THRESHOLD) -> str:
    """The backend for ``n`` vectors when none is forced: exact below ``threshold`` (setting vector_approx_threshold).

    >>> choose_backend(1_000), choose_backend(1_000_000)
    ('flat', 'ivf_sq')
    """
    return "flat" if n < threshold else DEFAULT_APPROX_BACKEND


def make_index(dim: int, n: int, *, backend: str | None = None, threshold: int = DEFAULT_APPROX_THRESHOLD) -> VectorIndex:
    """An empty index for ``n`` vectors of ``dim``: ``backend``, or ``choose_backend`` when None; fill it with ``add``.

    Example: ``index = make_index(384, len(vectors)); index.add(vectors)``
    """
    name = backend or choose_backend(n, threshold)
    if name not in BACKENDS:
        raise ValueError(f"unknown vector backend {name!r}; use one of {', '.join(BACKENDS)}")
    return BACKENDS[name](dim, n)  # type: ignore[call-arg]
