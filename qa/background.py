"""Off-topic reference text for abstention: general sentences in Chinese and English, embedded once per model.

A question that matches general text about as well as the library is probably not about the library. The
texts (``qa/data/background.jsonl``, see ``qa/data/README.md``) were written for this project on everyday and
encyclopedic topics, away from the library's own subject, and are no benchmark's data: background sentences
taken from a benchmark made its own questions look off-topic.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .encoder import Encoder
from .files import cache_write
from .text.script import to_simplified

BACKGROUND = Path(__file__).resolve().parent / "data" / "background.jsonl"


@dataclass(frozen=True)
class Background:
    vectors: np.ndarray  # (n, dim) unit vectors of the Simplified texts, embedded as passages
    chinese: np.ndarray  # (n,) bool: the text is Chinese

    def score(self, vector: np.ndarray, chinese_question: bool, cross_vector: np.ndarray | None = None,
              cross_offset: float = 0.0) -> float:
        """The question's best cosine with a background text, each text scored as a library passage in its
        language would be: in the question's language with its own vector, in the other language with its
        ``cross_vector`` plus ``cross_offset`` (what abstention adds to such passages). Scoring the other
        language's texts with the plain vector left them out (a multilingual encoder prefers its own language),
        so an English question about the weather matched Chinese passages, lifted across languages, better
        than English text about the weather."""
        if not len(self.vectors):
            return 0.0
        same = self.chinese == chinese_question
        best = float((self.vectors[same] @ vector).max()) if same.any() else 0.0
        if (~same).any():
            other = self.vectors[~same] @ (vector if cross_vector is None else cross_vector)
            best = max(best, float(other.max()) + (0.0 if cross_vector is None else cross_offset))
        return best


def background_texts(path: Path = BACKGROUND) -> list[tuple[str, bool]]:
    """(text, is Chinese) per line of ``path``."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], r["lang"].startswith("zh")) for r in rows]


def background_vectors(encoder: Encoder, cache_dir: Path, path: Path = BACKGROUND) -> np.ndarray:
    """The background texts' vectors, cached per model and content (embedding 600 texts takes ~50 s)."""
    texts = [to_simplified(t) for t, _ in background_texts(path)]
    # "v2": earlier caches may hold vectors embedded without the "passage: " prompt
    key = hashlib.sha256((encoder.model_id + "\x00v2\x00" + "\x00".join(texts)).encode("utf-8")).hexdigest()[:24]
    cache = Path(cache_dir) / "background" / f"{key}.npy"
    try:
        cached = np.load(cache, allow_pickle=False)
        if cached.shape == (len(texts), encoder.dim):
            return cached
    except (OSError, ValueError):
        pass
    vectors = encoder.embed_sentences(texts)
    cache_write(cache, lambda fh: np.save(fh, vectors, allow_pickle=False))
    return vectors


def load_background(encoder: Encoder, cache_dir: Path, path: Path = BACKGROUND) -> Background:
    chinese = np.array([zh for _, zh in background_texts(path)], dtype=bool)
    return Background(background_vectors(encoder, cache_dir, path), chinese)
