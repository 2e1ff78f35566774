"""Chinese names as Hong Kong writes them in Latin letters: 黃國豪 is Wong Kwok-ho, 南昌 Nam Cheong, 荃灣 Tsuen Wan.

Hong Kong's people, streets and stations are written in the Government's Cantonese romanisation, which neither
CC-CEDICT (南昌 is Nanchang, the city in Jiangxi) nor pinyin gives: "法官黃國豪判刑時怎麼形容…的行為？" over an English
report naming "Judge Wong Kwok-ho" met the report's lead first, and "从屯门南到南昌需要多长时间？" a Yuen Long row of
the journey-time table. Each character's readings come from the `cantonese-romanisation` package (the Government
scheme, as HKID cards and street signs write it); a name counts only where a passage writes its syllables in a row,
capitalised, so a reading that is also an English word (Ho, Man, Tin) reaches nothing by itself.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .text.cantonese import romanisations

if TYPE_CHECKING:
    from .store import StoreView

_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
SHORTEST, LONGEST = 2, 4  # characters of a name: 南昌, 黃國豪, 歐陽志明; one character reads as too many words
NAME_PASSAGES = 20  # passages richest in a reading's syllables whose text is read for it (as qa.pinyin_names)


def written_names(view: StoreView, question: str) -> list[str]:
    """The names, in Latin letters and lower case ("wong kwok ho"), that the store's passages write for a stretch
    of 2-4 characters of the Chinese ``question`` read in Cantonese: its syllables in a row, the first capitalised
    and each next one capitalised or after a hyphen (Kwok-ho). None inside a longer stretch found."""
    vocabulary = view.vocabulary
    found: list[tuple[int, int]] = []
    names: list[str] = []
    for run in _HAN_RUN.finditer(question):
        text = run.group()
        for n in range(min(LONGEST, len(text)), SHORTEST - 1, -1):
            for i in range(len(text) - n + 1):
                a, b = run.start() + i, run.start() + i + n
                if any(a2 <= a and b <= b2 for a2, b2 in found):
                    continue
                for syllables in romanisations(text[i:i + n], vocabulary):
                    if _written(view, syllables):
                        found.append((a, b))
                        names.append(" ".join(syllables))
                        break
    return list(dict.fromkeys(names))


def _written(view: StoreView, syllables: tuple[str, ...]) -> bool:
    pattern = re.compile(r"\b" + r"[ -]".join(f"(?i:{s[0]}){s[1:]}" for s in syllables) + r"\b")
    for row in view.keyword_search({s: 1.0 for s in syllables}, NAME_PASSAGES):
        c = view.chunks[row]
        if _capitalised(pattern, view.documents[c.doc_id].text[c.start:c.end]):
            return True
    return False


def _capitalised(pattern: re.Pattern[str], text: str) -> bool:
    """Whether some match writes its first syllable capitalised and each next one capitalised or after a hyphen."""
    for m in pattern.finditer(text):
        words = re.split(r"([ -])", m.group())
        if words[0][:1].isupper() and all(w[:1].isupper() or sep == "-" for sep, w in zip(words[1::2], words[2::2])):
            return True
    return False
