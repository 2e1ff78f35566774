"""Where passages live and how they are searched: one interface, backends that import no model code.

``StoreView`` is one consistent version of the store, everything a question reads; ``Store`` is the persistent
handle that loads a view, commits changes (one document added, replaced or deleted at a time, incrementally)
and serialises writers across processes. The local backend (``qa.store.local``) keeps an immutable in-memory
snapshot (FAISS + BM25 + sparse latent terms) and persists it as atomic generation folders; a server-backed
store (Milvus) implements the same two classes.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Container, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

    from ..records import Chunk, Document, DocumentSummary, EncodedDocument, Span


T = TypeVar("T")


class StoreView(ABC):
    """One consistent version of the store. Rows number the passages 0..n-1 in this view only."""

    # True where each search is a round trip to a server: a question runs its dense and keyword searches at once
    # (run_together)
    concurrent_searches = False
    manifest: dict  # model_id, model_name, dim, chunking, latent_source, documents {id: {sha256, path, title}}, ...
    documents: dict[str, Document]
    chunks: Sequence[Chunk]

    def document_summaries(self) -> list[DocumentSummary]:
        """Every document's metadata and text length, in ``documents`` order, without reading its text (a
        listing of the library). This default builds each ``Document``: right for a view that holds the texts
        in memory; a view that fetches texts from a server (Milvus) overrides it."""
        from ..records import DocumentSummary

        return [DocumentSummary.of(d) for d in self.documents.values()]

    @abstractmethod
    def chunk_rows(self, doc_id: str) -> list[int]:
        """Rows of one document's passages, in order ([] for an unknown id)."""

    def run_together(self, jobs: dict[str, Callable[[], T]]) -> dict[str, T]:
        """Each job's result by name; a store whose searches wait on a server runs them at the same time."""
        return {name: job() for name, job in jobs.items()}

    @abstractmethod
    def dense_search(self, qvec: np.ndarray, n: int, rows: np.ndarray | None = None) -> dict[int, float]:
        """Up to ``n`` rows nearest to the unit vector ``qvec`` (inner product), row -> approximate score.

        ``rows``: sorted int64 rows the search is restricted to (qa.filters), None for all: the restriction is
        inside the search, so ``n`` rows come back whenever that many are allowed."""

    def body_sentence_vectors(self, rows: Sequence[int]) -> tuple[list[Span], np.ndarray]:
        """Every body sentence of the rows, once each in document order, and its unit vector (qa.also_in
        compares the sentences of two cited paragraphs)."""
        raise NotImplementedError

    @abstractmethod
    def passage_cosines(self, rows: Sequence[int], qvec: np.ndarray) -> np.ndarray:
        """Exact cosine of each row's passage vector with ``qvec``."""

    @abstractmethod
    def best_sentences(self, rows: Sequence[int], qvec: np.ndarray) -> tuple[list[Span], np.ndarray]:
        """For each row, its body sentence (Chunk.body_sentences) closest to ``qvec``: spans and cosines."""

    @abstractmethod
    def sentence_cosines(self, rows: Sequence[int], qvec: np.ndarray) -> tuple[list[Span], np.ndarray]:
        """Every body sentence of the rows, once each in document order: spans and cosines with ``qvec``."""

    @abstractmethod
    def keyword_search(self, terms: dict[str, float], n: int, rows: np.ndarray | None = None) -> dict[int, float]:
        """Up to ``n`` rows by weighted BM25 of already-tokenised ``terms`` (only rows scoring > 0), among
        ``rows`` when given (as ``dense_search``)."""

    @property
    @abstractmethod
    def vocabulary(self) -> Container[str]:
        """The keyword terms that occur in some passage."""

    @abstractmethod
    def term_idf(self, term: str) -> float:
        """IDF of a keyword term, 0.0 when no passage has it."""

    def filtered_out(self, term: str) -> bool:
        """Whether the library writes ``term`` only in passages the filters leave out (qa.filters.AllowedView);
        never, for a view without filters."""
        return False

    @abstractmethod
    def latent_scores(self, rows: Sequence[int], qlatent: sp.csr_matrix | None) -> np.ndarray | None:
        """Latent-term cosine of each row with the question's, or None when the store or question has none."""

    @abstractmethod
    def chinese_rows(self, rows: Sequence[int]) -> np.ndarray:
        """For each row, whether its document is Chinese (Document.language == "zh"): questions in the other
        language are scored against it across languages (qa.search)."""

    @property
    @abstractmethod
    def languages(self) -> frozenset[bool]:
        """Which of the two sides the passages are on: True = Chinese, False = any other language."""

    @property
    def model_id(self) -> str:
        return str(self.manifest["model_id"])


class MemoryView(StoreView):
    """A view that keeps each row's language in process memory (both the local snapshot and a Milvus view: the
    flags are small, and read for every candidate of every question)."""

    _chinese: np.ndarray  # per row: is its document Chinese
    _languages: frozenset[bool]

    def _index_languages(self) -> None:
        """Fill the per-row language flags from ``documents`` and ``chunks``."""
        import numpy as np

        chinese = {d.doc_id: d.language == "zh" for d in self.documents.values()}
        self._chinese = np.fromiter((chinese[c.doc_id] for c in self.chunks), dtype=bool, count=len(self.chunks))
        self._languages = frozenset(np.unique(self._chinese).tolist())

    def chinese_rows(self, rows: Sequence[int]) -> np.ndarray:
        import numpy as np

        return self._chinese[np.asarray(rows, dtype=np.int64)]

    @property
    def languages(self) -> frozenset[bool]:
        return self._languages


class Store(ABC):
    """A persistent store: load the current view, commit changes, one writer at a time across processes."""

    @abstractmethod
    def load(self) -> StoreView:
        """The current version. Raises IndexNotFound when nothing was built, IndexCorrupt when unreadable."""

    @abstractmethod
    def read_manifest(self) -> dict | None:
        """The current manifest without loading the data, or None when nothing was built."""

    @abstractmethod
    def latest(self, view: StoreView) -> StoreView:
        """``view`` if it is still the current version, else the current one (another process committed since).
        Writers call it under ``writing()`` so that no commit is built on a stale version."""

    @abstractmethod
    def create(self, manifest: dict, encoded: Sequence[EncodedDocument]) -> StoreView:
        """Replace everything with ``encoded`` documents; returns the new view once it is durable."""

    @abstractmethod
    def commit(self, base: StoreView, manifest: dict, added: Sequence[EncodedDocument],
               removed: Sequence[str] = ()) -> StoreView:
        """Add or replace ``added`` and delete ``removed`` documents relative to ``base``, incrementally (only
        those documents' passages are written); returns the new view once it is durable."""

    @abstractmethod
    def writing(self) -> AbstractContextManager[None]:
        """Hold the store's write lock (across processes) for a read-modify-commit sequence."""

