"""English question words to Chinese keyword terms with CC-CEDICT, for the keyword channel of English questions."""
from __future__ import annotations

import json
import re
from collections.abc import Container
from functools import lru_cache
from pathlib import Path

from ..files import cache_write
from . import cedict

_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z][a-z'\-]*")
MAX_PHRASE = 3
HEAD = "~"  # key prefix of head-word entries in the reverse table
HEAD_WEIGHT = 0.5  # a head-word translation is less certain than a direct one
STOPWORDS = frozenset(
    "a an the of in on at to for by with from and or as is are was were be been being do does did what which who whom whose "
    "when where why how much many that this these those it its their there than into about over under per not no can could must "
    "would should will shall may might has have had according said say says one ones some any".split()
)


CACHE_VERSION = 3  # bump when _reverse changes what it keeps (2: head-word entries, 3: built from qa.text.cedict)


@lru_cache(maxsize=2)
def english_to_chinese(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """Reverse CC-CEDICT: a short English gloss (1-3 words, lowercase) -> Simplified headwords, most common first.

    Building it takes seconds, most of a CLI question's cold start; the table is kept as JSON in ``cache_dir``
    (~0.3 s to read), keyed by the dictionary file and this builder's version.
    """
    cache = Path(cache_dir) / "cedict" / f"reverse-{cedict.cache_key('reverse', CACHE_VERSION)}.json"
    try:
        return {k: tuple(v) for k, v in json.loads(cache.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        pass
    table = _reverse(cedict.entries(cache_dir))
    data = json.dumps(table, ensure_ascii=False).encode("utf-8")
    cache_write(cache, lambda fh: fh.write(data))
    return table


def _reverse(entries: tuple[cedict.Entry, ...]) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for entry in entries:
        simplified = entry.simplified
        for gloss in entry.glosses:
            if gloss.startswith(("CL:", "variant of", "old variant", "see ", "surname ", "abbr. for")):
                continue
            gloss = _PAREN.sub(" ", gloss).lower().strip()
            gloss = re.sub(r"^(to|a|an|the) ", "", gloss)
            words = _WORD.findall(gloss)
            if 0 < len(words) <= MAX_PHRASE and len(" ".join(words)) >= len(gloss) - 2:
                table.setdefault(" ".join(words), []).append(simplified)
                if len(words) > 1 and words[-1] not in STOPWORDS:
                    # "computer memory" (内存) is also a kind of "memory": kept under HEAD + last word, a
                    # fallback for a question word none of whose own translations occur in the corpus
                    table.setdefault(HEAD + words[-1], []).append(simplified)
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


def _lemmas(word: str) -> list[str]:
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("'s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)] + repl)
    return out


def _units(question: str, vocabulary: Container[str], table: dict[str, tuple[str, ...]]) -> list[tuple[str, tuple[str, ...], list[str]]]:
    """English units of a question (longest dictionary phrases first): (unit, all translations, those in vocabulary)."""
    words = _WORD.findall(question.lower())
    units = []
    i = 0
    while i < len(words):
        best: tuple[int, str, tuple[str, ...]] | None = None
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            span = words[i : i + n]
            if n == 1 and span[0] in STOPWORDS:
                break
            for phrase in (" ".join(span), *(" ".join(span[:-1] + [lemma]) for lemma in _lemmas(span[-1])[1:])):
                entries = table.get(phrase, ())
                if entries and (best is None or any(t in vocabulary for t in entries)):
                    best = (n, phrase, entries)
                    if any(t in vocabulary for t in entries):
                        break
            if best is not None and any(t in vocabulary for t in best[2]):
                break
        if best is None or not any(t in vocabulary for t in best[2]):
            heads = [t for lemma in _lemmas(words[i]) for t in table.get(HEAD + lemma, ()) if t in vocabulary]
            if heads and words[i] not in STOPWORDS:
                units.append((HEAD + words[i], tuple(dict.fromkeys(heads)), list(dict.fromkeys(heads))))
                i += 1
                continue
        if best is None:
            i += 1
            continue
        n, phrase, entries = best
        units.append((phrase, entries, [t for t in entries if t in vocabulary]))
        i += n
    return units


def translate_query(question: str, vocabulary: Container[str], cache_dir: Path) -> dict[str, float]:
    """Chinese terms for the content words of an English question, weighted, restricted to ``vocabulary``.

    Longest dictionary phrases win ("foreign ministry" before "foreign"); each English unit spreads a
    total weight of 1 over those of its translations that occur in the corpus, so a word with ten
    candidate translations counts no more than a word with one.

    >>> translate_query("Who is the spokesperson?", {"发言人", "人"}, Path(".cache"))
    {'发言人': 1.0}
    """
    weights: dict[str, float] = {}
    for unit, _, found in _units(question, vocabulary, english_to_chinese(cache_dir)):
        share = (HEAD_WEIGHT if unit.startswith(HEAD) else 1.0) / max(len(found), 1)
        for term in found:
            weights[term] = weights.get(term, 0.0) + share
    return weights
