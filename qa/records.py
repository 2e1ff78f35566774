"""Plain records that cross module lines: Document, Chunk, Hit, Passage, Answer."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One source article; ``text`` is the decoded original, never altered."""

    doc_id: str
    path: str
    title: str
    date: str | None
    script: str  # "simplified" | "traditional" | "latin" | "mixed"
    language: str
    text: str
    sha256: str  # hash of the original file bytes


@dataclass(frozen=True)
class Chunk:
    """A passage of a few sentences; ``doc.text[start:end] == text`` always."""

    chunk_id: int
    doc_id: str
    paragraph: int  # 1-based paragraph number within the document
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...] = ()  # document offsets of the sentences inside the passage


@dataclass(frozen=True)
class Hit:
    """A ranked retrieval result before answer assembly."""

    chunk: Chunk
    score: float
    dense: float | None = None
    keyword: float | None = None
    latent: float | None = None


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
    highlight: tuple[int, int]  # answering sentence, document offsets
    text_converted: str | None = None  # passage in the asker's requested script


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

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for p in d["passages"]:
            p["highlight"] = list(p["highlight"])
        return d
