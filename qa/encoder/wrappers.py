"""Encoders around an encoder: one that counts the texts it embeds and the seconds spent, one that also caches.

Benchmarks use them (`qa bench squad`, `qa bench speed`, the sweeps); the product itself uses the inner encoder.
"""
from __future__ import annotations

import hashlib
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from ..files import cache_write
from . import Encoder

T = TypeVar("T")
CACHE_VERSION = 2  # 2: vectors cached before it may lack the "passage: " prompt (a lazily bound model's first batch)


class CountingEncoder:
    """Any encoder, counting the passages and sentences it embeds (``texts``) and the seconds that took."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model_id, self.name, self.dim = inner.model_id, inner.name, inner.dim
        self.latent_source, self.latent_features = inner.latent_source, inner.latent_features
        self.sentence_source = getattr(inner, "sentence_source", "separate")
        self.texts = 0
        self.seconds = 0.0

    def embed_queries(self, texts: list[str], *, with_latent: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None]:
        return self.inner.embed_queries(texts, with_latent=with_latent)

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None]:
        return self._timed(lambda: self.inner.embed_passages(texts, progress=progress), len(texts))

    def embed_sentences(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self._timed(lambda: self.inner.embed_sentences(texts, progress=progress), len(texts))

    def embed_readings(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_readings(texts)  # question time, like embed_queries: not counted as indexing

    def embed_passages_pooled(self, texts: list[str], spans: list[list[tuple[int, int]]], *,
                              progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None, list[np.ndarray]]:
        return self._timed(lambda: self.inner.embed_passages_pooled(texts, spans, progress=progress), len(texts))  # type: ignore[attr-defined]

    @property
    def device(self) -> str:
        return str(getattr(self.inner, "device", "cpu"))

    def _timed(self, embed: Callable[[], T], n: int) -> T:
        t0 = time.perf_counter()
        out = embed()
        self.seconds += time.perf_counter() - t0
        self.texts += n
        return out


class CachingEncoder(CountingEncoder):
    """Passage and sentence embeddings cached on disk by model, precision and content; counts only cache misses."""

    def __init__(self, inner: Encoder, cache_dir: Path) -> None:
        super().__init__(inner)
        # the passage precision is part of the key: bf16 and fp32 passage vectors differ slightly and must not mix
        precision = getattr(inner, "resolved_precision", lambda: "fp32")()
        key = f"{inner.model_id}:v{CACHE_VERSION}" + ("" if precision == "fp32" else ":" + precision)
        self.cache_dir = Path(cache_dir) / "embeddings" / hashlib.sha256(key.encode()).hexdigest()[:16]

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None]:
        if not self.latent_source:
            return self.embed_sentences(texts, progress=progress), None
        key = _key(texts, "\x00latent:" + self.latent_source)
        vec_path, lat_path = self.cache_dir / f"{key}.npy", self.cache_dir / f"{key}.latent.npz"
        try:
            return np.load(vec_path, allow_pickle=False), sp.load_npz(lat_path).tocsr()
        except (OSError, ValueError, zipfile.BadZipFile):
            pass
        vecs, latent = super().embed_passages(texts, progress=progress)
        if latent is not None:
            cache_write(lat_path, lambda fh: sp.save_npz(fh, latent, compressed=False))
            cache_write(vec_path, lambda fh: np.save(fh, vecs, allow_pickle=False))  # last: says both are complete
        return vecs, latent

    def embed_passages_pooled(self, texts: list[str], spans: list[list[tuple[int, int]]], *,
                              progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None, list[np.ndarray]]:
        key = _key(texts, "\x00pooled:" + repr(spans) + "\x00latent:" + self.latent_source)
        paths = [self.cache_dir / f"{key}.{part}" for part in ("pooled.npy", "pooled.latent.npz", "pooled.spans.npy")]
        counts = np.array([len(s) for s in spans], dtype=np.int64)
        try:
            vecs, flat = np.load(paths[0], allow_pickle=False), np.load(paths[2], allow_pickle=False)
            latent = sp.load_npz(paths[1]).tocsr() if self.latent_source else None
            return vecs, latent, np.split(flat, np.cumsum(counts)[:-1]) if len(counts) else []
        except (OSError, ValueError, zipfile.BadZipFile):
            pass
        vecs, latent, pooled = super().embed_passages_pooled(texts, spans, progress=progress)
        flat = np.concatenate(pooled) if pooled else np.zeros((0, self.dim), np.float32)
        if latent is not None:
            cache_write(paths[1], lambda fh: sp.save_npz(fh, latent, compressed=False))
        cache_write(paths[2], lambda fh: np.save(fh, flat, allow_pickle=False))
        cache_write(paths[0], lambda fh: np.save(fh, vecs, allow_pickle=False))  # last: says all are complete
        return vecs, latent, pooled

    def embed_sentences(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        path = self.cache_dir / f"{_key(texts)}.npy"
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            pass
        vecs = super().embed_sentences(texts, progress=progress)
        cache_write(path, lambda fh: np.save(fh, vecs, allow_pickle=False))
        return vecs


def _key(texts: list[str], suffix: str = "") -> str:
    return hashlib.sha256(("\x00".join(texts) + suffix).encode("utf-8")).hexdigest()
