"""The local store's data: one immutable in-memory version (passages, FAISS vectors, BM25, latent terms).

Writers never change a snapshot that readers may hold: ``with_changes`` returns a new one, sharing nothing
mutable with the old, built incrementally (only the changed documents' passages are tokenised).
"""
from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..chunk import keyword_texts
from ..records import Chunk, Document, EncodedDocument, Span
from . import MemoryView
from .bm25 import KeywordIndex
from .vectors import VectorIndex, make_index


@dataclass(frozen=True)
class VectorParams:
    """Which vector index a snapshot builds (settings vector_backend / vector_approx_threshold)."""

    backend: str = "auto"
    approx_threshold: int = 20_000


@dataclass
class Snapshot(MemoryView):
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_rows: dict[tuple[str, int, int], int]
    vector_index: VectorIndex
    keyword: KeywordIndex
    latent: sp.csr_matrix  # latent terms per passage, L2-normalised rows; 0 columns when the model has none
    _by_doc: dict[str, list[int]] = field(default_factory=dict, repr=False)
    # chunk row -> its body sentences: rows in sentence_vectors and spans, flattened with offsets
    _sent_flat: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    _sent_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64), repr=False)
    _sent_spans: list[Span] = field(default_factory=list, repr=False)
    _chinese: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)  # per row
    _languages: frozenset[bool] = field(default=frozenset(), repr=False)

    def __post_init__(self) -> None:
        flat: list[int] = []
        ptr = [0]
        self._index_languages()
        for i, c in enumerate(self.chunks):
            self._by_doc.setdefault(c.doc_id, []).append(i)
            body = c.body_sentences
            flat.extend(self.sentence_rows[(c.doc_id, s, e)] for s, e in body)
            self._sent_spans.extend(body)
            ptr.append(len(flat))
        self._sent_flat = np.asarray(flat, dtype=np.int64)
        self._sent_ptr = np.asarray(ptr, dtype=np.int64)

    # ---- building ---------------------------------------------------------------------------------
    @classmethod
    def create(cls, manifest: dict, encoded: Sequence[EncodedDocument], dim: int, latent_features: int,
               params: VectorParams) -> Snapshot:
        """A snapshot holding exactly ``encoded``."""
        empty = cls._empty(manifest, dim, latent_features)
        return empty.with_changes(manifest, encoded, (), params)

    @classmethod
    def _empty(cls, manifest: dict, dim: int, latent_features: int) -> Snapshot:
        return cls(manifest, {}, [], np.zeros((0, dim), np.float32), np.zeros((0, dim), np.float32), {},
                   make_index(dim, 0), KeywordIndex.build([]), sp.csr_matrix((0, latent_features), dtype=np.float32))

    def with_changes(self, manifest: dict, added: Sequence[EncodedDocument], removed: Sequence[str],
                     params: VectorParams) -> Snapshot:
        """A new snapshot: ``removed`` documents gone, ``added`` ones added (replacing any of the same id).

        Kept documents keep their vectors and keyword counts; only the added passages are tokenised. The vector
        index is refilled from the kept vectors (a memory copy for the exact index).
        """
        drop = set(removed) | {e.document.doc_id for e in added}
        kept_docs = [d for d in self.documents.values() if d.doc_id not in drop]
        kept_rows = sorted(r for d in kept_docs for r in self.chunk_rows(d.doc_id))
        dropped_rows = sorted(set(range(len(self.chunks))) - set(kept_rows))
        # passages of a document are contiguous and in document order; keep that order for the kept ones
        kept_docs.sort(key=lambda d: (self.chunk_rows(d.doc_id) or [len(self.chunks)])[0])
        chunks: list[Chunk] = []
        sent_keys: dict[tuple[str, int, int], None] = {}
        for r in kept_rows:
            c = self.chunks[r]
            chunks.append(Chunk(len(chunks), c.doc_id, c.paragraph, c.start, c.end, c.text, c.sentences))
            for s, e in c.sentences:
                sent_keys.setdefault((c.doc_id, s, e), None)
        kept_sent = [self.sentence_rows[k] for k in sent_keys]
        vec_parts = [self.vectors[kept_rows]]
        sent_parts = [self.sentence_vectors[kept_sent]]
        latent_parts = [self.latent[kept_rows]]
        for enc in added:
            doc_id = enc.document.doc_id
            for c in enc.chunks:
                chunks.append(Chunk(len(chunks), doc_id, c.paragraph, c.start, c.end, c.text, c.sentences))
            sent_keys.update(((doc_id, s, e), None) for s, e in enc.sentences)
            vec_parts.append(enc.vectors)
            sent_parts.append(enc.sentence_vectors)
            if self.latent.shape[1]:
                if enc.latent is None or enc.latent.shape != (len(enc.chunks), self.latent.shape[1]):
                    raise ValueError(f"{doc_id}: latent terms missing or of another width than the store's")
                latent_parts.append(enc.latent)
            else:
                latent_parts.append(sp.csr_matrix((len(enc.chunks), 0), dtype=np.float32))
        vectors = np.ascontiguousarray(np.concatenate(vec_parts), dtype=np.float32)
        sentence_vectors = np.ascontiguousarray(np.concatenate(sent_parts), dtype=np.float32)
        latent = sp.vstack(latent_parts, format="csr") if latent_parts else self.latent
        keyword = self.keyword.updated(remove=dropped_rows, add=[t for e in added for t in keyword_texts(
            e.document.text, [(c.paragraph, c.start, c.end) for c in e.chunks])])
        backend = None if params.backend == "auto" else params.backend
        vector_index = make_index(vectors.shape[1], len(vectors), backend=backend, threshold=params.approx_threshold)
        vector_index.add(vectors)
        documents = {d.doc_id: d for d in kept_docs} | {e.document.doc_id: e.document for e in added}
        manifest = {**manifest, "vector_backend": vector_index.kind, "n_chunks": len(chunks), "n_sentences": len(sent_keys),
                    "documents": {d.doc_id: {"sha256": d.sha256, "path": d.path, "title": d.title} for d in documents.values()}}
        return Snapshot(manifest, documents, chunks, vectors, sentence_vectors, {k: i for i, k in enumerate(sent_keys)},
                        vector_index, keyword, latent)

    # ---- reading (StoreView) ----------------------------------------------------------------------
    def chunk_rows(self, doc_id: str) -> list[int]:
        return self._by_doc.get(doc_id, [])

    def dense_search(self, qvec: np.ndarray, n: int, rows: np.ndarray | None = None) -> dict[int, float]:
        if n < 1 or not len(self.chunks) or (rows is not None and not len(rows)):
            return {}
        scores, ids = self.vector_index.search(qvec[None, :], n, allowed=rows)
        return {int(i): float(s) for s, i in zip(scores[0], ids[0]) if i >= 0}

    def body_sentence_vectors(self, rows: Sequence[int]) -> tuple[list[Span], np.ndarray]:
        found: dict[Span, int] = {}
        for row in rows:
            for pos in range(int(self._sent_ptr[row]), int(self._sent_ptr[row + 1])):
                found.setdefault(self._sent_spans[pos], int(self._sent_flat[pos]))
        spans = sorted(found)
        return spans, self.sentence_vectors[[found[s] for s in spans]] if spans else np.zeros((0, self.vectors.shape[1]), np.float32)

    def passage_cosines(self, rows: Sequence[int], qvec: np.ndarray) -> np.ndarray:
        return self.vectors[list(rows)] @ qvec

    def best_sentences(self, rows: Sequence[int], qvec: np.ndarray) -> tuple[list[Span], np.ndarray]:
        if not len(rows):
            return [], np.zeros(0, np.float32)
        rows_a = np.asarray(rows, dtype=np.int64)
        starts, ends = self._sent_ptr[rows_a], self._sent_ptr[rows_a + 1]
        lengths = ends - starts  # every passage has at least one body sentence
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        positions = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        sims = self.sentence_vectors[self._sent_flat[positions]] @ qvec
        best = np.maximum.reduceat(sims, offsets)
        # the first sentence of each passage reaching its maximum, as np.argmax would pick it
        segment = np.repeat(np.arange(len(rows_a)), lengths)
        at_max = np.flatnonzero(sims == best[segment])
        _, first = np.unique(segment[at_max], return_index=True)  # segments are ascending: one first hit each
        idx = at_max[first]
        return [self._sent_spans[int(positions[i])] for i in idx], best

    def sentence_cosines(self, rows: Sequence[int], qvec: np.ndarray) -> tuple[list[Span], np.ndarray]:
        found: dict[Span, int] = {}
        for row in rows:
            for pos in range(int(self._sent_ptr[row]), int(self._sent_ptr[row + 1])):
                found.setdefault(self._sent_spans[pos], int(self._sent_flat[pos]))
        spans = sorted(found)
        return spans, self.sentence_vectors[[found[sp] for sp in spans]] @ qvec if spans else np.zeros(0, np.float32)

    def keyword_search(self, terms: dict[str, float], n: int, rows: np.ndarray | None = None) -> dict[int, float]:
        if n < 1 or not terms or not len(self.chunks) or (rows is not None and not len(rows)):
            return {}
        if rows is None:
            ids, scores = self.keyword.search_terms(terms, n)
        else:  # scored everywhere (one pass over the terms' postings), ranked only among the allowed rows
            allowed = np.zeros(len(self.chunks), np.float32)
            allowed[rows] = 1.0
            ids, scores = self.keyword._top(self.keyword.score_terms(terms) * allowed, n)
        return {int(i): float(s) for i, s in zip(ids, scores)}

    @property
    def vocabulary(self) -> Container[str]:
        return self.keyword.vocab

    def term_idf(self, term: str) -> float:
        return self.keyword.term_idf(term)

    def latent_scores(self, rows: Sequence[int], qlatent: sp.csr_matrix | None) -> np.ndarray | None:
        if qlatent is None or not self.latent.shape[1] or qlatent.shape[1] != self.latent.shape[1]:
            return None
        return (self.latent[list(rows)] @ qlatent.T).toarray().ravel()

