"""How a citation counts paragraphs on paged sources: "p. 3 ¶2" numbers the paragraph within its page."""
from __future__ import annotations

from functools import lru_cache

from .chunk import paragraph_spans
from .records import Document


@lru_cache(maxsize=64)
def _page_numbers(doc: Document) -> tuple[int | None, ...]:
    """For each document-wide paragraph (1-based, index + 1), its number within its page (None: no pages)."""
    if not doc.page_starts:
        return ()
    out: list[int | None] = []
    page, count = None, 0
    for start, _ in paragraph_spans(doc.text):  # the same paragraphs as qa.chunk numbers
        p = doc.page_at(start)
        count = count + 1 if p == page else 1
        page = p
        out.append(count)
    return tuple(out)


def page_paragraph(doc: Document, paragraph: int) -> int | None:
    """The 1-based number of document-wide ``paragraph`` within its page; None for a source without pages.

    A PDF extractor never lets a paragraph span pages (qa.extract), so the count restarts on each page.
    """
    numbers = _page_numbers(doc)
    return numbers[paragraph - 1] if 0 < paragraph <= len(numbers) else None
