"""The one Python API: open an index over a folder of articles, ask questions, add and delete documents."""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import unicodedata
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import scipy.sparse as sp

from . import index as index_store
from .abstain import AbstainPolicy, gather_evidence
from .answer import no_answer_message, to_passage
from .embed import Embedder
from .errors import BadRequest, DocumentNotFound, EmptyQuestion, IndexCorrupt, IndexNotFound
from .index import ChunkParams, IndexData
from .errors import UnsupportedFile
from .ingest import META_SUFFIX, SUPPORTED_SUFFIXES, document_from_bytes, list_source_files, load_document
from .records import Answer, Document
from .retrieve import FusionWeights, dense_candidates, fuse, keyword_candidates, keyword_terms
from .script import SCRIPTS, detect, to_simplified
from .settings import Settings

log = logging.getLogger(__name__)


class Assistant:
    """Question answering over the articles in ``settings.docs_dir`` with the index in ``settings.index_dir``.

    >>> a = Assistant.open()                                      # doctest: +SKIP
    >>> a.ask("美國對H200出口徵收多少附加費？", k=3).passages[0].text  # doctest: +SKIP
    """

    def __init__(self, settings: Settings, embedder: Embedder, data: IndexData, fusion: FusionWeights | None = None,
                 policy: AbstainPolicy | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self._data = data  # replaced wholesale by writers; a reader keeps the snapshot it started with
        self.fusion = fusion or FusionWeights()
        self.policy = policy or AbstainPolicy()
        self._write_lock = threading.Lock()
        self._query_cache: OrderedDict[tuple[str, bool], tuple[np.ndarray, sp.csr_matrix | None]] = OrderedDict()
        self.query_cache_size = 512
        self._cache_lock = threading.Lock()

    # ---- opening and building -------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings | None = None, *, embedder: Embedder | None = None, **overrides: object) -> Assistant:
        """Load settings (defaults < QA_* env < overrides), the model and the index; build or refresh it if stale."""
        settings = settings or Settings.load(**overrides)
        embedder = embedder or Embedder.from_settings(settings)
        data = _ensure_index(settings, embedder, force=False)
        return cls(settings, embedder, data)

    @property
    def data(self) -> IndexData:
        return self._data

    def build(self, *, force: bool = False, progress: bool = False) -> dict:
        """Re-read the docs folder and rebuild what changed (everything with ``force``); returns build stats."""
        t0 = time.perf_counter()
        with self._writing():
            self._data = _ensure_index(self.settings, self.embedder, force=force, progress=progress)
        return {"documents": len(self._data.documents), "passages": len(self._data.chunks), "seconds": round(time.perf_counter() - t0, 2)}

    # ---- asking ---------------------------------------------------------------------------
    def ask(self, question: str, k: int | None = None, target_script: str | None = None) -> Answer:
        """Answer ``question`` with up to ``k`` cited passages, best first, or abstain.

        Raises:
            EmptyQuestion: the question is empty or has no letters, digits or ideographs.
            BadRequest: ``k`` or ``target_script`` is out of range.
        """
        data = self._data
        k = self.settings.k if k is None else k
        if not isinstance(k, int) or not 1 <= k <= 50:
            raise BadRequest(f"k must be an integer from 1 to 50, got {k!r}")
        if target_script not in (None, "", *SCRIPTS):
            raise BadRequest(f"target_script must be one of {', '.join(SCRIPTS)} (or omitted), got {target_script!r}")
        question = clean_question(question, self.settings.max_question_chars)
        timings: dict[str, float] = {}
        t = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal t
            now = time.perf_counter()
            timings[stage] = round((now - t) * 1000, 2)
            t = now

        language, script = detect(question)
        lap("detect")
        # latent terms cost ~2-3 ms per question: computed only where ranking or abstention reads them
        needs_latent = self.fusion.latent_weight(language) > 0 or self.policy.latent_floor(language) > 0
        qvec, qlatent = self._embed_query(question, needs_latent)
        lap("embed")
        n = min(len(data.chunks), max(self.fusion.candidates, 4 * k))
        dense = dense_candidates(data, qvec, n) if n else {}
        lap("vector_search")
        weight = self.fusion.keyword_weight(language)
        terms = keyword_terms(data, question, language, self.fusion.translate)
        keyword = keyword_candidates(data, terms, n) if n and weight > 0 else {}
        lap("keyword_search")
        ranked = fuse(data, qvec, dense, keyword, weight, self.fusion.sentence, qlatent, self.fusion.latent_weight(language))
        hits = ranked[:k]
        lap("fusion")
        best_dense = max((h.dense or 0.0 for h in ranked), default=0.0)
        latents = [h.latent for h in ranked if h.latent is not None]
        evidence = gather_evidence(data, question, qvec, best_dense, terms, max(latents) if latents else None)
        abstained = self.policy.decide(language, evidence)
        lap("abstain")
        passages = [to_passage(data, h, qvec, target_script or None) for h in hits]
        lap("highlight")
        timings["total"] = round(sum(timings.values()), 2)
        return Answer(
            question=question,
            language=language,
            script=script,
            abstained=abstained,
            passages=passages,
            timings_ms=timings,
            model=data.manifest.get("model_name", ""),
            message=no_answer_message(language, script) if abstained else "",
            evidence={"best_dense": round(evidence.best_dense, 4), "background": round(evidence.background, 4),
                      "best_latent": None if evidence.best_latent is None else round(evidence.best_latent, 4),
                      "shared_terms": evidence.shared_terms, "unknown_codes": list(evidence.unknown_codes)},
        )

    def _embed_query(self, question: str, with_latent: bool) -> tuple[np.ndarray, sp.csr_matrix | None]:
        key = (question, with_latent)
        with self._cache_lock:  # the API and the UI call ask() from several threads
            cached = self._query_cache.get(key)
            if cached is not None:
                self._query_cache.move_to_end(key)
                return cached
        text = to_simplified(question)  # passages are embedded in Simplified too
        if with_latent:
            vecs, latent = self.embedder.embed_query_with_latent([text])
        else:
            vecs, latent = self.embedder.embed_query([text]), None
        entry = (vecs[0], latent)
        with self._cache_lock:
            self._query_cache[key] = entry
            if len(self._query_cache) > self.query_cache_size:
                self._query_cache.popitem(last=False)
        return entry

    def warm_up(self) -> float:
        """Load what a process's first questions would otherwise pay for (~1-2 s): langdetect's profiles, the
        CC-CEDICT table, jieba's dictionary, the question engine's first run. For servers, before they listen.

        Returns the seconds it took. The query cache is left as it was.
        """
        t0 = time.perf_counter()
        cached = OrderedDict(self._query_cache)
        for question in ("What is this article about?", "这篇文章讲了什么？"):
            self.ask(question)
        with self._cache_lock:
            self._query_cache = cached
        return round(time.perf_counter() - t0, 2)

    # ---- documents --------------------------------------------------------------------------
    def documents(self) -> list[dict]:
        data = self._data
        return [
            {"doc_id": d.doc_id, "title": d.title, "date": d.date, "script": d.script, "language": d.language,
             "path": d.path, "passages": len(data.chunk_rows(d.doc_id)), "characters": len(d.text)}
            for d in data.documents.values()
        ]

    def document(self, doc_id: str) -> Document:
        doc = self._data.documents.get(doc_id)
        if doc is None:
            raise DocumentNotFound(f"no document with id {doc_id!r}; list them with GET /api/documents or `python -m qa docs`")
        return doc

    def add_document(self, filename: str, data: bytes) -> Document:
        """Add or replace one article: validated before anything is written, then indexed, then committed.

        The source file is renamed into the docs folder only after the new index is live, so a crash at any
        point leaves docs folder and index agreeing on the last completed operation (a re-open reconciles them).

        Raises:
            UnsupportedFile, FileTooLarge, DecodeError, BadRequest: nothing was changed.
        """
        name = safe_filename(filename)
        doc = document_from_bytes(data, name, max_bytes=self.settings.max_upload_bytes)
        docs_dir = self.settings.docs_dir
        with self._writing():
            clash = self._data.documents.get(doc.doc_id)
            if clash is not None and clash.path != name:  # a.txt and a.md: one id, two files, two versions
                raise BadRequest(f"{name}: document id {doc.doc_id!r} is already used by {clash.path}; upload it as {clash.path} to replace it, or delete that document first")
            docs_dir.mkdir(parents=True, exist_ok=True)
            partial = docs_dir / f".{name}.partial"
            partial.write_bytes(data)
            index_store.fsync(partial)
            current = [d for d in self._data.documents.values() if d.doc_id != doc.doc_id]
            self._commit(current + [doc])
            os.replace(partial, docs_dir / name)
            index_store.fsync(docs_dir, directory=True)
        return doc

    def delete_document(self, doc_id: str) -> Document:
        """Remove an article from the index and the docs folder; it never appears in an answer again.

        Raises:
            DocumentNotFound: no such id.
        """
        with self._writing():
            doc = self.document(doc_id)
            self._commit([d for d in self._data.documents.values() if d.doc_id != doc_id])
            for path in (self.settings.docs_dir / doc.path, self.settings.docs_dir / (doc.path + META_SUFFIX)):
                path.unlink(missing_ok=True)
            index_store.fsync(self.settings.docs_dir, directory=True)
        return doc

    def _commit(self, documents: list[Document]) -> None:
        """Build a snapshot for ``documents`` (reusing unchanged vectors), persist it atomically, then publish it."""
        data = index_store.build(documents, self.embedder, chunk_params(self.settings), self._data)
        data.manifest["docs_dir"] = str(self.settings.docs_dir)
        index_store.save(data, self.settings.index_dir)
        self._data = data

    def health(self) -> dict:
        data = self._data
        return {"ok": True, "documents": len(data.documents), "passages": len(data.chunks),
                "model": data.manifest.get("model_name"), "index_created_at": data.manifest.get("created_at")}

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Serialise writers in this process (thread lock) and across processes (flock on the index folder)."""
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        with self._write_lock, open(self.settings.index_dir / ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            for stale in self.settings.docs_dir.glob(".*.partial"):  # left by a crashed upload: no writer is running now
                stale.unlink(missing_ok=True)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def safe_filename(filename: str) -> str:
    """The bare file name of an upload: no folders, no hidden names, only a supported suffix.

    Raises:
        BadRequest / UnsupportedFile: the name could reach outside the docs folder or has the wrong type.
    """
    name = Path(str(filename).replace("\\", "/")).name.strip()
    if not name or name.startswith(".") or name in ("..", ".") or "\x00" in name:
        raise BadRequest(f"file name {filename!r} is not allowed; use a plain name such as article.txt")
    if len(name.encode("utf-8", "surrogatepass")) > 200 or any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise BadRequest(f"file name {str(filename)[:80]!r} is too long or has control characters; use a plain name such as article.txt")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile(f"{name}: unsupported file type; accepted: {', '.join(SUPPORTED_SUFFIXES)}")
    return name


def clean_question(question: object, max_chars: int) -> str:
    """Validate and tidy a question: control characters out, whitespace collapsed, length capped."""
    if not isinstance(question, str):
        raise EmptyQuestion(f"the question must be text, got {type(question).__name__}")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in question)
    text = " ".join(text.split())
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise EmptyQuestion("the question is empty or has no letters, digits or Chinese characters; type a question")
    return text[:max_chars]


def chunk_params(settings: Settings) -> ChunkParams:
    return ChunkParams(settings.chunk_sentences, settings.chunk_overlap, settings.chunk_max_chars)


def _source_documents(settings: Settings) -> list[Document]:
    docs = []
    for path in list_source_files(settings.docs_dir):
        docs.append(load_document(path, max_bytes=settings.max_upload_bytes))
    return docs


def _is_fresh(manifest: dict | None, docs: list[Document], settings: Settings, embedder: Embedder) -> bool:
    return bool(
        manifest
        and manifest.get("format_version") == index_store.FORMAT_VERSION
        and manifest.get("model_id") == embedder.model_id
        and manifest.get("chunking") == chunk_params(settings).__dict__
        and {d: v["sha256"] for d, v in manifest.get("documents", {}).items()} == {d.doc_id: d.sha256 for d in docs}
    )


def _ensure_index(settings: Settings, embedder: Embedder, *, force: bool, progress: bool = False) -> IndexData:
    """Load the index if it matches docs, model and chunking; otherwise (re)build it, reusing unchanged documents."""
    docs = _source_documents(settings)
    previous: IndexData | None = None
    if not force:
        try:
            previous = index_store.load(settings.index_dir)
        except IndexNotFound:
            previous = None
        except IndexCorrupt as e:
            log.warning("%s; rebuilding from %s", e, settings.docs_dir)
            previous = None
        if previous is not None and _is_fresh(previous.manifest, docs, settings, embedder):
            return previous
        if previous is not None and previous.model_id != embedder.model_id:
            log.info("index was built by %s; rebuilding with %s", previous.manifest.get("model_name"), embedder.name)
    data = index_store.build(docs, embedder, chunk_params(settings), previous, progress=progress)
    data.manifest["docs_dir"] = str(settings.docs_dir)
    index_store.save(data, settings.index_dir)
    return data
