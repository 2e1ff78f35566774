"""A fake encoder for unit tests of ranking, abstention and metrics: one dimension per keyword, no model."""
from __future__ import annotations

import numpy as np


class FakeEncoder:
    """Each text becomes its counts of ``words`` (substring matches) plus a small constant, L2-normalised.

    Two texts are close exactly when they share words, so a test can say which passage a question must find.
    """

    model_id = "fake@1"
    name = "fake"
    latent_source = ""
    latent_features = 0

    def __init__(self, words: list[str]) -> None:
        self.words = list(words)
        self.dim = len(self.words) + 1
        self.embedded = 0

    def _vectors(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            out[i, :-1] = [text.count(w) for w in self.words]
            out[i, -1] = 0.1
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_queries(self, texts: list[str], *, with_latent: bool = False):  # type: ignore[no-untyped-def]
        return self._vectors(texts), None

    def embed_passages(self, texts: list[str], *, progress: bool = False):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return self._vectors(texts), None

    def embed_sentences(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        self.embedded += len(texts)
        return self._vectors(texts)

    def embed_readings(self, texts: list[str]) -> np.ndarray:
        return self._vectors(texts)
