"""Source file bytes to one canonical text plus the metadata the file itself carries, one module per format.

Every extractor returns an ``Extracted``: the text that passages' offsets point into (already canonical: NFC,
whitespace normalised), the page start offsets for paged sources, the file's own title/date/author/source
where it has them, and the extractor's name and version (recorded with the document, so an index built by
another extractor version re-extracts the file).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnsupportedFile


@dataclass(frozen=True)
class Limits:
    """What one file may cost: pages of a paged source, characters of extracted text."""

    max_pages: int = 500
    max_chars: int = 2_000_000


@dataclass(frozen=True)
class Extracted:
    text: str
    extractor: str  # "name version", e.g. "pdfplumber 0.11.10"
    page_starts: tuple[int, ...] = ()  # offset where page i + 1 begins; empty for unpaged sources
    meta: dict[str, str] = field(default_factory=dict)  # title, date (ISO), author, source found in the file


Extractor = Callable[[bytes, str, Limits], Extracted]


def _registry() -> dict[str, Extractor]:
    # Imported on first use: pdfplumber, python-docx and trafilatura cost ~0.5 s to import together, and a
    # question never needs them.
    from . import markdown, pdf, plain, webpage, word

    return {".txt": plain.extract, ".md": markdown.extract, ".markdown": markdown.extract, ".html": webpage.extract,
            ".htm": webpage.extract, ".pdf": pdf.extract, ".docx": word.extract}


SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


def extract(data: bytes, name: str, limits: Limits | None = None) -> Extracted:
    """Extract ``data``, a file called ``name`` (its suffix picks the extractor).

    Raises:
        UnsupportedFile: no extractor for the suffix.
        DecodeError and its subclasses (NoTextLayer, EncryptedFile, CorruptFile, NoArticleText), TooManyPages:
            with the file name and what to do.
    Example:
        >>> extract("标题\\r\\n正文。".encode(), "a.txt").text
        '标题\\n正文。'
    """
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile(f"{Path(name).name}: unsupported file type {suffix or '(none)'}; accepted: {', '.join(SUPPORTED_SUFFIXES)}")
    return _registry()[suffix](data, Path(name).name, limits or Limits())
