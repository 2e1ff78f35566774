"""Reading aid from CC-CEDICT: pinyin and English meanings for Chinese words, Chinese equivalents for English ones.

An English asker who is shown a Chinese passage (or a Chinese asker shown an English one) gets, for each word of
the highlighted sentence, what it means and how it sounds. Offsets are document offsets, as everywhere else.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..records import Gloss
from . import cedict
from .script import convert_script, to_simplified
from .tokens import _jieba
from .translate import HEAD, MAX_PHRASE, OFFENSIVE, STOPWORDS, _lemmas, english_to_chinese

MAX_SENSES = 3  # English senses shown for a Chinese word
MAX_EQUIVALENTS = 3  # Chinese words shown for an English one
RARE_RATIO = 100  # an equivalent this many times rarer than the first one is left out
MAX_WORD = 8  # longest CC-CEDICT headword tried when splitting a word the dictionary lacks
NUMBER_UNITS = "十百千万亿"  # after digits, a unit of the number (4.2万), in Simplified as runs are looked up

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# senses that say nothing to a reader: cross-references, classifiers, surnames
_SKIP_SENSE = re.compile(r"^(?:(?:old |Japanese |unofficial )?variant of|CL:|surname |also (?:pr\.|written)|see )")
_CLASSIFIER = re.compile(r"\s*\(CL:[^)]*\)")
# an English word: letters with inner apostrophes or hyphens, not glued to digits ("H200", "4.8TB/s" are no words)
_EN_WORD = re.compile(r"(?<!\w)[A-Za-z]+(?:['’-][A-Za-z]+)*(?!\w)")
_PRONOUNS_ETC = "i me my you your he him his she her we us our they them also just very but if so then"
_EXTRA_STOPWORDS = frozenset(_PRONOUNS_ETC.split())  # beside translate.STOPWORDS: words not worth a gloss

_TAGGER_LOCK = threading.Lock()


# ---- Chinese text: pinyin and English ------------------------------------------------------------------
def gloss_chinese(text: str, start: int, end: int, cache_dir: Path) -> list[Gloss]:
    """Pinyin and English meanings for the Chinese words of ``text[start:end]``.

    Words come from jieba (the project's dictionary, person names recognised) checked against CC-CEDICT: a
    jieba word the dictionary lacks is joined with its neighbours when together they are a headword
    (英|伟达 -> 英伟达) or else split into the longest headwords it holds (美国政府 -> 美国, 政府). A person's
    name the dictionary lacks (郭嘉昆) keeps its pinyin and gets no meaning. Traditional text is looked up
    through OpenCC t2s, which converts character for character, so offsets hold. Digits, units, punctuation
    and Latin words (H200, Nvidia, 4.8TB/s) get no entry.

    Args:
        text: the whole document text; start, end: the span to gloss, document offsets.
        cache_dir: where the CC-CEDICT cache lives (settings.cache_dir).
    Returns:
        One Gloss per Chinese word, in text order: ``pinyin`` with tone marks, ``english`` the first 1-3
        senses joined with "; " ("" when CC-CEDICT has none), ``chinese`` None. ``text[g.start:g.end]`` is the word.
    Example:
        >>> [(g.pinyin, g.english) for g in gloss_chinese("輝達H200晶片", 0, 8, Path(".cache"))][-1]  # doctest: +SKIP
        ('jīng piàn', '(Tw) (computing) chip; wafer')
    """
    return [Gloss(start + a, start + b, pinyin, english=english)
            for a, b, pinyin, english in _chinese_span(text[start:end], Path(cache_dir))]


@lru_cache(maxsize=2048)
def _chinese_span(span: str, cache_dir: Path) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, pinyin, english) per word, offsets into ``span``; cached: the same sentences are cited again and again."""
    simplified = to_simplified(span)
    if len(simplified) != len(span):  # OpenCC converts character for character; never let offsets drift
        simplified = span
    table = cedict.by_simplified(cache_dir)
    out = []
    for run in _HAN_RUN.finditer(simplified):
        for at, word in _words(run.group(), table, span[:run.start()]):
            a, b = run.start() + at, run.start() + at + len(word)
            pinyin, english = _word_gloss(word, span[a:b], cache_dir)
            out.append((a, b, pinyin, english))
    return tuple(out)


@lru_cache(maxsize=8192)
def _word_gloss(word: str, written: str, cache_dir: Path) -> tuple[str, str]:
    """Pinyin and senses of the Simplified ``word``, as ``written``: a Traditional form picks its own entries
    (後 "after", not 后 "empress": both are 后 in Simplified)."""
    return _pinyin(word), _meaning(word, cedict.by_simplified(cache_dir), written)


def _words(run: str, table: dict[str, tuple[cedict.Entry, ...]], before: str = "") -> list[tuple[int, str]]:
    """(offset in ``run``, word) for a run of Han characters: jieba's words, repaired against CC-CEDICT. A number's
    unit after digits (``before`` the run: 4.2|万名) is a word of its own, not the start of one (万名 "all names")."""
    tagged, at = [], 0
    for pair in _tagger().cut(run):
        tagged.append((at, pair.word, pair.flag))
        at += len(pair.word)
    if tagged and before[-1:].isdigit() and tagged[0][1][0] in NUMBER_UNITS and len(tagged[0][1]) > 1:
        _, word, flag = tagged[0]
        tagged[:1] = [(0, word[0], "m"), (1, word[1:], flag)]
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(tagged):
        if _surname_then_unknown(tagged, i, table):  # 林|沐阳: a person's name jieba cut after the surname
            out.append((tagged[i][0], tagged[i][1] + tagged[i + 1][1]))
            i += 2
            continue
        for n in (3, 2):  # jieba split a headword it does not know (英|伟达): join the pieces back
            parts = [w for _, w, _ in tagged[i : i + n]]
            if len(parts) == n and any(p not in table for p in parts) and "".join(parts) in table:
                out.append((tagged[i][0], "".join(parts)))
                i += n
                break
        else:
            at, word, flag = tagged[i]
            pieces = [(at, word)] if word in table else [(at + k, p) for k, p in _longest_headwords(word, table)]
            if len(pieces) > 1 and flag.startswith("nr") and all(len(p) == 1 for _, p in pieces):
                pieces = [(at, word)]  # a person's name the dictionary lacks: keep it whole (pinyin, no meaning)
            out.extend(pieces)
            i += 1
    return out


def _surname_then_unknown(tagged: list[tuple[int, str, str]], i: int, table: dict[str, tuple[cedict.Entry, ...]]) -> bool:
    """Whether jieba's word ``i`` is one character that CC-CEDICT gives as a surname and the next is one or two
    characters it has no entry for: a given name (林|沐阳, glossed "woods; forest", "to bathe", "sun" before)."""
    if i + 1 >= len(tagged) or len(tagged[i][1]) != 1 or not 1 <= len(tagged[i + 1][1]) <= 2:
        return False
    given = tagged[i + 1][1]
    return (given not in table and any(g.startswith("surname ") for e in table.get(tagged[i][1], ()) for g in e.glosses)
            and all(ch in table for ch in given))


def _longest_headwords(word: str, table: dict[str, Any]) -> list[tuple[int, str]]:
    """Split ``word`` left to right into the longest CC-CEDICT headwords (single characters when none)."""
    out, i = [], 0
    while i < len(word):
        n = next((n for n in range(min(MAX_WORD, len(word) - i), 1, -1) if word[i : i + n] in table), 1)
        out.append((i, word[i : i + n]))
        i += n
    return out


def _meaning(word: str, table: dict[str, tuple[cedict.Entry, ...]], written: str = "") -> str:
    """The first MAX_SENSES useful senses of ``word`` in its reading (pypinyin's), taken from each entry in turn;
    of the entries whose Traditional form is ``written`` when there are such."""
    entries = table.get(word, ())
    if written and written != word:  # written in Traditional characters (万 is also a Traditional headword: 万俟)
        entries = tuple(e for e in entries if e.traditional == written) or entries
    reading = _numbered(word)
    matching = [e for e in entries if _same_reading(_cedict_reading(e.pinyin).split(), reading)] or list(entries)
    senses: list[str] = []
    # the everyday word before the name it also abbreviates: 以 "to use" before [Yi3] "abbr. for Israel" (an entry
    # read with a capital is a proper noun); a word that is only a name keeps its name
    for proper in (False, True):
        per_entry = [[part for g in e.glosses for part in _senses(g)] for e in matching if e.pinyin[:1].isupper() == proper]
        for rank in range(max((len(s) for s in per_entry), default=0)):  # 中: "China" and "within" both come early
            for s in per_entry:
                if rank < len(s) and s[rank] not in senses:
                    senses.append(s[rank])
    return "; ".join(senses[:MAX_SENSES])


def _senses(gloss: str) -> list[str]:
    """The useful senses in one CC-CEDICT gloss ("(of sb) to express; to state" holds two), classifiers dropped."""
    if _SKIP_SENSE.match(gloss):
        return []
    return [s for s in (part.strip() for part in _CLASSIFIER.sub("", gloss).split("; ")) if s]


def _cedict_reading(pinyin: str) -> str:
    return pinyin.lower().replace("u:", "v")


def _same_reading(a: list[str], b: list[str]) -> bool:
    """Numbered readings that agree syllable by syllable, a neutral tone (5) matching any: pypinyin reads 故事
    gu4 shi4, CC-CEDICT writes the "story" sense gu4 shi5 (and gu4 shi4 "old practice").

    >>> _same_reading(["gu4", "shi5"], ["gu4", "shi4"]), _same_reading(["gu4", "shi4"], ["gu3", "shi4"])
    (True, False)
    """
    return len(a) == len(b) and all(x == y or (x[:-1] == y[:-1] and "5" in (x[-1:], y[-1:])) for x, y in zip(a, b))


@lru_cache(maxsize=8192)
def _pinyin(word: str) -> str:
    """Tone-marked pinyin, syllables separated by spaces: 英伟达 -> "yīng wěi dá"."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(word, style=Style.TONE))


def _numbered(word: str) -> list[str]:
    """Numbered pinyin as CC-CEDICT writes it (ü as v, neutral tone 5): 绿 -> ["lv4"]."""
    from pypinyin import Style, lazy_pinyin

    return [s.replace("ü", "v") for s in lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)]


def _tagger() -> Any:
    with _TAGGER_LOCK:
        return _load_tagger()


@lru_cache(maxsize=1)
def _load_tagger() -> Any:
    """jieba's part-of-speech cutter over the project's jieba instance: it keeps unknown names whole (郭嘉昆/nr)."""
    import jieba.posseg

    class NameTagger(jieba.posseg.POSTokenizer):  # type: ignore[misc]
        """Only the dictionary's name tags (nr*, 79k of 349k words) are kept: _words reads no other flag, and the
        cut itself comes from jieba's frequencies and its own HMM, not from the tags. The full table held ~80 MB
        in every process that glosses an answer; this one ~15 MB. Other words read as "x"."""

        def load_word_tag(self, f: Any) -> None:
            tags: dict[str, str] = {}
            self.word_tag_tab = {}
            for line in f:
                parts = line.decode("utf-8").split()
                if len(parts) == 3 and parts[2].startswith("nr"):
                    self.word_tag_tab[parts[0]] = tags.setdefault(parts[2], parts[2])
            f.close()

    tagger = NameTagger(_jieba())
    # importing jieba.posseg built its module default over the whole table (~32 MB); nothing here cuts with that
    # default, so it gets the names-only table and the whole one is freed
    jieba.posseg.dt.word_tag_tab = tagger.word_tag_tab
    return tagger


# ---- English text: Chinese equivalents ---------------------------------------------------------------
def gloss_english(text: str, start: int, end: int, cache_dir: Path, script: str) -> list[Gloss]:
    """Chinese equivalents, with their pinyin, for the English content words of ``text[start:end]``.

    Words and phrases are looked up in the reverse CC-CEDICT table the keyword channel uses
    (``qa.text.translate``): longest phrase first ("United States"), the last word also lemmatised
    ("exports" -> "export"). A word's candidates are ranked by how common the Chinese word is (jieba's
    dictionary frequency), multi-character words before single characters. A capitalised word inside a
    sentence is taken for a name: only proper-noun equivalents whose English writes it the same way count
    (China -> 中国; Trump gets none rather than 王牌, Ana none rather than ANA's 全日空). Function words, numbers and codes get no entry.

    Args:
        text: the whole document text; start, end: the span to gloss, document offsets.
        cache_dir: where the CC-CEDICT caches live (settings.cache_dir).
        script: the asker's script, "simplified" or "traditional": the Chinese words are written in it.
    Returns:
        One Gloss per glossed word or phrase, in text order: ``chinese`` up to MAX_EQUIVALENTS Chinese words
        joined with "; ", ``pinyin`` theirs in the same order, ``english`` None.
    Example:
        >>> [(g.chinese, g.pinyin) for g in gloss_english("Export surcharge", 0, 16, Path(".cache"), "traditional")][1]  # doctest: +SKIP
        ('附加費', 'fù jiā fèi')
    """
    table = english_to_chinese(Path(cache_dir))
    entries = cedict.by_simplified(Path(cache_dir))
    words = [(m.start(), m.end(), m.group().replace("’", "'")) for m in _EN_WORD.finditer(text, start, end)]
    out = []
    i = 0
    while i < len(words):
        found = _equivalents(words, i, text, start, table, entries)
        if found is not None and found[0] == 1 and _inside_a_name(words, i, text, start):
            found = None
        if found is None:
            i += 1
            continue
        n, chinese = found
        out.append(Gloss(words[i][0], words[i + n - 1][1], pinyin="; ".join(_pinyin(c) for c in chinese),
                         chinese="; ".join(convert_script(c, script) for c in chinese)))
        i += n
    return out


def _equivalents(words: list[tuple[int, int, str]], i: int, text: str, start: int,
                 table: dict[str, tuple[str, ...]], entries: dict[str, tuple[cedict.Entry, ...]]) -> tuple[int, list[str]] | None:
    """(words used, ranked Chinese equivalents) for the longest phrase starting at word ``i``, or None."""
    name = _looks_like_name(words[i], text, start)
    for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
        span = words[i : i + n]
        if any(text[a[1] : b[0]] != " " for a, b in pairwise(span)):
            continue  # a phrase is words separated by single spaces, within one clause
        lowered = [w.lower() for _, _, w in span]
        if n == 1 and (len(lowered[0]) < 2 or lowered[0] in STOPWORDS or lowered[0] in _EXTRA_STOPWORDS):
            return None
        keys = [" ".join(lowered[:-1] + [lemma]) for lemma in _lemmas(lowered[-1])]
        candidates = [c for key in keys for c in table.get(key, ())]
        if not candidates and n == 1:  # "lawmaker": no entry of its own, the head of others ("~lawmaker")
            candidates = [c for key in keys for c in table.get(HEAD + key, ())]
        if name:  # a proper noun whose English is written as here: the goalkeeper Ana is not ANA (全日空)
            as_written = [w for _, _, w in span]
            forms = {" ".join(as_written[:-1] + [as_written[-1][0] + lemma[1:]]) for lemma in _lemmas(lowered[-1])}
            written = re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, forms | {" ".join(as_written)})) + r")(?![A-Za-z])")
            candidates = [c for c in candidates if any(e.pinyin[:1].isupper() and any(written.search(g) for g in e.glosses)
                                                       for e in entries.get(c, ()))]
        if n == 1 and not span[0][2].isupper():  # "led" is no LED: 发光二极管 "light-emitting diode (LED)"
            candidates = [c for c in candidates if not _acronym_only(c, keys, entries)]
        # never a word one of whose senses CC-CEDICT marks derogatory, vulgar or offensive (土共)
        candidates = [c for c in candidates if not any(OFFENSIVE.search(g) for e in entries.get(c, ()) for g in e.glosses)]
        if n == 1 and lowered[0] in NUMBER_WORDS:
            candidates = list(NUMBER_WORDS[lowered[0]])
        ranks = {c: _sense_rank(c, keys, entries) for c in candidates}
        if n == 1 and candidates and min(ranks.values()) >= MARKED:  # dollar: only 刀, "(slang) dollar (loanword)"
            heads = [c for key in keys for c in table.get(HEAD + key, ())]  # US dollar, Hong Kong dollar, …
            # and none when there are none: "UK" is 腐国 only as "(slang term reflecting a perception of UK as decadent…)"
            candidates, ranks = heads, {c: _sense_rank(c, keys, entries, head=True) for c in heads}
        if candidates:
            return n, _ranked(candidates, ranks)[:MAX_EQUIVALENTS]
    return None


# CC-CEDICT reads "billion" only as 兆 "(old) billion" (a trillion today, a million in units): a thousand-fold
# error in a reading aid for figures. The large numbers as Chinese news writes them.
NUMBER_WORDS = {"million": ("百万",), "billion": ("十亿",), "trillion": ("万亿",)}
MARKED = 100  # added to the rank of a sense marked old, slang, literary, dialect…: shown after every plain one
_MARK = re.compile(r"^\(([^)]*)\)\s*")
_NOTE = re.compile(r"\s*\(([^)]*)\)")
_MARKED_AS = re.compile(r"\b(?:old|archaic|obsolete|slang|literary|dialect|Cantonese|Taiwanese|Hokkien|vulgar|"
                        r"derog\w*|loanword|euphemism|onom|abbr|Buddhism|Taoism|classical)\b", re.I)


def _sense_rank(word: str, keys: list[str], entries: dict[str, tuple[cedict.Entry, ...]], head: bool = False) -> int:
    """0 when one of ``word``'s senses that says the English (one of ``keys``, "to " aside) is plain, ``MARKED``
    when each is marked old, slang, dialect… (刀 "(slang) dollar (loanword)", 兆 "(old) billion"), 1 when none is
    found as it stands. ``head``: the English may be the sense's last word (美元 "US dollar" for "dollar")."""
    best = 1
    for e in entries.get(word, ()):
        for gloss in e.glosses:
            for sense in _senses(gloss) or [gloss]:
                marks, core = "", sense
                while m := _MARK.match(core):
                    marks, core = marks + m.group(1) + " ", core[m.end():]
                marks += " ".join(_NOTE.findall(core))  # "(slang) dollar (loanword)": a note after the word too
                core = _NOTE.sub("", core).strip().lower().removeprefix("to ")
                if core in keys or (head and any(core.endswith(" " + k) for k in keys)):
                    if not _MARKED_AS.search(marks):
                        return 0
                    best = MARKED
    return best


def _acronym_only(word: str, keys: list[str], entries: dict[str, tuple[cedict.Entry, ...]]) -> bool:
    """Whether ``word`` gives the English (one of ``keys``) only as an acronym in capitals: 发光二极管 "light-emitting
    diode (LED)" for "led", 首席执行官 "(CEO)" for "ceo"; an entry that also writes it in lower case ("to lead") is
    kept, and so is a name (英伟达 "NVIDIA, computer graphics card company": a capitalised reading, for Nvidia). A
    word the text writes in capitals (LED) keeps them all."""
    capitals = [re.compile(rf"(?<![A-Za-z]){re.escape(k.upper())}(?![A-Za-z])") for k in keys if len(k) > 1]
    acronym = False
    for e in entries.get(word, ()):
        if e.pinyin[:1].isupper():
            return False
        for gloss in e.glosses:
            for sense in _senses(gloss) or [gloss]:
                core = _NOTE.sub("", _MARK.sub("", sense)).strip().removeprefix("to ")
                if core.lower() in keys and not core.isupper():
                    return False
                acronym = acronym or any(c.search(sense) for c in capitals)
    return acronym


def _inside_a_name(words: list[tuple[int, int, str]], i: int, text: str, start: int) -> bool:
    """Whether word ``i`` is capitalised inside a sentence beside another capitalised word: a part of a longer name
    ("Bruny Sound Spirits", "Pacific Harvest Foods") that the dictionary has no phrase for, which means nothing
    alone (Sound is no strait, 厄勒海峡; Pacific no airline, 国泰)."""
    if not _looks_like_name(words[i], text, start):
        return False
    beside = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
    return any(w[2][:1].isupper() and text[min(w[1], words[i][1]):max(w[0], words[i][0])] == " " for w in beside)


def _looks_like_name(word: tuple[int, int, str], text: str, start: int) -> bool:
    """Capitalised and not the first word of a sentence."""
    if not word[2][:1].isupper():
        return False
    before = text[start : word[0]].rstrip(" \t\n\"'“‘(")
    return bool(before) and before[-1] not in ".!?:;"


def _ranked(candidates: list[str], ranks: dict[str, int] | None = None) -> list[str]:
    """Words whose sense is plain before those where it is marked (``ranks``: old, slang…), then multi-character
    words first, then the more common (jieba's frequency); rare ones (美国 vs 米国) dropped."""
    freq = _jieba().FREQ
    ranks = ranks or {}
    ranked = sorted(dict.fromkeys(candidates), key=lambda c: (ranks.get(c, 0) >= MARKED, len(c) == 1, -freq.get(c, 0)))
    floor = freq.get(ranked[0], 0) / RARE_RATIO
    return ranked[:1] + [c for c in ranked[1:] if freq.get(c, 0) >= floor]
