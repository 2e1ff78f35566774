"""The Milvus store: the same StoreView/Store over Milvus Lite (a folder, one process) or a Milvus server (a URI).

Milvus holds every channel: passage vectors, sentence vectors, latent terms and BM25 weights (sparse fields),
document metadata and text. A view keeps only what rows need (documents, passage offsets, the vocabulary's
document frequencies) in memory; vector and keyword searches run in Milvus.

Versions. Every row carries the generation ``gen`` of the commit that wrote it. The one row ``current`` of the
``<prefix>_meta`` collection names the committed generation; a view is the newest row of each document with
``gen <= current`` (a tombstone row deletes), so rows written by an unfinished commit are invisible, and a
commit becomes visible all at once when ``current`` is upserted. Superseded rows are deleted afterwards; a crash
leaves at most invisible rows, which the next writer removes (``gen > current``) before writing.

Writers take a lock row (lease + confirmation read, as Milvus has no compare-and-set) and, on one machine, a
file lock beside it, so two processes never commit on the same base.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Container, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..chunk import keyword_texts
from ..errors import IndexCorrupt, IndexNotFound, StoreMismatch, StoreUnavailable
from ..records import DocumentSummary, EncodedDocument, Span
from ..text.tokens import TOKENIZER_VERSION, tokenize
from . import MemoryView, Store, StoreView, T
from .milvus_rows import DocumentTexts, LazyDocuments, PassageTable, RowIndex, TermTable

log = logging.getLogger(__name__)


SCHEMA_VERSION = 2  # 2: passages keep dl and avgdl (BM25 at today's average length); bump when the collections' fields change: older stores are refused, not misread
TEXT_PART = 12_000  # characters of document text per row: VARCHAR holds 65,535 bytes, CJK is 3 bytes a char
META_DIM = 2  # Milvus wants a vector field in every collection; the bookkeeping ones carry a dummy one
K1, B = 1.5, 0.75  # BM25 as qa.store.bm25.KeywordIndex
PAD_TERM = 0  # term id 0 is never a word: a passage without terms gets a tiny weight on it (sparse rows can't be empty)
LOCK_LEASE_S = 120.0  # a writer that died holding the lock is taken over after this
LOCK_CONFIRM_S = 0.25  # wait before re-reading the lock row: a racing writer's upsert lands within this
BATCH = 2_000  # rows per insert
WRITE_SLICE = 500  # documents whose rows are built and inserted together (a commit's memory is one slice's rows)
RANGE = 10_000  # counter values per query when reading a whole collection
NO_DOC = "__none__"
# Collections that older versions wrote and nothing reads any more, by suffix: a store that has them loads (they
# are never opened) and a rebuild drops them. "background": abstention's off-topic vectors, now qa.background's.
RETIRED = ("background",)


def _milvus():  # type: ignore[no-untyped-def]
    try:
        import pymilvus
    except ImportError as e:  # pragma: no cover - installed from requirements.txt
        raise StoreUnavailable("the Milvus store needs pymilvus and milvus-lite: pip install -r requirements.txt") from e
    return pymilvus


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _ranged(client, collection: str, flt: str, fields: list[str], key: str, upper: int) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    """Every row matching ``flt``, read in ranges of the INT64 field ``key`` (0 <= key < upper, unique per row).

    One query returns at most 16,384 rows, and Lite lacks the timestamp call that query_iterator makes (its server
    logs a traceback per call), so big reads go by ranges of a counter the store allocates.
    """
    for lo in range(0, max(upper, 1), RANGE):
        yield from client.query(collection, filter=f"{key} >= {lo} and {key} < {lo + RANGE} and ({flt})",
                                output_fields=fields, limit=RANGE)


def _small(client, collection: str, flt: str, fields: list[str]) -> list[dict]:  # type: ignore[no-untyped-def]
    """Rows of one document (never near the 16,384 a query returns)."""
    return client.query(collection, filter=flt, output_fields=fields, limit=16_384)


class MilvusView(MemoryView):
    """One committed generation of a Milvus store. Rows 0..n-1 number its passages in document order.

    In memory: document metadata, passage offsets and sentence spans (numpy arrays), hashed term frequencies.
    Fetched from Milvus when a question needs them: document texts (and so passage texts), passage and sentence
    vectors, latent terms (qa.store.milvus_rows)."""

    concurrent_searches = True

    def run_together(self, jobs: dict[str, Callable[[], T]]) -> dict[str, T]:
        futures = {name: self.store.searches().submit(job) for name, job in jobs.items()}
        return {name: f.result() for name, f in futures.items()}

    def __init__(self, store: MilvusStore, manifest: dict, documents: LazyDocuments, doc_gen: dict[str, int],
                 chunks: PassageTable, pks: np.ndarray, terms: TermTable) -> None:
        self.store = store
        self.manifest = manifest
        self.documents = documents
        self.doc_gen = doc_gen
        self.chunks = chunks
        self.pks = pks  # row -> passage primary key
        self._row_of = RowIndex(pks)
        self._terms = terms  # term -> (id, document frequency)
        self._vocabulary = _Vocabulary(terms)  # one object per view: questions keep what they learn of it (qa.search)
        bounds = np.searchsorted(chunks.doc_index, np.arange(len(chunks.doc_ids) + 1))  # rows are sorted by document
        self._doc_rows = {d: (int(bounds[i]), int(bounds[i + 1])) for i, d in enumerate(chunks.doc_ids)}
        self._index_languages()
        self.n_docs = int(manifest.get("bm25_docs", len(chunks)))

    def _index_languages(self) -> None:
        # per document, not per Chunk: building a million Chunks would fetch every text
        zh = np.fromiter((self.documents.infos[d]["language"] == "zh" for d in self.chunks.doc_ids), dtype=bool,
                         count=len(self.chunks.doc_ids))
        self._chinese = zh[self.chunks.doc_index] if len(zh) else np.zeros(0, bool)
        self._languages = frozenset(np.unique(self._chinese).tolist())

    @property
    def generation(self) -> int:
        return int(self.manifest["generation"])

    # ---- fetching rows from Milvus ---------------------------------------------------------------
    def _passage_rows(self, rows: Sequence[int], field: str) -> list:
        return self.store.fetch(self.store.passages, field, [int(self.pks[r]) for r in rows], self.generation)

    def _sentence_vectors(self, keys: list[str]) -> np.ndarray:
        if not keys:
            return np.zeros((0, int(self.manifest["dim"])), np.float32)
        return np.asarray(self.store.fetch(self.store.sentences, "vector", keys, self.generation), dtype=np.float32)

    def _sentence_key(self, doc_id: str, span: Span) -> str:
        return f"{doc_id}@{self.doc_gen[doc_id]}:{span[0]}:{span[1]}"

    # ---- StoreView --------------------------------------------------------------------------------
    def chunk_rows(self, doc_id: str) -> list[int]:
        a, b = self._doc_rows.get(doc_id, (0, 0))
        return list(range(a, b))

    def document_summaries(self) -> list[DocumentSummary]:
        # from the metadata in memory: the default would fetch every article's text (100k articles: hundreds of MB)
        return self.documents.summaries()

    def _search(self, field: str, query: object, n: int, metric: str, rows: np.ndarray | None = None) -> dict[int, float]:
        # Over-fetch: rows of a newer, or an unfinished, commit can take places in the top n; they are dropped here.
        limit = min(16_384, n + 16 + n // 4)
        extra = {}
        allowed: set[int] | None = None
        if rows is not None:  # the same restriction as the local store's, as a filter inside Milvus's search
            allowed = set(rows.tolist())
            doc_ids = sorted({self.chunks.doc_id(r) for r in allowed})
            extra["filter"] = f"doc_id in [{', '.join(_quote(d) for d in doc_ids)}]"
        res = self.store.client.search(self.store.passages, data=[query], anns_field=field, limit=limit,
                                       search_params={"metric_type": metric, "params": self.store.search_params(field)},
                                       output_fields=["pk"], **extra)  # [] would return every field
        out: dict[int, float] = {}
        for hit in res[0]:
            row = self._row_of.get(int(hit["pk"]))
            if row is not None and (allowed is None or row in allowed):
                out[row] = float(hit["distance"])
                if len(out) == n:
                    break
        return out

    def dense_search(self, qvec: np.ndarray, n: int, rows: np.ndarray | None = None) -> dict[int, float]:
        if n < 1 or not self.chunks or (rows is not None and not len(rows)):
            return {}
        return self._search("vector", np.asarray(qvec, np.float32).tolist(), n, "IP", rows)

    def body_sentence_vectors(self, rows: Sequence[int]) -> tuple[list[Span], np.ndarray]:
        found: dict[Span, str] = {}
        for r, spans in self._body(rows):
            for s in spans:
                found.setdefault(s, self._sentence_key(self.chunks.doc_id(r), s))
        spans_sorted = sorted(found)
        return spans_sorted, self._sentence_vectors([found[s] for s in spans_sorted])

    def passage_cosines(self, rows: Sequence[int], qvec: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0, np.float32)
        return np.asarray(self._passage_rows(rows, "vector"), dtype=np.float32) @ qvec

    def _body(self, rows: Sequence[int]) -> list[tuple[int, list[Span]]]:
        self.chunks.prefetch(rows)  # body_sentences reads the passage text: the rows' documents in one round trip
        return [(r, list(self.chunks[r].body_sentences)) for r in rows]

    def best_sentences(self, rows: Sequence[int], qvec: np.ndarray) -> tuple[list[Span], np.ndarray]:
        if not len(rows):
            return [], np.zeros(0, np.float32)
        bodies = self._body(rows)
        keys = list(dict.fromkeys(self._sentence_key(self.chunks.doc_id(r), s) for r, spans in bodies for s in spans))
        sims = dict(zip(keys, self._sentence_vectors(keys) @ qvec))
        spans_out, best = [], np.zeros(len(rows), np.float32)
        for i, (r, spans) in enumerate(bodies):
            scores = [sims[self._sentence_key(self.chunks.doc_id(r), s)] for s in spans]
            j = int(np.argmax(scores))
            spans_out.append(spans[j])
            best[i] = scores[j]
        return spans_out, best

    def sentence_cosines(self, rows: Sequence[int], qvec: np.ndarray) -> tuple[list[Span], np.ndarray]:
        found: dict[Span, str] = {}
        for r, spans in self._body(rows):
            for s in spans:
                found.setdefault(s, self._sentence_key(self.chunks.doc_id(r), s))
        spans_sorted = sorted(found)
        if not spans_sorted:
            return [], np.zeros(0, np.float32)
        return spans_sorted, self._sentence_vectors([found[s] for s in spans_sorted]) @ qvec

    def keyword_search(self, terms: dict[str, float], n: int, rows: np.ndarray | None = None) -> dict[int, float]:
        if n < 1 or not terms or not self.chunks or (rows is not None and not len(rows)):
            return {}
        query = {}
        for term, weight in terms.items():
            found = self._terms.get(term)
            if found is None or weight <= 0 or not found[1]:
                continue
            query[found[0]] = float(weight) * self.term_idf(term)
        if not query:
            return {}
        # Stored weights carry the average passage length of their commit; the candidates (over-fetched) are
        # scored again with today's, so incremental commits give the local store's BM25 exactly.
        hits = self._search("bm25", query, min(16_384, 2 * n + 16), "IP", rows)
        rows = [r for r, s in hits.items() if s > 0]
        scores = self._bm25_now(rows, query)
        order = np.argsort(-scores, kind="stable")[:n]
        return {rows[i]: float(scores[i]) for i in order if scores[i] > 0}

    def _bm25_now(self, rows: list[int], query: dict[int, float]) -> np.ndarray:
        """BM25 of ``rows`` for ``query`` (term id -> weight x IDF) with the store's current average length: each
        stored weight w = tf (k1+1) / (tf + norm) gives back tf exactly (rounded), then w is recomputed."""
        if not rows:
            return np.zeros(0, np.float32)
        got = self.store.fetch_fields(self.store.passages, ["bm25", "dl", "avgdl"], [int(self.pks[r]) for r in rows],
                                      self.generation)
        avgdl = float(self.manifest.get("bm25_length", 0)) / max(1, int(self.manifest.get("bm25_docs", 0))) or 1.0
        qids = np.fromiter(query, np.int64, len(query))
        qw = np.fromiter(query.values(), np.float64, len(query))
        out = np.zeros(len(rows), np.float32)
        for i, ((ids, w), dl, old) in enumerate(zip(got["bm25"], got["dl"], got["avgdl"])):
            pos = np.searchsorted(ids, qids)  # sparse ids come back sorted
            pos[pos >= len(ids)] = 0
            hit = ids[pos] == qids
            if not hit.any():
                continue
            stored = w[pos[hit]].astype(np.float64)
            norm_then = K1 * (1 - B + B * float(dl) / (float(old) or 1.0))
            tf = np.rint(stored * norm_then / (K1 + 1 - stored))
            norm_now = K1 * (1 - B + B * float(dl) / avgdl)
            out[i] = np.float32(np.sum(qw[hit] * np.float32(tf * (K1 + 1) / (tf + norm_now))))
        return out

    @property
    def vocabulary(self) -> Container[str]:
        return self._vocabulary

    def term_idf(self, term: str) -> float:
        found = self._terms.get(term)
        if found is None or not found[1]:
            return 0.0
        df = found[1]
        return float(np.float32(np.log1p((self.n_docs - df + 0.5) / (df + 0.5))))

    def latent_scores(self, rows: Sequence[int], qlatent: sp.csr_matrix | None) -> np.ndarray | None:
        width = int(self.manifest.get("latent_features", 0) or 0)
        if qlatent is None or not width or qlatent.shape[1] != width:
            return None
        stored = self._passage_rows(rows, "latent")  # (ids + 1, weights) per row
        dense = np.zeros(width + 1, np.float32)  # slot 0: the padding id, never in a question
        q = qlatent.tocsr()
        dense[q.indices + 1] = q.data
        return np.fromiter((float(w @ dense[i]) for i, w in stored), dtype=np.float32, count=len(stored))



class _Vocabulary(Container[str]):
    def __init__(self, terms: TermTable) -> None:
        self._terms = terms

    def __contains__(self, term: object) -> bool:
        found = self._terms.get(term) if isinstance(term, str) else None
        return found is not None and found[1] > 0


def _sparse_items(vec: object) -> list[tuple[int, float]]:
    """A sparse vector as Milvus returns it (a dict, or scipy rows in some clients) as (index, value) pairs."""
    if isinstance(vec, dict):
        return [(int(k), float(v)) for k, v in vec.items()]
    if sp.issparse(vec):
        row = sp.csr_matrix(vec)
        return list(zip(row.indices.tolist(), row.data.tolist()))
    return [(int(k), float(v)) for k, v in dict(vec).items()]  # type: ignore[call-overload]


class MilvusStore(Store):
    """A store in Milvus at ``uri``: a Milvus Lite folder (embedded) or ``http(s)://host:port`` (a server)."""

    shared = True  # other processes may commit: Assistant refreshes its view before each question

    def __init__(self, uri: str, *, token: str = "", prefix: str = "qa", index_type: str = "auto",
                 approx_threshold: int = 20_000, lock_dir: Path | None = None, cache_rows: int = 100_000,
                 cache_chars: int = 10_000_000, cleanup_delay_s: float = 30.0) -> None:
        self.uri = uri
        self.token = token
        self.prefix = prefix
        self.index_type = index_type
        self.approx_threshold = approx_threshold
        self.overwrite = False  # create() over a store of another model: only `qa build --force` / `qa migrate`
        self.meta, self.docs, self.texts = f"{prefix}_meta", f"{prefix}_docs", f"{prefix}_texts"
        self.passages, self.sentences = f"{prefix}_passages", f"{prefix}_sentences"
        self._thread_lock = threading.RLock()
        self._holder = uuid.uuid4().hex
        key = hashlib.sha256(f"{uri}\x00{prefix}".encode()).hexdigest()[:16]
        self._lock_file = Path(lock_dir or Path.home() / ".cache" / "qa") / f"milvus-{key}.lock"
        self._last_check = 0.0
        self._meta_ready = False
        self.cache_rows = cache_rows
        self.cache_chars = cache_chars  # document text a view keeps after fetching it
        self.cleanup_delay_s = cleanup_delay_s  # superseded rows outlive their commit this long (readers' grace)
        self._cache: OrderedDict = OrderedDict()
        self._cache_lock = threading.Lock()
        self._searches: ThreadPoolExecutor | None = None
        self.client = self._connect()

    def searches(self) -> ThreadPoolExecutor:
        """Threads for a question's concurrent searches (MilvusView.run_together), started on first use and kept:
        a pool per question would start threads, and with them malloc arenas, on every question."""
        with self._cache_lock:
            if self._searches is None:
                self._searches = ThreadPoolExecutor(max_workers=8, thread_name_prefix="qa-milvus-search")
            return self._searches

    # ---- rows by primary key, cached ---------------------------------------------------------------
    def fetch(self, collection: str, field: str, keys: list, generation: int) -> list:
        """``field`` of the rows ``keys``, in order. A row is never changed once written (a new version of a
        document gets new keys), so what was fetched once is kept, up to ``cache_rows`` rows (least recently used out).

        Raises:
            IndexCorrupt: a row is gone (a newer commit removed it since the view was taken; ask again).
        """
        return self.fetch_fields(collection, [field], keys, generation)[field]

    def fetch_fields(self, collection: str, fields: list[str], keys: list, generation: int) -> dict[str, list]:
        """Several fields of the rows ``keys`` in one round trip (for the rows not cached): field -> values in order."""
        if not keys:
            return {f: [] for f in fields}
        out: dict[str, dict] = {f: {} for f in fields}
        with self._cache_lock:
            for f in fields:
                for k in keys:
                    hit = self._cache.get((collection, f, k))
                    if hit is not None:
                        self._cache.move_to_end((collection, f, k))
                        out[f][k] = hit
        missing = [k for k in dict.fromkeys(keys) if any(k not in out[f] for f in fields)]
        if missing:
            got = {r["pk"]: r for r in self.client.get(collection, ids=missing, output_fields=fields)}
            if len(got) != len(missing):
                raise IndexCorrupt(f"rows of generation {generation} are gone from {collection} at {self.uri}; ask again")
            with self._cache_lock:
                for k, r in got.items():
                    for f in fields:
                        v = r[f]
                        if f == "vector":
                            v = np.asarray(v, np.float32)
                        elif f in ("latent", "bm25"):
                            items = sorted(_sparse_items(v))  # by id: keyword scoring looks ids up by bisection
                            v = (np.fromiter((t for t, _ in items), np.int64, len(items)),
                                 np.fromiter((w for _, w in items), np.float32, len(items)))
                        out[f][k] = v
                        if self.cache_rows:
                            self._cache[(collection, f, k)] = v
                while len(self._cache) > self.cache_rows:
                    self._cache.popitem(last=False)
        return {f: [out[f][k] for k in keys] for f in fields}

    # ---- connection -------------------------------------------------------------------------------
    def _connect(self):  # type: ignore[no-untyped-def]
        pymilvus = _milvus()
        server = self.uri.startswith(("http://", "https://", "tcp://", "grpc://"))
        if not server:
            Path(self.uri).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            client = pymilvus.MilvusClient(uri=self.uri, token=self.token, timeout=10)
            client.list_collections()
        except Exception as e:  # noqa: BLE001 - every client failure at connect means the same to the user
            raise connect_error(self.uri, str(e), server) from e
        return client

    def search_params(self, field: str) -> dict:
        if field == "vector" and self._vector_index() == "HNSW":
            return {"ef": 128}
        if field == "vector" and self._vector_index() == "IVF_FLAT":
            return {"nprobe": 64}
        return {}

    def _vector_index(self, n: int | None = None) -> str:
        if self.index_type != "auto":
            return {"flat": "FLAT", "hnsw": "HNSW", "ivf_sq": "IVF_FLAT"}.get(self.index_type, self.index_type.upper())
        if n is None:
            n = getattr(self, "_n_hint", 0)
        return "FLAT" if n < self.approx_threshold else "HNSW"

    # ---- schema -----------------------------------------------------------------------------------
    def _create_collections(self, dim: int, latent: bool, n_hint: int) -> None:
        pm = _milvus()
        D = pm.DataType
        c = self.client
        self._n_hint = n_hint

        def make(name: str, fields: list[tuple], indexes: list[tuple[str, str, str, dict]]) -> None:
            schema = c.create_schema(auto_id=False, enable_dynamic_field=False)
            for fname, ftype, kw in fields:
                schema.add_field(fname, ftype, **kw)
            params = c.prepare_index_params()
            for fname, itype, metric, extra in indexes:
                params.add_index(field_name=fname, index_type=itype, metric_type=metric, params=extra)
            c.create_collection(name, schema=schema, consistency_level="Strong")
            # sync=False: waiting for the index calls AllocTimestamp, which Lite lacks (a traceback per retry);
            # Lite builds it before answering, a server before the load below returns
            c.create_index(name, params, sync=False)
            c.load_collection(name)

        dummy = ("dummy", D.FLOAT_VECTOR, {"dim": META_DIM})
        dummy_index = ("dummy", "FLAT", "L2", {})
        make(self.meta, [("key", D.VARCHAR, {"is_primary": True, "max_length": 64}),
                         ("value", D.VARCHAR, {"max_length": 65_535}), dummy], [dummy_index])
        make(self.docs, [("pk", D.VARCHAR, {"is_primary": True, "max_length": 512}), ("seq", D.INT64, {}),
                         ("doc_id", D.VARCHAR, {"max_length": 400}), ("gen", D.INT64, {}),
                         ("deleted", D.BOOL, {}), ("info", D.JSON, {}), dummy], [dummy_index])
        make(self.texts, [("pk", D.VARCHAR, {"is_primary": True, "max_length": 600}), ("seq", D.INT64, {}),
                          ("doc_key", D.VARCHAR, {"max_length": 512}), ("gen", D.INT64, {}), ("part", D.INT64, {}),
                          ("text", D.VARCHAR, {"max_length": 65_535}), dummy], [dummy_index])
        vindex = self._vector_index(n_hint)
        vparams = {"M": 16, "efConstruction": 64} if vindex == "HNSW" else {"nlist": 1024} if vindex == "IVF_FLAT" else {}
        passage_fields = [("pk", D.INT64, {"is_primary": True}), ("doc_id", D.VARCHAR, {"max_length": 400}),
                          ("gen", D.INT64, {}), ("position", D.INT64, {}), ("paragraph", D.INT64, {}),
                          ("start", D.INT64, {}), ("end", D.INT64, {}), ("sentences", D.JSON, {}),
                          ("vector", D.FLOAT_VECTOR, {"dim": dim}), ("bm25", D.SPARSE_FLOAT_VECTOR, {}),
                          ("dl", D.INT64, {}), ("avgdl", D.FLOAT, {})]  # tokens, and the average when written
        passage_indexes = [("vector", vindex, "IP", vparams), ("bm25", "SPARSE_INVERTED_INDEX", "IP", {})]
        if latent:
            passage_fields.append(("latent", D.SPARSE_FLOAT_VECTOR, {}))
            passage_indexes.append(("latent", "SPARSE_INVERTED_INDEX", "IP", {}))
        make(self.passages, passage_fields, passage_indexes)
        make(self.sentences, [("pk", D.VARCHAR, {"is_primary": True, "max_length": 600}),
                              ("doc_id", D.VARCHAR, {"max_length": 400}), ("gen", D.INT64, {}),
                              ("vector", D.FLOAT_VECTOR, {"dim": dim})], [("vector", "FLAT", "IP", {})])
        make(f"{self.prefix}_terms", [("term", D.VARCHAR, {"is_primary": True, "max_length": 1_000}),
                                      ("tid", D.INT64, {}), ("df", D.INT64, {}), dummy], [dummy_index])

    @property
    def terms(self) -> str:
        return f"{self.prefix}_terms"

    def _all_collections(self) -> list[str]:
        return [self.meta, self.docs, self.texts, self.passages, self.sentences, self.terms]

    def _drop_all(self) -> None:
        self._meta_ready = False
        # the retired ones too: a rebuild of a store written by an older version leaves none of its collections
        for name in self._all_collections() + [f"{self.prefix}_{suffix}" for suffix in RETIRED]:
            if self.client.has_collection(name):
                self.client.drop_collection(name)

    # ---- reading ----------------------------------------------------------------------------------
    def _meta(self, key: str) -> dict | None:
        # One round trip on the hot path (every question reads the version row); the collection is checked and
        # loaded once per client (a new process finds it released), and again if a get fails (dropped, rebuilt).
        if not self._meta_ready:
            if not self.client.has_collection(self.meta):
                return None
            self.client.load_collection(self.meta)
            self._meta_ready = True
        try:
            rows = self.client.get(self.meta, ids=[key], output_fields=["value"])
        except Exception:  # noqa: BLE001 - dropped or released by another process since
            self._meta_ready = False
            if not self.client.has_collection(self.meta):
                return None
            self.client.load_collection(self.meta)
            self._meta_ready = True
            rows = self.client.get(self.meta, ids=[key], output_fields=["value"])
        return json.loads(rows[0]["value"]) if rows else None

    def read_manifest(self) -> dict | None:
        current = self._meta("current")
        if current is None:
            return None
        self._check_schema(current)
        return current["manifest"]

    def _check_schema(self, current: dict) -> None:
        if current.get("schema_version") != SCHEMA_VERSION or current.get("tokenizer_version") != TOKENIZER_VERSION:
            raise StoreMismatch(f"the Milvus store at {self.uri} (collections {self.prefix}_*) was written in schema "
                                f"{current.get('schema_version')} / tokenizer {current.get('tokenizer_version')}; this "
                                f"version reads schema {SCHEMA_VERSION} / tokenizer {TOKENIZER_VERSION}. Rebuild it with "
                                f"`qa build --store {self.uri} --force` or use another --setting milvus_prefix")

    def load(self) -> MilvusView:
        for attempt in range(3):
            current = self._meta("current")
            if current is None:
                if self.client.has_collection(self.passages):
                    raise IndexCorrupt(f"the Milvus store at {self.uri} has collections {self.prefix}_* but no committed "
                                       "version (a first build was interrupted); run `qa build --store URI --force`")
                raise IndexNotFound(f"no index in the Milvus store at {self.uri}; build one with `qa build --store {self.uri}`"
                                    " or copy the local one with `qa migrate --to URI`")
            self._check_schema(current)
            try:
                view = self._load(current)
                _trim_heap()
                return view
            except IndexCorrupt:
                # a newer commit removed superseded rows while this version was read: read the newer one
                again = self._meta("current")
                if attempt == 2 or again is None or again["manifest"]["generation"] == current["manifest"]["generation"]:
                    raise
        raise AssertionError("unreachable")

    def _load(self, current: dict) -> MilvusView:
        manifest = current["manifest"]
        gen = int(manifest["generation"])
        c = self.client
        for name in self._all_collections():
            c.load_collection(name)
        newest: dict[str, dict] = {}
        upper = int(current["next_pk"])
        for row in _ranged(c, self.docs, f"gen <= {gen}", ["doc_id", "gen", "deleted", "info"], "seq", upper):
            old = newest.get(row["doc_id"])
            if old is None or row["gen"] > old["gen"]:
                newest[row["doc_id"]] = row
        live = {d: r for d, r in newest.items() if not r["deleted"]}
        doc_gen = {d: int(r["gen"]) for d, r in live.items()}
        parts: dict[str, int] = {}  # text parts present per document version (the texts stay in Milvus)
        for row in _ranged(c, self.texts, f"gen <= {gen}", ["doc_key"], "seq", upper):
            parts[row["doc_key"]] = parts.get(row["doc_key"], 0) + 1
        infos: dict[str, dict] = {}
        chars: dict[str, int | None] = {}
        problems = []
        # documents in the order they were first committed, passages in document order
        doc_ids = sorted(live, key=lambda d: (doc_gen[d], d))
        for d in doc_ids:
            info = dict(live[d]["info"])
            n_parts = info.pop("_parts", 0)
            chars[d] = info.pop("_chars", None)  # absent from documents written before listings stopped fetching texts
            # the store's own bookkeeping starts with "_": a key a later version adds is not a Document field
            info = {k: v for k, v in info.items() if not k.startswith("_")}
            if parts.get(f"{d}@{doc_gen[d]}", 0) != n_parts:
                problems.append(f"{d}: {parts.get(f'{d}@{doc_gen[d]}', 0)} of {n_parts} text parts")
            infos[d] = info
        number = {d: i for i, d in enumerate(doc_ids)}
        cols: dict[str, list[np.ndarray]] = {k: [] for k in ("doc", "position", "pk", "paragraph", "start", "end", "n_spans")}
        spans_parts: list[np.ndarray] = []
        fields = ["pk", "doc_id", "gen", "position", "paragraph", "start", "end", "sentences"]
        batch: list[dict] = []

        def flush() -> None:  # a batch of rows into arrays: no Python object per passage is kept
            if not batch:
                return
            cols["doc"].append(np.fromiter((number[r["doc_id"]] for r in batch), np.int32, len(batch)))
            for key in ("position", "pk", "paragraph", "start", "end"):
                cols[key].append(np.fromiter((int(r[key]) for r in batch), np.int64, len(batch)))
            cols["n_spans"].append(np.fromiter((len(r["sentences"]) for r in batch), np.int64, len(batch)))
            spans_parts.append(np.asarray([x for r in batch for x in r["sentences"]], np.int32).reshape(-1, 2))
            batch.clear()

        for row in _ranged(c, self.passages, f"gen <= {gen}", fields, "pk", upper):
            if doc_gen.get(row["doc_id"]) == row["gen"]:
                batch.append(row)
                if len(batch) >= RANGE:
                    flush()
        flush()
        col = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in cols.items()}
        spans = np.concatenate(spans_parts) if spans_parts else np.zeros((0, 2), np.int32)
        order = np.lexsort((col["position"], col["doc"]))
        n_spans = col["n_spans"][order]
        first = np.concatenate([[0], np.cumsum(col["n_spans"])])[:-1][order]  # where each row's spans were
        offsets = np.concatenate([[0], np.cumsum(n_spans)]).astype(np.int64)
        gather = np.repeat(first - offsets[:-1], n_spans) + np.arange(int(offsets[-1]))
        counts = np.bincount(col["doc"], minlength=len(doc_ids))
        for i, d in enumerate(doc_ids):
            if counts[i] != int(live[d]["info"].get("_chunks", -1)):
                problems.append(f"{d}: {counts[i]} of {live[d]['info'].get('_chunks')} passages")
        if problems:
            raise IndexCorrupt(f"the Milvus store at {self.uri}, generation {gen}, is incomplete: {'; '.join(problems[:5])}. "
                               f"Rebuild it with `qa build --store {self.uri} --force`")
        text_parts = {d: int(live[d]["info"].get("_parts", 0)) for d in doc_ids}
        texts = DocumentTexts(lambda ids: self.fetch_texts({d: f"{d}@{doc_gen[d]}" for d in ids}, text_parts, gen),
                              self.cache_chars)
        chunks = PassageTable(doc_ids, col["doc"][order].astype(np.int32), col["paragraph"][order].astype(np.int32),
                              col["start"][order].astype(np.int32), col["end"][order].astype(np.int32),
                              spans[gather] if len(gather) else spans, offsets, texts)
        terms = TermTable((r["term"], int(r["tid"]), int(r["df"]))
                          for r in _ranged(c, self.terms, "df >= 0", ["term", "tid", "df"], "tid", int(current["next_tid"])))
        full = {**manifest, "n_chunks": len(chunks)}  # no per-document list: a million-passage library has 100k
        return MilvusView(self, full, LazyDocuments(infos, chars, texts), doc_gen, chunks, col["pk"][order], terms)

    def fetch_texts(self, keys: dict[str, str], n_parts: dict[str, int], generation: int) -> dict[str, str]:
        """Texts of documents (doc_id -> its version's row key ``doc_id@gen``), in as few queries as the 16,384
        rows one query returns allow.

        Raises:
            IndexCorrupt: a part is gone (a writer removed that version since the view was read; ask again).
        """
        out: dict[str, str] = {}
        ids = list(keys)
        i = 0
        while i < len(ids):
            group, rows = [], 0
            while i < len(ids) and (not group or rows + n_parts[ids[i]] <= 16_000):
                group.append(ids[i])
                rows += n_parts[ids[i]]
                i += 1
            flt = f"doc_key in [{', '.join(_quote(keys[d]) for d in group)}]"
            found: dict[str, list[tuple[int, str]]] = {}
            for r in self.client.query(self.texts, filter=flt, output_fields=["doc_key", "part", "text"], limit=16_384):
                found.setdefault(r["doc_key"], []).append((int(r["part"]), r["text"]))
            for d in group:
                got = sorted(found.get(keys[d], []))
                if len(got) != n_parts[d]:
                    raise IndexCorrupt(f"the text of {d!r} (generation {generation}) is gone from {self.texts} at "
                                       f"{self.uri}; ask again")
                out[d] = "".join(t for _, t in got)
        return out

    def latest(self, view: StoreView) -> StoreView:
        current = self._meta("current")
        if current is None or current["manifest"]["generation"] == view.manifest.get("generation"):
            return view
        return self.load()

    def refreshed(self, view: StoreView, min_interval: float = 0.0) -> StoreView:
        """``latest(view)``, for readers: what another process committed is seen on the next question."""
        now = time.monotonic()
        if now - self._last_check < min_interval:
            return view
        self._last_check = now
        try:
            return self.latest(view)
        except IndexCorrupt:
            return view

    def refreshed_soon(self, view: StoreView) -> Future[StoreView]:
        """``refreshed(view)`` on the search threads: a question embeds itself while the version check travels."""
        return self.searches().submit(self.refreshed, view)

    # ---- writing ----------------------------------------------------------------------------------
    def create(self, manifest: dict, encoded: Sequence[EncodedDocument]) -> MilvusView:
        existing = self._meta("current") if self.client.has_collection(self.meta) else None
        if existing is not None and not self.overwrite:
            old = existing.get("manifest", {})
            if old.get("model_id") != manifest.get("model_id") or old.get("dim") != manifest.get("dim"):
                raise StoreMismatch(f"the Milvus store at {self.uri} holds vectors of {old.get('model_name') or old.get('model_id')} "
                                    f"({old.get('dim')}-d); this process uses {manifest.get('model_name')} ({manifest.get('dim')}-d). "
                                    f"Use the same model, or rebuild the store with `qa build --store {self.uri} --force`")
        self._drop_all()
        n = sum(len(e.chunks) for e in encoded)
        self._create_collections(int(manifest["dim"]), bool(manifest.get("latent_features")), n)
        state = {"schema_version": SCHEMA_VERSION, "tokenizer_version": TOKENIZER_VERSION, "next_pk": 1, "next_tid": 1,
                 "bm25": {"docs": 0, "length": 0}, "manifest": {**manifest, "generation": 0, "bm25_docs": 0}, "cleanup": []}
        self._write(state, manifest, encoded, [], base_docs={})
        return self.load()

    def commit(self, base: StoreView, manifest: dict, added: Sequence[EncodedDocument],
               removed: Sequence[str] = ()) -> MilvusView:
        state = self._meta("current")
        if state is None:
            raise IndexNotFound(f"no index in the Milvus store at {self.uri}; build one with `qa build --store {self.uri}`")
        self._check_schema(state)
        if state["manifest"]["generation"] != base.manifest.get("generation"):
            raise IndexCorrupt(f"commit on generation {base.manifest.get('generation')} but the store is at "
                               f"{state['manifest']['generation']}; call latest() under writing()")
        self._write(state, manifest, added, removed, base_docs=getattr(base, "doc_gen", {}))
        return self.load()

    def _write(self, state: dict, manifest: dict, added: Sequence[EncodedDocument], removed: Sequence[str],
               base_docs: dict[str, int]) -> None:
        c = self.client
        gen = int(state["manifest"]["generation"]) + 1
        for name in (self.docs, self.texts, self.passages, self.sentences):  # what an interrupted commit left
            c.delete(name, filter=f"gen >= {gen}")
        now = time.time()
        due, carried = _due(state.get("cleanup", []), now - self.cleanup_delay_s)
        self._cleanup(due)
        replaced = [e.document.doc_id for e in added if e.document.doc_id in base_docs]
        gone = [d for d in removed if d in base_docs]
        # document frequencies: minus the passages that leave, plus the ones that come
        df_delta: dict[str, int] = {}
        n_delta, len_delta = 0, 0
        leaving = [(d, base_docs[d]) for d in dict.fromkeys(replaced + gone)]
        for d, g in leaving:
            for row in _small(c, self.passages, f"doc_id == {_quote(d)} and gen == {g}", ["pk"]):
                n_delta -= 1
            for term, count in self._doc_terms(d, g).items():
                df_delta[term] = df_delta.get(term, 0) - count[0]
                len_delta -= count[1]
        base_n, base_len = int(state["bm25"]["docs"]), int(state["bm25"]["length"])
        known: dict[str, tuple[int, int]] = {}  # term -> (id, document frequency before this commit)
        next_tid, tid = int(state["next_tid"]), {}
        next_pk = int(state["next_pk"])
        # The added documents go in slices: a slice's rows are built, inserted and dropped before the next, so a
        # build's memory does not grow with the library (a 1M-passage build held every row as Python objects).
        # Rows keep the average length of when they were written; BM25 is recomputed at today's (_bm25_now).
        for first in range(0, len(added), WRITE_SLICE):
            part = added[first:first + WRITE_SLICE]
            tokenised = [[tokenize(t) for t in keyword_texts(e.document.text, [(c.paragraph, c.start, c.end) for c in e.chunks])]
                         for e in part]
            for doc_tokens in tokenised:
                for toks in doc_tokens:
                    n_delta += 1
                    len_delta += len(toks)
                    for t in set(toks):
                        df_delta[t] = df_delta.get(t, 0) + 1
            next_tid = self._term_ids([t for t in df_delta if t not in tid], tid, known, next_tid)
            avgdl = (base_len + len_delta) / (base_n + n_delta) if base_n + n_delta else 0.0
            next_pk = self._insert_documents(part, tokenised, gen, next_pk, tid, avgdl, bool(state["manifest"].get("latent_features")))
            if first + WRITE_SLICE < len(added):
                log.info("%s: %d of %d documents written", self.uri, first + len(part), len(added))
                self._renew_lease()
        next_tid = self._term_ids([t for t in df_delta if t not in tid], tid, known, next_tid)  # the leaving ones' too
        term_rows = [{"term": t, "tid": tid[t], "df": max(0, known.get(t, (0, 0))[1] + delta), "dummy": [0.0] * META_DIM}
                     for t, delta in df_delta.items() if delta]
        n_docs, total_len = base_n + n_delta, base_len + len_delta
        doc_rows = []
        for d in gone:
            doc_rows.append({"pk": f"{d}@{gen}", "seq": next_pk, "doc_id": d, "gen": gen, "deleted": True,
                             "info": {"_parts": 0, "_chunks": 0}, "dummy": [0.0] * META_DIM})
            next_pk += 1
        for i in range(0, len(doc_rows), BATCH):
            c.insert(self.docs, doc_rows[i:i + BATCH])
        for i in range(0, len(term_rows), BATCH):
            c.upsert(self.terms, term_rows[i:i + BATCH])
        documents_gen = {**{d: g for d, g in base_docs.items() if d not in gone}, **{e.document.doc_id: gen for e in added}}
        cleanup = carried + [[d, g, now] for d, g in leaving]
        manifest = {**state["manifest"], **_public(manifest), "generation": gen, "bm25_docs": n_docs, "bm25_length": total_len,
                    "n_documents": len(documents_gen)}
        new_state = {**state, "next_pk": next_pk, "next_tid": next_tid, "bm25": {"docs": n_docs, "length": total_len},
                     "manifest": manifest, "cleanup": cleanup}
        self._publish(new_state)  # the commit point: one row
        if not self.cleanup_delay_s:
            self._cleanup(cleanup)
        # else a later writer deletes them: a reader that took its view just before this commit may still fetch
        # the superseded rows (vectors, text) for a few seconds, and must find them

    def _term_ids(self, terms: list[str], tid: dict[str, int], known: dict[str, tuple[int, int]], next_tid: int) -> int:
        """Give ``terms`` (not in ``tid`` yet) their stored id, or the next free one; ``known`` gets their stored
        (id, document frequency). Returns the next free id."""
        for i in range(0, len(terms), 500):
            for r in self.client.get(self.terms, ids=terms[i:i + 500], output_fields=["tid", "df"]):
                known[r["term"]] = (int(r["tid"]), int(r["df"]))
        for t in terms:
            if t in known:
                tid[t] = known[t][0]
            else:
                tid[t], next_tid = next_tid, next_tid + 1
        return next_tid

    def _insert_documents(self, added: Sequence[EncodedDocument], tokenised: list[list[list[str]]], gen: int, next_pk: int,
                          tid: dict[str, int], avgdl: float, latent_field: bool) -> int:
        """Insert the rows of ``added`` (documents, texts, sentence vectors, passages) at ``gen``; returns the next pk."""
        doc_rows, text_rows, passage_rows, sentence_rows = [], [], [], []
        for e, doc_tokens in zip(added, tokenised):
            doc = e.document
            info = {k: v for k, v in asdict(doc).items() if k != "text"}
            parts = [doc.text[i:i + TEXT_PART] for i in range(0, len(doc.text), TEXT_PART)] or [""]
            # _chars: the text's length, so that a listing of the library reads no text (MilvusView.document_summaries)
            info.update(_parts=len(parts), _chunks=len(e.chunks), _chars=len(doc.text))
            key = f"{doc.doc_id}@{gen}"
            doc_rows.append({"pk": key, "seq": next_pk, "doc_id": doc.doc_id, "gen": gen, "deleted": False, "info": info,
                             "dummy": [0.0] * META_DIM})
            next_pk += 1
            for i, t in enumerate(parts):
                text_rows.append({"pk": f"{key}#{i}", "seq": next_pk, "doc_key": key, "gen": gen, "part": i, "text": t,
                                  "dummy": [0.0] * META_DIM})
                next_pk += 1
            latent = None if e.latent is None else sp.csr_matrix(e.latent)
            for j, (ch, toks) in enumerate(zip(e.chunks, doc_tokens)):
                row = {"pk": next_pk, "doc_id": doc.doc_id, "gen": gen, "position": j, "paragraph": ch.paragraph,
                       "start": ch.start, "end": ch.end, "sentences": [list(s) for s in ch.sentences],
                       "vector": np.asarray(e.vectors[j], np.float32).tolist(), "bm25": _bm25_row(toks, tid, avgdl),
                       "dl": len(toks), "avgdl": float(avgdl or 1.0)}
                if latent_field:
                    row["latent"] = _latent_row(latent, j)
                passage_rows.append(row)
                next_pk += 1
            sentence_rows += [{"pk": f"{doc.doc_id}@{gen}:{s}:{t}", "doc_id": doc.doc_id, "gen": gen,
                               "vector": np.asarray(v, np.float32).tolist()} for (s, t), v in zip(e.sentences, e.sentence_vectors)]
        for name, rows in ((self.texts, text_rows), (self.sentences, sentence_rows), (self.passages, passage_rows),
                           (self.docs, doc_rows)):
            step = BATCH // 4 if name == self.passages else BATCH
            for i in range(0, len(rows), step):
                self.client.insert(name, rows[i:i + step])
        return next_pk

    def _doc_terms(self, doc_id: str, gen: int) -> dict[str, tuple[int, int]]:
        """term -> (passages of the document holding it, occurrences) for a stored document version."""
        info = self.client.get(self.docs, ids=[f"{doc_id}@{gen}"], output_fields=["info"])
        if not info:
            return {}
        parts = sorted((int(r["part"]), r["text"]) for r in _small(self.client, self.texts, f"doc_key == {_quote(f'{doc_id}@{gen}')}", ["part", "text"]))
        text = "".join(t for _, t in parts)
        out: dict[str, list[int]] = {}
        rows = _small(self.client, self.passages, f"doc_id == {_quote(doc_id)} and gen == {gen}", ["paragraph", "start", "end"])
        for keyword_text in keyword_texts(text, [(int(r["paragraph"]), int(r["start"]), int(r["end"])) for r in rows]):
            toks = tokenize(keyword_text)
            for t in set(toks):
                out.setdefault(t, [0, 0])[0] += 1
            for t in toks:
                out.setdefault(t, [0, 0])[1] += 1
        return {t: (v[0], v[1]) for t, v in out.items()}

    def _publish(self, state: dict) -> None:
        value = json.dumps(state, ensure_ascii=False)
        if len(value.encode()) > 65_000 and state.get("cleanup"):
            # a commit replacing thousands of documents: their old rows are invisible (older generations) and
            # only take space; `qa build --store URI --force` rewrites the store without them
            log.warning("%d superseded documents' rows are left in %s (the version row holds no longer list)",
                        len(state["cleanup"]), self.uri)
            state = {**state, "cleanup": []}
            value = json.dumps(state, ensure_ascii=False)
        for name in self._all_collections():
            self.client.flush(name) if hasattr(self.client, "flush") else None
        self.client.upsert(self.meta, [{"key": "current", "value": value, "dummy": [0.0] * META_DIM}])
        self.client.flush(self.meta)

    def _cleanup(self, leaving: list) -> None:
        """Delete superseded rows: versions of documents that a published commit replaced or removed."""
        for d, g, *_ in leaving:
            flt = f"doc_id == {_quote(d)} and gen <= {int(g)}"
            for name in (self.passages, self.sentences, self.docs):
                self.client.delete(name, filter=flt)
            self.client.delete(self.texts, filter=f"doc_key == {_quote(f'{d}@{int(g)}')}")

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One writer at a time: a thread lock, a file lock (processes on this machine), a lease row (machines)."""
        self._lock_file.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self._lock_file, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                self._acquire_lease()
                try:
                    yield
                finally:
                    self._release_lease()
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _acquire_lease(self) -> None:
        if not self.client.has_collection(self.meta):
            return  # nothing built yet: the first build creates the collections under the file lock
        deadline = time.monotonic() + 10 * LOCK_LEASE_S
        while True:
            lease = self._meta("lock")
            now = time.time()
            if (lease is None or lease.get("holder") == self._holder or lease.get("until", 0) < now
                    or _dead_here(lease)):
                self._put_lease({"holder": self._holder, "until": now + LOCK_LEASE_S, "pid": os.getpid(),
                                 "host": socket.gethostname()})
                time.sleep(LOCK_CONFIRM_S)
                again = self._meta("lock")
                if again is not None and again.get("holder") == self._holder:
                    return
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"another writer holds the Milvus store at {self.uri} ({lease}); try again later")
            time.sleep(0.2)

    def _renew_lease(self) -> None:
        """A long commit (a big build) keeps its lease: other writers would take it over after LOCK_LEASE_S."""
        lease = self._meta("lock")
        if lease is not None and lease.get("holder") == self._holder:
            self._put_lease({**lease, "until": time.time() + LOCK_LEASE_S})

    def _put_lease(self, value: dict) -> None:
        self.client.upsert(self.meta, [{"key": "lock", "value": json.dumps(value), "dummy": [0.0] * META_DIM}])

    def _release_lease(self) -> None:
        if self.client.has_collection(self.meta):
            lease = self._meta("lock")
            if lease is not None and lease.get("holder") == self._holder:
                self._put_lease({"holder": None, "until": 0})

    def close(self) -> None:
        if self._searches is not None:
            self._searches.shutdown(wait=False)
        self.client.close()


def connect_error(uri: str, text: str, server: bool) -> StoreUnavailable:
    """What a failure to connect means, from the client's message. A cluster with authorization on answers a wrong
    token with gRPC UNAUTHENTICATED "auth check failure, please check username and password are correct" and a
    missing one with "missing authorization in header" (milvus-io/milvus#37714, pymilvus#2206); Lite has no
    authentication and accepts any token."""
    low = text.lower()
    if any(w in low for w in ("auth", "token", "permission", "denied", "unauthenticated", "password")):
        return StoreUnavailable(f"Milvus at {uri} refused the token ({text[:200]}); set QA_MILVUS_TOKEN "
                                "to a valid 'user:password' or API key")
    if "lock" in low and not server:
        return StoreUnavailable(f"the Milvus Lite folder {uri} is open in another process ({text[:200]}); "
                                "for several processes start `qa serve-store` and use its http:// URI")
    return StoreUnavailable(f"cannot reach Milvus at {uri} ({text[:200]}); start it (`qa serve-store` for a "
                            "local server) or fix QA_STORE / --store")


def _trim_heap() -> None:
    """Give the query results' freed memory back to the OS (glibc keeps it otherwise): a worker's RSS is then what
    its view holds, not the peak of reading it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _dead_here(lease: dict) -> bool:
    """Whether the lease's holder was a process on this machine that no longer runs: a writer killed mid-commit
    need not block the next one for the whole lease (what it wrote is invisible and cleared by that next one)."""
    if lease.get("host") != socket.gethostname() or not lease.get("pid"):
        return False
    try:
        os.kill(int(lease["pid"]), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def _due(cleanup: list, before: float) -> tuple[list, list]:
    """Split clean-up entries ``[doc_id, gen, time]`` into those superseded before ``before`` and the rest
    (entries without a time, from older versions, are due)."""
    due = [e for e in cleanup if (e[2] if len(e) > 2 else 0.0) <= before]
    return due, [e for e in cleanup if (e[2] if len(e) > 2 else 0.0) > before]


def _public(manifest: dict) -> dict:
    return {k: v for k, v in manifest.items() if k != "documents"}


def _bm25_row(tokens: list[str], tid: dict[str, int], avgdl: float) -> dict[int, float]:
    """The passage's BM25 weight per term without IDF (the question supplies weight x IDF): tf (k1+1) / (tf + norm)."""
    counts: dict[str, int] = {}
    for t in tokens:
        counts[t] = counts.get(t, 0) + 1
    norm = K1 * (1 - B + B * len(tokens) / (avgdl or 1.0))
    row = {tid[t]: float(np.float32(tf * (K1 + 1) / (tf + norm))) for t, tf in counts.items()}
    return row or {PAD_TERM: 1e-9}


def _latent_row(latent: sp.csr_matrix | None, j: int) -> dict[int, float]:
    if latent is None:
        return {PAD_TERM: 1e-9}
    s, e = latent.indptr[j], latent.indptr[j + 1]
    row = {int(i) + 1: float(v) for i, v in zip(latent.indices[s:e], latent.data[s:e])}  # +1: 0 is the pad
    return row or {PAD_TERM: 1e-9}
