"""Whether the documents answer a question: dense similarity per language, and numbers/codes no document has."""
from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .cantonese_names import written_names as cantonese_names
from .chunk import sentence_spans
from .extract.dates import told_years
from .pinyin_names import readings, reads_as_pinyin, written_in_pinyin, written_in_pinyin_in
from .settings import Settings
from .text.cantonese import is_cantonese_name
from .text.cedict import (
    CAPITALISED,
    by_simplified,
    companies,
    company_names,
    description_words,
    named,
    names_and_cities,
    names_and_companies,
    other_names,
    own_names,
    place_forms,
    place_names,
    places_within,
    surnames,
    world_city_forms,
)
from .text.answer_type import (
    CURRENCY_NAMES,
    answers_kind,
    asks_advice,
    asked_unit,
    asks_amount,
    asks_money,
    counting_as_asked,
    counts_things,
    kind_asked,
    quotes_named_by_title,
    states_amount,
    states_count,
    states_money,
    states_quantity,
    states_share,
    states_span,
    states_unit,
)
from .text.numerals import chinese_forms, chinese_number, digit_years, english_forms, spelled_year
from .text.tokens import STOPWORDS, normalize, segment, tokenize, word_frequency
from .text.transliteration import transliterates_written_name
from .text.translate import STOPWORDS as ENGLISH_STOPWORDS
from .text.translate import chinese_words, english_to_chinese, is_han

if TYPE_CHECKING:
    from .search import Query
    from .store import StoreView

_CODE = re.compile(r"\d")
# a business period's abbreviation, as keyword tokens: q1-q4 / 1q (a quarter), h1 h2 / 1h (a half year), fy24 fy2024
_PERIOD = re.compile(r"q[1-4]|[1-4]q|h[12]|[12]h|fy\d\d(?:\d\d)?")
PERIOD_WORDS = {"q": ("quarter", "季度"), "h": ("half", "半年"), "fy": ("fiscal", "财年", "财政")}
_NAME_DOT = {"·", "•", "・", "‧"}  # joins the parts of a transliterated name
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th|s|'s)")  # 15th, 2nd, 1970s, 80s
_CLOCK = re.compile(r"(\d{1,2})([ap])\.?m\.?")  # a clock time as a token: 8pm, 11am
_SCALED = re.compile(r"(\d+(?:\.\d+)?)\s*(?:thousand\b|million\b|billion\b|trillion\b|万|亿)")
YEAR = re.compile(r"(?:1[6-9]|20)\d\d")
# four digits a magnitude, a unit or a measure word follows are a figure, not a year: 1850萬英鎊 (a tester's question
# was refused for the year 1850), 2000人
_FIGURE_AFTER = re.compile(r"\s*[万亿千百元人个名件台辆吨只%]")


def asked_years(query: Query) -> list[str]:
    """The years a question names, in its order: its four-digit numbers that are no figure (``_FIGURE_AFTER``),
    also spelled in Chinese numerals (二〇二五年: ``digit_years``)."""
    folded = digit_years(normalize(query.text))
    # (not a decade, "the 1700s", which XQuAD's Chinese writes 十八世纪)
    found = [m.group(0) for m in re.finditer(r"(?<![a-z\d.])\d{4}(?![\d.a-z])", folded)]
    return [t for t in dict.fromkeys(found) if YEAR.fullmatch(t)
            and any(not _FIGURE_AFTER.match(folded, m.end()) for m in re.finditer(rf"(?<!\d){t}(?!\d)", folded))]
_MODEL = re.compile(r"([a-z]+)\d+[a-z]*")  # a model code: h20, h200, mi308, b200


@dataclass(frozen=True)
class Evidence:
    best_dense: float  # best passage score from the dense channel (passage and best-sentence cosine)
    background: float  # best cosine between the question and off-topic reference passages
    shared_terms: int  # keyword terms (own or dictionary-translated) that occur in the corpus
    unknown_codes: tuple[str, ...]  # numbers / model codes in the question that no passage contains
    best_latent: float | None = None  # best latent-term cosine (qa.latent) of a candidate; None without latent terms
    unknown_names: tuple[str, ...] = ()  # names (places, bodies, leagues; companies in English) no passage has
    unmatched_years: tuple[str, ...] = ()  # years in the question that the best passage's paragraph does not contain
    # the question asks for an amount (in a unit: "in US dollars", "多少瓦") and the first paragraphs state none, or
    # none where the name it asks about is written (amount_of_another)
    missing_amount: bool = False
    other_models: tuple[str, ...] = ()  # model codes (h20) or numbered things (九价) of the question the best paragraph
    # lacks, naming a sibling instead (h200, 二价)
    quoted_name: str = ""  # a name the dictionary lacks that a Chinese question quotes and the best paragraph writes
    coverage: float = 0.0  # best share of the question's content words one sentence of the first paragraphs holds
    # the question asks an amount of a numbered thing (鸿雁A8's price) that its article's first paragraphs give only of a
    # sibling (A6's); the siblings
    sibling_amount: tuple[str, ...] = ()
    # places the question names that no article found first (of several paragraphs) writes, another article does
    absent_places: tuple[str, ...] = ()
    advice: bool = False  # the question asks advice for the asker (qa.text.answer_type.asks_advice)
    # no sentence of the first paragraphs holds any of the question's content words (of ``COVERAGE_MIN_UNITS`` or more)
    uncovered: bool = False

    @property
    def margin(self) -> float:
        return self.best_dense - self.background

    def to_dict(self) -> dict:
        """Rounded, for JSON answers (Answer.evidence)."""
        return {"best_dense": round(self.best_dense, 4), "background": round(self.background, 4),
                "best_latent": None if self.best_latent is None else round(self.best_latent, 4),
                "shared_terms": self.shared_terms, "unknown_codes": list(self.unknown_codes),
                "unknown_names": list(self.unknown_names), "unmatched_years": list(self.unmatched_years),
                "missing_amount": self.missing_amount, "other_models": list(self.other_models),
                "quoted_name": self.quoted_name, "coverage": round(self.coverage, 4),
                "sibling_amount": list(self.sibling_amount), "absent_places": list(self.absent_places),
                "advice": self.advice, "uncovered": self.uncovered}


@dataclass(frozen=True)
class AbstainPolicy:
    """Calibrated on the project's question set with scripts/calibrate_abstention.py (rule: refuse none of its
    answerable questions, then catch as many unanswerable ones as that allows).

    e5 cosines are compressed (answerable and off-topic questions both score 0.75-0.9), so an absolute
    threshold alone either refuses paraphrases or answers everything. The margin over general encyclopedic
    text (CMRC/XQuAD Wikipedia sentences, not written with our questions in view) says "this question is about
    as close to random Wikipedia as to our articles". Near-miss questions (on-topic, asking a fact the
    articles lack) are beyond what retrieval evidence can tell; see docs/evaluation.md.
    """

    dense_zh: float
    dense_other: float
    margin_zh: float
    margin_other: float
    # Latent terms catch questions about things no passage mentions (weather, recipes, another company's CEO)
    # that dense cosines, compressed into 0.75-0.9 for everything, separate less well. For Chinese questions
    # the dense floor already catches every question a latent floor would (calibration), so it is off (0) and
    # Chinese questions skip computing latent terms altogether.
    latent_zh: float
    latent_other: float
    # Ranking lifts a passage in the other language than the question's so that it competes with same-language
    # ones (qa.search.Ranking.cross_offset); whether it answers at all is judged with these, smaller, offsets:
    # a Chinese question's cosine with an English passage plus the ranking's 0.22 would put off-topic questions
    # above every floor.
    cross_offset_zh: float = 0.0
    cross_offset_other: float = 0.0
    names: bool = True  # refuse a question naming a thing no passage has (Evidence.unknown_names)
    years: bool = True  # refuse a question whose year the best paragraph does not mention (Evidence.unmatched_years)
    # refuse a question asking for an amount that the paragraphs of the first ``amount_depth`` passages do not
    # state (Evidence.missing_amount; 0 = off). More than the first: an answer cited second is still an answer.
    amount_depth: int = 3
    models: bool = True  # refuse a question whose model the best paragraph swaps for a sibling (Evidence.other_models)
    # a question quoting a name the best paragraph writes (Evidence.quoted_name) is on topic whatever its dense score:
    # the floors below are for questions about something else, and "郭嘉昆是谁？" matches little but the name
    quotes: bool = True
    # a question whose content words one sentence holds (nearly) all of (Evidence.coverage; 0 = off) is on topic whatever
    # its floors say: the off-topic reference is everyday text, and a library of everyday news meets it on its
    # own ground ("接駁車多久一班？" over "接駁車每15分鐘一班": dense 0.905, reference 0.906)
    coverage: float = 0.75
    places: bool = True  # refuse a question naming a place only other articles than those found write (absent_places)
    # a question asking advice for the asker (Evidence.advice) is answered only this far above the off-topic reference,
    # whatever its coverage: "How do I make a classic tiramisu?" and 蚵仔煎要怎麼做？ were answered over stories of tofu
    # workshops and puppet theatres, a little below the reference, and a dumpling contest's "make 60 pierogi" covers
    # "How do I make pierogi?" whole
    advice_margin: float = 0.0
    # a question none of whose content words any sentence of the first paragraphs holds (Evidence.uncovered) is answered
    # only this far above the off-topic reference: "What is the tallest mountain in Africa?" and "What is the capital
    # city of Canada?" were answered over stories of reindeer and air shows, a little below the reference
    uncovered_margin: float = -0.005

    @classmethod
    def from_settings(cls, s: Settings) -> AbstainPolicy:
        """Floors from settings abstain_*: set below the lowest answerable question of the project's set with room
        (dense 0.887 zh / 0.823 other, the latter with cross_offset_other; latent 0.238 / 0.162): a floor at the lowest one refused a new, plainly
        answerable paraphrase in testing."""
        return cls(s.abstain_dense_zh, s.abstain_dense_other, s.abstain_margin_zh, s.abstain_margin_other,
                   s.abstain_latent_zh, s.abstain_latent_other, s.abstain_cross_offset_zh, s.abstain_cross_offset_other,
                   bool(s.abstain_names), bool(s.abstain_years),
                   int(s.abstain_amount_depth), bool(s.abstain_models), bool(s.abstain_quotes),
                   float(s.abstain_coverage), bool(s.abstain_places), s.abstain_margin_advice,
                   s.abstain_margin_uncovered)

    def cross_offset(self, language: str) -> float:
        return self.cross_offset_zh if language == "zh" else self.cross_offset_other

    def latent_floor(self, language: str) -> float:
        return self.latent_zh if language == "zh" else self.latent_other

    def decide(self, language: str, ev: Evidence) -> bool:
        if (ev.unknown_codes or (self.names and ev.unknown_names) or (self.years and ev.unmatched_years)
                or (self.amount_depth > 0 and ev.missing_amount)
                or (self.models and (ev.other_models or ev.sibling_amount)) or (self.places and ev.absent_places)
                or ev.shared_terms == 0):
            return True  # names a model, year, figure, place or body no document has, asks an amount the first
            # paragraphs do not state, or shares no word with the documents
        if ev.advice and ev.margin < self.advice_margin or ev.uncovered and ev.margin < self.uncovered_margin:
            return True
        if (self.quotes and ev.quoted_name) or (self.coverage > 0 and ev.coverage >= self.coverage):
            return False
        zh = language == "zh"
        if ev.best_latent is not None and ev.best_latent < self.latent_floor(language):
            return True
        return ev.margin < (self.margin_zh if zh else self.margin_other) or ev.best_dense < (self.dense_zh if zh else self.dense_other)


def gather_evidence(view: StoreView, query: Query, best_dense: float, terms: dict[str, float],
                    best_latent: float | None, cache_dir: Path, paragraphs: Sequence[str] = (),
                    units: Sequence[tuple[str, ...]] = (), article: Sequence[str] = (), head: str = "",
                    whole: str = "", years: Sequence[Sequence[str]] = (), articles: Sequence[str] = (),
                    story: str = "") -> Evidence:
    """What `AbstainPolicy.decide` reads.

    A near-miss question is on topic and asks about a thing the documents never mention ("歐盟對美國放寬H200出口
    有什麼回應？" over articles without the EU): dense scores cannot tell it from an answerable one, but the
    name is missing from every passage (``unknown_names``). Likewise a year: "台積電2024年的營收" answered from a
    paragraph about TSMC that never says 2024 (the first of ``paragraphs``, those of the first hits) is a near
    miss, and an amount: "英偉達股價這次下跌了幾個百分點？" over paragraphs that say the price "fell slightly"
    and give no figure (``missing_amount``). ``units``: the question's content words, each with the forms
    that count for it (``qa.search.content_units``), for ``coverage``. ``article``: those of ``paragraphs`` from the
    first one's article, for ``sibling_amount``; ``head``: that article's headline and lead, for ``amount_of_another``;
    ``whole``: that article's text, for ``unnumbered_sibling`` and ``left_out``, and ``story`` its id; ``years``: the
    years each of ``paragraphs`` tells from its story's date (qa.search.paragraph_years: 去年 in a story of 2027 is
    2026), which the year rules read too;
    ``articles``: the texts of the first hits' articles, for ``absent_places``.
    """
    # a year no passage writes may be one the first paragraphs tell (去年 in a story of 2027)
    unknown = tuple(t for t in unknown_codes(view, query)
                    if not (YEAR.fullmatch(t) and (any(t in digit_years(p) for p in paragraphs)
                                                   or any(t in told for told in years))))
    # (written whole, not only as keyword pieces: 台中 is 台 + 中 to the index, and "How tall is the Ferris wheel being
    # built in Taichung?" was answered over a Keelung story that writes no Taichung, a tester's near miss)
    translated = {unit[0] for unit in units if any(written_somewhere(view, form) for form in unit[1:])}
    names = unknown_names(view, query, cache_dir, translated)
    # a name in Latin letters that only articles the filters leave out write: "Who will succeed Anders Lindholm at
    # the Norhaven Philharmonic?" since 2026-01-01, the Norhaven story undated, was answered from a Hong Kong beach
    names += tuple(dict.fromkeys(w.lower() for w in CAPITALISED.findall(query.text) if view.filtered_out(w.lower())))
    if paragraphs and not _HAN.search(paragraphs[0]):
        names = tuple(dict.fromkeys(names + unwritten_names(view, query.text, cache_dir, translated)))
    elif paragraphs:
        # over a Chinese article, a name in pinyin that no passage writes in any reading of it: a tester's "How many
        # jellyfish sightings were reported at Qingdao's Badaguan bathing beach this summer?" (八大关) over a Qingdao
        # story naming other beaches (a name English translates, White Swan for 白天鹅, cannot be looked for so)
        # (read off the articles found: jieba keeps 城陵矶 whole, which the keyword terms cannot tell is Chenglingji;
        # a place the dictionary knows is unknown_places' to judge, Taiwan by a city within it, Taiwanese too). A word
        # alone: in a run of capitalised words it is an English name's, whose Chinese is heard otherwise (Lady Gaga,
        # 女神卡卡; Hulagu Khan, 旭烈兀: XQuAD's English questions over Chinese paragraphs refused nine for such words)
        in_runs = {w for run in _LATIN_RUN.findall(query.text) for w in run.lower().split()}
        names = tuple(dict.fromkeys(names + tuple(
            w for w in unwritten_names(view, query.text, cache_dir, translated)
            if w not in in_runs and not is_place_word(w, cache_dir) and reads_as_pinyin(w, cache_dir)
            and not written_in_pinyin_in([*articles, *paragraphs], w, cache_dir))))
    if query.chinese and names and paragraphs:  # 卡尔德布鲁克 (the dictionary's 布鲁克, "Brook") for Calderbrook
        folded_question = normalize(query.text)
        others = written_names_at(view, folded_question, cache_dir)
        # (the story's headline and lead too, where its place is named: 布里斯本, Taiwan's Brisbane, read as 里斯本,
        # Lisbon, over a paragraph quoting the committee's chair)
        names = tuple(n for n in names if not transliterates_written_name(folded_question, n, [*paragraphs, head], others,
                                                                          alone=n not in place_forms(cache_dir))
                      and not acronym_written(n, paragraphs, cache_dir))
    shared = sum(1 for t in terms if view.term_idf(t) > 0)
    folded = [normalize(p) for p in paragraphs]
    unmatched = tuple(sorted(t for t in asked_years(query) if folded and t not in years_of_figures(query, folded[0])
                             and t not in (years[0] if years else ())))
    if paragraphs and not unmatched:
        # (one story's paragraphs: another's years say nothing of this one's, and a story of one paragraph, XQuAD's
        # 截至2015年3月…一千万 人口, has no other)
        own = [i for i, p in enumerate(paragraphs) if p in article]
        if len(own) > 1:
            unmatched = years_in_passing(query, [paragraphs[i] for i in own], [folded[i] for i in own],
                                         [years[i] for i in own if i < len(years)], normalize(head))
    unit = asked_unit(query.text)  # "in US dollars", "多少瓦": an amount in another unit does not answer
    # (in its unit: only of a sibling counts as not at all, "H20芯片的显存容量是多少?" over the H200's 141GB)
    stated_of_sibling = unit is not None and all(sibling_swaps(query, f, spans=False)
                                                 for p, f in zip(paragraphs, folded) if states_unit(p, unit))
    missing_amount = bool(paragraphs) and (asks_amount(query.text) and not any(states_amount(p) for p in paragraphs)
                                           or stated_of_sibling)
    if paragraphs and not missing_amount and asks_amount(query.text):
        missing_amount = amount_of_another(query, folded, normalize(head), cache_dir, paragraphs)
    # (a span is read for the order of the cards only: "How many tonnes of Aksu apples were exported in the third
    # quarter?" was refused from the lead's 前三季度, 0.03 above the paragraph giving the quarter's)
    models = sibling_swaps(query, folded[0], spans=False) + other_bases(normalize(query.text), folded) if folded else ()
    if whole and names_numbered(query):
        models = tuple(dict.fromkeys(models + unnumbered_sibling(normalize(query.text), normalize(whole))
                                     + unnamed_period(normalize(query.text), normalize(whole))))
    if whole and story:
        models = tuple(dict.fromkeys(models + left_out(query, terms, normalize(whole),
                                                       lambda: closest_sentence(view, query, story))))
    quoted = quoted_name(normalize(query.text), folded[0], cache_dir) if folded and query.chinese else ""
    absent = absent_places(view, query, articles, cache_dir, units) if articles else ()
    covered = coverage(units, folded)
    return Evidence(best_dense, query.background, shared, unknown, best_latent, names, unmatched, missing_amount, models,
                    quoted, covered, sibling_amount(query, [normalize(p) for p in article]), absent,
                    asks_advice(query.text), len(units) >= COVERAGE_MIN_UNITS and bool(folded) and covered == 0)


# what a story says its figures leave out (folded): "Charging points for electric boats on the canals … are not included
# in the count", 電動機車的換電站由業者自行設置，不在這次統計範圍內, "…has not published inspection figures for them"
_LEFT_OUT = re.compile(r"\bnot (?:been |be )?(?:included|counted|covered|part of|published|released)\b"
                       r"|\b(?:does|do|did) not (?:include|count|cover)\b|\bcounted (?:separately|in a different)\b"
                       r"|\bexcluded\b|不在[^，。；,;]{0,12}(?:统计|范围)|不含|[不未]有?(?:包括|包含|计入|纳入|列入)|[未没]有?公布")


def left_out(query: Query, terms: Iterable[str], article: str, closest: Callable[[], str]) -> tuple[str, ...]:
    """The question's keyword ``terms`` (its words and their translations) that the (folded) ``article`` writes only in
    sentences saying a thing is left out of its figures (``_LEFT_OUT``), when such a sentence is also the one of the
    article closest to the question in meaning (``closest``, folded), for an amount question: the thing asked is the
    one left out, and the story's figures are another's. Testers' near misses "How many charging points for electric
    boats are there on Amsterdam's canals?" and 多伦多去年批出了多少份新建房屋的建筑许可证？ ("Building permits for new
    construction are counted separately") were answered with the figures of the story's own. The words alone are not
    enough: a translation's stray sense (城市's "cities" of 費城市議會) can meet such a sentence only. Not a sentence
    that states an amount of the kind asked itself ("…a further 96,000 square metres along train lines, a figure not
    counted in the council's total" answers for the train lines), nor a question that leaves something out itself."""
    if not asks_amount(query.text) or _LEFT_OUT.search(normalize(query.text)):
        return ()
    states = kind_asked(query.text) or states_amount
    sentences = [line[a:b] for line in article.split("\n") for a, b in sentence_spans(line, 0, len(line))]
    out = [_LEFT_OUT.sub(" ", s) for s in sentences if _LEFT_OUT.search(s) and not states(s)]
    if not out:
        return ()
    rest = [s for s in sentences if not _LEFT_OUT.search(s) or states(s)]

    words = [t for t in dict.fromkeys(terms) if t not in STOPWORDS and t not in ENGLISH_STOPWORDS
             and (len(t) > 1 if is_han(t) else len(t) > 3 and t.isalpha())]
    found = tuple(sorted(t for t in words if any(writes(s, t, plural=True) for s in out)
                         and not any(writes(s, t, plural=True) for s in rest)))
    if not found:
        return ()
    nearest = closest()
    return found if _LEFT_OUT.search(nearest) and not states(nearest) else ()


def closest_sentence(view: StoreView, query: Query, doc_id: str) -> str:
    """The body sentence of the article ``doc_id`` closest to the question by its sentence vector (the question's
    vector for the other language when the article is in it), folded; "" for none."""
    rows = view.chunk_rows(doc_id)
    if not rows:
        return ""
    other = bool(view.chinese_rows(rows[:1])[0]) != query.chinese and query.cross_vector is not None
    spans, cosines = view.sentence_cosines(rows, query.cross_vector if other else query.vector)
    if not len(spans):
        return ""
    start, end = spans[int(cosines.argmax())]
    return normalize(view.documents[doc_id].text[start:end])


# a year a figure is measured from ("the highest since 2008", 二〇〇八年以来最多) is not the figure's own
_SINCE_YEAR = re.compile(r"\bsince\s+(?:1[6-9]|20)\d\d(?!\d)|(?<!\d)(?:1[6-9]|20)\d\d\s*年?\s*以来")
# (a question measuring from its year too: 2023年起綠色專線小巴必須安裝的車速限制器… is answered by "Since 2023 every…")
_FROM_YEAR = re.compile(r"(?:\b(?:since|from)|[自从])\s*(?:1[6-9]|20)\d\d(?!\d)"
                        r"|(?<!\d)(?:1[6-9]|20)\d\d\s*年?\s*(?:以来|起|开始)")


def years_of_figures(query: Query, folded: str) -> str:
    """A (folded) paragraph with its spelled years in digits (``digit_years``), less those it measures from, for an
    amount question that measures from none: "How many people died on Victoria's roads in 2008?" was answered with
    "…296 deaths in 2025, the highest since 2008" (a tester's near miss)."""
    # (a season across two years written short, "the 2025-26 hunting year", writes the second too: a tester's
    # 柏林猎人在2025至2026狩猎年度打死了多少头野猪？ was refused for 2026)
    text = _SHORT_SPAN.sub(lambda m: f"{m.group(0)} {int(m.group(1)) + 1}"
                           if m.group(2) == f"{(int(m.group(1)) + 1) % 100:02d}" else m.group(0), digit_years(folded))
    if not asks_amount(query.text) or _FROM_YEAR.search(digit_years(normalize(query.text))):
        return text
    return _SINCE_YEAR.sub(" ", text)


_SHORT_SPAN = re.compile(r"(?<![\d.])((?:19|20)\d\d)\s?[-–/]\s?(\d\d)(?![\d.%])")  # 2025-26, 2025/26
_YEAR_WRITTEN = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")


def years_in_passing(query: Query, paragraphs: Sequence[str], folded: Sequence[str],
                     years: Sequence[Sequence[str]], head: str = "") -> tuple[str, ...]:
    """The years an amount question asks that the first ``paragraphs`` of one story (``folded``; ``years``: those each
    tells from its story's date) write, in figures or characters, only where they state no amount of the kind asked,
    while every one stating it names another year: a tester's "How much did Suzhou Library collect in overdue fines in 2019?" was answered with 今年前十个月…十八万
    六千元, the story naming 2019 only for 早在二〇一九年就曾在少儿分馆试行免收滞纳金 (and the lead, read with it, a count of
    branches). A paragraph stating it with no year of its own is the year's that the (folded) ``head``, the headline
    and lead, writes: 二〇二五年香港書展於七月閉幕 and then 今屆書展共吸引參觀者九十八萬人次 (not one a later paragraph
    names: "…its next fare review in 2029." gives no fare)."""
    # (a sum asked without "how much" too: "What did a bowl of beef noodles cost in Lanzhou in 2017?", a tester's near
    # miss over 兰州早在二〇一七年就曾出现过一轮牛肉面集中涨价)
    states = kind_asked(query.text) if asks_amount(query.text) or asks_money(query.text) else None
    if states is None:
        return ()
    # (a Chinese paragraph counting other things than a measure word asked says nothing of it: 二〇一七年…开展过一轮
    # 采砂专项整治 with 一禁三年 for a tester's 二〇一七年洞庭湖采砂专项整治查处了多少艘采砂船？, nor 三百六十名 investigators beside
    # 二〇一九年列入《世界遗产名录》 for "How many waterbirds did Yancheng record in its 2019 winter count?")
    states = counting_as_asked(query.text, states)
    stating = {i for i, p in enumerate(paragraphs) if states(p)}
    undated = [i for i in stating
               if not (_YEAR_WRITTEN.search(digit_years(folded[i])) or told_years(paragraphs[i], 2000, 6))]
    if undated and any(t in digit_years(head) for t in asked_years(query)):
        return ()
    # (written: a year told, 明年起…提前一週 for "…brought forward from 2028?", is the story's own time)
    def holding(t: str) -> set[int]:
        return {i for i, f in enumerate(folded)
                if t in years_of_figures(query, f) or t in (years[i] if i < len(years) else ())}
    return tuple(t for t in asked_years(query) if any(t in digit_years(f) for f in folded) and not holding(t) & stating)


def asked_names(query: Query, cache_dir: Path) -> set[str]:
    """The names a question writes, folded: its capitalised words (not the word an English question opens with, nor
    function words), model codes, and a Chinese question's proper nouns as the dictionary lists them."""
    latin = CAPITALISED.findall(query.text)
    opening = not query.chinese and latin and query.text.lstrip().startswith(latin[0])  # How, What: no name
    found = {w.lower() for w in (latin[1:] if opening else latin)} - ENGLISH_STOPWORDS
    if query.chinese:
        found |= name_candidates(normalize(query.text), names_and_companies(cache_dir), by_simplified(cache_dir))
    return found | {t for t in query.tokens if _MODEL.fullmatch(t)}


def amount_of_another(query: Query, folded: Sequence[str], head: str, cache_dir: Path,
                      paragraphs: Sequence[str] = ()) -> bool:
    """Whether the question asks an amount of a thing it names that the best (folded) paragraph writes, and the
    first paragraphs state one of the kind asked (in its unit, a count for how many: ``answers_kind``) only where
    that name is not written: "Puffin-2卫星重多少公斤？" over the paragraph naming Puffin-2 among a launch's satellites
    and the rocket's 150 kilograms in another (a tester's near miss, cited at 0.99), "How many measles cases has
    Islington recorded this year?" over London's cases and Islington's vaccination rate. Not a name the (folded)
    ``head`` of the best paragraph's article writes: its subject, which the paragraph giving the figure need not repeat
    (苏州第二图书馆's cost). Nor a name in another script than the article's: a Chinese article writes Nvidia once, in
    brackets, and 英伟达 in the paragraph that answers."""
    tokens = [set(tokenize(p)) for p in folded]  # (cut once: jieba is the cost)
    head_tokens, chinese = set(tokenize(head)), bool(_HAN.search(head))
    # (the head names Taiwan as its own press does, 全台: a tester's 台湾钢琴调音技术协会理事长林振宏说，现在调音一次要多少钱？
    # was refused over 該協會理事長指出…二千八百元, a story headlined 全台持證者僅約三百四十名)
    names = [n for n in asked_names(query, cache_dir)
             if (chinese and n in folded[0] and n not in head and not any(f in head for f in _LOCAL_FORMS.get(n, ()))
                 if is_han(n)
                 else not chinese and n in tokens[0] and n not in head_tokens)]
    if not names:
        return False
    unit = asked_unit(query.text)
    kinds = [states_unit(p, unit) for p in folded] if unit else answers_kind(query.text, list(folded))
    # (a speaker named is also quoted by title alone, as ``paragraphs`` show: "Fiona McAllister, the Post Office's
    # network director…" and then "The network director said the nine branches handled about 4,300 transactions", a
    # tester's 據Fiona McAllister所說…多少宗交易？ refused)
    def titled(i: int) -> bool:
        return any(j != i and quotes_named_by_title(query.text, named, paragraphs[i])
                   for j, named in enumerate(paragraphs))
    return not any(kind and (any(n in (p if is_han(n) else words) for n in names) or i < len(paragraphs) and titled(i))
                   for i, (p, words, kind) in enumerate(zip(folded, tokens, kinds)))


COVERAGE_MIN_UNITS = 2  # one word alone ("H200?") says nothing of what is asked about it


def coverage(units: Sequence[tuple[str, ...]], folded: Sequence[str]) -> float:
    """The largest share of ``units`` (each a tuple of forms, any of which counts) that one sentence of the
    ``folded`` paragraphs holds: a Chinese form as a substring, any other as a keyword token. 0.0 for fewer than
    ``COVERAGE_MIN_UNITS`` units. One sentence, not the paragraph: "What is the name of AMD's CEO?" finds a
    paragraph naming AMD and Nvidia's CEO, and no sentence with both."""
    if len(units) < COVERAGE_MIN_UNITS:
        return 0.0
    best = 0
    for paragraph in folded:
        for start, end in sentence_spans(paragraph, 0, len(paragraph)):
            sentence = paragraph[start:end]
            tokens: set[str] = set()  # cut only when a Latin form occurs in the sentence at all: jieba is the cost

            def holds(form: str) -> bool:
                if form not in sentence or is_han(form):
                    return form in sentence
                if not tokens:
                    tokens.update(tokenize(sentence))
                return form in tokens

            best = max(best, sum(any(holds(form) for form in forms) for forms in units))
    return best / len(units)


QUOTED_MIN = 3  # characters: two-character runs (手冲, 水温's 手) are too often found by chance


# a stretch of numerals and period words is no name (首十个月, read one character at a time, vouched for a question)
_PERIOD_CHARS = re.compile(r"[首前后头末上下一二两三四五六七八九十百千万亿零〇个月年日天周季度半]+")


def quoted_name(folded: str, paragraph: str, cache_dir: Path) -> str:
    """The longest stretch of a (folded) Chinese question that the dictionary cannot read as words, three
    characters or more, which the (folded) best ``paragraph`` writes as it stands: a person's name (郭嘉昆, 黄仁勋)
    or a product name CC-CEDICT lacks, split by its longest match into single characters. "" when there is none.
    Function words (是, 的, 谁) end a stretch."""
    out, run = "", ""
    for word in [*chinese_words(folded, cache_dir), ""]:
        if len(word) == 1 and is_han(word) and word not in STOPWORDS:
            run += word
            continue
        for n in range(len(run), max(QUOTED_MIN, len(out) + 1) - 1, -1):
            found = next((run[i:i + n] for i in range(len(run) - n + 1) if run[i:i + n] in paragraph
                          and not _PERIOD_CHARS.fullmatch(run[i:i + n])), "")
            if found:
                out = found
                break
        run = ""
    return out


def names_numbered(query: Query) -> bool:
    """Whether the question names a thing ``sibling_swaps`` reads: a model code, a numbered thing (二期, Clonee
    Three), a quarter or a month, a quoted name, a name with a point of the compass inside it (龙里东站)."""
    folded = normalize(query.text)
    return (any(_MODEL.fullmatch(t) for t in query.tokens) or bool(periods(folded, spans=False))
            or bool(numbered_things(folded)) or bool(_QUOTED.search(folded)) or bool(_DIRECTED.search(folded))
            or bool(numbered_names(query.text)))


def sibling_swaps(query: Query, paragraph: str, beside: bool = False, spans: bool = True) -> tuple[str, ...]:
    """The model codes, numbered things and periods of the question that the (folded) ``paragraph`` swaps for
    another of the same kind (``other_models``, ``numbered_siblings``, ``other_periods``); ``beside``: also those
    it names another of beside them (a paragraph comparing the H200 with the H20 is not about the H20 alone);
    ``spans``: the whole year and the first nine months count as periods (``_SPANS``)."""
    if not names_numbered(query):
        return ()
    folded = normalize(query.text)
    found = other_models(query.tokens, tokenize(paragraph), beside)
    return (found + numbered_siblings(folded, paragraph, beside) + other_periods(folded, paragraph, beside, spans)
            + other_quoted(folded, paragraph) + other_directions(folded, paragraph, beside)
            + other_numbered_names(query.text, paragraph, beside))


# a name numbered in words or digits, as English tells sites, routes, campuses and craft apart: Clonee One and Clonee
# Two, Route 4 and Route 19, Phoenix-1 (not a month's day, "June 30"; years have four digits)
_NAMED_NUMBER = re.compile(r"(?<![A-Za-z])([A-Z][a-z]{2,})[ -](one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
                           r"(?![A-Za-z0-9])", re.IGNORECASE)
_NOT_NUMBERED = frozenset("january february march april may june july august september october november december jan "
                          "feb mar apr jun jul aug sep sept oct nov dec the and for about than some only top over under "
                          "page chapter nearly around almost roughly approximately just more less fewer after before since from with into what "
                          "which when where how".split())


def numbered_names(text: str) -> dict[tuple[int, str], str]:
    """The capitalised names a question numbers (Clonee Three: (3, "clonee")), as numbered_things reads 二期."""
    out: dict[tuple[int, str], str] = {}
    for m in _NAMED_NUMBER.finditer(text):
        name, value = m.group(1), m.group(2).lower()
        if name[0].isupper() and name.lower() not in _NOT_NUMBERED:
            out.setdefault((_NUMBER_WORDS.get(value) or int(value), name.lower()), m.group(0).lower())
    return out


def other_numbered_names(question: str, paragraph: str, beside: bool = False) -> tuple[str, ...]:
    """Numbered names of the ``question`` (as written) that the (folded) ``paragraph`` lacks while it numbers the
    same name otherwise: "How many megawatts will Halvard's planned Clonee Three campus draw?" answered from the
    paragraph giving Clonee One's 90 and Clonee Two's 140 megawatts (a tester's near miss, at 0.92)."""
    out = set()
    for (number, name), written in numbered_names(question).items():
        held = {(_NUMBER_WORDS.get(v) or int(v)) for v in re.findall(rf"(?<![a-z]){re.escape(name)}[ -](one|two|three|four|"
                                                                     rf"five|six|seven|eight|nine|ten|\d{{1,2}})(?![a-z0-9])",
                                                                     paragraph)}
        if (beside or number not in held) and held - {number}:
            out.add(written)
    return tuple(sorted(out))


# a name with a point of the compass inside it, as stations, roads and districts are told apart: 龙里东站 and 龙里北站,
# 南京东路 and 南京西路 (two characters before it, one after; 北京 and 南京 open with it and are not read)
_DIRECTED = re.compile(r"(?=([\u3400-\u9fff]{2})([东西南北])([\u3400-\u9fff]))")


def other_directions(question: str, paragraph: str, beside: bool = False) -> tuple[str, ...]:
    """Names of the (folded) ``question`` with a point of the compass inside them that the (folded) ``paragraph``
    lacks while it writes the same name with another point: 龙里东站的站房面积 answered from the paragraph giving
    龙里北站's 6000平方米 (a tester's near miss)."""
    out = set()
    for m in _DIRECTED.finditer(question):
        before, point, after = m.groups()
        name = before + point + after
        if (beside or name not in paragraph) and any(before + other + after in paragraph
                                                     for other in "东西南北" if other != point):
            out.add(name)
    return tuple(sorted(out))


# a name in quotation marks, as Chinese news quotes pandas, typhoons and schemes: 「晴晴」, “蝴蝶”
_QUOTED = re.compile(r"[「“『\"]([\u3400-\u9fff]{2,6})[」”』\"]")


def quoted_names(folded: str) -> list[str]:
    """The names a (folded) text quotes (``_QUOTED``)."""
    return [m.group(1) for m in _QUOTED.finditer(folded)]


def other_quoted(question: str, paragraph: str) -> tuple[str, ...]:
    """Names the (folded) ``question`` quotes that the (folded) ``paragraph`` lacks while it quotes another as long:
    大熊猫「晴晴」的幼仔 answered from the paragraph on “青青”'s twins (a tester's near miss), sharing fewer than half its
    characters. A paragraph quoting no name is not judged: the one giving typhoon “蝴蝶”'s injuries need not name it
    again."""
    theirs = set(quoted_names(paragraph))
    # another name, not the same one written otherwise: XQuAD's "华沙纪念剧院" for its paragraph's “波兰纪念剧院”
    return tuple(sorted({q for q in quoted_names(question) if q not in paragraph and any(
        len(t) == len(q) and 2 * len(set(t) & set(q)) < len(q) for t in theirs)}))


_SENTENCE_END = re.compile(r"[!?。！？]")
_CLAUSE = re.compile(r"[,;:，；：]")


def names_alone(query: Query, paragraph: str) -> bool:
    """Whether a clause of the (folded) ``paragraph`` names one of the question's numbered things (a model, 一期, a
    quarter) with no sibling beside it, and it or a clause after it in its sentence, before one naming another
    numbered thing, another of the question's words: 一期园区成人票价为每张328元, in a paragraph going on
    一期加二期联票为每张398元, is about phase one's ticket, 二期工程将于2027年底建成，投资约58亿元，届时全基地年产能将提升至30GWh
    about the whole site once phase two is built; "H200的综合性能约为H20的6倍" is not about the H20 alone."""
    folded = normalize(query.text)
    models = {t for t in query.tokens if _MODEL.fullmatch(t)}
    things, quarters = set(numbered_things(folded)), periods(folded, spans=False)
    # and says something the question asks about: "H20也好，H200也罢" names the H20 alone in a clause of no content
    words = _asked_words(query)
    for sentence in _SENTENCE_END.split(paragraph):
        clauses = _CLAUSE.split(sentence)
        for i, clause in enumerate(clauses):
            named = models & set(tokenize(clause)) or things & set(numbered_things(clause)) or quarters & periods(clause)
            if not named or sibling_swaps(query, clause, beside=True):
                continue
            # (a clause in the other language holds none of the question's words as written: the name must do)
            if query.chinese != bool(_HAN.search(clause)):
                return True
            for n, after in enumerate(clauses[i:]):
                if n and names_something_numbered(after):
                    break
                if any(w in after for w in words):
                    return True
    return False


def _asked_words(query: Query) -> set[str]:
    """The question's content words other than its numbered things and years: what it asks about them."""
    return {t for t in query.tokens if len(t) > 1 and t not in STOPWORDS and t not in ENGLISH_STOPWORDS
            and not _MODEL.fullmatch(t) and not numbered_things(t) and not YEAR.fullmatch(t)}


def sibling_amount(query: Query, paragraphs: Sequence[str]) -> tuple[str, ...]:
    """The siblings that the (folded) ``paragraphs`` of one article give the amount a question asks of one of its
    numbered things (a model, 二期, a quarter, 龙里东站 beside 龙里北站), when no clause of theirs gives it of the
    question's own or of none in particular: "鸿雁A8的售价是多少？" over 鸿雁A6的建议售价为每架18.8万元，首批500架将于
    11月交付；鸿雁A8计划明年一季度量产 (a tester's near miss, cited at 0.96). A clause belongs to the thing it names, or
    the last one named before it in its paragraph (a thing of another kind, such as a month, changes nothing); one
    naming both could be about the asked one, and so could one following no name if it holds another word of the
    question (not 龙里县境内规划有两座车站 for 龙里东站's passengers). The amount is a sum of money for a money
    question, else any that is no date (``qa.text.answer_type``)."""
    if not paragraphs or not asks_amount(query.text) or not names_numbered(query):
        return ()
    states = states_money if asks_money(query.text) else states_quantity
    folded = normalize(query.text)
    models = {t for t in query.tokens if _MODEL.fullmatch(t)}
    things, quarters = set(numbered_things(folded)), periods(folded, spans=False)
    directed = {"".join(m.groups()) for m in _DIRECTED.finditer(folded)}
    words = {w for w in _asked_words(query) if not any(w in name for name in directed)}  # (龙里 names both stations)
    siblings: set[str] = set()
    for paragraph in paragraphs:
        owner: str | None = None  # "asked", or the sibling a clause names
        for sentence in _SENTENCE_END.split(paragraph):
            for clause in _CLAUSE.split(sentence):
                # (another kind of thing, such as 11月交付, changes nothing)
                if names_something_numbered(clause) or _DIRECTED.search(clause):
                    if (models & set(tokenize(clause)) or things & set(numbered_things(clause))
                            or quarters & periods(clause) or any(d in clause for d in directed)):
                        owner = "asked"
                    # (not a span: a closing 去年全年… took the amount from a half year's list the first hits lacked;
                    # nor a date a count runs to: 自十月一日…以來，截至十一月底…交易金額達新臺幣十七億元 is since October,
                    # a tester's question refused for November's amount)
                    elif (not _AS_OF.search(clause) and not _EVENT_MONTH.search(clause)
                          and sibling_swaps(query, clause, beside=True, spans=False)):
                        owner = _sibling_named(clause, query)
                if states(clause):
                    if owner == "asked" or owner is None and any(w in clause for w in words):
                        return ()
                    if owner is not None:
                        siblings.add(owner)
    return tuple(sorted(siblings))


_AS_OF = re.compile(r"截至|截止|\bas of\b|\bas at\b")
# a month that dates an event, no period of figures: 今年三月开通的冷链集装箱班轮 (a tester's "How much durian did Guangxi's
# ports import from Malaysia in the first ten months of the year?" was refused for the line's 七十小时 in the next sentence),
# "the line opened in March"
_EVENT_MONTH = re.compile(r"月(?:份|[一二三四五六七八九十\d]{1,3}[日号])?(?:正式|起)?(?:开通|启用|开幕|开业|落成|投用|投产|上线|推出|通车)"
                          r"|\b(?:opened|launched|began|started|introduced) (?:in|on) (?:january|february|march|april|may|june|july|"
                          r"august|september|october|november|december)\b")


def _sibling_named(clause: str, query: Query) -> str:
    """What a (folded) clause that swaps the question's numbered thing names instead (a6 for a8, 一期 for 二期)."""
    asked = {t for t in query.tokens if _MODEL.fullmatch(t)}
    found = [t for t in tokenize(clause) if _MODEL.fullmatch(t) and t not in asked]
    directed = [name for m in _DIRECTED.finditer(clause) if (name := "".join(m.groups())) not in normalize(query.text)]
    return (found[0] if found else next(iter(numbered_things(clause).values()), None) or next(iter(periods(clause)), None)
            or next(iter(directed), "another"))


def names_something_numbered(folded: str) -> bool:
    """Whether a (folded) text names a model code, a numbered thing or a period, any of them."""
    return any(_MODEL.fullmatch(t) for t in tokenize(folded)) or bool(numbered_things(folded)) or bool(periods(folded))


_HAN = re.compile(r"[\u3400-\u9fff]")


def other_models(question: Sequence[str], paragraph: Sequence[str], beside: bool = False) -> tuple[str, ...]:
    """Model codes among the ``question``'s tokens that the best ``paragraph`` (its tokens) lacks while it names
    another model of the same line: "H20芯片的显存容量" answered from a paragraph giving the H200's 141GB. A
    paragraph naming no model at all ("该芯片", the chip) is not judged."""
    line = {t: m.group(1) for t in set(paragraph) if (m := _MODEL.fullmatch(t))}
    return tuple(sorted(t for t in set(question) if (m := _MODEL.fullmatch(t)) and (beside or t not in line)
                        and any(other != t and prefix == m.group(1) for other, prefix in line.items())))


# a numbered thing of one kind: 九价 (nine-valent), 5号线 (line 5), 二期 (phase two), 第51届, 第三代 (not 哪一届), 第二段
# (section two; 一段 alone is "a stretch"); in English, phase two, the second phase, section 2, line 5
# (not 上一届, 下一期: the last and the next, numbering none: a tester's 台中合唱大赛的参赛团数比上一届多了多少？ was refused over
# a story numbering its 第十届)
_NUMBERED = re.compile(r"(?<![哪几幾上下])(?<![上下]第)([0-9一二两三四五六七八九十]+)(价|号线|期|届|代)|第([0-9一二两三四五六七八九十]+)(段)")
_NUMBERED_EN = re.compile(r"\b(phase|stage|section|line)[- ](\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b"
                          r"|\b(first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th)[- ](phase|stage|section)\b")
_KIND_EN = {"phase": "期", "stage": "期", "section": "段", "line": "号线"}
# a craft or a ship numbered by name (凤凰一号, 天宫二号): its kind is the name, for 一号 alone also counts berths and
# days; in Chinese numerals only (3号 is a day or a door number)
_NAMED_ZH = re.compile(r"([\u3400-\u9fff]{2})([一二两三四五六七八九十]+)号(?!线)")
# a funding round, lettered: A轮 and "Series A" are one. (Not the seed or angel round: an English question's seed
# round over a Chinese lead reporting the A round was refused, its own paragraph further than year_first reaches.)
_ROUND = re.compile(r"(?<![a-z0-9])([a-f])\+?\s*轮|\bseries[- ]([a-f])\b")
_NUMBER_WORDS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten".split(), 1)} | {
    w: n for n, w in enumerate("first second third fourth fifth sixth".split(), 1)} | {
    w: n for n, w in enumerate("1st 2nd 3rd 4th 5th 6th".split(), 1)}


def numbered_things(folded: str) -> dict[tuple[int, str], str]:
    """The numbered things a (folded) text names, either language, as (number, kind) -> how it writes the first:
    二期 and "phase two" are (2, "期"), 第二段 and "Section 2" (2, "段"), C轮 and "Series C" (3, "轮")."""
    out: dict[tuple[int, str], str] = {}
    for m in _NUMBERED.finditer(folded):
        out.setdefault((chinese_number(m.group(1) or m.group(3)), m.group(2) or m.group(4)), m.group(0))
    for m in _NUMBERED_EN.finditer(folded):
        kind, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.setdefault((_NUMBER_WORDS.get(value) or int(value), _KIND_EN[kind]), m.group(0))
    for m in _NAMED_ZH.finditer(folded):
        out.setdefault((chinese_number(m.group(2)), m.group(1) + "号"), m.group(0))
    for m in _ROUND.finditer(folded):
        out.setdefault((ord(m.group(1) or m.group(2)) - ord("a") + 1, "轮"), m.group(0))
    return out


def unnumbered_sibling(question: str, article: str) -> tuple[str, ...]:
    """Numbered things of the (folded) ``question`` (三期, line 5) that the (folded) ``article`` of the first passage
    never names while it numbers others of the same kind: the article is about phases one and two, and phase three
    is a near miss wherever its first paragraph stands. A tester's "新竹再生水廠第三期預計何時完工？" was answered from
    the lead of a story whose table gives the first phase and the second (the lead names no phase: ``numbered_siblings``,
    which reads the first paragraph only, had nothing to compare)."""
    held = numbered_things(article)
    return tuple(sorted({name for key, name in numbered_things(question).items()
                         if key not in held and any(k == key[1] and n != key[0] for n, k in held)}))


def unnamed_period(question: str, article: str) -> tuple[str, ...]:
    """Quarters and halves of the (folded) ``question`` that the (folded) ``article`` of the first passage never names
    while it names others of the same kind (or a span of them: 前三季度): ``unnumbered_sibling``'s periods. Testers'
    "How fast did Guangdong's residential electricity consumption grow in the fourth quarter?" and 九龙电力第四季度的售电量
    增长了多少？ were answered from paragraphs naming no quarter, of stories giving the first three quarters'. Not a
    month: a story gives many a date."""
    held = periods(article)
    return tuple(sorted(p for p in periods(question, spans=False) if p[0] in "qh" and "-" not in p and p not in held
                        and any(h[0] == p[0] for h in held)))


def numbered_siblings(question: str, paragraph: str, beside: bool = False) -> tuple[str, ...]:
    """Numbered things of the (folded) ``question`` (九价, 5号线, 二期, section 2) that the best (folded)
    ``paragraph`` lacks while it numbers another of the same kind, in either language: "成都九价HPV疫苗每剂多少钱？"
    answered from the paragraph of the bivalent (二价) vaccine's price, "二期总投资" from phase one's (一期), "How much
    did the Section 2 repairs cost?" from 第三段's budget. The counterpart of ``other_models``; 9价, 九价 and
    "phase nine" are one number."""
    held = numbered_things(paragraph)
    return tuple(sorted({name for key, name in numbered_things(question).items()
                         if (beside or key not in held) and any(k == key[1] and n != key[0] for n, k in held)}))


# A quarter or a half of a year, as either language writes it (folded text): Q2, 2Q, second quarter, 第二季度, 二季度,
# 第二季; H1, first half, 上半年. 四季 alone is the four seasons: a Chinese quarter needs 第 or 度.
_PERIODS = (
    (re.compile(r"\bq([1-4])\b|\b([1-4])q\b|\b(first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?quarter"
                # (not a crop's season: 第二季榴莲收成, 越南第二季榴莲上市, a tester's question refused as asking Q2)
                r"|第([一二三四1-4])季(?:(?=度)|(?![\u4e00-\u9fff]{0,3}(?:收成|收获|采收|上市|稻)))"
                r"|(?<![第一二三四1-4])([一二三四1-4])季度"), "q"),
    (re.compile(r"\bh([12])\b|\b(first|second)[- ]half\b|(上)半年|(下)半年"), "h"),
    # a month (10月, 十一月, October, Oct.; "may" and "march" only before a number or after "in", "since", "by"…: "since
    # March" in a tester's answer to 三月以來新聘了多少名考官？ read as no month, the question's a sibling's): not 3个月, a span
    (re.compile(r"(?<![\d一二三四五六七八九十])(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月(?!份?[以之]?[前后後内內])"
                r"|\b(january|february|april|june|july|august|september|october|november|december"
                r"|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\b(?!-)|\b(may|march)\b(?=\s+\d)"
                r"|\b(?:in|since|from|by|until|till|before|after|of|early|late|mid) (may|march)\b"),
     "m"),
)
_MONTHS = {m: n for n, m in enumerate("january february march april may june july august september october november "
                                      "december".split(), 1)}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "上": 1, "下": 2,
             **_MONTHS, **{m[:3]: n for m, n in _MONTHS.items()}, "sept": 9}
_MONTH_ZH = r"(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])"
_MONTH_NAME_ZH = re.compile(rf"{_MONTH_ZH}月")  # a name candidate: 五月 (8月 is no dictionary word)
_LIFESPAN = re.compile(r"\((?:c\. )?\d{3,4}\s*-\s*(?:c\. )?\d{2,4}\)")  # a person's sense: "Stamford Raffles (1781-1826)"
_WEEKDAY_ZH = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]")
# the place a local story leaves unnamed, by the words its own press writes for it (folded)
_LOCAL_FORMS = {"香港": ("全港", "本港", "港府", "港人"), "澳门": ("全澳", "本澳", "澳府"), "台湾": ("全台", "全岛")}
_MONTH_EN = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH_DAY = re.compile(rf"\b{_MONTH_EN}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"
                        rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_EN}\b")
# months from one to another (1至11月, 1-11月, January to November) are a period of their own: 1至11月's exports are
# not November's, and November's are not what "January to November" asks
_MONTHS_RANGE = re.compile(rf"(?<!\d){_MONTH_ZH}月?(?:份)?\s*(?:至|到|-|－|—|~|～)\s*{_MONTH_ZH}月"
                           # ("from July to mid-August": a tester's question was refused for 七月至八月中旬, read as
                           # another span)
                           rf"|\b{_MONTH_EN}\s*(?:to|through|until|-|–|and)\s*(?:(?:mid|early|late)[- ])?{_MONTH_EN}\b")
# the first months of a year (前十月, 首十个月, "the first ten months"): January to the tenth, not October
# (a year's: 今年前十月, or opening a clause; not 提前12个月, twelve months ahead)
_FIRST_MONTHS = re.compile(r"(?:(?<=年)|(?<![\u4e00-\u9fff]))(?:前|首)(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])(?:个|個)?月"
                           r"|\bfirst (\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) months\b")
_MONTH_COUNTS = {w: n for n, w in enumerate("two three four five six seven eight nine ten eleven twelve".split(), 2)}


# A span of a year that reports give beside its quarters and halves, as the periods of each kind it covers: the
# whole year (全年, full-year, "2025 as a whole") and the first three quarters (前三季度, the first nine months). A
# third quarter's figure is not the nine months' nor the year's, and a question asking the year's is not answered
# by a quarter's: a tester's "How many tonnes of Korla pears were exported in the third quarter?" cited
# 去年全年，库尔勒香梨出口3.4万吨 above the paragraph giving 第三季度's 1.1万吨.
_SPANS = (
    (re.compile(r"全年(?!无休|無休)|\bfull[- ]year\b|\bthe whole (?:of the )?year\b|\bas a whole\b"),
     ("q1-4", "h1-2", "m1-12")),
    (re.compile(r"前三(?:个|個)?季度?|\bfirst three quarters\b|\bnine months\b"), ("q1-3", "m1-9")),
)
# month ranges that are quarters or halves: "between July and September" is the third quarter
_MONTH_SPANS = {"m1-3": ("q1",), "m4-6": ("q2",), "m7-9": ("q3",), "m10-12": ("q4",), "m1-6": ("h1",), "m7-12": ("h2",),
                "m1-9": ("q1-3",), "m1-12": ("q1-4", "h1-2")}


def periods(folded: str, spans: bool = True) -> set[str]:
    """The quarters, halves and months of a year that a (folded) text names, as q1-q4, h1-h2, m1-m12, month
    ranges as m1-11, and with ``spans`` those of ``_SPANS`` as the ranges of each kind they cover (q1-3 and m1-9).
    A question's are read without: a year's figure is often written without saying so beside a quarter's, "net
    sales of €31.6 billion for 2025" in the paragraph giving the fourth quarter's, and "艾司摩爾2025年全年營收是多少？"
    was refused for it."""
    out = set()
    for m in _MONTHS_RANGE.finditer(folded):
        first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        span = f"m{_ORDINALS.get(first) or chinese_number(first)}-{_ORDINALS.get(last) or chinese_number(last)}"
        out.update((span, *_MONTH_SPANS.get(span, ())))
    folded = _MONTHS_RANGE.sub(" ", folded)
    for m in _FIRST_MONTHS.finditer(folded):
        count = _MONTH_COUNTS.get(m.group(2)) or chinese_number(m.group(1) or m.group(2))
        if 1 < count <= 12:
            out.update((f"m1-{count}", *_MONTH_SPANS.get(f"m1-{count}", ())))
    folded = _FIRST_MONTHS.sub(" ", folded)
    for pattern, spans_of in _SPANS:
        if pattern.search(folded):
            out.update(spans_of if spans else ())
            folded = pattern.sub(" ", folded)
    for pattern, kind in _PERIODS:
        for m in pattern.finditer(folded):
            value = next(g for g in m.groups() if g)
            out.add(f"{kind}{_ORDINALS.get(value) or chinese_number(value)}")
    return out


# a period a change is measured from ("up 23 per cent on the June quarter", 比上季度, 比三月): the paragraph's figure is
# another period's, and a tester's 悉尼渡轮九月季度一共取消了多少个班次？ ranked "A total of 1,046 services were
# cancelled in the quarter, up 23 per cent on the June quarter" behind every other paragraph for swapping September
_MONTH_WORDS = "january|february|march|april|may|june|july|august|september|october|november|december"
_BASE_PERIOD = re.compile(
    r"(?P<change>\b(?:up|down|rose|rise[sn]?|grew|grow[sn]?|fell|fall(?:s|en)?|higher|lower|more|fewer|less|increased?"
    r"|decreased?|dropped|declined?)\b(?:[^.;]|\.(?=\d)){0,60}?\b)(?:on|from|than|over|compared (?:with|to)) "
    rf"(?:the |a |its )?(?:same )?(?:(?:{_MONTH_WORDS})(?: quarter)?"
    r"|(?:first|second|third|fourth|previous|last) (?:quarter|half))\b"
    r"|[比较](?:今年|去年|上年)?(?:第?[一二三四1-4]季度?|(?:1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月(?!份?[以之]?[前后後内內])"
    r"|[上下]半年|上季度?|上月)")


def _without_base_periods(folded: str) -> str:
    """``folded`` less the periods its changes are measured from (``_BASE_PERIOD``), the change words kept."""
    return _BASE_PERIOD.sub(lambda m: f"{m.group('change') or ''} ", folded)


def other_periods(question: str, paragraph: str, beside: bool = False, spans: bool = True) -> tuple[str, ...]:
    """Quarters, halves or months the (folded) ``question`` names that the best (folded) ``paragraph`` lacks while it
    names another of the same kind: "Valdris's net profit in the second quarter" answered from its third quarter's
    results (a held-out tester's near miss), 第二季度营收 from 第三季度's, 台灣10月出口金額 from 11月's. A paragraph
    naming none is not judged.
    The periods' counterpart of ``other_models`` and ``numbered_siblings``, in either language."""
    # (a period named as a change's base may be the one asked, 环比二季度的61万单 for the second quarter's orders, but is
    # no sibling swapped for it)
    held, own = periods(paragraph, spans), periods(_without_base_periods(paragraph), spans)
    return tuple(sorted(p for p in periods(question, spans=False) if (beside or p not in held)
                        and any(h[0] == p[0] and h != p for h in own)))


# what a change is measured against: the same period a year before (同比, "year on year") or the one before (环比,
# "month on month", "from September")
_BASES = (
    ("year-on-year", re.compile(r"同比|按年|年增|[较比](?:去|前一|上一)年|去年同[期月季]|上年同期|\byear[- ]on[- ]year\b|\ba year "
                                r"(?:earlier|before|ago)\b|\bsame (?:period|month|quarter) (?:of |a )?last year\b"
                                # "up 12% from the year before" answers 比前一年增长了多少？ (a tester's, refused)
                                r"|\b(?:from|on|than|over) the (?:year before|(?:previous|prior|preceding) year)\b"
                                # ("season pass sales had risen 12 per cent from last year", a tester's answer)
                                r"|\b(?:from|on|than|over|compared (?:with|to)) last year\b")),
    # (not 去年同月增加: the same month a year before)
    # ("from September" after a change only: "…will issue 320 licences from January" gives no base, and a tester's
    # "How many new hawker licences will Hong Kong … issue from January?" was refused for asking month on month)
    ("month-on-month", re.compile(r"环比|按月|(?<!同)月增|[较比]上月|\bmonth[- ]on[- ]month\b|\ba month "
                                  r"(?:earlier|before)\b|\bfrom the previous month\b|\b(?:rose|rise[sn]?|grew|grow[sn]?|"
                                  r"growth|increase[sd]?|up|down|fell|fall(?:s|en)?|dropped|drops?|declined?|declines|higher|"
                                  r"lower|more|less|fewer|change[sd]?)\b(?:[^.;]|\.(?=\d)){0,80}?\b(?:from|than) (?:january|february|march|april|"
                                  r"may|june|july|august|september|october|november|december)\b(?! to\b| through\b)")),
)


def bases(folded: str) -> set[str]:
    """The bases of the changes a (folded) text gives or asks: "year-on-year", "month-on-month"."""
    return {name for name, pattern in _BASES if pattern.search(folded)}


def other_bases(question: str, paragraphs: Sequence[str]) -> tuple[str, ...]:
    """The bases of change the (folded) ``question`` asks that none of the (folded) first ``paragraphs`` gives while
    one gives the other: testers' "By how much did Hangzhou's daily ride-hailing orders grow month on month in
    September?" was answered with 同比增长15.6%, 优步在台北10月的行程量环比增长了多少？ with "up from 19% a year earlier".
    Any of the first paragraphs: "Hawker food prices rose 0.5 per cent from September" answers 环比 second."""
    held = [bases(p) for p in paragraphs]
    return tuple(sorted(b for b in bases(question) if any(held) and not any(b in h for h in held)))


# what English glues to a number, one token with it: an ordinal or a decade (15th, 1970s) and a unit (25p, 5km): a
# tester's 威尔士的塑料袋最低收费从哪一天起提高到25便士？ was refused over "…will rise to 25p from April 6"
_AREA_OR_VOLUME = re.compile(r"[kcm]?m[23]")
_NUMBER_ENDS = ("st", "nd", "rd", "th", "s", "p", "km", "kg", "m", "cm", "mm", "ml", "g", "kw", "mw", "gw", "kwh", "gb",
                "tb", "bn", "k", "h", "mph")


def unknown_codes(view: StoreView, query: Query) -> tuple[str, ...]:
    """Numbers and model codes of the question that no passage has. Languages write some numbers differently: an
    ordinal or a decade is known by its digits and the reverse (15th: 15世纪, 1970s: 1970年代; 第33届: 33rd or
    Super Bowl XXXIII), a clock time by its hour (8pm: 7月5日20时, a tester's question refused for it), and a
    number before million, billion, 万 or 亿 is not judged (66 million: 6600万), else XQuAD refused 12 answerable
    English questions over Chinese text and 3 Chinese questions over English text for them; a number of ten
    thousand or more is known by its count of 万 or 亿 (12,000: 1.2万), and any number by its Chinese words
    (``chinese_forms``: 3,400 by 三千四百, 60% by 六成)."""
    folded = normalize(query.text)
    scaled = set(_SCALED.findall(folded))
    months = {int(p[1:]) for p in periods(folded, spans=False) if p.startswith("m") and "-" not in p}
    days = {d for m in _MONTH_DAY.finditer(folded) for d in m.groups() if d and d.isdigit()}

    def known(t: str) -> bool:
        if view.term_idf(t) > 0 or t in scaled:
            return True
        # a day of a month as Chinese writes it: "by May 10" over 截至五月十日 (a tester's question refused for its 10)
        if t in days and any(written_somewhere(view, form + end) for form in (t, *chinese_forms(t)) for end in "日号"):
            return True
        if t.isdigit() and int(t) in months and month_written(view, int(t)):  # 8月 over "August"
            return True
        if _PERIOD.fullmatch(t):  # Q3, H1, FY2024: a period a library writes in words (third quarter, 第三季度)
            kind = "fy" if t.startswith("fy") else "q" if "q" in t else "h"
            return any(view.term_idf(word) > 0 for word in PERIOD_WORDS[kind])
        digits = _ORDINAL.fullmatch(t)
        if digits is not None:
            # (or as Chinese counts an edition: "the 16th China International Aviation and Aerospace Exhibition" over
            # 第十六届, a tester's question refused)
            return view.term_idf(digits.group(1)) > 0 or any(written_somewhere(view, "第" + form)
                                                             for form in chinese_forms(digits.group(1)))
        if _AREA_OR_VOLUME.fullmatch(t):  # km², m³: a unit, no code
            return True
        clock = _CLOCK.fullmatch(t)
        if clock is not None:  # 8pm: Chinese writes 20时 or 晚上8点, English 8 p.m. or 20:00
            hour = int(clock.group(1))
            hours = (hour, hour + 12 if clock.group(2) == "p" and hour < 12 else hour)
            # or in Chinese numerals: "…stay open until 2am" over 延長營業至凌晨二時 (a tester's, refused)
            return any(view.term_idf(str(h)) > 0 or any(written_somewhere(view, form + end) for form in chinese_forms(str(h))
                                                        for end in ("时", "点")) for h in hours)
        # 12,000 or 86,000 as Chinese writes them, 1.2万 and 8.6万 (its number a token of its own), 250,000,000 as 2.5亿:
        # a tester's "合肥紧急转移安置12,000名群众后…" was refused from the paragraph that says 1.2万人
        scaled_forms = [f"{int(t) / unit:g}" for unit in (10_000, 100_000_000) if t.isdigit() and int(t) >= unit]
        if t.isdigit() and (any(view.term_idf(t + end) > 0 for end in _NUMBER_ENDS)
                            or view.term_idf(roman(int(t))) > 0 or any(view.term_idf(f) > 0 for f in scaled_forms)):
            return True
        # or in Chinese words: "What share of Zhoushan's 3,400 registered sea fishing boats…?" over 三千四百艘 (a tester's
        # question refused), 1.8 over 一點八, 60% over 逾六成, 43% over 四成三; a share in English ones: 71% over "71 per
        # cent", 50% over "nearly half" (testers' Chinese questions refused over English articles)
        # (a year digit by digit too: 2018 over 二〇一八年)
        # (a code's letters and number written apart: SPF50+ over "SPF 50+", a tester's, refused)
        apart = [f"{m.group(1)} {m.group(2)}"] if (m := re.fullmatch(r"([a-z]+)(\d+)", t)) else []
        # (and a hotline's number so: 12345 over 一二三四五, a tester's, refused)
        by_digit = YEAR.fullmatch(t) or t.isdigit() and len(t) > 4
        spelled = (spelled_year(t), spelled_year(t).replace("〇", "零")) if by_digit else ()
        return any(written_somewhere(view, form) for form in (*chinese_forms(t), *english_forms(t), *spelled, *apart))

    return tuple(sorted(t for t in set(query.tokens) if _CODE.search(t) and not known(t)))


def month_written(view: StoreView, month: int) -> bool:
    """Whether some passage names the ``month`` (1-12) in English ("August", "Aug") or as Chinese digits do (8月: a
    keyword term 8): a Chinese question's 8月 or 五月 over an English article that writes August or May."""
    name = next(m for m, n in _MONTHS.items() if n == month)
    return any(view.term_idf(form) > 0 for form in (name, name[:3], str(month)))


def roman(n: int) -> str:
    """``n`` in lower-case Roman numerals ("" outside 1-3999)."""
    if not 0 < n < 4000:
        return ""
    out = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


_BODY_KIND = re.compile(r"(ministry|department|bureau|office|agency|administration|authority) (?:of|for) "
                        r"([a-z][a-z ]+)")
_BODY_KINDS = ("ministry", "department", "bureau", "office", "agency", "administration", "authority")


def other_kinds(body: str) -> list[str]:
    """A government body's (folded) name as English names it with each other kind of body: "ministry of education"
    as "department for education", "education department", "bureau of education"…; [] for no such name."""
    m = _BODY_KIND.fullmatch(body)
    if not m:
        return []
    rest = m.group(2)
    return [form for kind in _BODY_KINDS if kind != m.group(1)
            for form in (f"{kind} of {rest}", f"{kind} for {rest}", f"{rest} {kind}")]


def unknown_names(view: StoreView, query: Query, cache_dir: Path, known: Container[str] = ()) -> tuple[str, ...]:
    """Names in a Chinese question that no passage has: words CC-CEDICT lists only as proper nouns (欧盟, 英超),
    and companies it names though the word has a common sense too (三星: Samsung, and three stars), as English
    questions' companies are read (``unknown_companies``).

    A name (``name_candidates``) is known when some passage writes it, as itself, as the Latin name the
    dictionary gives it (美国宇航局: NASA; 三星: Samsung) or, for a company, as another of its Chinese names.

    English questions: the companies they name (``unknown_companies``) and the places the dictionary knows
    (``unknown_places``) unless ``known`` (words the translation found written: Haifeng of "Liu Haifeng", a
    person the article writes 刘海峰, no county 海丰), no other names. Measured on XQuAD en->zh (every
    question answerable): a capitalised word whose dictionary forms no passage writes refused 5% of them
    (Melbourne, Methodist, Chinese); only whole dictionary names (Samsung, Lady Gaga, UK, Indian, January) still
    2.7% (the articles write 女神卡卡, 印度, 1月): a dictionary gives other forms than articles use. Companies alone
    refused none of them.
    """
    if not query.chinese:
        places = [p for p in unknown_places(view, query.text, cache_dir) if p not in known]
        return tuple(sorted({*unknown_companies(view, query.text, cache_dir), *places}))
    entries = by_simplified(cache_dir)
    firms, forms, places = company_names(cache_dir), companies(cache_dir), place_names(cache_dir)

    def known(name: str) -> bool:
        if view.term_idf(name) > 0:
            return True
        if month := _MONTH_NAME_ZH.fullmatch(name):  # 五月 (a band's name too) over an article that writes May
            return month_written(view, chinese_number(month.group(1)))
        if _WEEKDAY_ZH.fullmatch(name):  # a day of the week is no name (周日 over "Sundays"), in English neither
            return True
        # Hong Kong, Macau or Taiwan as their own press writes them: 全港, 本港 (a Hong Kong story that never writes 香港)
        if any(written_somewhere(view, form) for form in _LOCAL_FORMS.get(name, ())):
            return True
        # the tables below take ~2 s to build, once a process: only for a name the library does not write as such
        common, everyday = description_words(cache_dir)
        linked = other_names(cache_dir)
        # Its Latin names as the senses give them, not the words descriptions are made of: 海南 ("Hainan Province,
        # in the South China Sea, … Hainan District of Wuhai City") was known wherever an English article wrote
        # China or City, 比亚迪 ("BYD Company") wherever one wrote company. A rarer capitalised word counts alone (a
        # sense names Temüjin as Temujin, Genghis Khan beside it); a name of everyday words (the West, Song
        # dynasty, Communist Party of China) when the library writes each of them. Senses that give no name of
        # their own (中医: "traditional Chinese medical science") are read as before, any capitalised word.
        glosses = tuple(g for e in entries.get(name, ()) for g in e.glosses)
        owns = own_names(glosses)
        own = {w for n in owns for w in n.split()}
        # a place by its own name alone: "Glasgow, Scotland" (格拉斯哥) is not known where an article writes Scotland
        # (格拉斯哥市议会明年将开设多少所托儿中心？ was answered from Edinburgh's)
        place = any(name in places.get(n, ()) for n in owns)
        # (nor, for a person, a place their description names: 莱佛士, "Stamford Raffles (1781-1826) … founder of the
        # city of Singapore", was known over a Singapore story that never writes Raffles, and a tester's
        # 新加坡莱佛士酒店的婚宴每席多少钱？ answered with the average banquet's price)
        person = any(_LIFESPAN.search(g) for g in glosses)
        latin = {form for w in {w.lower() for g in glosses for w in CAPITALISED.findall(g)}
                 if (w not in common or w in own and w not in everyday or not owns) and (not place or w in own)
                 and not (person and w not in own and w in places)
                 for form in demonyms(w)}
        whole = any(all(view.term_idf(w) > 0 for w in words) for n in owns
                    if (words := [w for w in n.split() if w not in ENGLISH_STOPWORDS]))
        # (a mountain range as English shortens it: the Rocky Mountains, 落基山, as the Rockies; a tester's question was
        # refused over "Food Bank of the Rockies")
        whole = whole or any(view.term_idf(re.sub(r"y$", "ie", words[0]) + "s") > 0 for n in owns
                             if len(words := n.lower().split()) == 2 and words[1] == "mountains")
        # a government body by another kind's name: 教育部, the dictionary's "Ministry of Education", is South Australia's
        # "Department for Education" (a tester's 谁是南澳大利亚州教育部负责成人与社区教育的主管？ was refused)
        whole = whole or any(written_somewhere(view, form) for g in glosses for form in other_kinds(g.lower()))
        # a currency by its own word: 泰铢 is the dictionary's "Thai baht", a Thai story's "32 million baht" (a tester's
        # 华富里新建的猴子围栏花了多少泰铢？ was refused)
        whole = whole or any(len(words := g.lower().split()) <= 3 and words[-1] in CURRENCY_NAMES
                             and view.term_idf(words[-1]) > 0 for g in glosses)
        # a company's other Chinese names too: 阿斯麦 asked where the article writes Taiwan's 艾司摩爾; and a place's
        # (蒙特娄, Taiwan's Montreal, where one writes 蒙特利尔)
        return (whole or any(view.term_idf(w) > 0 for w in latin) or written_somewhere(view, name)
                or place and any(written_somewhere(view, other) for n in owns for other in places.get(n, ())
                                 if other != name)
                or any(written_somewhere(view, other) for firm in firms.get(name, ()) for other in (firm, *forms[firm]))
                or any(written_somewhere(view, other) for other in linked.get(name, ()))  # 文革: 文化大革命
                or names_a_place_within(name) or in_cantonese(name) or calqued(name))

    def calqued(name: str) -> bool:
        # a name translated word by word from the English the library writes: 三河 of "the Three Rivers Cleanup
        # Alliance" (匹兹堡三河清理联盟的执行董事是谁？, a tester's, was refused over the alliance's paragraph)
        if not 2 <= len(name) <= 3:
            return False
        words = [[w for e in entries.get(c, ()) for g in e.glosses[:3]
                  if re.fullmatch(r"[a-z]+", w := re.sub(r"^to ", "", g))] for c in name]
        if not all(words):
            return False
        return any(written_somewhere(view, " ".join(phrase[:-1] + (end,)))
                   for phrase in itertools.product(*words) for end in (phrase[-1], phrase[-1] + "s"))

    def _after_known_surname(folded: str, name: str) -> bool:
        # a given name after a surname the library knows is that person's, written by sound in the other language:
        # 中村惠子 over "Dr Keiko Nakamura" (惠子 is the dictionary's philosopher Hui-zi; a tester's, refused)
        # (a surname of two characters, as Japan's are: one character is a word as often, 年 of 今年北京 "surname Nian")
        at = folded.find(name)
        surname = folded[at - 2:at] if at >= 2 else ""
        return (is_han(surname) and any("surname" in g for e in entries.get(surname, ()) for g in e.glosses)
                and known(surname))

    def in_cantonese(name: str) -> bool:
        # a Hong Kong place or person as its English articles write it: 南昌 is Nam Cheong there, no Nanchang
        return any(len(found.split()) == len(name) for found in cantonese_names(view, name))

    def names_a_place_within(name: str) -> bool:
        # by its other names too: 英国 is "abbr. for England 英格兰", and the Lake District and Lancashire are England's
        names = [name, *(other for other in other_names(cache_dir).get(name, ()) if len(other) > 1)]
        return writes_a_place_within(view, [own for n in names for own in own_names(
            tuple(g for e in entries.get(n, ()) for g in e.glosses))], cache_dir)

    folded = normalize(query.text)
    proper = names_and_companies(cache_dir)
    names = name_candidates(folded, proper, entries)
    # a word right after a name in Latin letters says what that name is ("Kelder 大桥", a bridge, which CC-CEDICT
    # knows only as Da Qiao of the Three Kingdoms: "Kelder 大桥封闭期间，绕行要多开几英里？" was refused over the
    # English page on Kelder Bridge); the Latin name is what the library must write, and other rules read it
    # (nor one whose last characters begin a name the library knows, ending on characters jieba could not place: 北约克区
    # cut 北约 + 克 + 区 is North York, 北 + 约克, no NATO; a tester's 多伦多北约克区…拆除许可证？ was refused for 北约)
    unknown = {t for t in names if not _after_latin_name(folded, t) and not _after_known_surname(folded, t)
               and not known(t) and not any(known(other) for other in _crossing_names(folded, t, proper))}
    bare = bare_name(folded, cache_dir)
    if bare and not (any(written_somewhere(view, bare[i:i + 2]) for i in range(len(bare) - 1))
                     or any(view.term_idf(syllable) > 0 for syllable in _syllables(bare))):
        unknown.add(bare)
    return tuple(sorted(unknown))


def unwritten_names(view: StoreView, question: str, cache_dir: Path, translated: Container[str] = ()) -> tuple[str, ...]:
    """The capitalised words inside a question (English, or Latin letters in a Chinese one) that no passage writes
    (folded), for a question answered from an English article: testers' "How much will Shetland's two new
    inter-island ferries cost?" was answered with Orkney's £58 million, "How many jobs will Intel's new chip plant
    in Penang…?" with the plants' 4,600 jobs, 曼彻斯特Ancoats区… with the Curry Mile's. Not the question's first word,
    an English function word, a month or day (written otherwise), an acronym, or a name written nearly so
    (``written_nearly``: a typo, a plural). Over a Chinese article a name may
    be written in Chinese (unknown_companies and unknown_places read those), and so may a name in a library of both:
    one the translation found written (``translated``), written in pinyin (Haicang: 海沧) or a place the dictionary
    gives a Chinese form of that some passage writes is known, and a Hong Kong name (Kwun Tong: 觀塘) is not judged."""
    # a run of capitalised words whose initials the library writes is known (Federal Aviation Administration: FAA),
    # as is one with another word written (Graham of "Graham Twigg"); an acronym itself is not judged (the NHS of a
    # story that writes "the care board")
    runs = [run.lower().split() for run in _LATIN_RUN.findall(question)]
    # (or one the dictionary names and a Chinese passage writes: "…last year's Yellow River stamps" over 《黄河》). The
    # word written must be a name, no English word: "Apple Pay" is not known where "WeChat Pay" is written, nor "Wing
    # Kee Bakery" where another bakery is (testers' near misses answered with other brands' figures)
    names = named(cache_dir) if True in view.languages else {}
    english = english_to_chinese(cache_dir)
    known_runs = {w for run in runs if len(run) > 1 and (view.term_idf("".join(x[0] for x in run)) > 0
                                                         or any(view.term_idf(x) > 0 and x not in english for x in run)
                                                         or any(written_somewhere(view, f) for f in names.get(" ".join(run), ())))
                  for w in run}
    words = [m.group().lower() for m in _LATIN_CAPITALISED.finditer(question)  # (not Mr, St, the Al of Al-Muwaffaq)
             if m.start() > 0 and len(m.group()) > 2 and not m.group().isupper() and m.group().lower() not in known_runs]
    unwritten = [w for w in dict.fromkeys(words) if w not in ENGLISH_STOPWORDS and w not in _NOT_NUMBERED
                 and w not in _WEEKDAYS and w not in translated and not written_nearly(view, w)]
    if not unwritten or True not in view.languages:  # (a library of English alone: no Chinese form to look for)
        return tuple(unwritten)
    places = place_names(cache_dir)
    # (a place by a place within it too: "…community radio stations across Taiwan…" over a Hualien story that writes
    # 全國, never 臺灣, a tester's, refused)
    return tuple(w for w in unwritten if not (is_cantonese_name(w) or written_in_pinyin(view, w, cache_dir)
                                              or w in places and place_written(view, w, places[w], cache_dir)))


def written_names_at(view: StoreView, folded: str, cache_dir: Path) -> list[tuple[int, int]]:
    """Where the (folded) Chinese question writes a word whose own Latin name (CC-CEDICT's) the library writes:
    新加坡 where an article writes Singapore. Such a word is a name of its own, no part of a transliteration beside it."""
    entries, out, at = by_simplified(cache_dir), [], 0
    for word in segment(folded):
        if len(word) > 1 and is_han(word) and any(
                all(view.term_idf(w) > 0 for w in tokenize(own)) for own in own_names(
                    tuple(g for e in entries.get(word, ()) for g in e.glosses))):
            out.append((at, at + len(word)))
        at += len(word)
    return out


def written_nearly(view: StoreView, word: str) -> bool:
    """Whether some passage writes (folded) ``word``, one letter off (a typo: Ghandi, Carslbad, Maastrich; a plural
    or a possessive: the Bronco's of "Broncos", Grammys), less a plural's s or a people's n (Kenyans: Kenya,
    Americans: America), or as two words (Superbowl: Super Bowl). XQuAD's English questions refused 33 answerable
    ones for names written so when only the word as asked was looked up."""
    stems = {word, word.removesuffix("s"), word.removesuffix("s").removesuffix("n")}
    if any(view.term_idf(s) > 0 or any(view.term_idf(e) > 0 for e in _one_letter_off(s)) for s in stems if len(s) > 2):
        return True
    return any(view.term_idf(word[:i]) > 0 and view.term_idf(word[i:]) > 0 for i in range(3, len(word) - 2))


def _one_letter_off(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion away from ``word`` (Norvig's edits)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters} | {a + c + b for a, b in splits for c in letters})


_LATIN_CAPITALISED = re.compile(r"(?<![A-Za-zÀ-ÿ0-9])[A-Z][A-Za-zÀ-ÿ]+(?![A-Za-zÀ-ÿ0-9])")  # also glued to Chinese
_LATIN_RUN = re.compile(r"(?<![A-Za-zÀ-ÿ0-9])[A-Z][A-Za-zÀ-ÿ]+(?:\s+[A-Z][A-Za-zÀ-ÿ]+)+")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def acronym_written(name: str, paragraphs: Sequence[str], cache_dir: Path) -> bool:
    """Whether one of ``paragraphs`` writes, in capitals, an acronym the dictionary gives for ``name`` (世卫: WHO).
    Lower-cased it may be an English function word that the keyword index drops ("who", "us"): a tester's
    "工会引用世卫的估计…" was refused over "Citing a WHO estimate that working 55 hours or more…"."""
    glosses = [g for e in by_simplified(cache_dir).get(name, ()) for g in e.glosses]
    acronyms = {a for g in glosses for a in re.findall(r"\b[A-Z]{2,6}\b", g)}
    return any(re.search(rf"\b{a}\b", p) for a in acronyms for p in paragraphs)


def _after_latin_name(folded: str, name: str) -> bool:
    """Whether every place the (folded) question writes ``name`` follows a word in Latin letters (a space between)."""
    places = [m.start() for m in re.finditer(re.escape(name), folded)]
    return bool(places) and all(re.search(r"[a-z][a-z0-9'’-]*\s*$", folded[:i]) for i in places)


def writes_a_place_within(view: StoreView, names: Iterable[str], cache_dir: Path) -> bool:
    """Whether some passage names a place that lies in one of the places ``names`` (lower-case Latin names) as
    the dictionary describes it: 荷兰 (the Netherlands) is named by an article about "the Eindhoven-based
    chipmaker", Taiwan by one datelined 台北. Only the index's own terms are read (a country may hold hundreds of
    places); the table is built on the first name not known otherwise (~0.6 s once a process)."""
    within = places_within(cache_dir)
    # and as the descriptions write it: the English county (Lancashire), UK, British
    names = {form for name in names for also in (name, *_COUNTRY_ALSO.get(name, ())) for form in demonyms(also)}
    # not a Latin name of one syllable (通县, "Tong county", in Beijing): Hong Kong writes Tong in Kwun Tong and Tong
    # Siu-lun, and "今年北京高考报名人数是多少？" was answered over a library of Hong Kong stories
    syllables = readings(cache_dir)
    return any(view.term_idf(word) > 0 or any(all(view.term_idf(t) > 0 for t in tokenize(own)) for own in latin
                                              if own and own not in syllables)
               for name in names for word, latin in within.get(name, ()))


BARE_NAME_FRAME = frozenset({"是", "谁"})  # "廖继春是谁?": what may stand around a name asked alone
BARE_NAME_MAX = 4  # characters: a person's name or a short title; "东关街有多长?" is a question


def bare_name(folded: str, cache_dir: Path) -> str:
    """The (folded) Chinese question when it is a name alone ("廖继春", "廖继春是谁?"): two or more characters that
    CC-CEDICT reads only one by one, at most ``BARE_NAME_MAX``, and at most 是 and 谁 beside them. "" otherwise.

    Asked after the article about the painter was deleted, "廖繼春" was answered at 98 % from an English article
    about a drought: a name alone has no meaning for the dense channel to miss. It counts as missing only when
    not one pair of its characters is written anywhere and none of its syllables is a word of the library (an
    English article writes 黄仁勋 as Jensen Huang). A question with more around the name is left to the other
    rules: "什么是约化群?" asks XQuAD's English paragraph about reductive groups, which writes no Chinese."""
    if any(ch.isascii() and ch.isalnum() for ch in folded):
        return ""
    words = [w for w in chinese_words(folded, cache_dir) if is_han(w)]
    content = [w for w in words if w not in BARE_NAME_FRAME]
    if any(w in STOPWORDS for w in content):
        return ""
    name = "".join(content)
    return name if 2 <= len(content) <= BARE_NAME_MAX and all(len(w) == 1 for w in content) and name in folded else ""


def _syllables(name: str) -> list[str]:
    """The name's pinyin syllables without tones (huang, ren, xun), as an English text may write it."""
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(name) if s.isascii() and len(s) > 1]


_DEMONYM_ENDINGS = ("an", "ian", "n", "ese")


# Adjectives no ending makes: "the Dutch chip company" is 荷兰 (Holland, the Netherlands) in a Chinese question
_IRREGULAR_DEMONYMS = {
    "holland": ("dutch",), "netherlands": ("dutch",), "france": ("french",), "britain": ("british",),
    "england": ("english",), "switzerland": ("swiss",), "spain": ("spanish",), "denmark": ("danish",),
    "sweden": ("swedish",), "finland": ("finnish",), "poland": ("polish",), "turkey": ("turkish",),
    "ireland": ("irish",), "wales": ("welsh",), "scotland": ("scottish", "scots"), "greece": ("greek",),
    "thailand": ("thai",), "philippines": ("filipino", "philippine"), "portugal": ("portuguese",),
    "vietnam": ("vietnamese",), "norway": ("norwegian",), "iceland": ("icelandic",), "israel": ("israeli",),
    "iraq": ("iraqi",), "pakistan": ("pakistani",), "bangladesh": ("bangladeshi",), "qatar": ("qatari",),
    "kuwait": ("kuwaiti",), "yemen": ("yemeni",), "afghanistan": ("afghan",), "nepal": ("nepali", "nepalese"),
    "saudi arabia": ("saudi",), "germany": ("german",), "peru": ("peruvian",), "belgium": ("belgian",),
    "united kingdom": ("british",),
}
# a country's other names in the dictionary's descriptions of the places within it ("Coventry, city in West Midlands, UK")
_COUNTRY_ALSO = {"united kingdom": ("uk", "britain", "great britain")}


def is_place_word(word: str, cache_dir: Path) -> bool:
    """Whether a (lower-case) word is a place's name the dictionary knows, or an adjective English makes of one
    (taiwanese, ``demonyms``)."""
    places = place_names(cache_dir)
    return word in places or any(word.endswith(end) and any(
        word[:-len(end)] + extra in places for extra in ("", "a", "e", "y")) for end in _DEMONYM_ENDINGS) or any(
        word in forms for forms in _IRREGULAR_DEMONYMS.values())


def demonyms(place: str) -> set[str]:
    """A (lowercase) place name with the adjectives English makes of it: an English article writes "Roman glass"
    where the dictionary gives 罗马 as Rome (Rome → roman, Italy → italian, Korea → korean, China → chinese), and
    "Dutch" where it gives 荷兰 as Holland."""
    stems = {place, place[:-1]} if place[-1:] in ("a", "e", "o", "y") else {place}
    return ({place} | {stem + ending for stem in stems for ending in _DEMONYM_ENDINGS if len(stem) > 2}
            | set(_IRREGULAR_DEMONYMS.get(place, ())))


def unknown_companies(view: StoreView, question: str, cache_dir: Path) -> tuple[str, ...]:
    """Companies an English ``question`` names that no passage writes, by that name or by any Chinese name
    CC-CEDICT gives the company ("Samsung (South Korean electronics company)": 三星). Only companies: other
    English names have forms a dictionary does not know (see ``unknown_names``)."""
    table = companies(cache_dir)
    words = re.findall(r"[A-Za-z][\w&.\-]*", question)
    names: dict[str, None] = {}
    for i in range(len(words)):
        for n in range(min(4, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            if all(w[:1].isupper() for w in words[i:i + n]) and phrase.lower() in table:
                names[phrase.lower()] = None
                break
    listed = [name for name in names if not _short_acronym(name, question)
              and not any(written_somewhere(view, form) for form in (name, *table[name]))]
    return tuple(sorted(listed + coined_companies(view, words, table, cache_dir)))


def absent_places(view: StoreView, query: Query, articles: Sequence[str], cache_dir: Path,
                  units: Sequence[tuple[str, ...]] = ()) -> tuple[str, ...]:
    """The places the question names (``asked_places``) that none of the first passages' ``articles`` writes in any
    form, nor by a place within them (``places_within``: Taiwan by 台北), while another article of the library does:
    the story found is another place's, and the place's own is about something else. Testers' "How much does an adult
    pay per session at Shenzhen's public swimming pools this summer?" was answered with Guangzhou's fee (Shenzhen
    named by a story on drone deliveries), 格拉斯哥市议会明年将开设多少所托儿中心？ with Edinburgh's centres. A place
    the library writes nowhere is ``unknown_names``' to judge; articles of one paragraph (XQuAD's) are not read, their
    words are the other rules'. ``units``: the question's words with what the translation found them written as
    (qa.search.content_units: Haifeng of "Liu Haifeng" as 海峰, no county 海丰; Lixin of "Lixin Chen" as 陈立新)."""
    texts = [normalize(a) for a in articles if "\n" in a.strip()]
    if not texts or len(texts) < len(articles):
        return ()
    within = places_within(cache_dir)
    # an amount asked of a place the articles name only in passing (``named_in_passing``) is another place's
    kind = kind_asked(query.text)
    # (and a span or a share, read by paragraph: "How long is the wait for a practical driving test in Cardiff?" over a
    # Bristol story whose pupils book tests "in Cardiff or Swindon to avoid the queues", a tester's near miss; a share
    # follows what it is of in the next sentence: 全市渔船须保持北斗卫星信息终端开机…。目前已安装终端的渔船占总数的八成二)
    in_passing = kind if kind in (states_count, states_money, states_quantity, states_span, states_share) else None
    table, proper, chinese_places = place_names(cache_dir), names_and_companies(cache_dir), place_forms(cache_dir)

    def names_place(line: str) -> bool:
        # (a word the dictionary gives as a proper noun only: 中央 is a ward of Tokyo and "central"; 全港 names Hong Kong)
        # (and a name with its kind after it, as English writes a place the dictionary lacks: "Quezon City videoke noise
        # complaints climb" heads a story on Quezon City, which a tester's 马尼拉… near miss was answered from)
        # (and an English dateline's place, whatever it is: "By Megan Doyle, Fremantle, 17 September 2026" heads a story
        # on Fremantle's wool sale, which a tester's 墨尔本羊毛拍卖会… near miss was answered from)
        if _DATELINE.search(line):
            return True
        words = tokenize(line)
        return any(w in table or w in chinese_places and w in proper for w in words) or any(
            f"{a} {b}" in table or b in _ENGLISH_PLACE_KINDS and a.isalpha() and a.isascii() and a not in ENGLISH_STOPWORDS
            for a, b in zip(words, words[1:])) or any(local in line for forms in _LOCAL_FORMS.values() for local in forms)

    written = writes
    entries, linked = by_simplified(cache_dir), other_names(cache_dir)
    folded, family = normalize(query.text), surnames(cache_dir)
    absent = []
    for forms in asked_places(query, cache_dir):
        # (a person's given name after the surname, as the articles write it: 錢衛東的支隊… names 钱卫东, no district 卫东)
        at = folded.find(forms[0])
        if at > 0 and folded[at - 1] in family and any(folded[at - 1:at + len(forms[0])] in text for text in texts):
            continue
        latin = {form for form in forms if form.isascii()}
        # and by the names the dictionary links it to: 英国 is "abbr. for England 英格兰", where Cumbria lies
        latin |= {own for other in linked.get(forms[0], ()) if len(other) > 1
                  for own in own_names(tuple(g for e in entries.get(other, ()) for g in e.glosses))}
        latin |= {also for name in list(latin) for also in _COUNTRY_ALSO.get(name, ())}
        # (as the descriptions write it: "Lancashire (English county)")
        inside = [(word, own) for name in latin for form in demonyms(name) for word, own in within.get(form, ())]
        also = [other for other in linked.get(forms[0], ()) if len(other) > 1]
        # and by every name its other senses give (三星 is a town and Samsung: an article writes Samsung), and what
        # the translation found for a name it is part of
        also += [own for own in own_names(tuple(g for e in entries.get(forms[0], ()) for g in e.glosses))]
        also += [form for unit in units if forms[0] in (unit[0], *unit[0].split()) for form in unit[1:]]
        names = (*forms, *latin, *also)
        if not any(any(written(text, f) for f in names)
                   or any(written(text, word) or any(written(text, n) for n in _less_kind(own) if len(n) > 3)
                          for word, own in inside)
                   for text in texts) and any(written_somewhere(view, f) for f in forms[:3]):
            absent.append(forms[0])
        # (by the place's own names only: Huimin of "Zhou Huimin" is a county the translation found as 周慧敏)
        elif in_passing and named_in_passing(texts, [f for f in (*forms, *latin) if len(f) > 1],
                                             counting_as_asked(query.text, counts_things if in_passing is states_count
                                                               else in_passing), written,
                                             [name for word, own in inside for name in (word, *own)]
                                             + [local for f in forms for local in _LOCAL_FORMS.get(f, ())], names_place,
                                             by_sentence=in_passing in (states_count, states_money, states_quantity)):
            absent.append(forms[0])
    return tuple(absent)


def named_in_passing(texts: Sequence[str], names: Sequence[str], states: Callable[[str], bool],
                     written: Callable[[str, str], bool], within: Sequence[str] = (),
                     names_place: Callable[[str], bool] = lambda line: True, by_sentence: bool = True) -> bool:
    """Whether the (folded) articles ``texts`` write one of a place's ``names`` only in passing: in no headline, byline
    or lead (``head_lines``), and in no paragraph that ``states`` the amount asked. Testers' near
    misses "How many shared e-scooters are there in Taipei's e-scooter scheme?" over a Kaohsiung story saying
    臺北市…尚未決定, 布里斯班的共享电动滑板车… over Melbourne's were answered with the other city's figure. A headline or lead naming
    a place ``within`` it makes the story the place's own (台湾 of a story datelined 台北), and so does a head that names
    no place (``names_place``) at all: 港聞日報…衞生署公布 is a Hong Kong story that writes 香港 further down only."""
    found = False
    for text in texts:
        # (a headline, a byline and a lead: "Victorians return 1.35 billion drink containers…" names Victoria)
        lines = [line for line in text.split("\n") if line.strip()]
        head = head_lines(lines)
        if any(written(line, w) or written(line, w + "s") for line in lines[:head] for w in (*names, *within)):
            return False
        # (``by_sentence``: 在各区中，浦东新区的社区花园数量最多，共有七十四个；…杨浦区的创智农园是全市最早一批试点之一 gives Pudong's
        # count, and a tester's "How many community gardens are there in Shanghai's Yangpu district?" was answered with it;
        # else by paragraph)
        # (and by the clauses a semicolon parts: 觀塘區的天台農場…共有四十二個；其次是葵青區和荃灣區 counts no farm of 荃灣,
        # which a tester's near miss on a Tsuen Wan fair was answered by)
        mentions = [clause for line in lines[head:] for a, b in (sentence_spans(line, 0, len(line)) if by_sentence
                                                                 else [(0, len(line))])
                    for clause in (re.split(r"(?<=[;；])", line[a:b]) if by_sentence else [line[a:b]])
                    if any(written(clause, n) for n in names)]
        if any(states(sentence) for sentence in mentions) or mentions and not any(names_place(line) for line in lines[:head]):
            return False
        found = found or bool(mentions)
    return found


# a dateline in a folded English head: "nairobi - parents…", "george town — a record…",
# "by …, fremantle, 17 september 2026"
_DATELINE = re.compile(rf"^[a-z][a-z .'’-]{{1,30}}\s+[-–—]\s|,\s*[a-z][a-z .'’-]{{1,30}},\s*(?:\d{{1,2}}\s+{_MONTH_EN}|"
                       rf"{_MONTH_EN}\s+\d{{1,2}})\b")
HEAD_LINES = 3  # an article's headline, byline or dateline and lead, where the place it is about is named
LEAD_CHARS = 60  # a line after the headline this long is the lead (a byline or a dateline alone is shorter)


def head_lines(lines: Sequence[str]) -> int:
    """How many of an article's first (non-empty) ``lines`` are its head: the headline, then lines up to the lead, at most
    ``HEAD_LINES``. A lead holding its dateline ends the head: a Shanghai story's third line, 在各区中…杨浦区的创智农园…, is
    its body, and a tester's question on Yangpu's gardens read it as the story's subject."""
    return next((i + 1 for i, line in enumerate(lines[:HEAD_LINES]) if i and len(line) > LEAD_CHARS), HEAD_LINES)


_KIND_WORD = re.compile(r"\s+(?:island|province|city|county|state|district|region|prefecture)$")


def _less_kind(names: Sequence[str]) -> tuple[str, ...]:
    """Latin names with and without the kind of place that ends them: "luzon island" is written "Central Luzon"."""
    return tuple(dict.fromkeys([*names, *(_KIND_WORD.sub("", n) for n in names)]))


def asked_places(query: Query, cache_dir: Path) -> list[tuple[str, ...]]:
    """The places a question names, each as the forms an article may write it in (folded): its own and every other
    name the dictionary gives it, Latin and Chinese (Wuhan: wuhan, 武汉, 武汉市; 台湾: 台湾, taiwan, 台湾省), and the
    adjectives English makes of its Latin names (``demonyms``: 中华白海豚 is written "Chinese white dolphins")."""
    table = place_names(cache_dir)
    found: dict[str, tuple[str, ...]] = {}
    if query.chinese:
        entries = by_simplified(cache_dir)
        folded = normalize(query.text)
        cities = world_city_forms(cache_dir)
        for word in name_candidates(folded, names_and_cities(cache_dir), entries):
            # (both the dictionary's name and GeoNames': 班加罗尔 is "Bangalore" to one and Bengaluru to the other, and a
            # tester's question was refused over the article writing Bengaluru)
            glosses = tuple(g for e in entries.get(word, ()) for g in e.glosses)
            # (by its name less its kind too: 屏东县 is "Pingtung County", the table's Pingtung)
            owns = list(dict.fromkeys([*(own for own in _less_kind(own_names(glosses)) if word in table.get(own, ())),
                                       *cities.get(word, ())]))
            if owns:
                found[word] = tuple(dict.fromkeys([word, *owns, *(f for own in owns
                                                                  for f in (*table.get(own, ()), *demonyms(own)))]))
        # and those it writes in Latin letters (a tester's Galway的合唱節今年有多少支合唱團參賽？ over Cork's festival), not a
        # word of a longer name (Helena Sousa說…: Helena, Montana)
        runs = {run.lower() for run in re.findall(r"[A-Z][A-Za-z'’-]*(?: [A-Z][A-Za-z'’-]*)*", query.text)}
        found |= {name: (name, *forms, *demonyms(name)) for name, forms in english_places(query.text, table).items()
                  if name in runs and not any(form in found for form in forms)}
        return list(found.values())
    return [tuple(dict.fromkeys((name, *forms, *demonyms(name)))) for name, forms in english_places(query.text, table).items()]


_KINDS_AFTER = "city|district|county|province|island|prefecture|region|state"
# a capitalised word, and pinyin's apostrophe inside it (Xi'an, Tai'an: a tester's "What does a hostel bed in Xi'an cost
# per night?" cited Edinburgh's price, Xi'an read as Xi), not a possessive's
# (not a word joined to a number: Phoenix-1 is a satellite, and a tester's questions on it were refused as of a city)
_PLACE_WORD = re.compile(r"\b[A-Z][A-Za-z]+(?:['’](?!s\b)[a-z]+)?(?![A-Za-z])(?!-\d)")
_ENGLISH_PLACE_KINDS = frozenset({"city", "district", "county", "province", "prefecture"})


def english_places(question: str, table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The places an English ``question`` names (lower case) -> the Chinese forms ``place_names`` gives them: three
    capitalised words before two (Sham Shui Po), two before one (Hong Kong, not Hong), by the name the dictionary gives
    with the kind of place the question writes after it ("Lanzhou's Xigu district": the dictionary's Xigu District,
    西固区) or with City (New Taipei: New Taipei City, 新北市). Not Taipei of New Taipei: testers' "How many mahjong
    parlours are registered in New Taipei?" was refused for a Taipei no article writes."""
    words = [w.replace("’", "'") for w in _PLACE_WORD.findall(question)]
    found: dict[str, tuple[str, ...]] = {}
    for n in (3, 2, 1):  # (Sham Shui Po)
        for i in range(len(words) - n + 1):
            written = " ".join(words[i:i + n])
            name = written.lower()
            if any(name in other for other in found) or re.search(rf"\bNew\s+{re.escape(written)}\b", question):
                continue
            kind = re.search(rf"\b{re.escape(written)}(?:'s)?\s+({_KINDS_AFTER})\b", question, re.IGNORECASE)
            forms = (kind and table.get(f"{name} {kind.group(1).lower()}")) or tuple(
                dict.fromkeys((*table.get(f"{name} city", ()), *table.get(name, ()))))
            if forms:
                found[name] = forms
    return found


def unknown_places(view: StoreView, question: str, cache_dir: Path) -> list[str]:
    """Places an English ``question`` names that no passage writes, in English or in any Chinese form the
    dictionary gives the name (``place_names``). Asked of a library about another city's children's hospital,
    "How many beds does the new campus of the Shanghai children's hospital add?" was answered at 0.86; of one
    about Dunedin's library, "When did Christchurch's central library reopen?" at 0.75. Only places: other
    names a dictionary gives in other forms than articles use (see ``unknown_names``). A place is known too by a
    place within it ("in Taiwan" of an article from 台北 and 高雄: ``writes_a_place_within``), and by what its
    pinyin writes (Fengyuan: no city 丰原, but the company 峰源 of "Who is Fengyuan New Energy's president?")."""
    return [name for name, forms in english_places(question, place_names(cache_dir)).items()
            if not place_written(view, name, forms, cache_dir)]


def place_written(view: StoreView, name: str, forms: Sequence[str], cache_dir: Path) -> bool:
    """Whether some passage writes a place (``name`` in lower-case Latin letters, ``forms`` its Chinese names): as
    itself, in a Chinese form (with a kind after it: 基隆市), as Hong Kong's press writes Hong Kong (全港, 本港), by a
    place within it, or in pinyin."""
    forms = (*forms, *(local for form in forms for local in _LOCAL_FORMS.get(form, ())))
    return (view.term_idf(name) > 0 or " " in name and written_somewhere(view, name)
            or any(written_somewhere(view, form) or any(view.term_idf(form + kind) > 0 for kind in _PLACE_KINDS)
                   for form in forms)
            or writes_a_place_within(view, (name,), cache_dir) or written_in_pinyin(view, name, cache_dir))


# what a Chinese place name is written with, one keyword term to jieba (杭州市拱墅区: 拱墅区, no 拱墅)
_PLACE_KINDS = "省市县区镇乡村州岛路街山湖河江港湾"
_DIVISIONS = "省市县区镇乡"


# the word after a company's name that says it is one, as English news writes it ("Lumora Robotics", "Vexa Labs")
_FIRM_WORDS = frozenset("robotics technologies motors holdings inc corp corporation ltd plc airlines airways "
                        "pharmaceuticals semiconductor semiconductors electronics labs laboratories therapeutics "
                        "biotech ventures networks software industries aerospace ferries shipping".split())


def coined_companies(view: StoreView, words: Sequence[str], table: Container[str], cache_dir: Path) -> list[str]:
    """Companies an English question names by a word no dictionary has, before a word that says it is a company
    ("Vexa Robotics": vexa), that no passage writes. Asked after its article was deleted, "How much did Lumora
    Robotics raise in its Series C?" was answered at 0.71 from another start-up's article: the dictionary's
    companies (``unknown_companies``) cannot know a start-up. A name the dictionary translates (Applied, General)
    counts as written when the library writes one of its translations: "Kestrel Ferries Tern Island fare" was
    answered at 0.97 from a railway's fares, though no article names a kestrel (红隼) at all. A name the library
    writes in Chinese characters read so (``written_in_pinyin``: Lianxun Software, 联讯软件) is written."""
    dictionary = english_to_chinese(cache_dir)
    found = []
    for i, word in enumerate(words):
        if i == 0 or word.lower() not in _FIRM_WORDS or not word[:1].isupper():
            continue
        start = i
        while start > 0 and words[start - 1][:1].isupper() and words[start - 1].lower() not in ENGLISH_STOPWORDS:
            start -= 1
        name = " ".join(words[start:i]).lower()
        if (name and name not in table and all(view.term_idf(w) == 0 and not any(
                written_somewhere(view, form) for form in dictionary.get(w, ())) for w in name.split())
                and not written_somewhere(view, name) and not written_in_pinyin(view, name, cache_dir)):
            found.append(name)
    return found


def _short_acronym(name: str, question: str) -> bool:
    """Whether the question writes ``name`` as capitals of three letters or fewer: UMC is a chip foundry and the
    United Methodist Church (three of XQuAD's questions, whose Chinese paragraphs write 联合卫理公会, were refused
    when the company came into the dictionary's supplement); four letters (TSMC, ASML) name one thing."""
    return len(name) <= 3 and re.search(rf"\b{re.escape(name.upper())}\b", question) is not None


_AFTER_NAME = frozenset("市省县区镇网队籍港")  # what follows a place's name inside a word jieba keeps whole


# the whole of a state, province, city, county or island, not a place of that name: 全州 (Quanzhou county, in the
# dictionary) of 满足全州101%的用电需求 (a tester's question about South Australia, refused)
_WHOLE = re.compile(r"全[州省市县区国港岛镇村]")


_HOW_MANY = re.compile(r"几[\u4e00-\u9fff]")  # 加高到几米 asks how many metres: no 几米 (Jimmy Liao)


def name_candidates(folded: str, proper: Container[str], words: Container[str], longest: int = 8) -> set[str]:
    """Proper nouns a question writes, found along jieba's dictionary-only cut (``segment``) of its ``folded``
    text: a run of whole words (jieba cuts 台积电高雄厂 into single characters, so 高雄 is no token), or the start
    or end of a longer word whose rest is a dictionary word too (日本 + 政府). A name inside a word is not one
    (海地, Haiti, in 沿海地区; 多利 in 维多利亚; 布尔 in 诺布尔), so the sub-words of jieba's search mode, the
    keyword tokens, are not read. ``words``: CC-CEDICT's Simplified headwords."""
    cut = segment(folded)
    cuts = [0]
    for word in cut:
        cuts.append(cuts[-1] + len(word))
    if cuts[-1] != len(folded):
        return set()
    found = {folded[a:b] for i, a in enumerate(cuts) for b in cuts[i + 1:] if 2 <= b - a <= longest and folded[a:b] in proper
             and not ({folded[a - 1:a], folded[b:b + 1]} & _NAME_DOT or folded[a - 1:a].isdigit())
             and not _WHOLE.fullmatch(folded[a:b]) and not _HOW_MANY.fullmatch(folded[a:b])}
    # a name that another begins before and ends inside is that other's end: jieba cuts 费城北区 as 费 + 城北区, a district
    # of the dictionary (a tester's 费城北区有多少家自助洗衣店关门了？ was refused for it); Philadelphia's 费城 is read (not
    # one beginning inside a name found: 南平 of 越南平阳, Vietnam's Binh Duong)
    spans = [(m.start(), m.end()) for name in found for m in re.finditer(re.escape(name), folded)]
    for name in list(found):
        for a in (m.start() for m in re.finditer(re.escape(name), folded)):
            # (and leaving a word of the name: 北区 of 城北区; not 中美 of 活动中美国广播公司, XQuAD's, leaving 国…)
            crossing = [folded[i:a + k] for i in range(max(0, a - 3), a) for k in range(1, len(name) - 1)
                        if 2 <= a + k - i <= longest and folded[i:a + k] in proper
                        and not any(s <= i < e for s, e in spans)
                        and (name[k:] in words or word_frequency(name[k:]) > 0)]
            if crossing:
                found.discard(name)
                found.update(crossing)
    for word in cut:  # 玛丽 of 玛丽·麦特琳 is part of a name, 万年 of 6600万年 a number
        if len(word) > 3 and word not in proper:
            found |= {name for n in range(2, len(word) - 1) for name, rest in ((word[:n], word[n:]), (word[-n:], word[:-n]))
                      if name in proper and rest in words}
        # jieba knows 宁波网 (a website): 寧波網約車 hid the city (a tester's near miss, answered with Hangzhou's orders),
        # and 奥克兰市 is one word to it (奥克兰市登记在册的蜂箱有多少个？ was answered with Wellington's hives)
        if len(word) >= 3 and word not in proper and word[:-1] in proper and word[-1] in _AFTER_NAME:
            found.add(word[:-1])
    return found


def writes(folded: str, form: str, plural: bool = False) -> bool:
    """Whether the (folded) text writes ``form``: a Latin one as a whole word (not "ely" in "safely"; with ``plural``
    its plural too), with or without the text's accents (the dictionary's Krakow is a story's Kraków), any other as a
    substring."""
    if not form.isascii():
        return form in folded
    pattern = rf"(?<![a-z]){re.escape(form)}{'(?:e?s)?' if plural else ''}(?![a-z])"
    return re.search(pattern, folded) is not None or (
        _ACCENTED.search(folded) is not None and re.search(pattern, unaccented(folded)) is not None)


_ACCENTED = re.compile(r"[\u00c0-\u024f]")


@lru_cache(maxsize=256)
def unaccented(text: str) -> str:
    """``text`` without the accents of its Latin letters (Kraków: Krakow; ß stays)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _crossing_names(folded: str, name: str, proper: Container[str], longest: int = 8) -> list[str]:
    """Proper nouns that begin inside ``name`` where the (folded) question writes it and end after it on characters
    jieba's cut (``segment``) leaves alone: 约克 of 北约克区 (北约 + 克 + 区)."""
    cut = segment(folded)
    ends, singles = {0}, set()
    for word in cut:
        end = max(ends) + len(word)
        ends.add(end)
        if len(word) == 1:
            singles.add(end)
    out = []
    for m in re.finditer(re.escape(name), folded):
        a, b = m.start(), m.end()
        for k in range(1, len(name)):
            out += [folded[a + k:e] for e in range(b + 1, min(len(folded), a + k + longest) + 1)
                    if e in singles and all(i in singles for i in range(b + 1, e + 1) if i in ends)
                    and folded[a + k:e] in proper]
    return out


def written_somewhere(view: StoreView, name: str, candidates: int = 20) -> bool:
    """Whether some passage contains ``name`` (folded), though it is no keyword term: the passages richest in its
    characters are read (a name occurs in them when it occurs at all; no scan of every text)."""
    # (and glued to its kind of division, as the keyword index keeps it: 觀塘區：十九間 holds the term 观塘区, no 观塘; not
    # a port or a road named after it, 高雄港, which writes no Kaohsiung a near miss asked of)
    terms = {t: 1.0 for t in dict.fromkeys([*tokenize(name), *name, *(name + kind for kind in _DIVISIONS)])
             if view.term_idf(t) > 0}
    if not terms:
        return False
    for row in view.keyword_search(terms, candidates):
        c = view.chunks[row]
        if name in normalize(view.documents[c.doc_id].text[c.start:c.end]):
            return True
    return False
