"""Chinese names an English question writes in pinyin: "Chen Zhiming" for 陈志明, "Yunling" for 云岭.

CC-CEDICT gives few people and small places, so such a name met nothing in a Chinese article: "Who is Chen
Zhiming?" was refused and "the Yunling cooperative" drew the sentence about its neighbour 云海. A name is read as
pinyin when every word of it splits into pinyin syllables, and its Chinese form is what some passage writes with
exactly those syllables, found among the passages richest in characters read that way (no scan of every text, any
store). Only what a passage writes counts: a syllable alone names nothing (Chen is a hundred characters).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .text import cedict
from .text.tokens import normalize

if TYPE_CHECKING:
    from .store import StoreView

# a run of capitalised words (Chen Zhiming, Liu'ao, Yunling), a given name's second syllable after a hyphen as
# Taiwan and Hong Kong write it (Chen Chien-hung, Wong Kwok-ho); the question's first word only with one after it
# (not the 's of "Lin Muyang's concert")
_WORD = r"[A-Z][a-z]+(?:'(?!s\b)[a-z]+)?(?:-[a-z]+)?"
_CAPITALISED_RUN = re.compile(rf"\b{_WORD}(?:[ -]{_WORD})*\b")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
NAME_PASSAGES = 20  # passages richest in the name's characters whose text is read for it
MOST_SYLLABLES = 4  # a given name, surname and all, or a place: 陈志明, 欧阳建国


@lru_cache(maxsize=2)
def readings(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A toneless pinyin syllable (ü written u) -> the Simplified characters CC-CEDICT reads so, as one-character
    entries: "chen" -> 陈, 沉, 晨, …"""
    out: dict[str, dict[str, None]] = {}
    for e in cedict.entries(cache_dir):
        if len(e.simplified) == 1 and " " not in e.pinyin.strip():
            out.setdefault(_toneless(e.pinyin), {})[e.simplified] = None
    # not the interjections' m, n, ng, hm: a syllable has a vowel
    return {syllable: tuple(chars) for syllable, chars in out.items()
            if syllable.isalpha() and re.search("[aeiou]", syllable)}


@lru_cache(maxsize=2)
def romanised(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A syllable as English writes Chinese names -> the toneless pinyin syllables it stands for: pinyin itself,
    and Wade-Giles as Taiwan writes it without apostrophes and umlauts (hsin -> xin; chu -> zhu, chu; yu -> yu, you;
    tzu -> zi, ci), and Tongyong Pinyin (``tongyong``: ci -> ci, qi; sin -> xin). Taiwan's firms, people and towns
    are written so (Hsinyu 新宇, Chupei 竹北, Chungli 中壢, Cijin 旗津), and the same reading rules then find what a
    passage writes."""
    from pypinyin.style.wadegiles import to_wade_glides

    out: dict[str, dict[str, None]] = {}
    for syllable in readings(cache_dir):
        out.setdefault(syllable, {})[syllable] = None
        wade = to_wade_glides(syllable).replace("'", "").replace("v", "u").replace("ü", "u")
        if wade.isalpha():
            out.setdefault(wade, {})[syllable] = None
        out.setdefault(tongyong(syllable), {})[syllable] = None
    return {k: tuple(v) for k, v in out.items()}


_TONGYONG_WHOLE = {"zhi": "jhih", "chi": "chih", "shi": "shih", "ri": "rih", "zi": "zih", "ci": "cih", "si": "sih"}


def tongyong(syllable: str) -> str:
    """A toneless pinyin syllable in Tongyong Pinyin, which Taiwan's signs and English press still write for many
    places (Cijin 旗津, Sinyi 信义, Jhongli 中坜): q as c, x as s, zh as jh, ü as yu, -iu as -iou, -ui as -uei, feng as
    fong. A tester's "…how many lifeguards has Kaohsiung's Cijin beach managed to recruit…?" was refused, Cijin read
    as no name the story writes."""
    if syllable in _TONGYONG_WHOLE:
        return _TONGYONG_WHOLE[syllable]
    t = syllable
    if t[:1] in ("j", "q", "x") and t[1:2] == "u":  # ju, que, xun: the u is ü
        t = t[0] + "y" + t[1:]
    if t.startswith("zh"):
        t = "jh" + t[2:]
    elif t[:1] == "q":
        t = "c" + t[1:]
    elif t[:1] == "x":
        t = "s" + t[1:]
    if t.endswith("iu"):
        t = t[:-2] + "iou"
    elif t.endswith("ui"):
        t = t[:-2] + "uei"
    if t in ("beng", "peng", "meng", "feng", "weng"):
        t = t[0] + "ong"
    return "wun" if t == "wen" else t


def _toneless(pinyin: str) -> str:
    return re.sub(r"\d", "", pinyin.lower().replace("u:", "u").replace("ü", "u").replace("v", "u"))


def syllable_splits(word: str, syllables: Container[str]) -> list[list[str]]:
    """Every way a (lower-case) word splits into pinyin ``syllables``, at most MOST_SYLLABLES of them: "zhiming" ->
    [["zhi", "ming"]], "xian" -> [["xian"], ["xi", "an"]]; [] for a word no pinyin writes (Vogavik)."""
    word = word.replace("'", "")
    out: list[list[str]] = []

    def walk(i: int, taken: list[str]) -> None:
        if i == len(word):
            out.append(list(taken))
            return
        if len(taken) == MOST_SYLLABLES:
            return
        for j in range(min(len(word), i + 6), i, -1):
            if word[i:j] in syllables:
                walk(j, [*taken, word[i:j]])

    walk(0, [])
    return out


def _readings_of(name: str, cache_dir: Path) -> list[list[str]]:
    """The (lower-case) ``name`` as the pinyin syllables it may stand for, two or more ([] for no pinyin)."""
    syllables = romanised(cache_dir)
    splits = [syllable_splits(w, syllables) for w in name.split()]
    return ([c for combo in _product(splits) for c in _as_pinyin(sum(combo, []), syllables) if len(c) > 1]
            if all(splits) else [])


def written_in_pinyin_in(texts: Sequence[str], name: str, cache_dir: Path) -> bool:
    """Whether one of ``texts`` writes the (lower-case) ``name`` read as pinyin, any characters that read so: read
    off the texts themselves, so a name jieba keeps whole (城陵矶, whose syllables ``written_in_pinyin`` would look up
    through the keyword terms: too many characters read ji) is found as well."""
    wanted = {tuple(c) for c in _readings_of(name, cache_dir)}
    if not wanted:
        return False
    sounds = char_readings(cache_dir)
    lengths = {len(w) for w in wanted}
    # (by every reading of a character: 都匀 is du yun, which pypinyin reads dou yun)
    for text in texts:
        for run in _HAN_RUN.findall(normalize(text)):
            read = [sounds.get(c, ()) for c in run]
            for n in lengths:
                for i in range(len(run) - n + 1):
                    if any(all(syllable in heard for syllable, heard in zip(w, read[i:i + n])) for w in wanted if len(w) == n):
                        return True
    return False


@lru_cache(maxsize=2)
def char_readings(cache_dir: Path) -> dict[str, frozenset[str]]:
    """A Simplified character -> every toneless pinyin syllable CC-CEDICT reads it as (都: du, dou)."""
    out: dict[str, set[str]] = {}
    for syllable, chars in readings(cache_dir).items():
        for c in chars:
            out.setdefault(c, set()).add(syllable)
    return {c: frozenset(s) for c, s in out.items()}


def reads_as_pinyin(word: str, cache_dir: Path) -> bool:
    """Whether a (lower-case) word is pinyin of two syllables or more, each of two letters or more (badaguan: ba da
    guan), the way a Chinese place or name is written in English; not one English names are made of too (Diana:
    di a na; Wade-Giles's syllables neither: chu, hsin), nor an English word the dictionary translates (leisure: lei
    su re, of a tester's "…director of Hong Kong's Leisure and Cultural Services Department?", refused over 康文署)."""
    from .text.translate import english_to_chinese

    if word in english_to_chinese(cache_dir):
        return False
    pinyin = {syllable for syllable, meant in romanised(cache_dir).items() if syllable in meant}
    splits = syllable_splits(word, pinyin)
    # (not one syllable that splits in two as well: Huang, hu ang, is 黄, which the check for two syllables or more
    # cannot find written)
    # (pinyin writes a syllable opening with a vowel after another with an apostrophe, Xi'an: Gegeen, ge ge en, of
    # "Who did Gegeen appoint as grand chancellor?" is no pinyin)
    return all(len(split) > 1 for split in splits) and any(
        all(len(s) > 1 for s in split) and not any(s[0] in "aeo" for s in split[1:]) for split in splits)


def pinyin_names(question: str, cache_dir: Path,
                 written: Callable[[str], bool] = lambda form: True) -> list[tuple[str, list[list[str]]]]:
    """The runs of capitalised words of an English ``question`` that pinyin (or Wade-Giles: ``romanised``) writes,
    as (the name in lower case, its splits into pinyin syllables). A run whose every word English has (China,
    Long, Sun: ``english_to_chinese`` knows them) or the dictionary places is not read as pinyin. A firm's name
    before the English words that say what it is ("Lianxun Software", "Hsinyu InfoTech") is its romanised words:
    the whole run was skipped for "Software", and "How many employees did Lianxun Software have?" met nothing
    of 联讯软件; such a part is read when it has two syllables or more (a syllable alone names nothing). A
    dictionary place none of whose Chinese forms the library writes (``written``) is read as pinyin too: Pingshan
    is 屏山 and 平山 there, and a Shenzhen story writes 坪山."""
    from .text.translate import english_to_chinese

    syllables = romanised(cache_dir)
    english, places = english_to_chinese(cache_dir), cedict.place_names(cache_dir)
    out = []
    for m in _CAPITALISED_RUN.finditer(question):
        words = [w.lower() for w in re.split(r"[ -]", m.group(0))]
        if m.start() == 0 and len(words) == 1:  # "Who", "How": a question's first word is capitalised anyway
            continue
        splits = [syllable_splits(w, syllables) for w in words]
        for a, b in _romanised_parts(splits):
            # a place the dictionary knows (Chengdu, Yunlin) is read as the rules for places read it: the subject of
            # an article named in its lead, which a keyword of it would only draw nearer (measured: docs/evaluation.md)
            if all(w.replace("'", "") in english or w in places and any(written(f) for f in places[w])
                   for w in words[a:b]):
                continue
            combos = [pinyin for combo in _product(splits[a:b]) for pinyin in _as_pinyin(sum(combo, []), syllables)]
            if (a, b) != (0, len(words)):
                combos = [c for c in combos if len(c) > 1]
            if combos:
                out.append((" ".join(words[a:b]), combos[:16]))
    return out


def _romanised_parts(splits: list[list[list[str]]]) -> list[tuple[int, int]]:
    """The longest runs of words that split into syllables, as (start, end) word positions."""
    parts, start = [], None
    for i, options in enumerate([*splits, []]):
        if options and start is None:
            start = i
        elif not options and start is not None:
            parts.append((start, i))
            start = None
    return parts


def _as_pinyin(split: list[str], syllables: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """A split into romanised syllables as the pinyin splits it stands for (chu pei: zhu bei, zhu pei, …)."""
    out: list[list[str]] = [[]]
    for syllable in split:
        out = [[*o, p] for o in out for p in syllables.get(syllable, (syllable,))][:16]
    return out


def _product(splits: list[list[list[str]]]) -> list[tuple[list[str], ...]]:
    combos: list[tuple[list[str], ...]] = [()]
    for options in splits:
        combos = [(*c, o) for c in combos for o in options][:16]
    return [c for c in combos if sum(len(part) for part in c) <= MOST_SYLLABLES]


def chinese_forms(view: StoreView, splits: list[list[str]], cache_dir: Path) -> list[str]:
    """What the library writes for a name read as the pinyin ``splits`` (``pinyin_names``): the Chinese runs of the
    passages richest in characters read so, folded, whose syllables are those of a split, most passages first."""
    chars = readings(cache_dir)
    terms: dict[str, float] = {}
    for split in splits:
        for syllable in split:
            terms.update((c, 1.0) for c in chars.get(syllable, ()) if view.term_idf(c) > 0)
        for first, second in zip(split, split[1:]):  # jieba may keep a name whole (云岭): its pairs, not its parts
            pairs = [a + b for a in chars.get(first, ()) for b in chars.get(second, ())]
            terms.update((p, 1.0) for p in pairs if view.term_idf(p) > 0)
        # and a whole name of three that jieba keeps whole (周慧敏 is in its dictionary): "According to Zhou Huimin…"
        # met nothing of the article's 苏州市糕点行业协会会长周慧敏说 and was refused for the place Huimin (惠民)
        if len(split) == 3 and _product_size(chars, split) <= MOST_TRIPLES:
            triples = [a + b + c for a in chars.get(split[0], ()) for b in chars.get(split[1], ())
                       for c in chars.get(split[2], ())]
            terms.update((t, 1.0) for t in triples if view.term_idf(t) > 0)
    if not terms:
        return []
    wanted = {tuple(s) for s in splits}
    found: dict[str, int] = {}
    for row in view.keyword_search(terms, NAME_PASSAGES):
        c = view.chunks[row]
        for form in _written(normalize(view.documents[c.doc_id].text[c.start:c.end]), wanted):
            found[form] = found.get(form, 0) + 1
    return sorted(found, key=lambda f: -found[f])


MOST_TRIPLES = 200_000  # three-character names looked up for one split (each syllable has tens of characters)


def _product_size(chars: dict[str, tuple[str, ...]], split: list[str]) -> int:
    size = 1
    for syllable in split:
        size *= len(chars.get(syllable, ()))
    return size


def _written(text: str, wanted: set[tuple[str, ...]]) -> set[str]:
    """The stretches of ``text``'s Chinese runs whose toneless syllables are one of ``wanted``."""
    lengths = {len(w) for w in wanted}
    out = set()
    for run in _HAN_RUN.findall(text):
        read = _syllables_of(run)
        for n in lengths:
            for i in range(len(run) - n + 1):
                if tuple(read[i:i + n]) in wanted:
                    out.add(run[i:i + n])
    return out


@lru_cache(maxsize=8192)
def _syllables_of(run: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(_toneless(s) for s in lazy_pinyin(run))


def written_in_pinyin(view: StoreView, name: str, cache_dir: Path) -> bool:
    """Whether the library writes the (lower-case) ``name`` read as pinyin of two syllables or more: a dictionary
    place (Fengyuan: 丰原, a city in Taiwan) that the articles write otherwise (峰源, a company)."""
    combos = _readings_of(name, cache_dir)
    return bool(combos) and bool(chinese_forms(view, combos, cache_dir))
