"""Questions across languages with CC-CEDICT: English words to Chinese keyword terms and back, and a word-by-word
dictionary translation of a whole question (what the question's vector for passages in the other language mixes in)."""
from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence
from functools import lru_cache
from pathlib import Path

from ..files import cache_write
from . import cedict
from .numerals import digit_years
from .script import to_simplified
from .tokens import STOPWORDS as CHINESE_STOPWORDS

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


CACHE_VERSION = 12  # bump when _reverse changes what it keeps (2: head-word entries, 3: from qa.text.cedict, 4: "; " splits,
#                    6: names before their description, 7: a phrasal verb's head is its verb, 8, 9: the noun before "of",
#                    10: acronyms in brackets of every entry, 11: a company's name without Company/Group, 12: an
#                    acronym only of its words' initials, no offensive sense)
_PARTICLES = frozenset("up down out off on in over away back along around through".split())


@lru_cache(maxsize=2)
def english_to_chinese(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """Reverse CC-CEDICT: a short English gloss (1-3 words, lowercase) -> Simplified headwords, most common first.

    Building it takes seconds, most of a CLI question's cold start; the table is kept as JSON in ``cache_dir``
    (~0.3 s to read), keyed by the dictionary file and this builder's version.
    """
    cache = Path(cache_dir) / "cedict" / f"reverse-{cedict.cache_key('reverse', CACHE_VERSION)}.tsv"
    try:  # a line per gloss, read line by line (as qa.text.cedict's cache, and for the same reason: memory)
        table: dict[str, tuple[str, ...]] = {}
        with open(cache, encoding="utf-8") as fh:
            for line in fh:
                english, chinese = line.rstrip("\n").split("\t")
                table[english] = tuple(chinese.split(cedict.SEP))
        return table
    except (OSError, ValueError):
        pass
    table = _reverse(cedict.entries(cache_dir))
    data = "".join(f"{k}\t{cedict.SEP.join(v)}\n" for k, v in table.items()).encode("utf-8")
    cache_write(cache, lambda fh: fh.write(data))
    return table


def _reverse(entries: tuple[cedict.Entry, ...]) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for entry in entries:
        simplified = entry.simplified
        name = entry.pinyin[:1].isupper()
        # one sense may list synonyms ("company; firm; corporation"): each is a gloss of its own
        for gloss in (g for sense in entry.glosses for g in sense.split(";")):
            gloss = gloss.strip()
            if (gloss.startswith(("CL:", "variant of", "old variant", "see ", "surname ", "abbr. for"))
                    or OFFENSIVE.search(gloss) or CROSS_REFERENCE.match(gloss)):
                continue
            # an acronym in brackets is what an English question writes: "Taiwan Semiconductor Manufacturing
            # Company (TSMC)", and not only for names: "chief executive officer (CEO)" (首席执行官), "gross domestic
            # product (GDP)" (kept after direct glosses)
            # Not a label: "pro-Beijing camp (HK)" made "HK" a name of 土共 (a slur, shown in a reading aid over
            # "HK$20 million"), "AAA battery (PRC)" "PRC" one of 七号电池: the letters are the words' own initials
            for m in re.finditer(r"\(([A-Z][A-Z0-9&]{1,7})\)", gloss):
                if _initials(gloss[:m.start()]).endswith(re.sub(r"[^A-Z]", "", m.group(1)).lower()):
                    names.setdefault(m.group(1).lower(), []).append(simplified)
            if name:
                # a name is glossed "NVIDIA, computer graphics card company": the name before a described comma
                head, _, rest = gloss.partition(",")
                if rest.strip()[:1].islower():
                    key = " ".join(_WORD.findall(_PAREN.sub(" ", head).lower()))
                    if 0 < len(key.split()) <= MAX_PHRASE:
                        names.setdefault(key, []).append(simplified)
                # "BYD Company (company name)" (比亚迪): an English question writes BYD
                stem = cedict.company_stem(_PAREN.sub(" ", head).strip())
                if stem and 0 < len(stem.split()) <= MAX_PHRASE:
                    names.setdefault(" ".join(_WORD.findall(stem.lower())), []).append(simplified)
            gloss = _PAREN.sub(" ", gloss).lower().strip()
            gloss = re.sub(r"^(to|a|an|the) ", "", gloss)
            words = _WORD.findall(gloss)
            whole = len(" ".join(words)) >= len(gloss) - 2
            of = len(words) > 2 and words[1] == "of"
            if whole and of and words[0] not in STOPWORDS:
                # "chairman of the board of directors" (董事长) is a kind of "chairman", "ministry of commerce" a
                # kind of "ministry": the noun before "of" heads the phrase, however long (only as its first
                # word: "the main body of a book" (本文) is no kind of "body" a question asks about)
                table.setdefault(HEAD + words[0], []).append(simplified)
            if 0 < len(words) <= MAX_PHRASE and whole:
                table.setdefault(" ".join(words), []).append(simplified)
                if len(words) > 1 and not of and words[-1] in _PARTICLES:
                    # a phrasal verb's head is its verb: "tighten up (restrictions etc)" (收紧) is a way to
                    # "tighten", not a kind of "up"
                    table.setdefault(HEAD + words[0], []).append(simplified)
                elif len(words) > 1 and not of and words[-1] not in STOPWORDS:
                    # "computer memory" (内存) is also a kind of "memory": kept under HEAD + last word, a
                    # fallback for a question word none of whose own translations occur in the corpus
                    table.setdefault(HEAD + words[-1], []).append(simplified)
    for key, words in names.items():
        table.setdefault(key, []).extend(words)
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


# a sense no reading aid or translation offers: a slur is no equivalent of a plain word
OFFENSIVE = re.compile(r"\b(?:derog\w*|vulgar|offensive|pejorative)\b", re.I)


def _initials(text: str) -> str:
    """The initials of ``text``'s words, lower case, small words left out: "chief executive officer" -> "ceo",
    "Organization for Security and Co-operation in Europe" -> "osce"."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", text.lower()) if w not in _SMALL_WORDS)


_SMALL_WORDS = frozenset("of and for in the on".split())


# CC-CEDICT spells American (center, license, color, organize); British and Commonwealth news does not (centre,
# licence, colour, organise). Only forms the library itself writes are ever searched.
_BRITISH = ((re.compile(r"(?<=[^aeiou])er(s?)$"), r"re\1"), (re.compile(r"(?<=[a-z]{3})or(s?)$"), r"our\1"),
            (re.compile(r"iz(e|es|ed|ing|ation|ations)$"), r"is\1"), (re.compile(r"yz(e|es|ed|ing)$"), r"ys\1"),
            (re.compile(r"ense(s?)$"), r"ence\1"), (re.compile(r"(?<=[a-z]{3})og(s?)$"), r"ogue\1"))
_AMERICAN = ((re.compile(r"(?<=[^aeiou])re(s?)$"), r"er\1"), (re.compile(r"(?<=[a-z]{3})our(s?)$"), r"or\1"),
             (re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"), (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
             (re.compile(r"ence(s?)$"), r"ense\1"), (re.compile(r"(?<=[a-z]{3})ogue(s?)$"), r"og\1"))


_DOUBLED = set("bdgmnprt")  # not l, s, f, z: called, passed, staffed end in two of them of their own


def spellings(word: str, rules: tuple = _BRITISH) -> list[str]:
    """``word`` and its British spellings (centers: centres; license: licence; organize: organise), or with
    ``rules=_AMERICAN`` its American ones (the dictionary's: centre: center)."""
    return [word, *(p.sub(r, word) for p, r in rules if p.search(word))]


def _short_e_stem(stem: str) -> bool:
    """A two-letter stem that takes back its e before -ed: died, used, sued, tied, owed (die, use, sue, tie, owe);
    not one without a vowel (shed, fled, bred: no "she") nor one ending in e (seed, feed, need: no "see", "fee")."""
    return len(stem) == 2 and stem[-1] != "e" and any(c in "aeiouy" for c in stem)


def _lemmas(word: str) -> list[str]:
    out = [word]
    # (and the verb a noun is made of, tried when the noun's own translations are not in the library:
    # "refurbishment" is 重新装修 to the dictionary, the article writes 翻新, the dictionary's "refurbish")
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("'s", ""),
                         ("ment", ""), ("ments", ""), ("ation", "ate"), ("ations", "ate")):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and (len(stem) >= 3 or (suffix, repl) == ("ed", "e") and _short_e_stem(stem)):
            out.append(stem + repl)
            if suffix in ("ed", "ing") and not repl and stem[-1] == stem[-2] and stem[-1] in _DOUBLED:
                out.append(stem[:-1])  # a consonant doubled before the ending: banned, shipped, cutting
    return list(dict.fromkeys(out + [s for w in out for s in spellings(w, _AMERICAN)[1:]]))


def _units(question: str, vocabulary: Container[str], table: dict[str, tuple[str, ...]],
           senses: Callable[[str], list[str]] | None = None) -> list[tuple[str, tuple[str, ...], list[str]]]:
    """English units of a question (longest dictionary phrases first): (unit, all translations, those in vocabulary).

    ``senses`` (a Chinese word's English senses) enables the pivot fallback, see ``_pivot``."""
    words = _WORD.findall(question.lower())
    units = []
    i = 0
    while i < len(words):
        best: tuple[int, str, tuple[str, ...]] | None = None
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            span = words[i : i + n]
            if n == 1 and span[0] in STOPWORDS:
                break
            # (a compound written with a hyphen is the dictionary's phrase too: "air-conditioner", 冷气机)
            joined = " ".join(span)
            for phrase in dict.fromkeys((joined, joined.replace("-", " "),
                                         *(" ".join(span[:-1] + [lemma]) for lemma in _lemmas(span[-1])[1:]))):
                entries = table.get(phrase, ())
                if entries and (best is None or any(t in vocabulary for t in entries)):
                    best = (n, phrase, entries)
                    if any(t in vocabulary for t in entries):
                        break
            if best is not None and any(t in vocabulary for t in best[2]):
                break
        if best is None or not any(t in vocabulary for t in best[2]):
            heads = [t for lemma in _lemmas(words[i]) for t in table.get(HEAD + lemma, ()) if t in vocabulary]
            if not heads and best is not None and senses is not None:
                heads = _pivot(best[2], vocabulary, table, senses)
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


PIVOTS = 3  # translations of an English word whose other senses are tried as synonyms


def _pivot(translations: tuple[str, ...], vocabulary: Container[str], table: dict[str, tuple[str, ...]],
           senses: Callable[[str], list[str]]) -> list[str]:
    """Corpus words reached through a translation's other English senses, when no translation itself occurs:
    "inventory" -> 存货 ("inventory; stock of goods") -> "stock" -> 库存, the word the article uses."""
    out: dict[str, None] = {}
    for chinese in translations[:PIVOTS]:
        for sense in senses(chinese):
            key = " ".join(_WORD.findall(_PAREN.sub(" ", sense).lower()))
            out.update((t, None) for t in table.get(key, ()) if t in vocabulary)
    return list(out)


TITLE_FORMS = 16  # forms of a title in the other language tried for its holder (ceo: 总经理, 首席执行官, 行政总裁, 首席执行长;
# director: 主任, 总监, 局长, 馆长, 署长, 台长, …: which one a story writes depends on the body it heads)
DEPUTY_FORMS = (("deputy", "副"), ("vice", "副"), ("assistant", "助理"))  # a deputy's title is the title's, prefixed


# the head of a body, as Chinese names it: its character and 长 (处长 of 动保处, 局长, 署长, 会长, 馆长, 理事长), a pattern that
# the holder rules read as one (the dictionary gives "head" 主任 and words for a head of the body: a tester's "Who is the
# head of Tainan's Animal Health Protection Office?" cited the lead above 動保處處長鄭雅芬在記者會上表示)
_HEAD_TITLES = frozenset({"head", "chief", "leader"})
_HEAD_ZH = r"(?:[处局署会馆院所厅科组部校站队]|理事)长"  # (队: 交警支队支队长)
# the body "head of …" names, by its last word, as the characters a Chinese title of its head ends with (the head of an
# office is no association's 理事长: the Tainan story quotes both)
_BODY_HEADS = {"office": "处室办", "bureau": "局", "department": "署局处部厅", "association": "会", "society": "会",
               "federation": "会", "union": "会", "chamber": "会", "council": "会", "commission": "会", "library": "馆",
               "museum": "馆", "hospital": "院", "academy": "院", "court": "院", "institute": "院所", "school": "校",
               "station": "站", "section": "科", "agency": "署局", "division": "处科组", "zoo": "园", "kindergarten": "园",
               "administration": "署局处", "authority": "局署", "detachment": "队", "brigade": "队", "squad": "队"}
# the body a head, a director or a leader is asked of: "the head of Tainan's … Office", "Who is the director of Taipei
# Zoo?" (動物園園長陳家豪: a tester's cited another paragraph), "Who leads the Shanghai civil affairs bureau?"
_BODY = re.compile(r"\b(?:(?:head|director|chief|leader|in charge) of|(?:heads|leads|runs|directs)) "
                   r"(?:the )?[^?,;]*?\b("
                   + "|".join(_BODY_HEADS) + r")\b")


def head_title_zh(question: str) -> str:
    """The Chinese titles of the head of the body a question asks of (``_BODY_HEADS``), as a pattern: 处长 for "the
    head of Tainan's Animal Health Protection Office"; any body's when it names none the table knows."""
    m = _BODY.search(question.lower())
    return rf"(?:[{_BODY_HEADS[m.group(1)]}]|理事)长" if m and m.group(1) in ("association", "society", "federation") else (
        rf"[{_BODY_HEADS[m.group(1)]}]长" if m else _HEAD_ZH)


def title_in_chinese(title: str, cache_dir: Path, question: str = "") -> tuple[str, ...]:
    """The Chinese forms CC-CEDICT gives an English ``title`` (folded: "mayor", "ceo", "deputy director"), words of
    two characters or more: what a Chinese article writes before its holder's name (市长, 首席执行官, 副主任). A
    woman's or anyone's title is read as the dictionary's: "chairwoman" as "chairman" ("Who is the chairwoman of
    Taipei Metro?" highlighted the general manager's sentence over 北捷董事長陳佩君's). A deputy's is the title's
    forms prefixed (deputy director: 副局长, 副馆长), beside the dictionary's own (副主任)."""
    table = english_to_chinese(cache_dir)
    # (a chair, as "Who chairs…?" asks one, is a chairman: the dictionary's chair is furniture, 椅子)
    plain = "chairman" if title == "chair" else re.sub(r"(?:woman|person)$", "man", title)
    # not a deputy's or a former holder's (副总裁 and 前总统 are senses of "president"), unless asked ("deputy director")
    other = () if re.match(r"(?:deputy|vice|assistant|former)\b", title) else ("副", "助理", "前")
    forms = [f for t in dict.fromkeys((title if title != "chair" else plain, plain)) for f in table.get(t, ())
             if len(f) > 1 and not f.startswith(other)]
    if plain in _HEAD_TITLES or plain == "director" and _BODY.search(question.lower()):
        forms.insert(0, head_title_zh(question))
    for english, chinese in DEPUTY_FORMS:
        if title.startswith(english + " "):
            forms += [chinese + f for f in title_in_chinese(title[len(english) + 1:], cache_dir)]
    return tuple(dict.fromkeys(forms))[:TITLE_FORMS]


def _title_of(sense: str) -> str:
    """The title a sense longer than three words opens with ("president of a club, committee etc": president), or ""."""
    head = sense.split(" of ")[0].removeprefix("the ") if " of " in sense else ""
    return "" if "," in head or head in ("rank", "title", "position", "post", "office") else head


# what English news writes for a Chinese title beyond the dictionary's senses: Hong Kong's and Singapore's 总裁 heads a
# company or an agency as its chief executive (CC-CEDICT: chairman, director-general), and 主管 is its head (a manager,
# a person in charge): testers' 西澳水務公司的行政總裁是誰？ (asked as 总裁), 新加坡国家环境局的总裁是谁？ over "NEA chief
# executive Tan Mei Ling", 利兹市议会负责图书馆服务的主管是谁？ over "The council's head of libraries, Dr Imogen Ashworth";
# an association's 会长 and 理事长 are its chairman or president (东京拉面店协会的会长是谁？ over "Kenji Morimoto, chairman of
# the association"), a zoo's or a park's 园长 its director
# (主管 and 负责人 head a service or a division: "the SFMTA's director of taxi services", "the council's lifeguard
# services manager", testers' 誰是舊金山市交通局的計程車服務主管？)
_USAGE_EN = {"总裁": ("chief executive", "president"), "主管": ("head", "director", "manager"),
             "负责人": ("head", "director", "manager"), "会长": ("president", "chairman", "chair"),
             "理事长": ("chairman", "president", "chair"), "园长": ("director",),
             # (a city department's head in American usage, a Hong Kong department's in its English titles: New York's
             # "buildings commissioner", a tester's 纽约市楼宇局的局长是谁？; the Commissioner of Police, 警务处处长)
             "局长": ("director", "commissioner"), "处长": ("director", "commissioner"),
             # (a council's or a union's 主席 is often its president: 华盛顿州苹果种植者委员会的主席是谁？ over "Margaret
             # Ellison, president of the Washington Apple Growers Council", a tester's, cited the lead above it)
             "主席": ("chair", "president")}


def title_in_english(title: str, cache_dir: Path) -> tuple[str, ...]:
    """The English forms CC-CEDICT gives a Chinese ``title`` (folded: 局长, 总干事, 助理署长), each sense's first words
    without what the brackets add: what an English article writes beside its holder's name ("director",
    "secretary" for 局长: "Secretary for Security Wong Kwok-leung", 香港保安局局長是誰？). A deputy's is the title's
    forms prefixed (副局长: "deputy director"), beside the dictionary's own (副秘书长: "vice-secretary")."""
    def senses(word: str) -> list[str]:
        # a longer sense by the title it opens with: 会长, "president of a club, committee etc", is a president (a
        # tester's …协会，会长叫什么名字？ cited the lead above "Mr Daniel Koh, president of the association")
        heads = (" ".join(_PAREN.sub(" ", g).lower().split()) for g in _senses(word, cache_dir))
        return [s for h in heads if 0 < len((s := h if len(h.split()) <= 3 else _title_of(h)).split()) <= 3]
    forms = senses(title) + list(_USAGE_EN.get(title, ()))
    for english, chinese in DEPUTY_FORMS:
        if title.startswith(chinese) and len(title) > len(chinese) + 1:
            forms += [f"{english} {f}" for f in senses(title[len(chinese):])]
    # English news writes a chairman "chair of the licensing committee" (谁是…委员会的主席？ cited the lead above it)
    chair = [f"{f.rsplit(' ', 1)[0]} chair".strip() if " " in f else "chair" for f in forms
             if f.split()[-1] in ("chairman", "chairperson", "chairwoman")]
    return tuple(dict.fromkeys(forms))[:TITLE_FORMS] + tuple(c for c in dict.fromkeys(chair) if c not in forms)


def translate_query(question: str, vocabulary: Container[str], cache_dir: Path,
                    units: Sequence[tuple[str, list[str]]] | None = None) -> dict[str, float]:
    """Chinese terms for the content words of an English question, weighted, restricted to ``vocabulary``.

    Longest dictionary phrases win ("foreign ministry" before "foreign"); each English unit spreads a
    total weight of 1 over those of its translations that occur in the corpus, so a word with ten
    candidate translations counts no more than a word with one.

    >>> translate_query("Who is the spokesperson?", {"发言人", "人"}, Path(".cache"))
    {'发言人': 1.0}

    ``units``: ``translation_units`` of the question over ``vocabulary``, when the caller has them already.
    """
    weights: dict[str, float] = {}
    for unit, found in translation_units(question, vocabulary, cache_dir) if units is None else units:
        share = (HEAD_WEIGHT if unit.startswith(HEAD) else 1.0) / max(len(found), 1)
        for term in found:
            weights[term] = weights.get(term, 0.0) + share
    return weights


def translation_units(question: str, vocabulary: Container[str], cache_dir: Path) -> list[tuple[str, list[str]]]:
    """The English units of a question (a word or dictionary phrase; ``HEAD`` + word for a head-word fallback)
    with those of their Chinese translations that occur in ``vocabulary``."""
    units = _units(question, vocabulary, english_to_chinese(cache_dir), lambda w: _senses(w, cache_dir))
    return [(unit, found) for unit, _, found in units]


def _english_words(gloss: str) -> list[str]:
    """Content words of one CC-CEDICT sense ("(computer) graphics card" -> ["graphics", "card"])."""
    gloss = re.sub(r"^(to|a|an|the) ", "", _PAREN.sub(" ", gloss).lower().strip())
    return [w for w in _WORD.findall(gloss) if w not in STOPWORDS and len(w) > 1]


SKIP_SENSES = ("CL:", "variant of", "old variant", "see ", "surname ", "abbr. for", "used in ", "Taiwan pr.")
# a sense pointing at another headword or reading, no translation: 凤凰城's "also 菲尼克斯[Fei1 ni2 ke4 si1]" made "also" a
# search term of a tester's 鳳凰城…？
CROSS_REFERENCE = re.compile(r"also\b.*(?:[\u3400-\u9fff]|\bpr\.)")
SENSES = 3  # senses of a Chinese word whose English words count as its translations (later ones are rarer)
MAX_WORD = 8  # longest headword tried when splitting Chinese into dictionary words
_HAN_RUN = re.compile(r"([\u3400-\u9fff]+)")


def is_han(word: str) -> bool:
    """Whether ``word`` (a piece of ``chinese_words``) is written in Chinese characters only."""
    return bool(_HAN_RUN.fullmatch(word))


def _senses(word: str, cache_dir: Path) -> list[str]:
    """Usable English senses of a Simplified word, each cut at its first "," or ";", short ones (at most three
    content words) first, else in the dictionary's order. CC-CEDICT may describe a place at length before the
    company ("三星": "Sanxing or Sanhsing Township in Yilan County..." before "Samsung")."""
    senses = [re.split(r"[,;]", g, maxsplit=1)[0] for entry in cedict.by_simplified(cache_dir).get(word, ())
              for g in entry.glosses if not g.startswith(SKIP_SENSES) and not CROSS_REFERENCE.match(g)]
    return sorted((g for g in senses if _english_words(g)), key=lambda g: len(_english_words(g)) > 3)


def chinese_words(text: str, cache_dir: Path) -> list[str]:
    """Simplified ``text`` split into CC-CEDICT words by longest match (so names jieba does not know, such as
    英伟达, stay whole); runs of other characters are split on spaces and punctuation."""
    table = cedict.by_simplified(cache_dir)
    out: list[str] = []
    for n, part in enumerate(_HAN_RUN.split(text)):
        if not n % 2:
            out.extend(re.findall(r"[^\W_][\w.%/\-]*", part))
            continue
        i = 0
        while i < len(part):
            j = next((j for j in range(min(len(part), i + MAX_WORD), i + 1, -1) if part[i:j] in table), i + 1)
            out.append(part[i:j])
            i = j
    return out


GLOSS_SENSES = 1  # senses per word in a passage's gloss (XQuAD en->zh: 1, 2 and 3 within 0.001; 1 is the cheapest)


@lru_cache(maxsize=8192)  # ~1-2 KB a passage: a few MB, the candidates of recent questions
def english_gloss(text: str, cache_dir: Path) -> str:
    """A Chinese ``text`` read word by word in English: the content words of each dictionary word's first
    sense, in base form (``base_form``), space-separated. What an English question's words can meet in a
    Chinese passage (qa.search.gloss_scores); cached, since the same candidates come back question after question."""
    words = []
    for word in chinese_words(to_simplified(text), cache_dir):
        for sense in _senses(word, cache_dir)[:GLOSS_SENSES]:
            words.extend(base_form(w) for w in _english_words(sense))
    return " ".join(words)


def english_terms(question: str) -> list[str]:
    """An English question's content words in base form, to meet ``english_gloss``."""
    return [base_form(w) for w in _WORD.findall(question.lower()) if w not in STOPWORDS]


def base_form(word: str) -> str:
    """A plural's singular (chips -> chip, companies -> company, taxes -> tax, spheres -> sphere): CC-CEDICT
    glosses nouns in the singular."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def translate_chinese_query(question: str, vocabulary: Container[str], cache_dir: Path) -> dict[str, float]:
    """English keyword terms for the Chinese words of a Simplified question, weighted like ``translate_query``:
    each word spreads a weight of 1 over its English terms in ``vocabulary``. Plural forms are tried too
    (CC-CEDICT says "chip"; English news says "chips").

    >>> translate_chinese_query("芯片", {"chips", "chip"}, Path(".cache"))
    {'chip': 0.5, 'chips': 0.5}
    """
    weights: dict[str, float] = {}
    # a year in Chinese numerals is its digits, as English writes it (二〇二五年 read 二, 〇, 五年 was "two", "five")
    words = chinese_words(digit_years(question), cache_dir)
    for word in words:
        if YEAR_DIGITS.fullmatch(word) and word in vocabulary:
            weights[word] = 1.0
    after_most = {b for a, b in zip(words, words[1:]) if a == "最"}  # 最繁忙: "the busiest station"
    counters = _counters(words, cache_dir)
    for word in dict.fromkeys(words):
        found: dict[str, None] = {}
        if word in CHINESE_STOPWORDS or not is_han(word) or word in counters:
            continue
        for sense in _senses(word, cache_dir)[:SENSES]:
            english = _english_words(sense)
            in_sense: dict[str, str] = {}
            for w in english:
                most = superlatives(w) if word in after_most and len(english) == 1 else []
                for form in (w, w + "s", w + "es", w[:-1] + "ies" if w.endswith("y") else w, *most):
                    for spelled in spellings(form):
                        if spelled in vocabulary:
                            in_sense[spelled] = w
            # a phrasal verb's particle without its verb ("up" of 捡 "to pick up") is no trace of it, and it
            # meets every "up 7 per cent"
            if set(english) - _PARTICLES and set(in_sense.values()) <= _PARTICLES:
                continue
            found.update(dict.fromkeys(in_sense))
        for term in found:
            weights[term] = weights.get(term, 0.0) + 1.0 / len(found)
    return weights


_COUNTS = re.compile(r"(?:多少|几|每|这|那|哪|[\d一二两三四五六七八九十百千万亿])$")


def _counters(words: list[str], cache_dir: Path) -> set[str]:
    """The measure words of ``words`` that count the noun after them (多少部手机, 三间课室), wherever they occur only so:
    what they gloss as a noun ("department", "room") is not what is asked, and a lead writing "Department" or
    "up 7 per cent" passed the paragraph of "186,000 mobile phones" (东京去年有多少部手机被捡到后交给警方？)."""
    table = cedict.by_simplified(cache_dir)
    counting = {i for i in range(1, len(words) - 1)
                if len(words[i]) == 1 and _COUNTS.search(words[i - 1]) and is_han(words[i + 1])
                and words[i + 1] not in CHINESE_STOPWORDS
                and any("classifier" in g for entry in table.get(words[i], ()) for g in entry.glosses)}
    return {words[i] for i in counting} - {w for i, w in enumerate(words) if i not in counting}


YEAR_DIGITS = re.compile(r"(?:1[6-9]|20)\d\d")

_IRREGULAR_SUPERLATIVES = {"good": "best", "well": "best", "bad": "worst", "many": "most", "much": "most",
                           "little": "least", "far": "farthest"}


def superlatives(adjective: str) -> list[str]:
    """English superlatives of a one-word sense, for a Chinese word after 最 (busy: busiest, large: largest, big:
    biggest, high: highest). Forms English does not make ("importantest") are harmless: only terms the library
    writes are searched."""
    w = adjective
    if w in _IRREGULAR_SUPERLATIVES:
        return [_IRREGULAR_SUPERLATIVES[w]]
    if w.endswith("e"):
        return [w + "st"]
    if len(w) > 2 and w.endswith("y") and w[-2] not in "aeiou":
        return [w[:-1] + "iest"]
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        return [w + w[-1] + "est", w + "est"]  # big: biggest; both, since spelling cannot tell "big" from "open"
    return [w + "est"]


def dictionary_translation(question: str, chinese: bool, vocabulary: Container[str], cache_dir: Path) -> str:
    """A rough word-by-word translation of a question into the other language: each word's most common
    dictionary sense; names, codes and numbers kept as written. Not prose: the question's vector for passages in
    the other language mixes in this text's vector, which moves it towards that language's region of the
    embedding space (multilingual encoders score same-language pairs higher for the same meaning).
    ``question`` is Simplified when ``chinese``.
    """
    if chinese:
        out = []
        for word in chinese_words(question, cache_dir):
            if not is_han(word):
                out.append(word)
            elif word not in CHINESE_STOPWORDS and (senses := _senses(word, cache_dir)):
                out.append(" ".join(_english_words(senses[0])))
        return " ".join(w for w in out if w)
    table = english_to_chinese(cache_dir)
    # a translation that occurs in the corpus beats the most common one (chips: 芯片, not 薯条)
    out = [(found or entries)[0] for unit, entries, found in _units(question, vocabulary, table) if len(unit.lstrip(HEAD)) > 1]
    names = re.findall(r"\b(?:[A-Z][\w.\-]*|\d[\w.,%/]*)", question)
    return " ".join(out + [w for w in names if w.lower() not in STOPWORDS and w.lower() not in _QUESTION_WORDS])


_QUESTION_WORDS = frozenset("how roughly approximately about".split())
