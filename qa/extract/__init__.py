"""Source file bytes to one canonical text plus the metadata the file itself carries, one module per format.

Every extractor returns an ``Extracted``: the text that passages' offsets point into (already canonical: NFC,
whitespace normalised), the page start offsets for paged sources, the file's own title/date/author/source
where it has them, and the extractor's name and version (recorded with the document, so an index built by
another extractor version re-extracts the file).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
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
        raise UnsupportedFile.keyed("ingest.unsupported", name=Path(name).name, suffix=f" {suffix or '(none)'}",
                                    accepted=", ".join(SUPPORTED_SUFFIXES))
    return _registry()[suffix](data, Path(name).name, limits or Limits())


_PACKAGES = ("pdfplumber", "pdfminer.six", "python-docx", "trafilatura", "markdown-it-py", "charset-normalizer")


@lru_cache(maxsize=1)
def _code_key() -> str:
    """Changes with this package's extraction code and the versions of the libraries it calls."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    for package in _PACKAGES:
        try:
            digest.update(f"{package} {version(package)}".encode())
        except PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()[:16]


def extract_cached(data: bytes, name: str, limits: Limits | None, cache_dir: Path | None) -> Extracted:
    """``extract``, remembered in ``cache_dir/extracted`` by the file's bytes, its type, the limits and the
    extraction code: opening an index reads every file of the docs folder to see what changed, and parsing each
    PDF, Word file and web page again cost seconds to minutes per start (and a PDF's font warnings each time).
    A file that fails is not remembered: it fails the same way, with the same message, each time."""
    if cache_dir is None:
        return extract(data, name, limits)
    limits = limits or Limits()
    key = hashlib.sha256(data).hexdigest()[:32] + hashlib.sha256(
        f"{Path(name).suffix.lower()}|{limits.max_pages}|{limits.max_chars}|{_code_key()}".encode()).hexdigest()[:16]
    path = Path(cache_dir) / "extracted" / f"{key}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        return Extracted(kept["text"], kept["extractor"], tuple(kept["page_starts"]), kept["meta"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    extracted = extract(data, name, limits)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(extracted), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # whole or absent: a reader never sees half a file
    except OSError:  # a read-only cache folder: extraction still works, only not remembered
        pass
    return extracted
