"""Word .docx (python-docx, MIT): paragraphs and tables in body order, headings as their own lines."""
from __future__ import annotations

import io
import zipfile
from importlib.metadata import version

from ..errors import CorruptFile, EncryptedFile
from . import Extracted, Limits
from .blocks import CELL_SEPARATOR, Block, assemble

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected .docx (and an old .doc) is an OLE container
_TEMPLATE_AUTHOR = "python-docx"  # what python-docx's blank template says; not a person


def extract(data: bytes, name: str, limits: Limits) -> Extracted:
    """Body paragraphs and table rows (cells joined by " | ") in document order; title and author from the
    document properties, else the first Title/Heading paragraph as title.

    Raises:
        EncryptedFile: an encrypted (or Word 97-2003) file.
        CorruptFile: not a readable .docx.
    """
    import docx
    from docx.table import Table

    if data.startswith(_OLE):
        raise EncryptedFile.keyed("ingest.docx_encrypted", name=name)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[Block] = []
        heading: str | None = None
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(Block(row) for row in table_rows(item))
                continue
            text = item.text
            style = (item.style.name if item.style is not None else "") or ""
            if heading is None and text.strip() and (style == "Title" or style.startswith("Heading")):
                heading = text.strip()
            blocks.append(Block(text))
        props = document.core_properties
        title, author = (props.title or "").strip(), (props.author or "").strip()
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError, OSError) as e:
        raise CorruptFile.keyed("ingest.docx_corrupt", name=name, reason=f"{type(e).__name__}: {e}") from e
    except Exception as e:  # python-docx raises PackageNotFoundError, lxml XMLSyntaxError: both mean a damaged file
        raise CorruptFile.keyed("ingest.docx_corrupt", name=name, reason=type(e).__name__) from e
    text, _ = assemble(blocks)
    meta = {"title": title or heading or "", "author": "" if author == _TEMPLATE_AUTHOR else author}
    return Extracted(text, f"python-docx {version('python-docx')}", meta={k: v for k, v in meta.items() if v})


def table_rows(table) -> list[str]:  # type: ignore[no-untyped-def]
    """Each row's cell texts joined by " | "; a merged cell (the same cell repeated across the row) counts once."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        rows.append(CELL_SEPARATOR.join(cells))
    return rows
