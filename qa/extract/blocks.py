"""Extracted blocks to one canonical text: NFC, whitespace normalised, page start offsets recorded as it is joined."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Every space-like character (tab, no-break, ideographic, thin ...) becomes one ASCII space inside a block;
# zero-width characters go (PDF and Word text carries them between runs, and they break keyword matching).
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
BLOCK_SEPARATOR = "\n\n"  # one blank line between blocks: paragraphs read apart in "Show in article"
CELL_SEPARATOR = " | "  # between a table row's cells (Word and Markdown tables): a row is one line, one block


@dataclass(frozen=True)
class Block:
    """One paragraph, heading or table row as an extractor found it; ``page`` 1-based for paged sources."""

    text: str
    page: int | None = None


def canonical(text: str) -> str:
    """The normalisation every stored text gets: Unicode NFC and ``\\n`` line ends, nothing else.

    Kept this small so a plain-text file's characters are what the user wrote (offsets cite exactly them).
    """
    return _LINE_ENDS.sub("\n", unicodedata.normalize("NFC", text))


def clean_block(text: str) -> str:
    """A block's text on one line per line break: NFC, spaces collapsed, zero-width characters removed."""
    lines = (_SPACES.sub(" ", _ZERO_WIDTH.sub("", line)).strip() for line in canonical(text).split("\n"))
    return "\n".join(line for line in lines if line)


def assemble(blocks: Iterable[Block], pages: int = 0) -> tuple[str, tuple[int, ...]]:
    """Join cleaned blocks into the document text; returns (text, page_starts).

    ``page_starts[i]`` is the offset where page ``i + 1`` begins (empty for unpaged sources, ``pages`` is the
    page count then 0); a page without text starts where the next text starts, so ``page_at`` never names it.
    Blocks never span pages: the chunker keeps passages within one block, so each passage has one page.
    """
    parts: list[str] = []
    length = 0
    starts: list[int] = []
    for block in blocks:
        text = clean_block(block.text)
        if not text:
            continue
        if parts:
            parts.append(BLOCK_SEPARATOR)
            length += len(BLOCK_SEPARATOR)
        while block.page is not None and len(starts) < block.page:
            starts.append(length)
        parts.append(text)
        length += len(text)
    while len(starts) < pages:
        starts.append(length)
    return "".join(parts), tuple(starts)
