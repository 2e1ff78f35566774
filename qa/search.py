"""A question analysed once, searched once: dense, keyword and latent channels fused into ranked hits + evidence.

Everything that ranks or decides reads the one ``Query`` (language, script, keyword tokens, vector, latent
terms) and the one ``StoreView``; benchmarks and sweeps call ``search`` with settings changed, never a copy of it.
"""
from __future__ import annotations

import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Container, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .abstain import (AbstainPolicy, Evidence, absent_places, asked_places, asked_years, bases, gather_evidence,
                      head_lines, names_alone, names_numbered, places_within, quoted_names, sibling_swaps, writes,
                      written_somewhere)
from .background import Background, load_background
from .encoder import Encoder
from .filters import evidence_view
from .language_space import LanguageSpace, language_space
from .cantonese_names import written_names as cantonese_names
from .chunk import header_rows, table_headers, under_header
from .extract.blocks import CELL_SEPARATOR
from .pinyin_names import chinese_forms, pinyin_names
from .records import Chunk, Hit, Span
from .settings import Settings
from .store import StoreView
from .store.bm25 import KeywordIndex
from .extract.dates import dateline_month_day, told_years
from .text.answer_type import (answers_kind, asked_report, asked_role, holder_named_next, kind_asked, names_any_holder,
                               quotes_by_title, quotes_named_by_title, quotes_speaker, states_count, states_quantity)
from .text.metadata import is_metadata
from .text.script import detect, to_simplified
from .text.numerals import chinese_forms as number_words, digit_years, english_forms, share_forms
from .text.tokens import STOPWORDS, normalize, tokenize
from .text.translate import HEAD, english_to_chinese
from .text.transliteration import heard_names
from .text.translate import STOPWORDS as ENGLISH_STOPWORDS
from .text.translate import (
    dictionary_translation,
    english_gloss,
    english_terms,
    translate_chinese_query,
    translate_query,
    title_in_chinese,
    title_in_english,
    translation_units,
)


@dataclass(frozen=True)
class Ranking:
    """How the channels mix, per question language (settings candidates, sentence_share, keyword_weight_*,
    translate_terms, latent_share_*; measured with `qa bench squad`, see docs/evaluation.md)."""

    candidates: int
    sentence_share: float  # share of the best single sentence's cosine in the dense score
    keyword_zh: float
    keyword_other: float
    translate: bool  # CC-CEDICT translations of question words feed the keyword channel (across languages)
    latent_zh: float
    latent_other: float
    # a passage in the other language than the question's (Chinese vs any other)
    cross_translation: float  # share of the question's dictionary translation in its vector for such passages
    cross_centring_zh: float  # share of the language axis moved across, Chinese question
    cross_centring_other: float  # the same, other question
    cross_map_other: float  # share of a non-Chinese question's vector mapped into Chinese question space
    cross_offset_zh: float  # Chinese question, passage in another language
    cross_offset_other: float  # other question, Chinese passage
    keyword_cross: float
    latent_cross: float
    metadata_penalty: float = 0.0  # taken off a passage that is only a caption, byline or date line
    gloss: float = 0.0  # weight of an English question's words met in a Chinese passage's English gloss
    gloss_vector: float = 0.0  # weight of an English question's cosine with the gloss's own vector (rerank_by_gloss)
    gloss_depth: int = 5  # first hits whose gloss is embedded and compared
    kind: float = 0.0  # added when a passage's best sentence states the kind of answer asked (an amount, a time)
    order_alone: bool = False  # a library mixing languages: Chinese hits ordered as over Chinese passages alone
    year: float = 0.0  # how far below the first a passage writing the question's year may be to come first
    role: float = 0.0  # added when a passage names the holder of the title a who-question asks of (总裁许文海)
    place: float = 0.0  # added when a passage's article writes the places the question names (rerank_by_place)
    report: float = 0.0  # how far below the first a story's first or latest report may be to come first (rerank_by_report)
    row: float = 0.0  # added to the one table row among the hits whose label the question names (rerank_by_row)
    figure: float = 0.0  # added when a passage's article writes the figures the question quotes (rerank_by_figure)
    base: float = 0.0  # added when a passage gives a change against the base the question asks (rerank_by_base)
    name: float = 0.0  # added when a passage writes a name the question names that its article's head does not
    line: float = 0.0  # added to the list among the hits one of whose labels the question names (rerank_by_line)

    @classmethod
    def from_settings(cls, s: Settings) -> Ranking:
        return cls(s.candidates, s.sentence_share, s.keyword_weight_zh, s.keyword_weight_other, bool(s.translate_terms),
                   s.latent_share_zh, s.latent_share_other, s.cross_translation_share, s.cross_centring_zh,
                   s.cross_centring_other, s.cross_map_other, s.cross_offset_zh, s.cross_offset_other, s.keyword_weight_cross,
                   s.latent_share_cross, s.metadata_penalty, s.gloss_weight, s.gloss_vector_weight, s.gloss_vector_depth,
                   s.rank_kind, bool(s.cross_order_alone), s.rank_year, s.rank_role, s.rank_place, s.rank_report,
                   s.rank_row, s.rank_figure, s.rank_base, s.rank_name, s.rank_line)

    def keyword_weight(self, language: str) -> float:
        return self.keyword_zh if language == "zh" else self.keyword_other

    def latent_share(self, language: str) -> float:
        return self.latent_zh if language == "zh" else self.latent_other

    def cross_offset(self, language: str) -> float:
        """A multilingual encoder scores same-language pairs higher than equally relevant pairs across
        languages, by a margin that depends on the direction (Chinese pairs score highest of all)."""
        return self.cross_offset_zh if language == "zh" else self.cross_offset_other


@dataclass(frozen=True)
class Query:
    """A question as every stage reads it."""

    text: str  # the cleaned question, as asked
    language: str  # "zh", "en", ... ("und" when unknown)
    script: str  # "simplified" | "traditional" | "latin" | ...
    tokens: tuple[str, ...]  # keyword tokens (qa.text.tokens), Simplified, folded
    vector: np.ndarray  # unit vector of the Simplified text
    latent: sp.csr_matrix | None  # latent terms, when ranking or abstention reads them
    # for passages in the other language (Chinese vs any other), when the store has some: ``vector`` mixed with
    # the vector of the question's dictionary translation and moved along the language axis; else None
    cross_vector: np.ndarray | None = None
    # a non-Chinese question over a store that also holds English passages: the ``cross_vector`` it would get over
    # Chinese passages alone (mapped), for ordering the Chinese ones among themselves (``order_as_alone``)
    alone_vector: np.ndarray | None = None
    background: float = 0.0  # best cosine with off-topic reference text (qa.background), scored like a passage
    # the Chinese forms of the title an English who-question asks the holder of (ceo: 首席执行官), when the store holds
    # Chinese passages: qa.text.answer_type.asked_role read "Mayor Rosalind Pryce said" only in English
    roles: tuple[str, ...] = ()

    @property
    def chinese(self) -> bool:
        return self.language == "zh"


@dataclass
class Stopwatch:
    """Milliseconds per stage, in order; ``lap(stage)`` closes the stage that just ran."""

    timings: dict[str, float] = field(default_factory=dict)
    _t: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round((now - self._t) * 1000, 2)
        self._t = now

    def total(self) -> dict[str, float]:
        return {**self.timings, "total": round(sum(self.timings.values()), 2)}


class QueryAnalyser:
    """Detects, tokenises and embeds questions, keeping recent embeddings (the API and UI call it from threads)."""

    def __init__(self, encoder: Encoder, cache_size: int, cache_dir: Path) -> None:
        self.encoder = encoder
        self.cache_size = cache_size
        self.cache_dir = cache_dir  # CC-CEDICT's tables
        self._cache: OrderedDict[tuple[str, bool, str], tuple[np.ndarray, sp.csr_matrix | None, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()
        self._space_lock = threading.Lock()
        self._readings: OrderedDict[str, np.ndarray] = OrderedDict()
        self._space: LanguageSpace | None = None
        self._background: Background | None = None
        self._searchable: tuple[Container[str], Searchable] | None = None

    def analyse(self, question: str, ranking: Ranking, policy: AbstainPolicy, watch: Stopwatch | None = None,
                view: StoreView | None = None) -> Query:
        """``view``: the store searched; when it holds passages in the other language than the question's, the
        query also gets ``cross_vector`` (its translation terms prefer words of that store's vocabulary)."""
        watch = watch or Stopwatch()
        language, script = detect(question)
        tokens = tuple(tokenize(question))
        zh = language == "zh"
        cross = view is not None and (not zh) in view.languages
        # A non-Chinese question over a store with no passages in its own language is mapped into Chinese
        # question space instead of translated: the same quality there for one forward pass, not two. Where
        # the store mixes languages, the translation puts the two kinds of passage on one scale better
        # (docs/evaluation.md).
        mapped = cross and not zh and ranking.cross_map_other > 0 and view is not None and zh not in view.languages
        translation = ""
        if cross and not mapped and ranking.cross_translation > 0 and view is not None:
            translation = dictionary_translation(to_simplified(question) if zh else question, zh, view.vocabulary,
                                                 self.cache_dir)
        watch.lap("detect")
        # latent terms cost ~2-3 ms per question: computed only where ranking or abstention reads them
        with_latent = (ranking.latent_share(language) > 0 or policy.latent_floor(language) > 0
                       or (cross and ranking.latent_cross > 0))
        vector, latent, translated = self._embed(question, with_latent, translation)
        cross_vector = alone_vector = None
        if cross:
            share = ranking.cross_translation if translation else 0.0
            cross_vector = self._across((1 - share) * vector + share * translated, zh, ranking)
            # (the reverse map was measured neutral for Chinese questions: not built)
            if mapped or (not zh and ranking.order_alone and ranking.cross_map_other > 0):
                m = ranking.cross_map_other
                alone_vector = self._across((1 - m) * vector + m * self.space().to_chinese(vector), zh, ranking)
                if mapped:
                    cross_vector, alone_vector = alone_vector, None
        background = self.background().score(vector, zh, cross_vector, policy.cross_offset(language))
        role = asked_role(question) if cross else None
        roles = ((title_in_english(role, self.cache_dir) if zh else title_in_chinese(role, self.cache_dir, question))
                 if role else ())
        watch.lap("embed")
        return Query(question, language, script, tokens, vector, latent, cross_vector, alone_vector, background, roles)

    def _across(self, mixed: np.ndarray, zh: bool, ranking: Ranking) -> np.ndarray:
        """``mixed`` moved towards the other language's region along the axis (English -> Chinese moves against
        it), as a unit vector."""
        centring = ranking.cross_centring_zh if zh else ranking.cross_centring_other
        if centring > 0:
            mixed = mixed + (1 if zh else -1) * centring * self.space().axis
        return (mixed / np.linalg.norm(mixed)).astype(np.float32)

    def _embed(self, question: str, with_latent: bool, translation: str) -> tuple[np.ndarray, sp.csr_matrix | None, np.ndarray]:
        """The question's vector and latent terms, and its translation's vector (one batch; zeros when none)."""
        key = (question, with_latent, translation)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        texts = [to_simplified(question)] + ([translation] if translation else [])  # passages are Simplified too
        vecs, latent = self.encoder.embed_queries(texts, with_latent=with_latent)
        entry = (vecs[0], None if latent is None else latent[0], vecs[1] if translation else np.zeros_like(vecs[0]))
        with self._lock:
            if self.cache_size > 0:
                self._cache[key] = entry
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return entry

    def reading_vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors of passage readings (``english_gloss``), embedded as passages; the same candidates come back
        question after question, so recent ones are kept (as many as questions)."""
        with self._lock:
            known = {t: self._readings[t] for t in texts if t in self._readings}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            known.update(zip(missing, self.encoder.embed_readings(missing)))
            with self._lock:
                for t in missing:
                    self._readings[t] = known[t]
                while len(self._readings) > max(self.cache_size, 64):
                    self._readings.popitem(last=False)
        return np.stack([known[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    def space(self) -> LanguageSpace:
        """The encoder's English-Chinese axis and map: computed once per model (tens of seconds, by `qa build`,
        cached on disk), then held here."""
        with self._space_lock:  # the first computation is long: question-cache users don't wait on it
            if self._space is None:
                self._space = language_space(self.encoder, self.cache_dir)
            return self._space

    def background(self) -> Background:
        """The off-topic reference texts' vectors for this model (cached on disk by `qa build`), held here."""
        with self._space_lock:
            if self._background is None:
                self._background = load_background(self.encoder, self.cache_dir)
            return self._background

    def searchable(self, view: StoreView) -> Searchable:
        """``view``'s vocabulary as dictionary translations see it, kept while the vocabulary is the same object:
        its pieces (a jieba cut of each candidate translation) were most of an English question's CPU time."""
        held = self._searchable
        if held is None or held[0] is not view.vocabulary:
            held = self._searchable = (view.vocabulary, Searchable(view.vocabulary))
        return held[1]

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._readings.clear()


@dataclass(frozen=True)
class SearchResult:
    query: Query
    hits: list[Hit]  # every candidate, best first
    evidence: Evidence
    terms: dict[str, float]  # the keyword terms searched
    # terms naming a speaker whom another passage of their article quotes by title alone (``titled_credit``): they
    # say whose words are asked, not which paragraph holds them
    spoken: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()  # the Chinese forms of the names an English question writes (Han Zhigang: 韩志刚)


def keyword_terms(view: StoreView, query: Query, translate: bool, cache_dir: Path,
                  units: Sequence[tuple[str, list[str]]] | None = None,
                  searchable: Searchable | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """Weighted keyword terms of a question: (for passages in its language, for passages in the other language).

    Chinese: its own tokens. Other languages: its tokens that occur in the corpus (codes such as H200, names written
    in Latin letters), less English function words: beside a few English articles "and", "about", "each" are rare
    enough to score, and drew English questions about the Chinese articles to English passages (docs/evaluation.md,
    "A mixed-language library"). For the other language's passages (when the store has some), also CC-CEDICT
    translations of its words into that language (Chinese <-> English) that occur in the corpus. Translations only
    search passages in the other language: among same-language passages they were measured noise (a Chinese
    question's English words pulling Chinese passages that quote English titles). ``units``: an English question's
    ``english_units``, when the caller has them already; ``searchable``: the vocabulary's ``Searchable``
    (QueryAnalyser.searchable), else one made here.
    """
    vocab = view.vocabulary
    own = {t: 1.0 for t in query.tokens if query.chinese or (t in vocab and t not in ENGLISH_STOPWORDS)}
    shares = {t: 1.0 for t in share_forms(normalize(query.text)) if t in vocab}  # 三成 as 30%, "a third" as 三分之一
    if query.chinese:
        own.update((t, w) for t, w in shares.items() if t not in own)
    searchable = searchable or Searchable(vocab)
    if (not query.chinese) not in view.languages:
        return own, {}
    cross = {**shares, **own}
    if translate:
        if query.chinese:
            translated = translate_chinese_query(to_simplified(query.text), vocab, cache_dir)
            # a Hong Kong name as its English articles write it (黃國豪: Wong Kwok-ho): each syllable weighs what it
            # would in an English question naming it
            translated.update((name, float(len(name.split()))) for name in cantonese_names(view, query.text))
        else:
            units = english_units(view, query, cache_dir, searchable) if units is None else units
            translated = translate_query(query.text, searchable, cache_dir, units)
            # One concept, one rarity: a name written in Latin letters inside Chinese text (英偉達（Nvidia）, mostly
            # in photo captions) is rare as a token though its concept is everywhere; weighted by its own IDF it
            # pulled English questions to captions. Its weight is scaled to the IDF of its commonest form.
            for unit, found in units:
                if unit in cross and found and (idf := view.term_idf(unit)) > 0:
                    common = min(sum(view.term_idf(p) for p in searchable.pieces(t)) for t in found)
                    cross[unit] *= min(1.0, common / idf)
        for term, w in translated.items():
            pieces = searchable.pieces(term)
            for piece in pieces:
                cross[piece] = cross.get(piece, 0.0) + w / len(pieces)
    return own, cross


# what a question asks rather than what it is about: no sentence that answers need hold them (多久: 每15分钟一班)
QUESTION_WORDS = frozenset("多久 多长 多大 多高 多远 多重 几点 几时 几多 哪里 哪儿 边度 乜嘢 咩 点样 是否 有没有 呀 long".split())


PINYIN_FORMS = 3  # Chinese forms of a name in pinyin searched for it (陈志明, and a namesake 陈志铭 if written)


def english_units(view: StoreView, query: Query, cache_dir: Path,
                  searchable: Searchable | None = None) -> list[tuple[str, list[str]]]:
    """An English (non-Chinese) question's ``translation_units`` over the store's vocabulary; [] for a Chinese
    question or a store without Chinese passages."""
    if query.chinese or True not in view.languages:
        return []
    units = translation_units(query.text, searchable or Searchable(view.vocabulary), cache_dir)
    for name, splits in pinyin_names(query.text, cache_dir, lambda form: written_somewhere(view, form)):
        forms = chinese_forms(view, splits, cache_dir)[:PINYIN_FORMS]
        if forms:  # the name stands for its words: "chen" alone would also reach every other 陈
            words = set(name.split())
            units = [u for u in units if not set(u[0].removeprefix(HEAD).split()) <= words] + [(name, forms)]
    return units


def content_units(query: Query, units: Sequence[tuple[str, list[str]]] = ()) -> list[tuple[str, ...]]:
    """The question's content words for abstention's coverage (``qa.abstain.coverage``), each as the forms that
    count for it: a Chinese question's keyword tokens (the longest of overlapping ones); an English question's
    tokens, each with the Chinese translations its ``units`` (``english_units``) found (not the head-word
    fallbacks, nor one-character translations: too loose to say a sentence holds the word)."""
    words = [t for t in dict.fromkeys(query.tokens)
             if t not in STOPWORDS and t not in ENGLISH_STOPWORDS and t not in QUESTION_WORDS]
    if query.chinese:
        return [(t,) for t in words if not any(t != other and t in other for other in words)]
    translations: dict[str, list[str]] = {}
    for unit, found in units:
        if not unit.startswith(HEAD):
            for word in unit.split():
                translations.setdefault(word, []).extend(f for f in found if len(f) > 1)
    return [(t, *(f for word, found in translations.items() if word == t or (len(word) > 3 and t.startswith(word))
                  for f in found)) for t in words]


class Searchable:
    """A store's keyword vocabulary seen from a dictionary translation: a word is searchable when it is a
    keyword term, or when the one tokenizer splits it into terms that all are (jieba does not know many names
    and cuts them the same way in every passage: 英伟达 -> 英 / 伟达)."""

    def __init__(self, vocabulary: Container[str]) -> None:
        self.vocabulary = vocabulary
        self._pieces: dict[str, tuple[str, ...]] = {}

    def pieces(self, word: str) -> tuple[str, ...]:
        """The keyword terms that stand for ``word`` (empty when it is not searchable)."""
        if word not in self._pieces:
            if word in self.vocabulary:
                self._pieces[word] = (word,)
            else:
                parts = tuple(dict.fromkeys(tokenize(word)))
                self._pieces[word] = parts if len(parts) > 1 and all(p in self.vocabulary for p in parts) else ()
        return self._pieces[word]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(self.pieces(word))


def search(view: StoreView, query: Query, k: int, ranking: Ranking, policy: AbstainPolicy, cache_dir: Path,
           watch: Stopwatch | None = None, rows: np.ndarray | None = None,
           readings: Callable[[list[str]], np.ndarray] | None = None,
           searchable: Searchable | None = None) -> SearchResult:
    """Rank the store's passages for ``query`` and gather what the abstention decision reads.

    ``rows``: the only rows that may be found (qa.filters.allowed_rows), None for all. ``readings``: vectors of
    texts embedded as passages (QueryAnalyser.reading_vectors), for ``rerank_by_gloss``; None skips it.
    ``searchable``: the vocabulary's ``Searchable`` kept between questions (QueryAnalyser.searchable)."""
    watch = watch or Stopwatch()
    n = min(len(view.chunks) if rows is None else len(rows), max(ranking.candidates, 4 * k))
    same_side = query.chinese in view.languages
    vector_jobs: dict[str, Callable[[], dict[int, float]]] = {}
    if same_side:
        vector_jobs["dense"] = lambda: view.dense_search(query.vector, n, rows)
    if query.cross_vector is not None:
        vector_jobs["dense_cross"] = lambda: view.dense_search(query.cross_vector, n, rows)
    searchable = searchable or Searchable(view.vocabulary)
    units = english_units(view, query, cache_dir, searchable) if ranking.translate else []
    own, cross = keyword_terms(view, query, ranking.translate, cache_dir, units, searchable)
    keyword_jobs: dict[str, Callable[[], dict[int, float]]] = {}
    if same_side and ranking.keyword_weight(query.language) > 0:
        keyword_jobs["keyword"] = lambda: view.keyword_search(own, n, rows)
    if cross and ranking.keyword_cross > 0:
        keyword_jobs["keyword_cross"] = lambda: view.keyword_search(cross, n, rows)
    if view.concurrent_searches:  # each a round trip to a server: together they wait once (timed as vector_search)
        found = view.run_together({**vector_jobs, **keyword_jobs})
        watch.lap("vector_search")
    else:
        found = {name: job() for name, job in vector_jobs.items()}
        watch.lap("vector_search")
        found.update((name, job()) for name, job in keyword_jobs.items())
    watch.lap("keyword_search")
    dense = found.get("dense", {})
    # the Chinese forms of the names an English question writes (Han Zhigang: 韩志刚), for a title's holder
    names = latin_names(query.text)
    forms = frozenset(f for unit, found_forms in units if unit in names for f in found_forms)
    found["keyword"], spoken = titled_credit(view, query.text, found.get("keyword", {}), own, forms, rows)
    found["keyword_cross"], spoken_cross = titled_credit(view, query.text, found.get("keyword_cross", {}), cross, forms,
                                                         rows)
    for row, score in found.get("dense_cross", {}).items():
        dense[row] = max(score, dense.get(row, score))
    keyword, keyword_cross = found.get("keyword", {}), found.get("keyword_cross", {})
    # only over a library with no passages in the question's language: beside them, lifting the Chinese ones cost
    # more (XQuAD en+zh library, English questions: recall@1 0.915 -> 0.909) than it gained
    gloss = (gloss_scores(view, query, set(dense) | set(keyword) | set(keyword_cross), cache_dir)
             if ranking.gloss > 0 and not same_side else {})
    hits = without_header_rows(view, fuse(view, query, dense, keyword, ranking, keyword_cross, gloss))
    terms = own | cross
    watch.lap("fusion")
    best_dense = 0.0
    if hits:
        dense_scores = np.array([h.dense or 0.0 for h in hits])
        if query.cross_vector is not None:  # abstention's own offset for passages in the other language
            shift = policy.cross_offset(query.language) - ranking.cross_offset(query.language)
            dense_scores += shift * (view.chinese_rows([h.chunk.chunk_id for h in hits]) != query.chinese)
        best_dense = float(dense_scores.max())
    latents = [h.latent for h in hits if h.latent is not None]
    depth = max(1, policy.amount_depth)
    read = place_first(view, query, hits, max(depth, 2), cache_dir, beyond=PLACE_READ_DEPTH)  # what abstention reads
    read = year_first(view, query, read, ranking.year) if ranking.year else read
    read = titled_first(view, query.text, read, lambda h: h.chunk, forms)
    first = list({(h.chunk.doc_id, h.chunk.paragraph): h.chunk for h in read[:depth]}.values())
    paragraphs = [paragraph_text(view, c) for c in first]
    years = [paragraph_years(view, c, p) for c, p in zip(first, paragraphs)]
    # a table row is read under its header, which says what its figures are ("Output 2026 (million tonnes)")
    paragraphs = [under_header(table_headers(view.documents[c.doc_id].text), c.paragraph, p) if CELL_SEPARATOR in p else p
                  for c, p in zip(first, paragraphs)]
    article = list(dict.fromkeys(paragraph_text(view, h.chunk) for h in read[:depth] if h.chunk.doc_id == read[0].chunk.doc_id))
    head = article_head(view, read[0].chunk.doc_id) if read else ""
    whole = view.documents[read[0].chunk.doc_id].text if read else ""
    evidence = gather_evidence(evidence_view(view, rows), query, best_dense, terms, max(latents) if latents else None,
                               cache_dir, paragraphs, content_units(query, units), article, head, whole, years,
                               first_articles(view, hits), read[0].chunk.doc_id if read else "")
    watch.lap("abstain")
    # after the evidence: abstention's floors and rules were calibrated on the fused order, and the reading only
    # reorders near ties among the first hits for citing
    # a holder of the place's story (东京拉面店协会的会长是谁？ cited Lanzhou's 协会会长, its story first), at any distance
    # among the first: the holder of another city's bureau is no answer ("Who leads the civil affairs bureau in
    # Taoyuan?" cited Zhengzhou's 城市管理局局长)
    story = place_first(view, query, hits, PLACE_DEPTH, cache_dir, margin=float("inf"))[0].chunk.doc_id \
        if hits and ranking.role and asked_role(query.text) else None
    if ranking.kind or ranking.role:
        hits = rerank_by_kind(query, hits, ranking.kind, ranking.role, view, story)
    if readings is not None and ranking.gloss_vector > 0 and not same_side and not query.chinese:
        hits = rerank_by_gloss(query, hits, ranking, readings, cache_dir)
        watch.lap("rerank")
    elif ranking.order_alone and same_side and not query.chinese and query.cross_vector is not None:
        hits = order_as_alone(view, query, hits, ranking, readings, cache_dir, story)
        watch.lap("rerank")
    # the names an English question writes with what the library writes for them (a name in pinyin: Pingshan's 坪山,
    # Beidahu's 北大湖)
    named = [(unit, *found) for unit, found in units if unit in names and found]
    # (a row of 坪山区 | 二十一处 | 九百一十五人, a line of 油尖旺區：五百二十宗)
    places = {form for forms in asked_places(query, cache_dir) for form in forms} | {
        form for forms in named for form in forms[1:]} if ranking.row or ranking.line else set()
    if ranking.row:
        hits = rerank_by_row(view, query.text, hits, terms, ranking.row, places)
    if ranking.line and asked_role(query.text) is None:  # (a list's line names no holder of a title)
        hits = rerank_by_line(view, hits, terms, ranking.line, places)
    if ranking.place:
        hits = rerank_by_place(view, query, hits, ranking.place, cache_dir, named)
    if ranking.figure:
        hits = rerank_by_figure(view, query, hits, ranking.figure)
    if ranking.report:
        hits = rerank_by_report(view, query, hits, ranking.report)
    if ranking.base:  # (once the places and figures have chosen the story)
        hits = rerank_by_base(view, query, hits, ranking.base)
    if ranking.name:  # (a paragraph of the story chosen)
        hits = rerank_by_name(view, query, hits, ranking.name, cache_dir, named)
    if evidence.absent_places and hits:
        # read again over the articles the places' and figures' bonuses brought first: "What share of the
        # cross-border online shopping complaints received in Hangzhou involved refunds, about 58%?" was refused
        # over a Hong Kong story found first, the Hangzhou story cited first
        evidence = replace(evidence, absent_places=absent_places(evidence_view(view, rows), query,
                                                                 first_articles(view, hits), cache_dir,
                                                                 content_units(query, units)))
    return SearchResult(query, hits, evidence, terms, spoken | spoken_cross, forms)


def latin_names(question: str) -> set[str]:
    """The runs of capitalised words a question writes, folded as ``english_units`` names them (Han Zhigang: "han
    zhigang")."""
    return {" ".join(run.lower().split()) for run in re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", question)}


def titled_credit(view: StoreView, question: str, scores: dict[int, float], terms: dict[str, float],
                  forms: Collection[str] = (),
                  rows: np.ndarray | None = None) -> tuple[dict[int, float], frozenset[str]]:
    """Keyword ``scores`` (BM25 of ``terms``) with what the question's name of a speaker earns the passage naming
    them also earned by a passage of the article quoting them by title alone (``quotes_named_by_title``: 局长韩志刚
    … then 该局局长介绍…四十二支快速修补队). News names a speaker once and then by title; the name says whose words
    are asked, not which paragraph holds them, and its rarity drew "How many rapid pothole repair crews will Han
    Zhigang's bureau set up…?" to the paragraph naming him (held-out 58). The rest of the question's words choose
    among the two. ``forms``: the Chinese forms of the names an English question writes; ``rows``: the rows
    allowed (qa.filters), None for all. Also returns the terms that name such a speaker."""
    spoken_all: set[str] = set()
    if not scores or not terms:
        return scores, frozenset()
    allowed = None if rows is None else set(rows.tolist())
    out = dict(scores)
    titled: dict[str, list[int]] = {}  # an article's rows quoting someone by title alone
    for row, score in scores.items():
        named = view.chunks[row]
        if named.doc_id not in titled:
            titled[named.doc_id] = [r for r in view.chunk_rows(named.doc_id) if quotes_by_title(view.chunks[r].text)]
        for other in titled[named.doc_id]:
            chunk = view.chunks[other]
            if chunk.paragraph == named.paragraph or allowed is not None and other not in allowed:
                continue
            name = quotes_named_by_title(question, named.text, chunk.text, forms)
            if not name:
                continue
            folded = normalize(name)
            spoken = {t for t in terms if t and (t in folded.split() if t.isascii() else t in folded)}
            if not spoken:
                continue
            spoken_all |= spoken
            kept = {t: w for t, w in terms.items() if t not in spoken}
            rest = view.keyword_search(kept, 1, np.array([row], np.int64))
            earned = score - rest.get(row, 0.0)
            if earned > 0:
                out[other] = max(out.get(other, 0.0), scores.get(other, 0.0) + earned)
    return out, frozenset(spoken_all)


def first_articles(view: StoreView, hits: list[Hit]) -> list[str]:
    """The texts of the articles of the first hits within ``PLACE_MARGIN`` of the first (of the first ``PLACE_DEPTH``):
    those a place's bonus (``rerank_by_place``) could bring first, read for the places they write
    (qa.abstain.absent_places)."""
    return [view.documents[d].text for d in dict.fromkeys(
        h.chunk.doc_id for h in hits[:PLACE_DEPTH] if h.score >= hits[0].score - PLACE_MARGIN)] if hits else []


def gloss_scores(view: StoreView, query: Query, rows: set[int], cache_dir: Path) -> dict[int, float]:
    """BM25 of a non-Chinese question's words over the English glosses (CC-CEDICT, word by word) of the Chinese
    candidates: the dictionary from the passage's side. Query-side translation picks a few Chinese words per
    English word and misses the passage's own choice (a question's "stock" against 库存, 存货 or 股票); the
    passage's words, read in English, meet the question's. Scored among the candidates only (their IDF), so no
    index is kept: it works the same over any store."""
    if query.chinese or not rows:
        return {}
    ordered = sorted(rows)
    chinese = view.chinese_rows(ordered)
    cands = [r for r, zh in zip(ordered, chinese) if zh]
    if not cands:
        return {}
    index = KeywordIndex.build([english_gloss(view.chunks[r].text, cache_dir) for r in cands], tokenizer=str.split)
    scores = index.score_terms(dict.fromkeys(english_terms(query.text), 1.0))
    return {r: float(v) for r, v in zip(cands, scores) if v > 0}


def rerank_by_gloss(query: Query, hits: list[Hit], ranking: Ranking, readings: Callable[[list[str]], np.ndarray],
                    cache_dir: Path) -> list[Hit]:
    """The first ``Ranking.gloss_depth`` hits (Chinese passages, a non-Chinese question) re-scored by the question's
    cosine with each passage's English gloss embedded as an English passage: what the gloss's words say together,
    where ``gloss_scores`` counts them one by one. A question and a passage in one language meet without the
    encoder's language gap. Centred on those hits' mean, so scores keep their scale (card merging, confidence);
    measured: docs/evaluation.md, "The reading"."""
    top = hits[:ranking.gloss_depth]
    if len(top) < 2:
        return hits
    cos = readings([english_gloss(h.chunk.text, cache_dir) for h in top]) @ query.vector
    lift = ranking.gloss_vector * (cos - cos.mean())
    # a caption's gloss keeps the Latin name it quotes (英偉達（Nvidia）): it may fall, never rise (see only_metadata)
    moved = [replace(h, score=h.score + (min(0.0, float(d)) if only_metadata(h.chunk) else float(d))) for h, d in zip(top, lift)]
    return sorted(moved + hits[len(top):], key=lambda h: -h.score)


def order_as_alone(view: StoreView, query: Query, hits: list[Hit], ranking: Ranking,
                   readings: Callable[[list[str]], np.ndarray] | None, cache_dir: Path,
                   story: str | None = None) -> list[Hit]:
    """A non-Chinese question over a library that mixes languages: its Chinese hits ordered among themselves as
    over a library of Chinese passages alone (the mapped vector, ``gloss_scores``, ``rerank_by_kind``,
    ``rerank_by_gloss``: what ``search`` does there), then moved together so that the best of them keeps its score.
    Which Chinese paragraph answers should not depend on what else the library holds; the balance between the two
    languages stays with the translation and offsets measured for it (docs/evaluation.md, "A mixed-language
    library"). ``story``: the article of the place a who-question names (``rerank_by_kind``)."""
    chinese = view.chinese_rows([h.chunk.chunk_id for h in hits])
    theirs = [h for h, zh in zip(hits, chinese) if zh]
    if len(theirs) < 2:
        return hits
    rows = [h.chunk.chunk_id for h in theirs]
    alone_query = replace(query, cross_vector=query.alone_vector if query.alone_vector is not None else query.cross_vector)
    gloss = gloss_scores(view, query, set(rows), cache_dir) if ranking.gloss > 0 else {}
    alone = fuse(view, alone_query, dict.fromkeys(rows, 0.0), {}, ranking, {h.chunk.chunk_id: h.keyword for h in theirs},
                 gloss)
    if ranking.kind or ranking.role:
        alone = rerank_by_kind(query, alone, ranking.kind, ranking.role, view, story)
    if readings is not None and ranking.gloss_vector > 0:
        alone = rerank_by_gloss(query, alone, ranking, readings, cache_dir)
    shift = theirs[0].score - alone[0].score
    ours = [h for h, zh in zip(hits, chinese) if not zh]
    return sorted(ours + [replace(h, score=h.score + shift) for h in alone], key=lambda h: -h.score)


def without_header_rows(view: StoreView, hits: list[Hit]) -> list[Hit]:
    """``hits`` less tables' header rows: a header labels its columns and answers nothing, and each row under it is
    embedded and keyword-indexed with it (qa.chunk.keyword_texts), so it drew every question naming a column
    ahead of the row that answers ("What is the average waiting time for a bed … at Linkou Chang Gung?" cited 醫院 |
    急診待床超過48小時人數 | 平均等床時間) and let near misses through ("黑龙江2027年小麦产量是多少？" found the crop
    table's header, and no row names wheat)."""
    headers: dict[str, frozenset[int]] = {}
    out = []
    for hit in hits:
        chunk = hit.chunk
        if CELL_SEPARATOR in chunk.text:
            if chunk.doc_id not in headers:
                headers[chunk.doc_id] = header_rows(view.documents[chunk.doc_id].text)
            if chunk.paragraph in headers[chunk.doc_id]:
                continue
        out.append(hit)
    return out


def paragraph_text(view: StoreView, chunk: Chunk) -> str:
    """The whole paragraph ``chunk`` belongs to."""
    rows = [r for r in view.chunk_rows(chunk.doc_id) if view.chunks[r].paragraph == chunk.paragraph]
    return view.documents[chunk.doc_id].text[min(view.chunks[r].start for r in rows):max(view.chunks[r].end for r in rows)]


_STORY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
STORY_YEAR_CHARS = 600  # how far a story's year is looked for when it has no date: its headline, dateline and lead


def story_head(view: StoreView, doc_id: str) -> str:
    """An article's head, folded: its headline, byline or dateline and lead (``head_lines``: "DUBLIN - Taxi fares…"
    after a byline)."""
    lines = [line for line in view.documents[doc_id].text.split("\n") if line.strip()]
    return normalize("\n".join(lines[:head_lines(lines)]))


def article_head(view: StoreView, doc_id: str) -> str:
    """An article's headline and lead (its first two lines that hold text): where its subject is named."""
    doc = view.documents[doc_id]
    return "\n".join([line for line in doc.text.split("\n") if line.strip()][:2])


def paragraph_years(view: StoreView, chunk: Chunk, text: str | None = None) -> tuple[str, ...]:
    """The years the paragraph of ``chunk`` tells from its story's date (``told_years``: 今年, 去年, "last autumn",
    上月): what the rules for years read besides the years it writes. "How many passengers did Zhangjiajie airport
    handle in 2026?" was refused over 去年全年…412万人次 in a story of 2027. The story's year is its date's, else the
    first its opening writes (累計今年1至11月 answers "…January to November 2026" in a story whose lead reports
    2026年11月's trade). Kept apart from the text: read as written digits, a year made every such paragraph state an
    amount ("英偉達股價這次下跌了幾個百分點？" was answered over a paragraph saying the price fell slightly). ``text``: the
    paragraph's, when the caller has it."""
    text = paragraph_text(view, chunk) if text is None else text
    doc = view.documents[chunk.doc_id]
    year = doc.date[:4] if doc.date else (m.group(0) if (m := _STORY_YEAR.search(digit_years(_opening(doc.text))))
                                           else "")
    month = int(doc.date[5:7]) if doc.date and doc.date[5:7].isdigit() else None
    told = told_years(text, int(year), month) if year else []
    if not told and doc.date and not _STORY_YEAR.search(digit_years(text)):
        # a paragraph that names no year speaks of its story's: "2027年文憑試…的及格率是多少？" was refused over "The pass
        # rate in Citizenship and Social Development … was 91.4 per cent" in a story dated 15 July 2027
        told = [int(year)]
    return tuple(map(str, told))


def _opening(text: str) -> str:
    """A story's headline and lead (its first two blocks, at most ``STORY_YEAR_CHARS``): where an undated story writes
    its year. Not a later paragraph's history: 黄（渤）海候鸟栖息地于二〇一九年列入《世界遗产名录》 of a winter count's story
    made its 今冬 2019's, and a tester's "…Yancheng…2019 winter count?" was answered; 首屆花展於一九八七年舉行 made a
    flower show's 今年 1987's."""
    blocks = [b for b in re.split(r"\n\s*\n", text[:STORY_YEAR_CHARS]) if b.strip()]
    return "\n\n".join(blocks[:2])


def dated_paragraph(view: StoreView, chunk: Chunk) -> str:
    """``paragraph_text`` followed by its ``paragraph_years``: what ``year_first`` reads for the question's years. A
    table row is read under its header, as abstention reads it: a tester's "How much of Tianjin's recycled water was
    used to top up rivers and lakes in 2024?" was refused, the year only in the column's 二〇二四年用量."""
    text = paragraph_text(view, chunk)
    if CELL_SEPARATOR in text:
        text = under_header(table_headers(view.documents[chunk.doc_id].text), chunk.paragraph, text)
    years = paragraph_years(view, chunk, text)
    return f"{text} ({' '.join(years)})" if years else text


def fuse(view: StoreView, query: Query, dense: dict[int, float], keyword: dict[int, float], ranking: Ranking,
         keyword_cross: dict[int, float] | None = None, gloss: dict[int, float] | None = None) -> list[Hit]:
    """Convex combination of dense cosine, max-normalised BM25 and latent-term cosine over the union of candidates.

    Rank fusion (RRF) treats a keyword list of noise the same as a good one; scaling BM25 by its best score and
    mixing with a measured weight keeps dense order when the keyword channel has nothing to say. Latent terms
    (cosine of two sparse vectors, already 0..1) are mixed in last with their own share. Each candidate's best
    sentence is found once here; the highlight uses it.

    A passage in the other language than the question's is scored with the question's ``cross_vector`` (plus
    ``Ranking.cross_offset``), the cross weights and ``keyword_cross`` (BM25 of the question's terms with their
    translations), so that its score is on the question language's scale: a multilingual encoder scores a
    same-language pair higher than an equally relevant pair across languages. ``gloss`` (``gloss_scores``, max-
    normalised) adds ``Ranking.gloss`` at most.
    """
    keyword_cross = keyword_cross or {}
    gloss = gloss or {}
    top_gloss = max(gloss.values(), default=0.0)
    rows = sorted(set(dense) | set(keyword) | set(keyword_cross))
    if not rows:
        return []
    cos, spans, sentence = _dense_scores(view, rows, query.vector, ranking.sentence_share)
    cross = np.zeros(len(rows), bool)
    if query.cross_vector is not None:
        cross = view.chinese_rows(rows) != query.chinese
        if cross.any():
            c_cos, c_spans, c_sentence = _dense_scores(view, rows, query.cross_vector, ranking.sentence_share)
            offset = ranking.cross_offset(query.language)
            cos = np.where(cross, c_cos + offset, cos)
            sentence = np.where(cross, c_sentence + offset, sentence)
            spans = [c if x else s for s, c, x in zip(spans, c_spans, cross)]
    weight = np.where(cross, ranking.keyword_cross, ranking.keyword_weight(query.language))
    share = np.where(cross, ranking.latent_cross, ranking.latent_share(query.language))
    lat = view.latent_scores(rows, query.latent)  # scored whenever available (abstention reads it)
    top_kw = max(keyword.values(), default=0.0)
    top_cross = max(keyword_cross.values(), default=0.0)
    hits = []
    for i, row in enumerate(rows):
        if cross[i]:
            kw = keyword_cross.get(row, 0.0) / top_cross if top_cross > 0 else 0.0
        else:
            kw = keyword.get(row, 0.0) / top_kw if top_kw > 0 else 0.0
        score = (1 - weight[i]) * float(cos[i]) + weight[i] * kw
        la = None if lat is None else float(lat[i])
        if la is not None and share[i] > 0:
            score = (1 - share[i]) * score + share[i] * la
        if top_gloss > 0:
            score += ranking.gloss * gloss.get(row, 0.0) / top_gloss
        if ranking.metadata_penalty and only_metadata(view.chunks[row]):
            score -= ranking.metadata_penalty
        hits.append(Hit(view.chunks[row], float(score), dense=float(cos[i]), keyword=kw, latent=la, sentence=spans[i],
                        sentence_score=float(sentence[i])))
    hits.sort(key=lambda h: -h.score)
    return hits


YEAR_DEPTH = 3  # the first hit and the next two of its article


def year_first(view: StoreView, query: Query, hits: list[Hit], margin: float) -> list[Hit]:
    """``hits`` with the first of the next ``YEAR_DEPTH - 1`` from the first's article whose paragraph writes every
    year and quoted name (「晴晴」) the question names, and names no sibling of its numbered things (``sibling_swaps``:
    三期 beside or for 二期, the H200 for the H20, Q3 for Q2) or names the asked one alone in a clause
    (``names_alone``), moved to the front, when the first's does not and the gap in score is at most
    ``margin`` (across articles it cost XQuAD English -> Chinese a first card and gained none). For abstention,
    which reads the first paragraph: "What was Kaohsiung port's container throughput in 2025?" was refused (the
    year missing) from the 2026 forecast, 0.015 above the paragraph that gives 2025's figure, and
    "六鳌海上风电二期一共投了多少钱？" from the paragraph on phase three's start, 0.004 above phase two's cost. The
    cards' order is left to the rules after it (moving it there as well cost the XQuAD en+zh library two English
    first cards)."""
    years = asked_years(query) + quoted_names(normalize(query.text))
    if not (years or names_numbered(query)) or len(hits) < 2:
        return hits

    def fits(hit: Hit) -> bool:  # a caption shows a year and answers nothing (only_metadata)
        if only_metadata(hit.chunk):
            return False
        paragraph = digit_years(normalize(dated_paragraph(view, hit.chunk)))
        return all(year in paragraph for year in years) and (not sibling_swaps(query, paragraph, beside=True)
                                                             or names_alone(query, paragraph))

    if fits(hits[0]):
        return hits
    # the next from the same article (another article's paragraph proves nothing, nor counts: "How much fish was
    # landed at Port Skerrow in 2025?" was refused, another story's paragraph between the lead and the one citing 2025)
    same = [i for i in range(1, len(hits)) if hits[i].chunk.doc_id == hits[0].chunk.doc_id][:YEAR_DEPTH - 1]
    for i in same:
        if hits[0].score - hits[i].score > margin:
            break
        if fits(hits[i]):
            return [hits[i], *hits[:i], *hits[i + 1:]]
    return hits


def rerank_by_kind(query: Query, hits: list[Hit], bonus: float, role_bonus: float = 0.0,
                   view: StoreView | None = None, story: str | None = None) -> list[Hit]:
    """Hits whose best sentence states the kind of answer the question asks for (an amount for "how many",
    a time for "when": qa.text.answer_type) moved up by ``bonus``; for a who-question asking the holder of a title,
    hits of the first hit's article naming one anywhere in them by ``role_bonus``: 峰源新能源总裁是谁？ cited the lead,
    which names the company three times, over 公司总裁许文海介绍 (the cosine's best sentence need not be the one naming
    them), or quoting the holder by title alone where the next paragraph opens with their name
    (``holder_named_next``, read in ``view``'s text). Not another article's: "Who is the mayor of Tainan?" drew
    Lakeport's "Mayor Dana Whitfield", 加泰隆尼亞水務局局長是誰？ 兰州's 体育局局长 (everyday, held-out 3). ``story``: the
    article of the place the question names, when another's is first (``place_first``)."""
    if role_bonus and hits and (role := asked_role(query.text)):
        first, roles = story or hits[0].chunk.doc_id, (role, *query.roles)
        text = view.documents[first].text if view is not None else ""
        bonus, states = role_bonus, [h.chunk.doc_id == first and (names_any_holder(h.chunk.text, roles)
                                                                  or holder_named_next(text, h.chunk.end, roles) is not None)
                                     for h in hits]
    else:
        states = answers_kind(query.text, [_span_text(h.chunk, h.sentence) for h in hits])
    if not any(states):
        return hits
    moved = [replace(h, score=h.score + bonus) if s else h for h, s in zip(hits, states)]
    return sorted(moved, key=lambda h: -h.score)


def rerank_by_base(view: StoreView, query: Query, hits: list[Hit], bonus: float) -> list[Hit]:
    """Hits that give a change against the base the question asks (qa.abstain.bases: the same period a year before,
    the month before) moved up by ``bonus``: "By how much has Zhengzhou's backlog of unrepaired potholes grown
    compared with a year earlier?" cited a professor's 复坏率 rates above the lead's 比去年同期增加两成三, 香港避风塘的轮候船
    只比去年多了多少？ the shelters' list above 比去年增加一成六 (held-out 58). The rest of the question says which change;
    the base says which paragraph of the story found gives one at all. A table row is read under its header (沙田第一城 |
    12,350元 | -8.6% under 屋苑 | 10月平均實用呎價 | 按年變幅)."""
    asked = bases(normalize(query.text))
    if not asked or not hits:
        return hits
    # (within the first's article: another story's 比去年提前了九天 says nothing of which of this one's answers)
    first = hits[0].chunk.doc_id
    headers = table_headers(view.documents[first].text)

    def gives(chunk: Chunk) -> bool:
        text = under_header(headers, chunk.paragraph, chunk.text) if CELL_SEPARATOR in chunk.text else chunk.text
        return bool(asked & bases(normalize(text)))
    moved = [replace(h, score=h.score + bonus) if h.chunk.doc_id == first and gives(h.chunk) else h for h in hits]
    return sorted(moved, key=lambda h: -h.score)


ROW_TERM = 2  # characters (Latin letters: three) a question's term needs to name a table row's label


def rerank_by_row(view: StoreView, question: str, hits: list[Hit], terms: dict[str, float], bonus: float,
                  places: Collection[str] = ()) -> list[Hit]:
    """The one table row among ``hits`` of an article whose label (its first cell) holds a keyword term of the
    question (``terms``, either language) that no other row's label among them holds, moved up by ``bonus``, when
    the row states the kind of answer the ``question`` asks (``kind_asked``: 从屯门南到南昌需要多长时间？ of "Nam Cheong |
    52 minutes | 31 minutes"; a span, a sum, a share, not a mere count or amount), else when its table's header holds a
    term of it. Each row is embedded and keyword-indexed under the header, so every row shares the question's column
    words and the row's own name decides which answers; its few words weigh little beside a paragraph's: "What was
    the year-on-year growth in container throughput for Qingdao port in the first half?" cited the port's lead above
    青岛港 | 1,620 | 6.8% (a tester's question). Not by a word other rows' labels hold too (高价 of 甲級高價酒店 and 乙級高價酒店): the
    one that tells them apart decides. Not a row whose columns the question does not ask: 林家偉…承諾興建有蓋行人道，
    連接牛頭角港鐵站和哪個屋邨？ names the candidate of "Lam Ka-wai | Kwun Tong Community Alliance | 9,412 | 46.8%".
    (Tried, not kept: not by a word of the article's title, for "寧波舟山港上半年貨物吞吐量是多少？", which asks the
    port's cargo, not its container row; 网络安全 | 5.3亿元 | +57% is named in its article's title too.) A row whose
    label holds one of the question's ``places`` (every form of each: ``asked_places``) needs no header word: "How
    many public toilets will be renovated in Hangzhou's Xihu district?" over 区 | 改造数量 | 投资 and 西湖区 | 85座 | …
    (an English question's keywords leave places out: they would draw the lead that names the city)."""
    term = _row_term
    # a figure of any kind is in every row: a count or an amount asked says nothing of which table answers
    kind = kind_asked(question)
    kind = None if kind in (states_count, states_quantity) else kind
    headers: dict[str, dict[int, str]] = {}
    heads: dict[str, str] = {}
    asks_division = bool(re.search(r"[县区縣區]|\b(?:county|district)\b", question, re.I))

    def named_rows(places: Collection[str]) -> tuple[set[int], bool]:
        rows: dict[str, dict[int, set[str]]] = {}
        for i, hit in enumerate(hits):
            chunk = hit.chunk
            if CELL_SEPARATOR not in chunk.text:
                continue
            if chunk.doc_id not in headers:
                headers[chunk.doc_id] = table_headers(view.documents[chunk.doc_id].text)
            if chunk.paragraph not in headers[chunk.doc_id]:  # no row of a table: a masthead "Paper | date | By …"
                continue
            header = normalize(headers[chunk.doc_id][chunk.paragraph])
            label = normalize(chunk.text.split(CELL_SEPARATOR)[0])
            if chunk.doc_id not in heads:
                heads[chunk.doc_id] = normalize(article_head(view, chunk.doc_id))
            head = heads[chunk.doc_id]
            # not a county's or district's row named for the story's own city, which its headline or lead names,
            # unless the question asks a county or district: 长沙县 | 三百一十八辆 for "Who is in charge of the Changsha
            # education bureau?" (长沙县 is among Changsha's forms)
            other_place = not asks_division and any(
                term(f) and f in head and re.search(rf"{re.escape(f)}[县区]", label) for f in (*places, *terms))

            def labels(t: str) -> bool:
                return term(t) and t in label and not other_place
            placed = {p for p in places if labels(p)}
            if (kind(chunk.text) if kind else placed or any(term(t) and t in header for t in terms)):
                rows.setdefault(chunk.doc_id, {})[i] = {t for t in terms if labels(t)} | placed
        lifted = set()
        for named in rows.values():
            # by paragraph: a row may be found twice, in two passages (江宁区 | … | 十一万二千人 was not lifted so)
            labelled = {hits[i].chunk.paragraph: held for i, held in named.items()}
            counts = Counter(t for held in labelled.values() for t in held)
            own = [p for p, held in labelled.items() if any(counts[t] == 1 for t in held)]
            if len(own) == 1:
                lifted.update(i for i in named if hits[i].chunk.paragraph == own[0])
        return lifted, {doc for doc, named in rows.items() if any(named.values())}

    # the places only where the question's words name no row of the table: 由屯門南到紅磡要多少分鐘？ names the rows of
    # Tuen Mun and Hung Hom by its words, and neither goes up; by 屯門, the one place the dictionary knows, Tuen Mun's
    # would (another article's table named by a word, "Papatoetoe North School" by "school", leaves this one to its
    # places: "How many students eat school lunch in Nanjing's Jiangning district?" cited 江宁区's row third)
    lifted, named = named_rows(())
    if places:
        lifted |= {i for i in named_rows(places)[0] if hits[i].chunk.doc_id not in named}
    if not lifted:
        return hits
    return _lifted(hits, lifted, bonus)


def _lifted(hits: list[Hit], lifted: Collection[int], bonus: float) -> list[Hit]:
    """``hits`` with those at the positions ``lifted`` moved up by ``bonus``, in score order."""
    return sorted((replace(h, score=h.score + bonus) if i in lifted else h for i, h in enumerate(hits)), key=lambda h: -h.score)


def _row_term(t: str) -> bool:
    """Whether a keyword term is long enough to name a table row or a list's line (``ROW_TERM``)."""
    return len(t) >= (ROW_TERM + 1 if t.isascii() else ROW_TERM)


# a list's line, after its lead-in: "Wolverines: 4,300 reindeer", "- Gala: 24.6 million boxes", 愛文：每公斤八十五元
_LIST_LINE = re.compile(r"^\s*(?:[-*•·]\s*)?([^:：\n]{1,40}?)\s*[:：]\s*\S")
LIST_LINES = 3  # lines "label: value" a passage needs to be a list


def _labels(label: str, term: str) -> bool:
    """Whether a (folded) label holds a term: a Latin one as a word (east, not of "Northeast Portland")."""
    return term in label and (not term.isascii()
                              or re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", label) is not None)


def rerank_by_line(view: StoreView, hits: list[Hit], terms: Collection[str], bonus: float,
                   places: Collection[str] = ()) -> list[Hit]:
    """A list of the first hit's article (``LIST_LINES`` or more lines "label: value", after a lead-in) one of whose
    labels holds a keyword term of the question (``terms``, either language) that no other of its labels holds, nor
    the story's head (``story_head``: 香港 of 香港仔西避風塘 in a Hong Kong story, Portland of "North Portland"),
    moved up by ``bonus``: as a table's row (``rerank_by_row``), a list's line reads as little beside a paragraph,
    and a tester's 拉普兰去年有多少头驯鹿被狼獾咬死？ cited Lapland's lead and a Genhe paragraph above "Wolverines: 4,300 reindeer",
    "How many boxes of Honeycrisp apples…?" the lead above "Honeycrisp: 15.8 million boxes". ``places``: as for
    ``rerank_by_row`` (油尖旺區：五百二十宗 for "…Yau Tsim Mong district…?")."""
    if not hits:
        return hits
    lifted = set()
    doc = hits[0].chunk.doc_id
    head = story_head(view, doc)
    for i, hit in enumerate(hits):
        if hit.chunk.doc_id != doc:  # (another story's list: "Adults: £12.50" of Blackpool's for 基隆港摩天轮成人全票)
            continue
        lines = [line for line in hit.chunk.text.split("\n") if line.strip()]
        labels = [normalize(m.group(1)) for line in lines[1:] if (m := _LIST_LINE.match(line))]
        if len(labels) < LIST_LINES:
            continue
        held = [{t for t in (*terms, *places) if _row_term(t) and _labels(label, t) and t not in head}
                for label in labels]
        counts = Counter(t for named in held for t in named)
        if sum(any(counts[t] == 1 for t in named) for named in held) == 1:
            lifted.add(i)
    if not lifted:
        return hits
    return _lifted(hits, lifted, bonus)


def rerank_by_place(view: StoreView, query: Query, hits: list[Hit], bonus: float, cache_dir: Path,
                    named: Sequence[tuple[str, ...]] = ()) -> list[Hit]:
    """Hits whose article writes every place the question names (``asked_places``, in any form the dictionary
    gives it) moved up by ``bonus``, when some other article among them does not: "What share of Wuhan's taxis are
    already battery-electric?" cited a Taiwan article's 52% over the Wuhan article's 占比约六成, and "台湾那款出租车打车
    软件泄露了多少条乘客信息？" the Wuhan article's paragraph on passengers' data. The place is the article's subject, and
    seldom repeated in the paragraph that answers. So is another name the question writes that the translation found
    written (``named``: a name and its forms): "How much does a season pass at Beidahu ski resort cost this winter?"
    cited a Colorado resort's row above the article writing 北大湖 (no dictionary place)."""
    places = asked_places(query, cache_dir)
    places += [forms for forms in named if not any(forms[0] in p for p in places)]
    return _lift_articles(view, hits, bonus, lambda text: all(any(writes(text, form) for form in forms)
                                                              for forms in places)) if places else hits


def place_first(view: StoreView, query: Query, hits: list[Hit], depth: int, cache_dir: Path,
                margin: float | None = None, beyond: int = 0) -> list[Hit]:
    """``hits`` with the first of the next ``depth - 1`` whose article writes every place the question names
    (``asked_places``) moved to the front, when the first's article does not: what abstention reads
    first is the story of the place asked, which the cards' place bonus (``rerank_by_place``) brings first after it.
    Testers' "How many tonnes of fresh durian were imported through Guangxi's ports in the first ten months…?" was
    refused for Singapore's passage, first, giving no "first ten months", and 劍橋二〇二五年共發生多少宗單車盜竊案？ for
    a Hong Kong lead giving no 2025, the Cambridge lead that does second. Of the next ``beyond - 1`` too when the
    first's article writes none of the places: 克拉科夫包饺子比赛… found Taipei's contest three times before the Kraków
    story (not when it writes one: the Xi'an story found first for "…Xi'an's China-Europe freight trains…" writes 中欧,
    no China, which Duisburg's writes, fourth)."""
    places = asked_places(query, cache_dir) if len(hits) > 1 else []
    if not places:
        return hits

    def places_written(hit: Hit, every: bool = True) -> bool | None:
        doc = hit.chunk.doc_id
        # (an article of one paragraph is no story of a place: XQuAD's, as for the place bonus)
        if len({view.chunks[r].paragraph for r in view.chunk_rows(doc)}) < 2:
            return None
        text = normalize(view.documents[doc].text)
        return (all if every else any)(any(writes(text, form) for form in forms) for forms in places)

    if places_written(hits[0]) is not False:
        return hits
    reach = max(depth, beyond) if beyond > depth and not places_written(hits[0], every=False) else depth
    for i in range(1, min(reach, len(hits))):
        if hits[0].score - hits[i].score > (PLACE_MARGIN if margin is None else margin):  # (a story far below is
            # another topic's: Shenzhen's drones)
            break
        if places_written(hits[i]):
            return [hits[i], *hits[:i], *hits[i + 1:]]
    return hits


TITLED_DEPTH = 4  # findings read for one quoting by title alone a speaker another names (titled_first)


def titled_first(view: StoreView, question: str, items: list, chunk_of: Callable[[object], Chunk],
                 forms: Collection[str] = ()) -> list:
    """``items`` (hits, or cards of hits: ``chunk_of`` gives each one's chunk) with the first of the next of the first's
    article within ``TITLED_DEPTH`` that quotes by title alone a speaker the question writes and another paragraph of
    the article names (``quotes_named_by_title``) and states the kind of answer asked (``answers_kind``), when the
    first states none or does not name that speaker, moved to the front: testers' "Graham Pettifer說西南地區三月以來新聘了
    多少名考官？" cited Pettifer's paragraph and was refused for its "since January" and its lack of a count, above "The
    head of operations said the agency had taken on 38 new examiners…since March"; 據Cathy Thornbury說，Mon Repos 幼龜
    成功爬出巢穴的比例是多少？ the lead and her paragraph above "The senior ranger said…71 per cent". Not for a who-question (``holder_first`` reads those). ``forms``: the
    Chinese forms of the names an English question writes (``SearchResult.forms``)."""
    if len(items) < 2 or asked_role(question) or kind_asked(question) is None:
        return items
    first = chunk_of(items[0])
    texts = [paragraph_text(view, chunk) if chunk.doc_id == first.doc_id else None
             for chunk in map(chunk_of, items[:TITLED_DEPTH])]
    answered = answers_kind(question, [texts[0]])[0]
    # (the speaker named anywhere in the article: the paragraph naming them may have fallen below, as titled_credit
    # gives the name to the one quoting them by title)
    article = list(dict.fromkeys(paragraph_text(view, view.chunks[r]) for r in view.chunk_rows(first.doc_id)))
    for i, text in enumerate(texts[1:], start=1):
        if text is None or text == texts[0] or not answers_kind(question, [text])[0]:
            continue
        name = next((found for named in article if named != text
                     and (found := quotes_named_by_title(question, named, text, forms))), "")
        # (a first answering the kind asked is passed only when it does not name the speaker: the lead's "down 8 per
        # cent" above what the ranger said)
        if name and not (answered and normalize(name) in normalize(texts[0])):
            return [items[i], *items[:i], *items[i + 1:]]
    return items


def rerank_by_figure(view: StoreView, query: Query, hits: list[Hit], bonus: float) -> list[Hit]:
    """Hits whose article writes every figure the question quotes (``asked_figures``, in digits or in words of
    either language) moved up by ``bonus``, when some other article among them does not: "Who heads the Xi'an
    International Port administrative committee that reported return trains now make up 41% of China-Europe
    services?" cited a Duisburg story's chief executive above the Xi'an story, whose 主任 gives 百分之四十一. A figure
    a question quotes is the story's own, like its place."""
    figures = asked_figures(query.text)
    return _lift_articles(view, hits, bonus, lambda text: all(any(_writes_figure(text, form) for form in forms)
                                                              for forms in figures)) if figures else hits


NAME_DEPTH = 5  # first hits a name the question names may lift (rerank_by_name)
NAME_PARAGRAPHS = 2  # at most so many paragraphs of the article write a name that lifts them


def rerank_by_name(view: StoreView, query: Query, hits: list[Hit], bonus: float, cache_dir: Path,
                   named: Sequence[tuple[str, ...]] = ()) -> list[Hit]:
    """Hits of the first hit's article, in the other language than the question's, among the first ``NAME_DEPTH``
    whose passage writes a name the question names that the article's head (``head_lines``: headline, byline, lead)
    does not, and at most ``NAME_PARAGRAPHS`` of its paragraphs do, moved up by ``bonus``. An article names its
    subject in its head, and the other paragraphs repeat it; a district or a site the head leaves out is named where
    the paragraph about it is: testers' 布里斯托的貝德明斯特區今冬要修剪多少棵樹？ cited Bristol's lead over "Bedminster:
    1,480 trees", and 布里斯班达拉仓库… Brisbane's lead over the Darra depot's paragraph. (A name many paragraphs write
    is the story's too: China, of a story on chip exports.) The names: the places the question names
    (``asked_places``), the names it writes in Latin letters and the forms the translation found for them
    (``named``), and for a Chinese question the Latin names it transliterates (``heard_names``) that are no word the
    dictionary translates (those reach it as the words' translations: 布里斯托, Bristol)."""
    doc = hits[0].chunk.doc_id if hits else ""
    top = [h for h in hits[:NAME_DEPTH] if h.chunk.doc_id == doc]
    # (across languages only: in the question's own the keyword channel finds the paragraph writing the name, and a
    # station or district several paragraphs write by other names was lifted wrongly, 南昌 of 屯门南到南昌)
    if len(top) < 2 or view.chinese_rows([top[0].chunk.chunk_id])[0] == query.chinese:
        return hits
    # (a place with places within it is a story's setting, which Chinese news seldom names in its lead: 臺灣, 香港;
    # "Who heads Taiwan's Health Promotion Administration…?" cited the one paragraph writing 臺灣)
    within = places_within(cache_dir)
    places = asked_places(query, cache_dir)
    asked = [*places, *named,
             *((name,) for name in latin_names(query.text) if not set(name.split()) <= ENGLISH_STOPWORDS)]
    if query.chinese:
        english = english_to_chinese(cache_dir)
        heard = heard_names(normalize(query.text), [h.chunk.text for h in top])
        asked += [(name.lower(),) for name in heard if not all(w.lower() in english for w in name.split())]
    # (a name's forms together, as each list gives some: Hsinchu's 新竹 of the place and 新竹市 of the translation)
    groups: list[set[str]] = []
    for forms in asked:
        joined = [g for g in groups if g & set(forms)]
        groups = [g for g in groups if not g & set(forms)] + [set(forms).union(*joined)]
    asked = [tuple(g) for g in groups if not any(within.get(f) for f in g)]
    if not asked:
        return hits
    head = story_head(view, doc)
    paragraphs: dict[int, str] = {}
    for row in view.chunk_rows(doc):
        chunk = view.chunks[row]
        paragraphs[chunk.paragraph] = paragraphs.get(chunk.paragraph, "") + "\n" + normalize(chunk.text)
    # (not a person the story quotes: it may quote them by title alone where the answer is, 该局局长介绍…四十二支, below
    # 局长韩志刚…说, for "How many rapid pothole repair crews will Han Zhigang's bureau set up…?")
    # (a place is no speaker, whatever a paragraph's words after it: 五华区…学生张雨桐说)
    place_forms = {f for forms in places for f in forms}
    own = [forms for forms in asked if not any(writes(head, f) for f in forms)
           and sum(any(writes(text, f) for f in forms) for text in paragraphs.values()) <= NAME_PARAGRAPHS
           and (place_forms & set(forms) or not any(quotes_speaker(text, f) for text in paragraphs.values()
                                                   for f in forms))]
    texts = {id(h): normalize(h.chunk.text) for h in top} if own else {}
    lifted = {key for key, text in texts.items() if any(any(writes(text, f) for f in forms) for forms in own)}
    if not lifted:
        return hits
    return sorted([replace(h, score=h.score + bonus) if id(h) in lifted else h for h in hits], key=lambda h: -h.score)


def _lift_articles(view: StoreView, hits: list[Hit], bonus: float, writes_all: Callable[[str], bool]) -> list[Hit]:
    """``hits`` with those whose article's (folded) text ``writes_all`` wants moved up by ``bonus``, when an article
    among the first ``PLACE_DEPTH`` does and another does not."""
    if len(hits) < 2:
        return hits
    writes: dict[str, bool] = {}
    for hit in hits[:PLACE_DEPTH]:
        doc = hit.chunk.doc_id
        if doc not in writes:
            # an article of one paragraph says no more than its passages' own words, which the keyword channel
            # read: over XQuAD's single paragraphs the bonus cost Chinese -> English four first cards, gaining none
            several = len({view.chunks[r].paragraph for r in view.chunk_rows(doc)}) > 1
            writes[doc] = several and writes_all(normalize(view.documents[doc].text))
    if all(writes.values()) or not any(writes.values()):
        return hits
    moved = [replace(h, score=h.score + bonus) if writes.get(h.chunk.doc_id) else h for h in hits]
    return sorted(moved, key=lambda h: -h.score)


_FIGURE = re.compile(r"(?<![a-z\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?(?![\d,]\d)")


def asked_figures(question: str) -> list[tuple[str, ...]]:
    """The figures a question quotes (folded: 41%, 830, 1,420, 2.5), each with the forms a text may write it in
    (qa.text.numerals: 百分之四十一, 41 per cent, 八百三十); not a year, nor a number under ten (three stations)."""
    out = []
    for m in _FIGURE.finditer(normalize(question)):
        figure = m.group(0)
        plain = figure.replace(",", "")
        number = plain.rstrip("%")
        if float(number) < 10 or (not figure.endswith("%") and _STORY_YEAR.fullmatch(number)):
            continue
        grouped = f"{int(number):,}" if number.isdigit() else number
        out.append(tuple(dict.fromkeys([figure, plain, grouped + ("%" if figure.endswith("%") else ""),
                                        *number_words(plain), *english_forms(plain)])))
    return out


def _writes_figure(folded: str, form: str) -> bool:
    """Whether the (folded) text writes the figure ``form`` whole: not 41% inside 141%, nor 四十一 inside 一百四十一."""
    before = r"(?<![\d.,])" if form[:1].isdigit() else r"(?<![一二两三四五六七八九十百千万亿零])"
    after = r"(?![\d])" if form[-1:].isdigit() else ""
    return re.search(before + re.escape(form) + after, folded) is not None


PLACE_DEPTH = 10  # first hits whose articles are read for the question's places (cards come from them)
# first hits read for a story writing the places asked, for abstention, when the first's writes none of them
# (place_first): a tester's 克拉科夫包饺子比赛… found Taipei's contest three times before the Kraków story, and was refused
# for a name its paragraphs never write
PLACE_READ_DEPTH = 5
PLACE_MARGIN = 0.05  # how far below the first a hit's article may be to count as found for a place asked (absent_places)


REPORT_DEPTH = 5  # first hits whose articles are compared by date for a question asking a story's first or latest report


def rerank_by_report(view: StoreView, query: Query, hits: list[Hit], margin: float) -> list[Hit]:
    """For a question asking what a story's first report gave, or its latest (``asked_report``: 最初通报, "the revised
    loss", "according to the latest count"), the first hit of the earliest or latest of the articles among the first
    ``REPORT_DEPTH`` within ``margin`` of the first's score, moved to the front, when that article is not the
    first's and the two headlines share a word (a story and its follow-up name their subject alike). A tester's
    "What apple damage area was first reported after the Luochuan hailstorm?" cited the update's 4.7万亩 at 0.004
    above the first report's 3.2万亩: both say what happened, the dates tell them apart. An article without a year
    is dated by its dateline's month and day (本报延安6月12日电), compared by those alone."""
    asked = asked_report(query.text) if len(hits) > 1 else None
    if asked is None:
        return hits
    first = hits[0].chunk.doc_id
    days = {first: report_day(view, first)}
    for hit in hits[1:REPORT_DEPTH]:
        if hits[0].score - hit.score <= margin:
            days.setdefault(hit.chunk.doc_id, report_day(view, hit.chunk.doc_id))
    if days[first] is None or len(days) < 2:
        return hits
    words = _headline_words(view, first)
    others = [doc for doc, day in days.items() if doc != first and day is not None and words & _headline_words(view, doc)]
    later = 1 if asked == "latest" else -1
    best = first
    for doc in others:
        if _compare_days(days[doc], days[best]) == later:
            best = doc
    if best == first:
        return hits
    i = next(i for i, h in enumerate(hits) if h.chunk.doc_id == best)
    return [hits[i], *hits[:i], *hits[i + 1:]]


def report_day(view: StoreView, doc_id: str) -> tuple[int | None, int, int] | None:
    """An article's (year, month, day): its date, else its dateline's month and day with no year; None without either."""
    doc = view.documents[doc_id]
    if doc.date:
        year, month, day = (int(part) for part in doc.date.split("-"))
        return year, month, day
    found = dateline_month_day(article_head(view, doc_id))
    return None if found is None else (None, *found)


def _compare_days(a: tuple[int | None, int, int] | None, b: tuple[int | None, int, int] | None) -> int:
    """-1, 0 or 1 as ``a`` is earlier, the same or later than ``b``; month and day alone when either has no year."""
    if a is None or b is None:
        return 0
    key_a, key_b = (a, b) if a[0] is not None and b[0] is not None else (a[1:], b[1:])
    return (key_a > key_b) - (key_a < key_b)


def _headline_words(view: StoreView, doc_id: str) -> set[str]:
    return {t for t in tokenize(view.documents[doc_id].title) if len(t) > 1 and not t.isdigit()} - ENGLISH_STOPWORDS




def _span_text(chunk: Chunk, span: Span | None) -> str:
    return "" if span is None else chunk.text[span[0] - chunk.start:span[1] - chunk.start]


def only_metadata(chunk: Chunk) -> bool:
    """Whether every sentence of ``chunk`` is a photo caption, byline or date line (qa.text.metadata): real text,
    still citable, but it carries the question's names and dates and answers nothing (a caption with
    "英偉達（Nvidia）" drew English questions about Nvidia's revenue and stock price)."""
    return _only_metadata(chunk.text, tuple((a - chunk.start, b - chunk.start) for a, b in chunk.body_sentences))


@lru_cache(maxsize=65536)
def _only_metadata(text: str, spans: tuple[tuple[int, int], ...]) -> bool:
    return all(is_metadata(text[a:b], text) for a, b in spans)


def _dense_scores(view: StoreView, rows: list[int], qvec: np.ndarray, sentence_share: float) -> tuple[np.ndarray, list, np.ndarray]:
    """Each row's dense score (passage cosine mixed with its best sentence's), best sentence spans and cosines."""
    cos = view.passage_cosines(rows, qvec)  # exact cosine also for keyword-only candidates
    spans, sentence = view.best_sentences(rows, qvec)
    if sentence_share > 0:
        # A passage of three sentences dilutes the one that answers; its best sentence alone often matches better.
        cos = (1 - sentence_share) * cos + sentence_share * sentence
    return cos, spans, sentence
