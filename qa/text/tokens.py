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

from .script import to_mainland_words, to_simplified, to_taiwan

# Bump whenever tokenize() output changes: a saved index built with other tokens would
# silently mismatch queries, so load() refuses it instead.
TOKENIZER_VERSION = "2"  # 2: a Taiwan word also gives the mainland's (mainland_word)

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

    A text with Taiwan's words also gives, after its own terms, those words as the mainland writes them (計程車 also
    as 出租车, 軟體 as 软件, 晶片 as 芯片, in either script): a Simplified question about a Taiwan article ("台湾那款出租车
    打车软件…") matched 计程车 and 软体 nowhere, and a Taiwan question asking 印表機 missed a mainland article's 打印机.
    Both forms, not one: the phrase table rewrites some meanings (啟用 → 激活), and the Taiwan form still meets a text
    that writes the word so (a Simplified article writes 晶片 too).

    Args: text: any mix of Simplified/Traditional Chinese and Latin, full- or half-width.
    Returns: the terms in order, repeats kept.
    Example:
        >>> tokenize("美國對H200出口徵收２５％")
        ['美国', 'h200', '出口', '征收', '25%']
        >>> tokenize("計程車軟體")
        ['计程', '计程车', '软体', '出租', '租车', '出租车', '软件']
    """
    out = _terms(normalize(text))
    seen = set(out)
    for term in list(out):
        if (mainland := mainland_word(term)) != term:
            for t in _terms(mainland):
                if t not in seen:
                    seen.add(t)
                    out.append(t)
    return out


@lru_cache(maxsize=200_000)
def mainland_word(term: str) -> str:
    """How the mainland writes a (folded) term when it is a Taiwan word (软体 → 软件, 晶片 → 芯片, 计程车 → 出租车), else
    the term. Word by word: the phrase table run over a whole text also re-cut words it did not change (技術路線上 gave
    a lone 路, and "What is the theme of Robert Frost's poem 'The Road Not Taken'?" shared a word with the seed
    articles). The table reads Taiwan's words in their own characters (計程車, not 计程车), so the term goes there first.
    A word the mainland writes often itself keeps its sense (核心 is no 内核, 资料 no 数据, 影片 no 视频): jieba's
    dictionary, counted over mainland text, says how often."""
    if not _CJK_RUN.fullmatch(term) or word_frequency(term) >= MAINLAND_COMMON:
        return term
    return to_mainland_words(to_taiwan(term))


MAINLAND_COMMON = 1000  # jieba's count of a word above which the mainland writes it in its own sense (品质 1562, 资讯 561)


def _terms(folded: str) -> list[str]:
    out: list[str] = []
    parts = _CJK_RUN.split(_THOUSANDS.sub("", folded))
    for i, part in enumerate(parts):
        if i % 2:  # odd parts are the captured CJK runs
            words = _jieba().cut_for_search(part, HMM=False)
        else:
            words = _LATIN_TOKEN.findall(part)
        out.extend(w for w in words if w not in STOPWORDS)
    return out
