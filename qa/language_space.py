"""Where English and Chinese questions sit in an encoder's space, from CC-CEDICT word pairs.

A multilingual encoder puts the two languages' texts a roughly constant vector apart (Libovický et al., 2020,
"On the language neutrality of pre-trained multilingual representations"); the mean of English glosses minus
the mean of their Chinese headwords, both embedded as questions, estimates that *axis* from general words, not
from any benchmark. An orthogonal *map* fitted on the same pairs (Procrustes: Xing et al., 2015; Conneau et
al., 2018, "Word translation without parallel data") also turns the directions in which the two languages
differ. Both come from one pass over 4,000 pairs (~40-70 s on 2 cores), computed once per model when an index
is built and cached in the cache folder.
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .encoder import Encoder
from .files import cache_write
from .text import cedict

PAIRS = 4000  # fewer measured worse for the map (XQuAD en->zh r@1: 2,000 pairs 0.865, 4,000 0.877)
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_GLOSS = re.compile(r"[a-z][a-z \-']{1,30}")


@dataclass(frozen=True)
class LanguageSpace:
    mean_en: np.ndarray  # mean English question vector of the pairs (not normalised)
    mean_zh: np.ndarray
    rotation: np.ndarray  # orthogonal, English -> Chinese: (v - mean_en) @ rotation + mean_zh

    @property
    def axis(self) -> np.ndarray:
        """From Chinese to English questions: mean English minus mean Chinese vector."""
        return self.mean_en - self.mean_zh

    def to_chinese(self, vector: np.ndarray) -> np.ndarray:
        """An English question vector mapped into Chinese question space."""
        return (vector - self.mean_en) @ self.rotation + self.mean_zh


def word_pairs(cache_dir: Path, n: int = PAIRS) -> list[tuple[str, str]]:
    """``n`` (English gloss, Simplified word) pairs: common nouns, verbs and adjectives of 2-4 characters with
    a short first sense, no proper nouns; the same pairs on every machine (a fixed shuffle)."""
    seen: set[str] = set()
    pairs = []
    for e in cedict.dictionary_entries(cache_dir):
        if not _HAN_WORD.fullmatch(e.simplified) or e.pinyin[:1].isupper() or not e.glosses:
            continue
        gloss = re.sub(r"^to ", "", re.sub(r"\([^)]*\)", "", e.glosses[0]).strip())
        if _GLOSS.fullmatch(gloss) and len(gloss.split()) <= 3 and gloss not in seen:
            seen.add(gloss)
            pairs.append((gloss, e.simplified))
    random.Random(0).shuffle(pairs)
    return pairs[:n]


def language_space(encoder: Encoder, cache_dir: Path, n: int = PAIRS) -> LanguageSpace:
    """The axis and map for ``encoder``, from ``n`` word pairs embedded as questions (cached per model)."""
    key = hashlib.sha256(f"{encoder.model_id}:{cedict.dictionary_key()}:{n}".encode()).hexdigest()[:16]
    path = Path(cache_dir) / "language-space" / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            space = LanguageSpace(z["mean_en"], z["mean_zh"], z["rotation"])
        if space.rotation.shape == (encoder.dim, encoder.dim):
            return space
    except (OSError, ValueError, KeyError):
        pass
    pairs = word_pairs(cache_dir, n)
    sides = []
    for side in range(2):
        texts = [p[side] for p in pairs]
        sides.append(np.vstack([encoder.embed_queries(texts[i:i + 128])[0] for i in range(0, len(texts), 128)]))
    mean_en, mean_zh = sides[0].mean(axis=0), sides[1].mean(axis=0)
    # float64: the product is only dim x dim, and large single-precision products are where this machine's
    # OpenBLAS is fragile
    u, _, vt = np.linalg.svd((sides[0] - mean_en).astype(np.float64).T @ (sides[1] - mean_zh).astype(np.float64))
    space = LanguageSpace(mean_en.astype(np.float32), mean_zh.astype(np.float32), (u @ vt).astype(np.float32))
    cache_write(path, lambda fh: np.savez(fh, mean_en=space.mean_en, mean_zh=space.mean_zh, rotation=space.rotation))
    return space
