"""The persisted index: passages, their vectors, sentence vectors, keyword index and a manifest, swapped in atomically."""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .chunk import chunk_document
from .embed import Embedder
from .errors import IndexCorrupt, IndexNotFound
from .keyword import KeywordIndex
from .latent import empty, load_head
from .records import Chunk, Document
from .script import to_simplified
from .settings import PROJECT_ROOT
from .vectors import BACKENDS, VectorIndex, make_index

log = logging.getLogger(__name__)

FORMAT_VERSION = 4  # 3: texts embedded in Simplified script; 4: latent terms per passage
POINTER = "CURRENT"
SAVE_LOCK = ".save.lock"


@dataclass(frozen=True)
class ChunkParams:
    size: int = 3
    overlap: int = 1
    max_chars: int = 360


@dataclass
class IndexData:
    """One consistent snapshot; writers build a new snapshot and never mutate one that readers may hold."""

    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_rows: dict[tuple[str, int, int], int]
    vector_index: VectorIndex
    keyword: KeywordIndex
    background: np.ndarray  # off-topic reference passages (qa/data/background.jsonl), for abstention
    latent: sp.csr_matrix  # latent terms per passage (qa.latent), L2-normalised rows; 0 columns when the model has none
    _by_doc: dict[str, list[int]] = field(default_factory=dict, repr=False)
    # chunk row -> rows of its sentences in sentence_vectors (flattened, with offsets into it)
    _sent_flat: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    _sent_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64), repr=False)

    def __post_init__(self) -> None:
        flat: list[int] = []
        ptr = [0]
        for i, c in enumerate(self.chunks):
            self._by_doc.setdefault(c.doc_id, []).append(i)
            flat.extend(self.sentence_rows[(c.doc_id, s, e)] for s, e in c.sentences)
            ptr.append(len(flat))
        self._sent_flat = np.asarray(flat, dtype=np.int64)
        self._sent_ptr = np.asarray(ptr, dtype=np.int64)

    def best_sentence_scores(self, rows: list[int], qvec: np.ndarray) -> np.ndarray:
        """For each chunk row, the highest cosine between the query and one of its sentences."""
        if not rows:
            return np.zeros(0, np.float32)
        starts, ends = self._sent_ptr[rows], self._sent_ptr[np.asarray(rows) + 1]
        idx = np.concatenate([self._sent_flat[s:e] for s, e in zip(starts, ends)])
        sims = self.sentence_vectors[idx] @ qvec
        return np.maximum.reduceat(sims, np.concatenate([[0], np.cumsum(ends - starts)[:-1]]))

    @property
    def model_id(self) -> str:
        return str(self.manifest["model_id"])

    def chunk_rows(self, doc_id: str) -> list[int]:
        return self._by_doc.get(doc_id, [])


def build(
    documents: list[Document],
    embedder: Embedder,
    params: ChunkParams,
    previous: IndexData | None = None,
    *,
    progress: bool = False,
) -> IndexData:
    """Chunk and embed ``documents``; a document unchanged since ``previous`` (same hash, model, chunking) is reused."""
    reusable = (previous is not None and previous.model_id == embedder.model_id and previous.manifest.get("chunking") == asdict(params)
                and previous.manifest.get("latent_source", "") == embedder.latent_source)
    chunks: list[Chunk] = []
    vec_parts: list[np.ndarray] = []
    sent_keys: list[tuple[str, int, int]] = []
    sent_parts: list[np.ndarray] = []
    latent_parts: list[sp.csr_matrix] = []
    new_chunk_texts: list[str] = []
    new_sent_texts: list[str] = []
    plan: list[tuple[str, Document, list[Chunk]]] = []
    for doc in documents:
        old = previous.documents.get(doc.doc_id) if reusable and previous else None
        if old is not None and previous is not None and old.sha256 == doc.sha256:
            plan.append(("reuse", doc, [previous.chunks[i] for i in previous.chunk_rows(doc.doc_id)]))
            continue
        doc_chunks = chunk_document(doc, size=params.size, overlap=params.overlap, max_chars=params.max_chars)
        plan.append(("new", doc, doc_chunks))
        new_chunk_texts.extend(c.text for c in doc_chunks)
        new_sent_texts.extend(doc.text[s:e] for s, e in _doc_sentences(doc_chunks))
    # The model meets every text in Simplified script (questions too, in Assistant.ask): a Traditional question
    # against a Simplified passage then embeds as if both were Simplified (XQuAD: recall@1 gap 0.011 -> 0).
    new_vecs, new_latent = embedder.embed_passages([to_simplified(t) for t in new_chunk_texts], progress=progress)
    new_sent_vecs = embedder.embed_documents([to_simplified(t) for t in new_sent_texts], progress=progress)
    cv = sv = 0
    for how, doc, doc_chunks in plan:
        sentences = _doc_sentences(doc_chunks)
        if how == "reuse" and previous is not None:
            rows = previous.chunk_rows(doc.doc_id)
            vec_parts.append(previous.vectors[rows])
            latent_parts.append(previous.latent[rows])
            sent_parts.append(previous.sentence_vectors[[previous.sentence_rows[(doc.doc_id, s, e)] for s, e in sentences]])
        else:
            vec_parts.append(new_vecs[cv : cv + len(doc_chunks)])
            if new_latent is not None:
                latent_parts.append(new_latent[cv : cv + len(doc_chunks)])
            sent_parts.append(new_sent_vecs[sv : sv + len(sentences)])
            cv += len(doc_chunks)
            sv += len(sentences)
        base = len(chunks)
        chunks.extend(Chunk(base + i, c.doc_id, c.paragraph, c.start, c.end, c.text, c.sentences) for i, c in enumerate(doc_chunks))
        sent_keys.extend((doc.doc_id, s, e) for s, e in sentences)
    dim = embedder.dim
    vectors = np.concatenate(vec_parts) if vec_parts else np.zeros((0, dim), np.float32)
    sentence_vectors = np.concatenate(sent_parts) if sent_parts else np.zeros((0, dim), np.float32)
    if latent_parts:
        latent = sp.vstack(latent_parts, format="csr")
    else:  # no documents, or a model without latent terms
        latent = empty(load_head().features if embedder.latent_source else 0, len(vectors))
    vector_index = make_index(dim, len(vectors))  # exact FlatIndex while small, approximate from QA_VECTOR_APPROX_THRESHOLD
    vector_index.add(vectors)
    keyword = KeywordIndex.build([c.text for c in chunks])
    if reusable and previous is not None and len(previous.background) == len(background_texts()):
        background = previous.background
    else:
        background = _background_vectors(embedder)
    manifest = {
        "format_version": FORMAT_VERSION,
        "model_id": embedder.model_id,
        "model_name": embedder.name,
        "dim": dim,
        "chunking": asdict(params),
        "vector_backend": vector_index.kind,
        "latent_source": embedder.latent_source,
        "documents": {d.doc_id: {"sha256": d.sha256, "path": d.path, "title": d.title} for d in documents},
        "n_chunks": len(chunks),
        "n_sentences": len(sent_keys),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return IndexData(
        manifest, {d.doc_id: d for d in documents}, chunks, vectors, sentence_vectors,
        {k: i for i, k in enumerate(sent_keys)}, vector_index, keyword, background, latent,
    )


def _background_vectors(embedder: Embedder) -> np.ndarray:
    """Background embeddings, cached per model and file content: re-embedding 480 texts costs ~40 s on 2 cores."""
    texts = [to_simplified(t) for t in background_texts()]
    # "v2": earlier caches may hold vectors embedded without the "passage: " prompt
    key = hashlib.sha256((embedder.model_id + "\x00v2\x00" + "\x00".join(texts)).encode("utf-8")).hexdigest()[:24]
    path = PROJECT_ROOT / ".cache" / "background" / f"{key}.npy"
    try:
        cached = np.load(path, allow_pickle=False)
        if cached.shape == (len(texts), embedder.dim):
            return cached
    except (OSError, ValueError):
        pass
    vectors = embedder.embed_documents(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.save(fh, vectors, allow_pickle=False)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout still works, it just embeds again next time
    return vectors


def background_texts() -> list[str]:
    path = Path(__file__).resolve().parent / "data" / "background.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _doc_sentences(chunks: list[Chunk]) -> list[tuple[int, int]]:
    """Unique sentence spans of one document's chunks, in order (overlapping windows share sentences)."""
    seen: dict[tuple[int, int], None] = {}
    for c in chunks:
        for span in c.sentences:
            seen.setdefault(span, None)
    return list(seen)


def save(data: IndexData, root: Path) -> Path:
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


def _save_locked(data: IndexData, root: Path) -> Path:
    gen = root / f"gen-{time.time_ns():x}"
    tmp = root / (gen.name + ".tmp")
    tmp.mkdir()
    _write_json(tmp / "documents.json", [asdict(d) for d in data.documents.values()])
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
        for c in data.chunks:
            f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", data.vectors, allow_pickle=False)
    np.save(tmp / "sentence_vectors.npy", data.sentence_vectors, allow_pickle=False)
    np.save(tmp / "background_vectors.npy", data.background, allow_pickle=False)
    sp.save_npz(tmp / "latent.npz", data.latent, compressed=False)
    data.vector_index.save(tmp / "vectors.faiss")
    (tmp / "keyword").mkdir()
    data.keyword.save(tmp / "keyword")
    _write_json(tmp / "manifest.json", data.manifest)  # last: a generation without a manifest is incomplete
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


def load(root: Path) -> IndexData:
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


def _load_current(root: Path) -> IndexData:
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
        background = np.load(gen / "background_vectors.npy", allow_pickle=False)
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
        if background.ndim != 2 or background.shape[1] != dim:
            problems.append(f"background_vectors.npy has shape {background.shape}, expected (n, {dim})")
        if latent.shape[0] != len(chunks) or bool(manifest.get("latent_source")) != bool(latent.shape[1]):
            problems.append(f"latent.npz has shape {latent.shape}, expected {len(chunks)} rows")
        if problems:
            raise ValueError("; ".join(problems))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, MemoryError, zipfile.BadZipFile) as e:
        raise IndexCorrupt(f"index in {gen} is damaged: {e}. Rebuild it with `python -m qa build --force`") from e
    return IndexData(manifest, documents, chunks, vectors, sentence_vectors, sentence_rows, vector_index, keyword, background, latent)


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


def fsync(path: Path, *, directory: bool = False) -> None:
    """Flush a file's (or a folder's entries') data to disk, so a rename that follows survives a crash."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
