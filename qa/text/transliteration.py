"""Whether a Chinese transliteration (卡尔德布鲁克) and a name in Latin letters (Calderbrook) sound alike.

A Chinese question about an English article writes its names in characters chosen for their sound, and CC-CEDICT
knows few of them: "卡尔德布鲁克的患者调查中，对药房问诊满意的比例是多少？" was refused because 布鲁克 (the dictionary's
"Brook") is written nowhere, though the article it asks about writes Calderbrook in every paragraph. Both sides are
reduced to a skeleton of consonant classes (pinyin by pypinyin; English spelling by a few rules), and two names match
when their skeletons differ by at most one class in four. Only the names a passage writes are compared: nothing
here reaches for a dictionary of foreign names.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .cantonese import is_cantonese_name
from .tokens import segment, word_frequency
from .translate import STOPWORDS

# pinyin initials, longest first, and the class each stands for (the sounds transliteration lets stand for each other:
# f, v and w are one, 费尔德霍芬 for Veldhoven, 维克多 for Victor)
_INITIALS = (("zh", "S"), ("ch", "S"), ("sh", "S"), ("b", "P"), ("p", "P"), ("m", "M"), ("f", "F"), ("d", "T"),
             ("t", "T"), ("n", "N"), ("l", "L"), ("r", "L"), ("g", "K"), ("k", "K"), ("h", "H"), ("j", "S"),
             ("q", "S"), ("x", "S"), ("z", "S"), ("c", "S"), ("s", "S"), ("y", ""), ("w", "F"))
_ENGLISH = (("ng", "N"), ("ph", "F"), ("th", "T"), ("sh", "S"), ("ch", "S"), ("ck", "K"), ("gh", ""), ("qu", "K"), ("wh", "F"),
            ("kn", "N"), ("x", "KS"), ("b", "P"), ("p", "P"), ("m", "M"), ("f", "F"), ("v", "F"), ("d", "T"),
            ("t", "T"), ("n", "N"), ("l", "L"), ("r", "L"), ("g", "K"), ("k", "K"), ("q", "K"), ("h", "H"), ("j", "S"),
            ("s", "S"), ("z", "S"), ("w", "F"))
_VOWELS = set("aeiouy")
# (accented letters too: Treptow-Köpenick, 特雷普托-克珀尼克)
_LATIN_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[ -]?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)*")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
# characters of grammar and time that no transliteration is written with (多, 亚, 尔 are: 多伦多)
_GRAMMAR = re.compile(r"[这那哪谁么吗呢吧了的是在有被把将与及或对从到给让为于就都也还又再很最更已曾才刚今去昨年月日次个些每各该此其]")
MIN_CHARACTERS = 3  # a shorter span sounds like too many names
MIN_CLASSES = 3  # nor is a skeleton of fewer consonant classes a name's
EXTRA_CHARACTERS = 6  # how far around a name the question's characters are read as part of it


@lru_cache(maxsize=8192)
def pinyin_skeleton(chinese: str) -> str:
    """Consonant classes of a transliteration: 卡尔德布鲁克 (ka er de bu lu ke) -> KLTPLK.

    >>> pinyin_skeleton("卡尔德布鲁克")
    'KLTPLK'
    """
    from pypinyin import lazy_pinyin

    return _collapse("".join(pinyin_skeleton_of(syllable) for syllable in lazy_pinyin(chinese)))


def pinyin_skeleton_of(syllable: str) -> str:
    """One toneless pinyin syllable's classes: its initial's, and N for a final in -n or -ng (tong -> TN)."""
    if syllable == "er":
        return "L"
    if syllable.startswith("hu") and len(syllable) > 2:
        return "F" + ("N" if syllable.endswith(("n", "ng")) else "")  # 怀 huai, 惠 hui: Wh-, W-
    out = ""
    for initial, cls in _INITIALS:
        if syllable.startswith(initial):
            out, syllable = cls, syllable[len(initial):]
            break
    return out + "N" if syllable.endswith(("n", "ng")) else out


def english_skeleton(name: str) -> str:
    """Consonant classes of a name in Latin letters, as spelled: Calderbrook -> KLTLPLK.

    >>> english_skeleton("Calderbrook"), english_skeleton("Whitestone")
    ('KLTLPLK', 'FTSTN')
    """
    return _collapse("".join(_word_skeleton(word) for word in re.findall(r"[a-z]+", name.lower())))


# How transliteration hears a spelling, each rule optional (a name matches when some choice of them does): an r
# after a vowel and before none is not heard (Bangor 班戈, Calder- 卡尔德, Leicester 莱斯特); -land(s) ends in 兰
# (Midlands 密德兰, Holland 荷兰); an ng before a vowel, an l or an r is two sounds (Bangor: ban-gor, 班戈; Kelvingrove:
# kelvin-grove, 凯文格罗夫).
_HEARD = ((re.compile(r"(?<=[aeiouy])r+(?![aeiouy])"), ""), (re.compile(r"(?<=n)ds?$"), ""),
          (re.compile(r"ng(?=[aeioulr])"), "n|g"))


@lru_cache(maxsize=8192)
def english_skeletons(name: str) -> frozenset[str]:
    """``english_skeleton`` of the name as spelled and as each choice of the ``_HEARD`` rules spells it.

    >>> sorted(english_skeletons("Bangor"))
    ['PN', 'PNK', 'PNKL', 'PNL']
    """
    spellings = {name.lower()}
    for pattern, heard in _HEARD:
        spellings |= {" ".join(pattern.sub(heard, w) for w in s.split()) for s in spellings}
    return frozenset(english_skeleton(s) for s in spellings)


def _word_skeleton(word: str) -> str:
    out, i = [], 0
    while i < len(word):
        if word[i] == "c" and word[i + 1:i + 2] not in ("h", "k"):
            out.append("S" if word[i + 1:i + 2] in ("e", "i", "y") else "K")
            i += 1
            continue
        for spelling, cls in _ENGLISH:
            if word.startswith(spelling, i):
                out.append(cls)
                i += len(spelling)
                break
        else:
            i += 1  # a vowel
    return "".join(out)


def _collapse(skeleton: str) -> str:
    return re.sub(r"(.)\1+", r"\1", skeleton)


def sounds_alike(chinese: str, latin: str) -> bool:
    """Whether a transliteration and a Latin name have skeletons of three classes or more, at most one in four apart
    (none apart for a transliteration of two characters, which sounds like too many names otherwise).

    >>> sounds_alike("卡尔德布鲁克", "Calderbrook"), sounds_alike("怀特斯通", "Whitestone"), sounds_alike("布鲁克", "Calder")
    (True, True, False)
    >>> sounds_alike("班戈", "Bangor"), sounds_alike("密德兰", "Midlands"), sounds_alike("班戈", "Banbury")
    (True, True, False)
    """
    a = pinyin_skeleton(chinese)
    allowed = 0 if len(chinese) < MIN_CHARACTERS else None
    # (shorter skeletons match by chance: 比亚迪's PT is one edit from "The")
    return len(a) >= MIN_CLASSES and any(
        len(b) >= MIN_CLASSES and _distance(a, b) <= (max(len(a), len(b)) // 4 if allowed is None else allowed)
        for b in english_skeletons(latin))


@lru_cache(maxsize=4096)
def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


# a name's first word that transliteration translates instead (東密德蘭: East Midlands; 新泽西: New Jersey)
_TRANSLATED_FIRST = {"东": "east", "西": "west", "南": "south", "北": "north", "新": "new", "圣": "saint"}


def transliterates_written_name(question: str, name: str, texts: Iterable[str],
                                others: Sequence[tuple[int, int]] = (), alone: bool = True) -> bool:
    """Whether ``name`` (a word of the Chinese ``question``), with the characters around it, sounds like a name in
    Latin letters that one of ``texts`` writes: 布鲁克 of 卡尔德布鲁克 over a paragraph writing Calderbrook, 东密 of
    东密德兰 over one writing "the East Midlands Chamber". ``others``: spans of the question that are names of their
    own, which no transliteration around ``name`` reaches into (新加坡 of 新加坡莱佛士酒店: 坡莱佛士 sounded like "Palms").
    ``alone``: whether ``name`` by itself may be the transliteration; not for a place the dictionary names, whose own
    Latin name is what an article writes (多伦多, "Toronto", sounded like Tran and Laurent), only as part of a longer
    one (里斯本, Lisbon, of 布里斯本, Taiwan's Brisbane)."""
    at = question.find(name)
    if at < 0:
        return False
    run = next((m for m in _HAN_RUN.finditer(question) if m.start() <= at < m.end()), None)
    if run is None:
        return False
    latin = _written_names(texts)
    if not latin:
        return False
    end = at + len(name)
    # (not across a word transliteration never writes with: 广州这次有多… sounded like "Council", and a tester's question
    # on Guangzhou's flooded garages was answered over Houston's)
    start = max(run.start(), at - EXTRA_CHARACTERS, *(m.end() for m in _GRAMMAR.finditer(question, 0, at)))
    stop = min(run.end(), end + EXTRA_CHARACTERS, *(m.start() for m in _GRAMMAR.finditer(question, end)))
    spans = {question[i:j] for i in range(start, at + 1) for j in range(end, max(stop, end) + 1)
             if j - i >= 2 and (alone or j - i > len(name))
             and not any(a < j and i < b and not (a <= at and end <= b) for a, b in others)}
    # (a place the dictionary names is heard alone when it sounds exactly like a name written: 班戈, which CC-CEDICT
    # gives as Tibet's Baingoin, of "SkyNorth航班在班戈冲出跑道时…" over a story on Bangor)
    exact = not alone and len(skeleton := pinyin_skeleton(name)) >= MIN_CLASSES \
        and any(skeleton in english_skeletons(written) for written in latin)
    return exact or any(sounds_alike(span, written) or _translated_first(span, written)
                        for span in spans for written in latin)


RARE_WORD = 150  # a word jieba's dictionary has seen less often may be part of a transliteration (heard_names)
HEARD_CLASSES = 4  # the fewest consonant classes of a name heard in a whole question (heard_names)
MAX_CHARACTERS = 8  # the longest run of a question's characters read as one transliteration (heard_names)


def heard_names(question: str, texts: Iterable[str]) -> set[str]:
    """The names in Latin letters ``texts`` write that a run of the Chinese ``question``'s words sounds exactly like
    (the same skeleton, ``pinyin_skeleton`` and ``english_skeletons``): Bedminster
    of 布里斯托的贝德明斯特区今冬要修剪多少棵树？, Westland of …新西兰保护部韦斯特兰地区…. A run is of whole words (jieba's),
    each a single character or a rare word (``RARE_WORD``), not across grammar: an everyday word is no
    transliteration's (熔岩 and 覆盖 had sounded like Olafsson, 西兰 of 新西兰 like Zealand).

    >>> sorted(heard_names("穆伊森贝格海滩清出了几吨垃圾？", ["Volunteers at Muizenberg beach in Cape Town"]))
    ['Muizenberg']
    """
    # (of four consonant classes or more: a shorter name is heard in ordinary words, Caron in 美国联邦航空总署的发言人)
    latin = {name for name in _written_names(texts) if max(map(len, english_skeletons(name))) >= HEARD_CLASSES}
    if not latin:
        return set()
    runs: list[list[str]] = [[]]
    for word in segment(question):
        if (_HAN_RUN.fullmatch(word) and not _GRAMMAR.search(word)
                and (len(word) == 1 or word_frequency(word) < RARE_WORD)):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    spans = {"".join(run[i:j]) for run in runs for i in range(len(run)) for j in range(i + 1, len(run) + 1)}
    spans = {span for span in spans if MIN_CHARACTERS <= len(span) <= MAX_CHARACTERS}
    # (exactly: a class apart, as sounds_alike allows, many names are heard in any question)
    skeletons = {pinyin_skeleton(span) for span in spans}
    heard = {name for name in latin if skeletons & english_skeletons(name)}
    # (a name, not a word of a longer one heard: New Zealand, not Zealand)
    return {name for name in heard if not any(name != other and name in other.split() for other in heard)}


def _written_names(texts: Iterable[str]) -> set[str]:
    """The names ``texts`` write in Latin letters, as written and each run of up to three of their words
    (卡尔德布鲁克 is Calderbrook of "Calderbrook Healthwatch")."""
    latin = set()
    for text in texts:
        for m in _LATIN_NAME.finditer(text):
            words = re.split(r"[ -]", m.group())
            latin |= {" ".join(words[a:b]) for a in range(len(words)) for b in range(a + 1, min(len(words), a + 3) + 1)}
    # a sentence's first word is capitalised too ("The"); a Hong Kong name is its characters' Cantonese, no foreign
    # name's sound (台积电, tai ji dian, sounded like Tsuen and Tai Sin, and was known over a Hong Kong library)
    return {n for n in latin if n.lower() not in STOPWORDS and not is_cantonese_name(n)}


def _translated_first(span: str, latin: str) -> bool:
    first, _, rest = latin.partition(" ")
    return (_TRANSLATED_FIRST.get(span[:1]) == first.lower() and len(span) > 2 and bool(rest)
            and sounds_alike(span[1:], rest))
