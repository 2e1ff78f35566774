"""The local store: snapshots persisted as generation folders (fsync, then one atomic pointer switch), flock for writers."""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import IndexCorrupt, IndexNotFound
from ..files import fsync
from ..records import Chunk, Document, EncodedDocument
from . import Store
from .bm25 import KeywordIndex
from .snapshot import Snapshot, VectorParams
from .vectors import BACKENDS

log = logging.getLogger(__name__)

FORMAT_VERSION = 4  # 3: texts embedded in Simplified script; 4: latent terms per passage
POINTER = "CURRENT"
SAVE_LOCK = ".save.lock"


def save(data: Snapshot, root: Path) -> Path:
    """Write a new generation folder, fsync it, then switch the ``CURRENT`` pointer with one atomic rename.

    A crash at any point leaves either the old or the new generation current, never a mix. Saves from several
    processes (a server and `python -m qa build`) take turns on ``.save.lock``, so the clean-up of dead
    generations at the end never removes a folder that another process is still writing.
    """
    root.mkdir(parents=True, exist_ok=True)
    with open(root / SAVE_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _save_locked(data, root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _save_locked(data: Snapshot, root: Path) -> Path:
    gen = root / f"gen-{time.time_ns():x}"
    tmp = root / (gen.name + ".tmp")
    tmp.mkdir()
    _write_json(tmp / "documents.json", [asdict(d) for d in data.documents.values()])
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
        for c in data.chunks:
            f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", data.vectors, allow_pickle=False)
    np.save(tmp / "sentence_vectors.npy", data.sentence_vectors, allow_pickle=False)
    sp.save_npz(tmp / "latent.npz", data.latent, compressed=False)
    data.vector_index.save(tmp / "vectors.faiss")
    (tmp / "keyword").mkdir()
    data.keyword.save(tmp / "keyword")
    data.manifest["generation"] = gen.name  # before publication: names this version for writers in other processes
    _write_json(tmp / "manifest.json", {**data.manifest, "format_version": FORMAT_VERSION})  # last: a generation without a manifest is incomplete
    for p in tmp.rglob("*"):
        if p.is_file():
            fsync(p)
    fsync(tmp / "keyword", directory=True)
    fsync(tmp, directory=True)
    os.replace(tmp, gen)
    fsync(root, directory=True)
    pointer_tmp = root / (POINTER + ".tmp")
    pointer_tmp.write_text(gen.name, encoding="utf-8")
    fsync(pointer_tmp)
    os.replace(pointer_tmp, root / POINTER)
    fsync(root, directory=True)
    _remove_stale(root, keep=gen.name)
    return gen


def _remove_stale(root: Path, keep: str) -> None:
    """Remove every generation but ``keep``: older ones and ``gen-*.tmp`` left by a crashed save. Hold the save lock."""
    for p in root.iterdir():
        if p.is_dir() and p.name.startswith("gen-") and p.name != keep:
            shutil.rmtree(p, ignore_errors=True)


def clean_stale(root: Path) -> None:
    """Best effort: remove dead generations if no save is running now (never waits; read-only folders are fine)."""
    try:
        with open(root / SAVE_LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                gen = current_generation(root)
                if gen is not None and (gen / "manifest.json").is_file():
                    _remove_stale(root, keep=gen.name)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    except (OSError, IndexCorrupt):
        pass


def current_generation(root: Path) -> Path | None:
    pointer = root / POINTER
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not name.startswith("gen-") or "/" in name or "\\" in name:
        raise IndexCorrupt(f"{pointer} names {name!r}, not a generation folder; rebuild with `python -m qa build --force`")
    return root / name


def read_manifest(root: Path) -> dict | None:
    """The current manifest, or None when no index has been built yet."""
    gen = current_generation(root)
    return None if gen is None else _read_manifest_at(gen)


def _read_manifest_at(gen: Path) -> dict:
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexCorrupt(f"index manifest in {gen} is unreadable ({e}); rebuild with `python -m qa build --force`") from e
    if not isinstance(manifest, dict):
        raise IndexCorrupt(f"index manifest in {gen} is not a JSON object; rebuild with `python -m qa build --force`")
    return manifest


def load(root: Path) -> Snapshot:
    """Load the current generation and check that its parts agree with each other and with the manifest.

    Raises:
        IndexNotFound: nothing has been built in ``root``.
        IndexCorrupt: a file is missing, truncated or inconsistent (the message says how to rebuild).
    """
    for attempt in range(3):
        before = _pointer(root)
        try:
            data = _load_current(root)
        except IndexCorrupt:
            # Another process may have switched CURRENT and removed the old generation while we read it.
            if attempt == 2 or _pointer(root) == before:
                raise
            continue
        clean_stale(root)
        return data
    raise AssertionError("unreachable")


def _pointer(root: Path) -> str | None:
    try:
        return (root / POINTER).read_text(encoding="utf-8")
    except OSError:
        return None


def _load_current(root: Path) -> Snapshot:
    gen = current_generation(root)  # read the pointer once: manifest and data must come from one generation
    if gen is None:
        raise IndexNotFound(f"no index in {root}; build one with `python -m qa build`")
    manifest = _read_manifest_at(gen)
    try:
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"it was written in index format {manifest.get('format_version')}, this version reads format {FORMAT_VERSION}")
        docs = [Document(**d) for d in json.loads((gen / "documents.json").read_text(encoding="utf-8"))]
        chunks = []
        with open(gen / "chunks.jsonl", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                d["sentences"] = tuple(tuple(s) for s in d["sentences"])
                chunks.append(Chunk(**d))
        vectors = np.load(gen / "vectors.npy", allow_pickle=False)
        sentence_vectors = np.load(gen / "sentence_vectors.npy", allow_pickle=False)
        # older generations also hold background_vectors.npy (abstention's off-topic vectors, which qa.background
        # now keeps): left unread, so those indexes load without a rebuild and the next save drops the file
        latent = sp.load_npz(gen / "latent.npz").tocsr()
        dim = int(manifest["dim"])
        vector_index = BACKENDS[manifest.get("vector_backend", "flat")].load(gen / "vectors.faiss", dim)
        keyword = KeywordIndex.load(gen / "keyword")
        documents = {d.doc_id: d for d in docs}
        sent_keys = [(c.doc_id, s, e) for c in chunks for s, e in c.sentences]
        sentence_rows: dict[tuple[str, int, int], int] = {}
        for key in sent_keys:
            sentence_rows.setdefault(key, len(sentence_rows))
        problems = _consistency_problems(manifest, documents, chunks, vectors, sentence_vectors, vector_index, keyword, len(sentence_rows))
        if latent.shape[0] != len(chunks) or bool(manifest.get("latent_source")) != bool(latent.shape[1]):
            problems.append(f"latent.npz has shape {latent.shape}, expected {len(chunks)} rows")
        if problems:
            raise ValueError("; ".join(problems))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, MemoryError, zipfile.BadZipFile) as e:
        raise IndexCorrupt(f"index in {gen} is damaged: {e}. Rebuild it with `python -m qa build --force`") from e
    return Snapshot(manifest, documents, chunks, vectors, sentence_vectors, sentence_rows, vector_index, keyword, latent)


def _consistency_problems(manifest, documents, chunks, vectors, sentence_vectors, vector_index, keyword, n_sentences) -> list[str]:  # type: ignore[no-untyped-def]
    n, dim = len(chunks), int(manifest["dim"])
    listed = manifest["documents"]
    checks = [
        (isinstance(listed, dict) and set(listed) == set(documents), "documents differ from the manifest"),
        (isinstance(listed, dict) and all(isinstance(v, dict) and d in documents and v.get("sha256") == documents[d].sha256
                                          for d, v in listed.items()), "document hashes differ from the manifest"),
        (manifest["n_chunks"] == n, f"manifest says {manifest['n_chunks']} passages, chunks.jsonl has {n}"),
        (vectors.shape == (n, dim), f"vectors.npy has shape {vectors.shape}, expected ({n}, {dim})"),
        (len(vector_index) == n, f"vectors.faiss holds {len(vector_index)} vectors, expected {n}"),
        (len(keyword) == n, f"keyword index holds {len(keyword)} passages, expected {n}"),
        (sentence_vectors.shape == (n_sentences, dim), f"sentence_vectors.npy has shape {sentence_vectors.shape}, expected ({n_sentences}, {dim})"),
        (all(c.doc_id in documents and documents[c.doc_id].text[c.start : c.end] == c.text for c in chunks), "a passage's offsets do not match its document"),
    ]
    return [msg for ok, msg in checks if not ok]


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")


class LocalStore(Store):
    """Snapshots in memory, generations on disk under ``root``; see :func:`save` for the crash guarantees."""

    def __init__(self, root: Path | None, vectors: VectorParams | None = None) -> None:
        """``root`` None: snapshots in memory only, nothing persisted (benchmarks)."""
        self.root = None if root is None else Path(root)
        self.vectors = vectors or VectorParams()
        self._thread_lock = threading.Lock()

    def load(self) -> Snapshot:
        if self.root is None:
            raise IndexNotFound("an in-memory store holds nothing until it is built")
        return load(self.root)

    def read_manifest(self) -> dict | None:
        return None if self.root is None else read_manifest(self.root)

    def _save(self, snapshot: Snapshot) -> Snapshot:
        if self.root is not None:
            save(snapshot, self.root)
        return snapshot

    def create(self, manifest: dict, encoded: Sequence[EncodedDocument]) -> Snapshot:
        return self._save(Snapshot.create(manifest, encoded, int(manifest["dim"]), int(manifest.get("latent_features", 0)),
                                          self.vectors))

    def latest(self, view: Snapshot) -> Snapshot:  # type: ignore[override]
        if self.root is None:
            return view
        try:
            on_disk = read_manifest(self.root)
            if on_disk is None or on_disk.get("generation") == view.manifest.get("generation"):
                return view
            return load(self.root)
        except IndexCorrupt as e:  # the version in memory is whole: the next commit writes a good generation
            log.warning("%s; committing on top of the version in memory", e)
            return view

    def refreshed(self, view: Snapshot) -> Snapshot:
        """``latest(view)`` for readers, checked by the pointer alone (one small read per question): a running app
        answers from what `qa add`, `qa docs --restore` or another app process committed since it loaded."""
        if self.root is None:
            return view
        try:
            gen = current_generation(self.root)
        except (OSError, IndexCorrupt):
            return view
        if gen is None or gen.name == view.manifest.get("generation"):
            return view
        return self.latest(view)

    def commit(self, base: Snapshot, manifest: dict, added: Sequence[EncodedDocument],  # type: ignore[override]
               removed: Sequence[str] = ()) -> Snapshot:
        return self._save(base.with_changes(manifest, added, removed, self.vectors))

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Serialise writers in this process (thread lock) and across processes (flock on ``root/.lock``)."""
        if self.root is None:
            with self._thread_lock:
                yield
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.root / ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
