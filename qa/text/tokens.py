"""The one tokenizer for keyword search: script-, width- and case-folded jieba words plus whole codes and numbers.

Passages (at indexing) and questions (at search) go through exactly this path.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

from .script import to_simplified

# Bump whenever tokenize() output changes: a saved index built with other tokens would
# silently mismatch queries, so load() refuses it instead.
TOKENIZER_VERSION = "1"

STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 对 为 也 都 而 并 或 等 这 那 其 之 于 以 被 把 吗 呢 吧 啊 "
    "什么 多少 哪 哪些 哪个 怎么 如何 为什么 谁 何时 几 the a an of in on to is are was were "
    "what which who when how why does do did for by with from that this it as at be s".split()
)

# CJK ideographs (BMP, extension A, compatibility, supplementary planes) plus 〇.
_CJK_RUN = re.compile(r"([\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)")
# Outside CJK runs: a number with its decimals and unit/percent ("4.8tb/s", "54.4%", "141gb",
# "910c") or a word that may carry digits ("h200", "hbm3e"). "-" splits, so "60%-90%" -> 60%, 90%.
_LATIN_TOKEN = re.compile(
    r"\d+(?:\.\d+)*(?:%|[^\W\d_]+(?:/[^\W\d_]+)?)?"
    r"|[^\W\d_][^\W_]*(?:\.\d+)*"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # "1,000,000" -> "1000000"
_FRACTION = re.compile(r"(?<=\d)(?=[\u00bc-\u00be\u2150-\u215e])")  # NFKC turns "6½" into "61⁄2"

_JIEBA_LOCK = threading.Lock()


def _jieba() -> Any:
    with _JIEBA_LOCK:  # a second thread waits for the first load instead of loading jieba twice
        return _load_jieba()


@lru_cache(maxsize=1)
def _load_jieba() -> Any:
    """A private jieba tokenizer, its dictionary loaded on first use (~1.6 s; English-only questions never pay it).

    A private instance: user words added to jieba's global tokenizer elsewhere cannot leak in.
    """
    import jieba

    tok = jieba.Tokenizer()
    jlog = logging.getLogger("jieba")
    old_level = jlog.level
    jlog.setLevel(logging.WARNING)  # silence the "Building prefix dict" chatter, then restore
    try:
        tok.initialize()
    finally:
        jlog.setLevel(old_level)
    return tok


def segment(text: str) -> list[str]:
    """jieba's dictionary words of ``text`` as written (no normalisation, HMM off), from the shared private tokenizer."""
    return _jieba().lcut(text, HMM=False)


def word_frequency(word: str) -> int:
    """How often jieba's dictionary saw ``word`` (0 when it has no such word): how everyday a word is."""
    return int(_jieba().FREQ.get(word) or 0)


def normalize(text: str) -> str:
    """Fold width, script and case: NFKC, Traditional -> Simplified (OpenCC t2s), casefold."""
    text = unicodedata.normalize("NFKC", _FRACTION.sub(" ", text))
    return to_simplified(text).casefold()


def tokenize(text: str) -> list[str]:
    """Split text into BM25 terms; queries and passages go through the same path.

    Latin words and numbers come out whole (codes, decimals, units, percent). CJK runs go
    through jieba search mode, which adds dictionary sub-words of long words ("人工智能" also
    gives "智能"); HMM is off so unknown names split the same way in question and passage.
    Punctuation and STOPWORDS are dropped.

    Args: text: any mix of Simplified/Traditional Chinese and Latin, full- or half-width.
    Returns: the terms in order, repeats kept.
    Example:
        >>> tokenize("美國對H200出口徵收２５％")
        ['美国', 'h200', '出口', '征收', '25%']
    """
    out: list[str] = []
    parts = _CJK_RUN.split(_THOUSANDS.sub("", normalize(text)))
    for i, part in enumerate(parts):
        if i % 2:  # odd parts are the captured CJK runs
            words = _jieba().cut_for_search(part, HMM=False)
        else:
            words = _LATIN_TOKEN.findall(part)
        out.extend(w for w in words if w not in STOPWORDS)
    return out
