"""`qa bench squad`: passage retrieval on SQuAD-format data in a temporary index, with an on-disk embedding cache."""
from __future__ import annotations

import hashlib
import json
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .embed import Embedder, resolve_precision
from .errors import BadRequest, QAError
from .evaluate import contains_answer
from .records import Document
from .script import convert_script
from .settings import PROJECT_ROOT

CACHE_DIR = PROJECT_ROOT / ".cache" / "embeddings"
CACHE_VERSION = 2


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    doc_id: str
    answers: tuple[str, ...]


class CachingEmbedder:
    """An Embedder whose document embeddings are cached on disk by model and content hash."""

    def __init__(self, inner: Embedder, cache_dir: Path = CACHE_DIR) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.name = inner.name
        self.dim = inner.dim
        # the precision is part of the key: bf16 and fp32 passage vectors differ slightly and must not mix
        precision = resolve_precision(getattr(inner, "doc_precision", "fp32"))
        # CACHE_VERSION 2: vectors cached before it may lack the "passage: " prompt (a lazily bound model's first batch)
        key = f"{inner.model_id}:v{CACHE_VERSION}" + ("" if precision == "fp32" else ":" + precision)
        self.cache_dir = cache_dir / hashlib.sha256(key.encode()).hexdigest()[:16]
        self.embedded = 0  # texts actually run through the model (cache misses)
        self.seconds = 0.0

    @property
    def latent_source(self) -> str:
        return self.inner.latent_source

    def embed_query(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_query(texts)

    def embed_query_with_latent(self, texts: list[str]) -> tuple[np.ndarray, sp.csr_matrix | None]:
        return self.inner.embed_query_with_latent(texts)

    def embed_passages(self, texts: list[str], *, batch_size: int = 32, progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None]:
        """Cached like embed_documents; the latent terms are cached beside the vectors."""
        if not self.latent_source:
            return self.embed_documents(texts, batch_size=batch_size, progress=progress), None
        key = hashlib.sha256(("\x00".join(texts) + "\x00latent:" + self.latent_source).encode("utf-8")).hexdigest()
        vec_path, lat_path = self.cache_dir / f"{key}.npy", self.cache_dir / f"{key}.latent.npz"
        try:
            return np.load(vec_path, allow_pickle=False), sp.load_npz(lat_path).tocsr()
        except (OSError, ValueError, zipfile.BadZipFile):
            pass
        vecs, latent = self._embed(self.inner.embed_passages, texts, batch_size, progress)
        _save_atomic(lat_path, lambda fh: sp.save_npz(fh, latent, compressed=False))
        _save_atomic(vec_path, lambda fh: np.save(fh, vecs, allow_pickle=False))  # last: says both are complete
        return vecs, latent

    def embed_documents(self, texts: list[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()
        path = self.cache_dir / f"{key}.npy"
        if path.exists():
            try:
                return np.load(path, allow_pickle=False)
            except (OSError, ValueError):
                path.unlink(missing_ok=True)
        vecs = self._embed(self.inner.embed_documents, texts, batch_size, progress)
        _save_atomic(path, lambda fh: np.save(fh, vecs, allow_pickle=False))
        return vecs

    def _embed(self, embed, texts: list[str], batch_size: int, progress: bool):  # type: ignore[no-untyped-def]
        """Run ``embed`` (a cache miss), counting texts and seconds for the benchmark report."""
        t0 = time.perf_counter()
        out = embed(texts, batch_size=batch_size, progress=progress)
        self.seconds += time.perf_counter() - t0
        self.embedded += len(texts)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        return out


def _save_atomic(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    """Write through a temporary file and rename: a concurrent or interrupted run never reads half a file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        write(fh)
    tmp.replace(path)


def load_squad(contexts: Path, questions: Path | None = None, *, query_script: str | None = None,
               corpus_script: str | None = None) -> tuple[list[Document], list[SquadQuestion]]:
    """Paragraphs of ``contexts`` become documents; questions come from the same file or a parallel one (by id)."""
    def read(p: Path) -> dict:
        try:
            return json.loads(Path(p).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise BadRequest(f"{p}: cannot read SQuAD JSON ({e})") from e

    data = read(contexts)
    docs: list[Document] = []
    gold: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for art in data.get("data", []):
        for para in art.get("paragraphs", []):
            doc_id = f"p{len(docs):05d}"
            text = para["context"]
            if corpus_script:
                text = convert_script(text, corpus_script)
            docs.append(Document(doc_id, doc_id, art.get("title", doc_id), None, corpus_script or "source", "", text,
                                 hashlib.sha256(text.encode()).hexdigest()))
            for qa in para.get("qas", []):
                gold[qa["id"]] = (doc_id, tuple(a["text"] for a in qa.get("answers", [])), qa["question"])
    if not docs:
        raise BadRequest(f"{contexts}: no paragraphs found; expected SQuAD format {{'data': [{{'paragraphs': [...]}}]}}")
    asked = gold
    if questions is not None:
        asked = {}
        for art in read(questions).get("data", []):
            for para in art.get("paragraphs", []):
                for qa in para.get("qas", []):
                    if qa["id"] in gold:
                        asked[qa["id"]] = (gold[qa["id"]][0], gold[qa["id"]][1], qa["question"])
    qs = [SquadQuestion(qid, convert_script(q, query_script) if query_script else q, doc_id, answers)
          for qid, (doc_id, answers, q) in asked.items()]
    return docs, qs


def run_squad(assistant, questions: list[SquadQuestion], *, k: int = 10, progress: bool = False) -> dict:  # type: ignore[no-untyped-def]
    """Document-level recall/MRR and answer containment of the assistant's cited passages."""
    from tqdm import tqdm

    ranks: list[int | None] = []  # rank of the gold paragraph among distinct paragraphs cited
    passage_ranks: list[int | None] = []  # position of the first passage from it (neighbouring passages count)
    answer_ranks: list[int | None] = []
    lat = []
    refused = 0
    for q in tqdm(questions, disable=not progress, desc="questions"):
        t0 = time.perf_counter()
        try:
            ans = assistant.ask(q.question, k=k)
        except QAError:  # e.g. an empty question in the data set: counts as a miss, reported as refused
            refused += 1
            ranks.append(None)
            passage_ranks.append(None)
            answer_ranks.append(None)
            continue
        lat.append((time.perf_counter() - t0) * 1000)
        docs = [p.doc_id for p in ans.passages]
        # A paragraph is the unit here (XQuAD/CMRC answers are per paragraph); our passages are 3-sentence
        # windows, so two of one paragraph can both be cited. Rank paragraphs by their first passage.
        distinct = list(dict.fromkeys(docs))
        ranks.append(distinct.index(q.doc_id) + 1 if q.doc_id in distinct else None)
        passage_ranks.append(docs.index(q.doc_id) + 1 if q.doc_id in docs else None)
        answer_ranks.append(next((i for i, p in enumerate(ans.passages, 1) if contains_answer(p.text, q.answers)), None))
    n = max(1, len(questions))

    def at(rs: list[int | None], c: int) -> float:
        return round(sum(1 for r in rs if r is not None and r <= c) / n, 4)

    return {
        "recall@1": at(ranks, 1), "recall@5": at(ranks, 5), "recall@10": at(ranks, 10),
        "mrr@10": round(sum(1 / r for r in ranks if r is not None and r <= 10) / n, 4),
        "mrr@10_by_passage": round(sum(1 / r for r in passage_ranks if r is not None and r <= 10) / n, 4),
        "answer_hit@1": at(answer_ranks, 1), "answer_hit@5": at(answer_ranks, 5),
        "p50_ms": round(float(np.percentile(lat, 50)), 2) if lat else None,
        "p95_ms": round(float(np.percentile(lat, 95)), 2) if lat else None,
        "queries": len(questions),
        "refused_questions": refused,
    }
