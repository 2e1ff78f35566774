"""PDF with a text layer (pdfplumber, MIT): lines regrouped into paragraphs, each paragraph on its page."""
from __future__ import annotations

import io
import re
from importlib.metadata import version

from ..errors import CorruptFile, EncryptedFile, NoTextLayer, TooManyPages
from . import Extracted, Limits
from .blocks import Block, assemble
from .dates import dateline_date, parse_date

_HAN_EDGE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
# running page numbers ("3", "- 3 -", "Page 3", "第3页") are furniture, not news
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*/\s*\d{1,4})?$|^第\s*\d{1,4}\s*[页頁]$", re.I)
_PARAGRAPH_GAP = 0.5  # a gap wider than the page's usual line gap by this share of a line height starts a paragraph
_SHORT_LINE = 0.85  # a line ending before this share of the text width ends its paragraph
_SIZE_CHANGE = 0.25  # a line whose height differs from the one above by this share of the larger starts a paragraph


def extract(data: bytes, name: str, limits: Limits) -> Extracted:
    """Text of every page, paragraphs rebuilt from line positions; PDF metadata (Title, Author) when set.

    Raises:
        EncryptedFile: the PDF needs a password.
        CorruptFile: the bytes do not parse as a PDF.
        TooManyPages: more pages than ``limits.max_pages``.
        NoTextLayer: no page has any text (a scan).
    """
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfplumber wraps every pdfminer failure in its own exception type
        raise _open_error(name, e) from e
    with pdf:
        if len(pdf.pages) > limits.max_pages:
            raise TooManyPages.keyed("ingest.pdf_pages", name=name, pages=f"{len(pdf.pages):,}",
                                     limit=f"{limits.max_pages:,}")
        pages: list[list[dict]] = []  # type: ignore[type-arg]
        chars = number = 0
        try:
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(text_lines(page.extract_text_lines(layout=False, strip=True, return_chars=False)))
                chars += sum(len(ln["text"]) for ln in pages[-1])
                if chars > limits.max_chars:
                    raise TooManyPages.keyed("ingest.pdf_chars", name=name, limit=f"{limits.max_chars:,}", page=number)
        except TooManyPages:
            raise
        except Exception as e:
            raise CorruptFile.keyed("ingest.pdf_page", name=name, page=number, reason=f"{type(e).__name__}: {e}") from e
        usual = line_gap(pages)
        blocks = [Block(paragraph, number) for number, lines in enumerate(pages, start=1)
                  for paragraph in page_paragraphs(lines, usual)]
        info = pdf.metadata or {}
        page_count = len(pdf.pages)
    text, starts = assemble(blocks, page_count)
    if not text:
        raise NoTextLayer.keyed("ingest.pdf_no_text", name=name, pages=page_count)
    meta = {key: value for key, value in (("title", _info(info, "Title")), ("author", _info(info, "Author"))) if value}
    created = _pdf_date(_info(info, "CreationDate"))  # a dateline beats the file's creation; one without a year takes its year
    date = parse_date(text[:300]) or dateline_date(text[:300], created) or created
    if date:
        meta["date"] = date
    return Extracted(text, f"pdfplumber {version('pdfplumber')}", starts, meta)


def text_lines(lines: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """A page's text lines (pdfplumber dicts) without blank lines and page numbers."""
    return [ln for ln in lines if ln["text"].strip() and not _PAGE_NUMBER.match(ln["text"].strip())]


def line_gap(pages: list[list[dict]]) -> float:  # type: ignore[type-arg]
    """The gap between two lines of one paragraph, for the whole document: the lower quartile of the gaps between
    consecutive lines (a column's start, above the line before, left out). Not a page's median: a page of short
    paragraphs has as many gaps between paragraphs as within them, and a page of four lines ("The rupee
    weakened…" over two two-line paragraphs) read its paragraph gap as the usual one and merged them."""
    gaps = sorted(gap for lines in pages for prev, line in zip(lines, lines[1:])
                  if (gap := line["top"] - prev["bottom"]) >= 0)
    return gaps[len(gaps) // 4] if gaps else 0.0


def page_paragraphs(lines: list[dict], usual: float) -> list[str]:  # type: ignore[type-arg]
    """One page's text lines (``text_lines``) joined into paragraphs.

    A paragraph ends where the gap to the next line is wider than the document's usual gap between lines of a
    paragraph (``line_gap``) by ``_PARAGRAPH_GAP`` line heights, after a line that stops well short of the right
    margin, or where the type changes size by more than ``_SIZE_CHANGE`` (a 16-point headline directly over an
    11-point byline read as one paragraph: "…Desalination Plant By Maria Okafor, Coastal Ledger").
    """
    if not lines:
        return []
    right = max(ln["x1"] for ln in lines)
    left = min(ln["x0"] for ln in lines)
    width = max(right - left, 1.0)
    paragraphs: list[list[str]] = [[lines[0]["text"]]]
    for prev, line in zip(lines, lines[1:]):
        height = max(prev["bottom"] - prev["top"], 1.0)
        gap = line["top"] - prev["bottom"]
        short = prev["x1"] < left + _SHORT_LINE * width
        resized = abs(line["bottom"] - line["top"] - height) > _SIZE_CHANGE * max(line["bottom"] - line["top"], height)
        # < -height: a new column; resized: a headline over its byline, set tight in another size
        if gap > max(usual, 0.0) + _PARAGRAPH_GAP * height or gap < -height or short or resized:
            paragraphs.append([line["text"]])
        else:
            paragraphs[-1].append(line["text"])
    return [join_lines(p) for p in paragraphs]


def join_lines(lines: list[str]) -> str:
    """Wrapped lines as one paragraph: no space between Chinese characters, a hyphen at a Latin line end joined."""
    out = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        if _HAN_EDGE.match(out[-1:]) or _HAN_EDGE.match(line[:1]):
            out += line
        elif out.endswith("-") and out[-2:-1].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out += " " + line
    return out


def _info(info: dict, key: str) -> str:  # type: ignore[type-arg]
    value = info.get(key)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    value = str(value or "").strip()
    # "Microsoft Word - report.docx", "untitled" and the address a browser printed ("about:blank", a URL) are the
    # producer's, not the article's
    if key == "Title" and (re.search(r"\.\w{2,4}$", value) or value.lower() in ("untitled", "无标题", "無標題")
                           or re.match(r"(?:about|https?|file|data):", value, re.I)):
        return ""
    return value


def _pdf_date(raw: str) -> str | None:
    """A PDF date string ("D:20250302120000+08'00'") as YYYY-MM-DD."""
    m = re.match(r"(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})", raw)
    return parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


def _open_error(name: str, error: Exception) -> Exception:
    chain = []
    e: BaseException | None = error
    while e is not None and len(chain) < 5:
        chain.append(e)
        e = e.__cause__ or e.__context__ or (e.args[0] if e.args and isinstance(e.args[0], BaseException) else None)
    if any("password" in type(x).__name__.lower() or "encrypt" in type(x).__name__.lower() for x in chain):
        return EncryptedFile.keyed("ingest.pdf_encrypted", name=name)
    return CorruptFile.keyed("ingest.pdf_corrupt", name=name, reason=type(chain[-1]).__name__)
