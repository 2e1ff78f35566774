"""Plain records that cross module lines: Document, DocumentSummary, Chunk, Hit, Gloss, Passage, Answer."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

Span = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """One source article; ``text`` is its canonical text (the extractor's output), what every offset points into."""

    doc_id: str
    path: str
    title: str
    date: str | None  # YYYY-MM-DD
    script: str  # "simplified" | "traditional" | "latin" | "mixed"
    language: str
    text: str
    sha256: str  # hash of the original file bytes
    source: str | None = None  # publisher or site
    author: str | None = None
    extractor: str = ""  # "name version" of what made ``text`` (qa/extract/); "" in indexes built before it was kept
    page_starts: tuple[int, ...] = ()  # offset where page i + 1 begins (paged sources: PDF); empty otherwise

    def __post_init__(self) -> None:
        object.__setattr__(self, "page_starts", tuple(self.page_starts))  # a list when read back from JSON

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for a source without pages."""
        return bisect_right(self.page_starts, offset) or None if self.page_starts else None


@dataclass(frozen=True)
class DocumentSummary:
    """A ``Document`` without its text, plus the text's length: what a listing of the library needs.

    A Milvus view keeps texts in Milvus, so listing 100k articles through ``Document`` would fetch every text;
    ``StoreView.document_summaries`` gives these instead. The fields are the Document's, text aside (a test
    keeps them in step).
    """

    doc_id: str
    path: str
    title: str
    date: str | None
    script: str
    language: str
    sha256: str
    characters: int  # len(Document.text)
    source: str | None = None
    author: str | None = None
    extractor: str = ""
    page_starts: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "page_starts", tuple(self.page_starts))  # a list when read back from JSON

    @classmethod
    def of(cls, doc: Document) -> DocumentSummary:
        """The summary of a document whose text is at hand."""
        return cls(**{k: v for k, v in asdict(doc).items() if k != "text"}, characters=len(doc.text))


LIST_INTRO_END = ("：", ":")  # how the line introducing a list ends (qa.chunk: "各会场啤酒消费量如下：")


@dataclass(frozen=True)
class Chunk:
    """A passage of a few sentences; ``doc.text[start:end] == text`` always."""

    chunk_id: int
    doc_id: str
    paragraph: int  # 1-based paragraph number within the document
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...] = ()  # document offsets of the sentences inside the passage

    @property
    def body_sentences(self) -> tuple[Span, ...]:
        """The sentences that can answer: a heading glued in front (qa.chunk) is never one.

        Fusion (best-sentence score) and the highlight both read this, so they agree on what a sentence is.
        """
        spans = self.sentences or ((self.start, self.end),)
        if len(spans) > 1 and "\n" in self._between(spans[0], spans[1]) and not self._introduces_list(spans):
            return spans[1:]
        return spans

    def _between(self, a: Span, b: Span) -> str:
        return self.text[a[1] - self.start : b[0] - self.start]

    def _introduces_list(self, spans: tuple[Span, ...]) -> bool:
        """Whether the first line introduces a list (qa.chunk: "各会场啤酒消费量如下：", then a line each): it says
        what the lines count, so the card shows it and a sentence score may read it."""
        first = self.text[spans[0][0] - self.start : spans[0][1] - self.start]
        return first.endswith(LIST_INTRO_END) and len(spans) > 2 and "\n" in self._between(spans[1], spans[2])


@dataclass(frozen=True)
class EncodedDocument:
    """A document with everything the store keeps for it: passages, their vectors and latent terms, sentence vectors."""

    document: Document
    chunks: list[Chunk]  # chunk_id is the position within this document
    vectors: np.ndarray  # (len(chunks), dim), L2-normalised
    sentences: list[Span]  # unique sentence spans of the chunks, in order
    sentence_vectors: np.ndarray  # (len(sentences), dim)
    latent: sp.csr_matrix | None  # (len(chunks), features) or None for a model without latent terms


@dataclass(frozen=True)
class Hit:
    """A ranked retrieval result before answer assembly."""

    chunk: Chunk
    score: float
    dense: float | None = None
    keyword: float | None = None
    latent: float | None = None
    sentence: Span | None = None  # the passage's body sentence closest to the question
    sentence_score: float | None = None


@dataclass(frozen=True)
class Gloss:
    """Reading aid for one word of a passage, for an asker who does not read the passage's language.

    ``start``/``end`` are document offsets, like every other offset (``doc.text[start:end]`` is the word).
    Over Chinese text: ``pinyin`` with tone marks ("yīng wěi dá") and ``english``, the first 1-3 CC-CEDICT
    senses joined with "; " ("" for a name the dictionary lacks: pinyin only). Over English text: ``chinese``,
    up to 3 Chinese equivalents joined with "; " in the asker's script, and ``pinyin``, theirs in the same order.
    The field that does not apply is None (and absent from JSON).
    """

    start: int
    end: int
    pinyin: str
    english: str | None = None
    chinese: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class AlsoIn:
    """Another document's paragraph that states what a card states (qa.also_in), folded under the card."""

    doc_id: str
    title: str
    paragraph: int  # 1-based, document-wide
    start: int  # document offsets of the cited stretch
    end: int
    page: int | None = None
    page_paragraph: int | None = None
    similarity: float = 0.0  # cosine of the two paragraphs


@dataclass(frozen=True)
class Passage:
    """A cited passage in an answer; offsets are into the document text."""

    doc_id: str
    title: str
    date: str | None
    script: str
    paragraph: int
    start: int
    end: int
    text: str
    score: float
    highlight: tuple[int, int] | None  # answering sentence, document offsets; None when no sentence answers
    text_converted: str | None = None  # passage in the asker's requested script (target_script)
    # the highlight as offsets into text_converted (a phrase conversion such as 内存 → 記憶體 changes lengths)
    highlight_converted: tuple[int, int] | None = None
    # words of the highlighted sentence glossed for an asker of the other language (English question over a
    # Chinese passage, Chinese question over an English one); None when the passage is in the asker's language
    gloss: tuple[Gloss, ...] | None = None
    page: int | None = None  # 1-based page of a paged source (PDF); None otherwise
    source: str | None = None  # the document's publisher or site
    author: str | None = None
    # probability that this passage holds the answer (qa.confidence), and the signals it was computed from
    confidence: float | None = None
    signals: dict[str, float] | None = None
    page_paragraph: int | None = None  # 1-based paragraph within ``page`` (what a citation shows: p. 3 ¶2)
    also_in: tuple[AlsoIn, ...] = ()  # other documents' paragraphs stating the same thing (qa.also_in)

    def highlight_in_text(self) -> tuple[int, int] | None:
        """The highlight as offsets into ``text`` (the passage), for display; None without a highlight."""
        if self.highlight is None:
            return None
        return self.highlight[0] - self.start, self.highlight[1] - self.start


@dataclass(frozen=True)
class Answer:
    question: str
    language: str
    script: str
    abstained: bool
    passages: list[Passage]
    timings_ms: dict[str, float] = field(default_factory=dict)
    model: str = ""
    message: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)  # what the abstention decision was based on
    confidence: float | None = None  # probability that the best passage holds the answer (None: no passage)
    question_chars: int = 0  # length of the question as asked (tidied); more than len(question) when it was cut
    filters: dict[str, Any] | None = None  # the filters the search was restricted to (qa.filters), None: none
    no_match: bool = False  # the filters left no document to search (``message`` says so)
    no_documents: bool = False  # the index holds no documents: nothing was searched (``message`` says so)
    # documents a date bound left out only for having no date (qa.filters.restrict); 0 without a date bound.
    # Said aloud because such an article may hold the answer, and without a word it silently vanished
    undated_left_out: int = 0
    # notes on the answer in the question's language, as ``message`` is (qa.assistant.notices_for): `qa ask` printed
    # them in the terminal's, a Chinese question's note in English above its no-match message in Chinese
    notices: list[str] = field(default_factory=list)

    @property
    def cut(self) -> bool:
        """Whether the question was longer than ``max_question_chars`` and only its start was read."""
        return self.question_chars > len(self.question)

    @property
    def cited_documents(self) -> set[str]:
        """Every document the answer shows: its passages' and the ones folded under them (``also_in``)."""
        return {p.doc_id for p in self.passages} | {o.doc_id for p in self.passages for o in p.also_in}

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for p, passage in zip(d["passages"], self.passages):
            p["highlight"] = None if passage.highlight is None else list(passage.highlight)
            p["highlight_converted"] = None if passage.highlight_converted is None else list(passage.highlight_converted)
            p["gloss"] = None if passage.gloss is None else [g.to_dict() for g in passage.gloss]
            p["also_in"] = [asdict(o) for o in passage.also_in]  # a list, as JSON reads it back
        return d


UNCHANGED = "unchanged: already indexed"


@dataclass(frozen=True)
class AddOutcome:
    """What a bulk add (`qa add`) did with one file: added, replaced or skipped (``reason`` says why)."""

    path: str  # as given or found under a given folder
    status: str  # "added" | "replaced" | "skipped"
    doc_id: str | None = None
    reason: str = ""
    title: str | None = None
    # the reason as a catalogue message (qa.messages), so a reader in another language reads it whole
    reason_key: str = ""
    reason_params: dict[str, str] = field(default_factory=dict, hash=False)
    # "replaced": the trash entry that keeps the version this file replaced (None when nothing needed keeping);
    # ``Assistant.restore_document(trash_id, replacing=True)`` puts that version back
    trash_id: str | None = None

    @property
    def failed(self) -> bool:
        """Skipped for a fault of the file (not because it is already indexed as it is)."""
        return self.status == "skipped" and self.reason != UNCHANGED

    @property
    def unchanged(self) -> bool:
        """Skipped only because this very article is already indexed under this name: nothing to do, no fault."""
        return self.status == "skipped" and self.reason_key == "add.unchanged"


@dataclass(frozen=True)
class AddReport:
    """Every file a bulk add met, in the order met, and how long it took."""

    outcomes: list[AddOutcome]
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        """{"added": n, "replaced": n, "skipped": n, "files": n}."""
        out = {status: sum(o.status == status for o in self.outcomes) for status in ("added", "replaced", "skipped")}
        return {**out, "files": len(self.outcomes)}

    def to_dict(self) -> dict[str, Any]:
        return {**self.counts(), "seconds": self.seconds, "outcomes": [asdict(o) for o in self.outcomes]}
