"""Chinese characters read in the Hong Kong Government's Cantonese romanisation, the scheme of HKID cards, street
signs and station names (黃國豪: Wong Kwok-ho, 南昌: Nam Cheong, 荃灣: Tsuen Wan), from the `cantonese-romanisation`
package's tables (each character's readings). Pure text: what a store writes is read in qa.cantonese_names.
"""
from __future__ import annotations

import json
import pkgutil
import re
from collections.abc import Container
from functools import lru_cache
from itertools import product

from .script import to_traditional

MOST_READINGS = 8  # readings of one stretch of characters tried (a character has up to five)


@lru_cache(maxsize=1)
def _readings() -> dict[str, tuple[str, ...]]:
    """A Traditional character -> its syllables in the Government romanisation (國: gwok, kwok)."""
    data = pkgutil.get_data("cantoroman", "data/charToRoman.json")
    if data is None:  # pragma: no cover - the package is a pinned dependency
        return {}
    return {c: tuple(dict.fromkeys(r.lower() for r in rs)) for c, rs in json.loads(data.decode("utf-8")).items()}


def spellings(syllable: str) -> tuple[str, ...]:
    """A syllable as the package writes it and as Hong Kong's names also spell it: an initial ch or j as ts (荃
    chuen: Tsuen Wan; 咀 jui: Tsim Sha Tsui), oo as u (門 moon: Tuen Mun).

    >>> spellings("chuen"), spellings("moon"), spellings("wong")
    (('chuen', 'tsuen'), ('moon', 'mun'), ('wong',))
    """
    out = [syllable]
    for initial in ("ch", "j"):
        if syllable.startswith(initial) and len(syllable) > len(initial) + 1:
            out.append("ts" + syllable[len(initial):])
    out += [s.replace("oo", "u") for s in list(out) if "oo" in s]
    return tuple(dict.fromkeys(out))


def romanisations(chinese: str, vocabulary: Container[str]) -> list[tuple[str, ...]]:
    """The ways Hong Kong may write ``chinese`` (any script) in Latin letters, as syllables each of which is in
    ``vocabulary`` (a store's keyword terms); [] when some character has no such reading."""
    readings = _readings()
    options = []
    for char, traditional in zip(chinese, to_traditional(chinese)):
        found = [s for c in dict.fromkeys((char, traditional)) for r in readings.get(c, ()) for s in spellings(r)
                 if s in vocabulary]
        if not found:
            return []
        options.append(list(dict.fromkeys(found)))
    return list(product(*options))[:MOST_READINGS]


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every syllable of the scheme, as the package writes it and as Hong Kong also spells it (``spellings``)."""
    return frozenset(s for rs in _readings().values() for r in rs for s in spellings(r))


def is_cantonese_name(latin: str) -> bool:
    """Whether every word of a name in Latin letters is a syllable of the scheme (Tsuen Wan, Wong Kwok-ho, Tai Sin):
    a Hong Kong name, read by its characters' Cantonese, not a foreign name transliterated.

    >>> is_cantonese_name("Tai Sin"), is_cantonese_name("Wong Kwok-ho"), is_cantonese_name("Bangor")
    (True, True, False)
    """
    words = [w.lower() for w in re.split(r"[ -]", latin) if w]
    return bool(words) and all(w in syllables() for w in words)
