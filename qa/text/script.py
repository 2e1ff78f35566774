"""Script and language of a text: Simplified/Traditional via OpenCC, Chinese by Unicode ranges, langdetect for the rest."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Han ideographs (URO, Ext A, compatibility) are what make a text Chinese; kana/hangul mean it is not.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_LETTER = re.compile(r"[^\W\d_]")

SCRIPTS = ("simplified", "traditional")


@lru_cache(maxsize=None)
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def columns(text: str) -> int:
    """Display width: a wide (Chinese) character takes two columns, so one limit fits a line in either script."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_mainland_words(text: str) -> str:
    """Traditional text in Simplified characters with Taiwan's words as the mainland writes them (OpenCC tw2sp:
    計程車 → 出租车, 軟體 → 软件, 印表機 → 打印机). Only for matching words: its phrase table also rewrites meanings
    (啟用 → 激活), so a citation never quotes it (DISPLAY_SCRIPTS)."""
    return _converter("tw2sp").convert(text)


def to_taiwan(text: str) -> str:
    """Simplified text in Taiwan's Traditional characters, words unchanged (OpenCC s2tw)."""
    return _converter("s2tw").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def convert_script(text: str, script: str) -> str:
    """Convert ``text`` to ``script`` ("simplified" or "traditional")."""
    if script == "simplified":
        return to_simplified(text)
    if script == "traditional":
        return to_traditional(text)
    raise ValueError(f"script must be one of {SCRIPTS}, got {script!r}")


# What a reader may choose to read passages in (the page's script control): OpenCC configurations that change
# characters to each place's standard forms (已为 → 已為, 里面 → 裡面), never words. A citation quotes its article:
# the phrase tables rewrote meanings (tw2sp: 啟用 "put into use" → 激活 "activate"; s2twp: 法律程序 → 法律程式
# "legal program", 项目 → 專案), and a reader of either script reads the other's words.
DISPLAY_SCRIPTS = {"simplified": "tw2s", "traditional": "s2tw", "hongkong": "s2hk"}
# The script each choice writes (what a reading aid for that reader writes its Chinese in).
DISPLAY_SCRIPT_OF = {"simplified": "simplified", "traditional": "traditional", "hongkong": "traditional"}
# Text already written in Traditional characters gets only each place's character forms: the Simplified-to-
# Traditional tables read it as Simplified and rewrite it (s2tw: 獲准 → 獲準).
_FROM_TRADITIONAL = {"traditional": "t2tw", "hongkong": "t2hk"}


def convert_pieces(pieces: list[str], view: str, source: str = "simplified") -> list[str]:
    """``pieces`` of one text written in ``source`` script, each converted to ``view`` (a DISPLAY_SCRIPTS key) on
    its own.

    A conversion may change a text's length (OpenCC's tables map some characters to two), so offsets into the
    original need not carry over to a converted whole. Converting the pieces between the offsets that matter (the
    citation, the highlighted sentence, each glossed word) keeps every mark exactly around the converted form of
    what it marked.

    Example:
        >>> convert_pieces(["H200的", "内存带宽", "是4.8TB/s"], "traditional")
        ['H200的', '內存帶寬', '是4.8TB/s']
        >>> convert_pieces(["獲准出口的H200，千億參數"], "traditional", source="traditional")
        ['獲准出口的H200，千億參數']
        >>> convert_pieces(["5号线二期新增7座车站"], "simplified")
        ['5号线二期新增7座车站']
    """
    if view not in DISPLAY_SCRIPTS:
        raise ValueError(f"view must be one of {', '.join(DISPLAY_SCRIPTS)}, got {view!r}")
    if view == "simplified" and source == "simplified":
        # as written (t2s would still change a character both scripts use: 昇 → 升)
        return list(pieces)
    config = _FROM_TRADITIONAL[view] if source == "traditional" and view in _FROM_TRADITIONAL else DISPLAY_SCRIPTS[view]
    convert = _converter(config).convert
    return [convert(piece) if piece else piece for piece in pieces]


def convert_with_span(text: str, span: tuple[int, int] | None, view: str,
                      source: str = "simplified") -> tuple[str, tuple[int, int] | None]:
    """``text`` (written in ``source`` script) converted to ``view`` (a DISPLAY_SCRIPTS key), and where ``span``
    (offsets into ``text``) lies in it.

    The text is converted in three pieces cut at the span (``convert_pieces``), so the returned span holds exactly
    the converted form of what ``span`` held even when a phrase conversion changes the length.

    Example:
        >>> convert_with_span("H200的内存带宽是4.8TB/s", (5, 9), "traditional")
        ('H200的內存帶寬是4.8TB/s', (5, 9))
    """
    if span is None:
        return convert_pieces([text], view, source)[0], None
    start, end = span
    before, inside, after = convert_pieces([text[:start], text[start:end], text[end:]], view, source)
    return before + inside + after, (len(before), len(before) + len(inside))


def normalize_for_match(text: str) -> str:
    """Script-, width-, space- and case-insensitive form used to test whether an answer appears in a passage."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", text)).split()).casefold()


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def chinese_script(text: str) -> str:
    """'traditional' when more of the Han characters read as Traditional than as Simplified, else 'simplified'.

    Traditional evidence is the number of characters OpenCC's t2s changes; Simplified evidence is the number
    s2t changes, taking the least of the mainland, Taiwan and Hong Kong standards (s2t writes 台灣 as 臺灣,
    s2hk leaves 台 alone). Counting both ways keeps a Simplified text that writes one character OpenCC calls
    Traditional (华为昇腾: t2s turns 昇 into 升) Simplified, and a short Traditional question with no
    Simplified-only character Traditional. A tie, script-neutral text included, counts as Simplified.

    Args: text: any text; only its Han characters are read.
    Returns: "simplified" or "traditional".
    Example:
        >>> chinese_script("美國對H200出口徵收多少附加費？"), chinese_script("华为昇腾芯片的性能如何")
        ('traditional', 'simplified')
    """
    han = "".join(_HAN.findall(text))
    traditional = _changed(han, _converter("t2s").convert(han))
    simplified = min(_changed(han, _converter(config).convert(han)) for config in ("s2t", "s2tw", "s2hk"))
    return "traditional" if traditional > simplified else "simplified"


def _changed(before: str, after: str) -> int:
    """Characters a conversion changed (OpenCC converts character for character; a length change counts too)."""
    return sum(a != b for a, b in zip(before, after)) + abs(len(before) - len(after))


def detect(text: str) -> tuple[str, str]:
    """Return (language, script) of a question or document.

    langdetect labels short Chinese questions Korean (11 of 20 in a trial), so Chinese is decided
    by Han characters first and only Han-free text goes to langdetect. Text written in Latin letters
    is English unless it is clearly another language (see ``latin_language``): langdetect calls
    "How do I make a simple tomato pasta sauce?" Italian and "H200 price?" Romanian.

    Args: text: a question, or the start of a document.
    Returns: (language, script): ("zh", "simplified" | "traditional"), (code, "latin") for Latin letters,
        (code, "other") for other alphabets, ("und", "none") when there are no letters at all.
    Example:
        >>> detect("美國對H200出口徵收多少附加費？"), detect("H200 price?"), detect("Pine Ridge的Eagle Express纜椅造價多少？")
        (('zh', 'traditional'), ('en', 'latin'), ('zh', 'traditional'))
        >>> detect("What does 本報訊 mean in a Hong Kong paper?")
        ('en', 'latin')
    """
    han = han_count(text)
    # Chinese text quoting a Japanese title or a Korean name is still Chinese (encyclopedia and news text does);
    # kana or hangul make a text Japanese or Korean only when they are a real share of it
    foreign = len(_KANA.findall(text)) + len(_HANGUL.findall(text))
    if han and foreign * 5 < han:
        latin = _LATIN_WORD.findall(text)
        # An English question quoting a Chinese phrase stays English; a Chinese one naming "H200" stays Chinese, and
        # so does one naming places and products in Latin letters around its Chinese words with no English word
        # that builds a sentence ("Pine Ridge的Eagle Express纜椅造價多少？" was read as English)
        if han / 2 >= len(latin) or not {w.lower() for w in latin} & ENGLISH_MARKERS:  # ~2 Han characters a word
            return "zh", chinese_script(text)
    rest = _HAN.sub(" ", text)
    letters = _LETTER.findall(rest)
    if not letters:
        return ("zh", chinese_script(text)) if han else ("und", "none")
    if all(_is_latin(ch) for ch in letters):
        return latin_language(rest), "latin"
    best = _langdetect(rest)
    # a Japanese question naming "H200" is written in kana and kanji, not Latin letters
    latin = sum(_is_latin(ch) for ch in letters)
    return best[0] if best else "und", "latin" if latin * 2 > len(letters) else "other"


# Words that mark a text as English and are not everyday words of the other languages langdetect knows
# ("is" is Dutch, "in" German, "a" Spanish, "was"/"will" German, "do" Portuguese, "he"/"has" Spanish, "on" French,
# "my" Polish).
_ENGLISH_MARKERS = (
    "the of and to are what who whom whose how why when where which does did would could should with from this "
    "that these those about been they their there you your we she it its have had can"
)
ENGLISH_MARKERS = frozenset(_ENGLISH_MARKERS.split())
MIN_FOREIGN_LETTERS = 25  # below this langdetect is guesswork ("Best pizza dough recipe": Italian, p=0.99999)
MIN_FOREIGN_PROB = 0.99


def latin_language(text: str) -> str:
    """The language of text in Latin letters: English unless langdetect is confident it is another language.

    Another language needs all of: at least MIN_FOREIGN_LETTERS letters, not plain English-looking text
    (only unaccented letters and one of ENGLISH_MARKERS among its words), and langdetect's best guess a
    non-English language with probability at least MIN_FOREIGN_PROB. English is this product's default
    for Latin text: a wrong "English" only changes which ranking weights apply, a wrong "Italian" is
    shown to the asker.

    Args: text: text whose letters are Latin (accented or not).
    Returns: "en", or langdetect's code ("fr", "de", "es", ...).
    Example:
        >>> latin_language("How do I make a simple tomato pasta sauce?"), latin_language("Le gouvernement américain autorise la vente de puces à la Chine.")
        ('en', 'fr')
    """
    # letters of distinct words: "H200 " * 3000 has 3,000 letters and no word, and langdetect called it Vietnamese
    words = set(re.findall(r"[^\W\d_]{2,}", text.lower()))
    if sum(len(w) for w in words) < MIN_FOREIGN_LETTERS:
        return "en"
    if all(w.isascii() for w in words) and words & ENGLISH_MARKERS:
        return "en"
    best = _langdetect(text)
    return best[0] if best and best[1] >= MIN_FOREIGN_PROB else "en"


def _is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN ")


def _langdetect(text: str) -> tuple[str, float] | None:
    """langdetect's best (language, probability), or None when it finds nothing to go on."""
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0  # deterministic answers for the same question
    try:
        langs = detect_langs(text)
    except LangDetectException:
        return None
    return (langs[0].lang, langs[0].prob) if langs else None
