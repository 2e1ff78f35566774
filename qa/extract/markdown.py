"""Markdown: front matter to metadata, the rendered words as text (no ``**``, ``##`` or link syntax), headings
as their own lines."""
from __future__ import annotations

import re
from importlib.metadata import version

from . import Extracted, Limits
from .blocks import CELL_SEPARATOR, Block, assemble, canonical
from .dates import parse_date
from .decode import decode_bytes

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)
# front-matter keys people use for each metadata field (Jekyll, Hugo, Pandoc, news exports)
_KEYS = {"title": ("title",), "date": ("date", "published", "pubdate", "publish_date"),
         "source": ("source", "publisher", "site", "sitename", "outlet"), "author": ("author", "authors", "byline")}
_HAN = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_SOFT = "\x00"  # a soft line break until its neighbours are known: none inside Chinese text, a space elsewhere
_CJK_BREAK = re.compile(rf"(?<={_HAN}){_SOFT}(?={_HAN})")
_TAG = re.compile(r"<[^>]*>")


def extract(data: bytes, name: str, limits: Limits) -> Extracted:
    """Render ``data`` to plain words, one block per paragraph, heading, list item, table row or code block."""
    text = canonical(decode_bytes(data, name))
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        meta = front_matter(front.group(1))
        text = text[front.end():]
    blocks, first_heading = render_blocks(text)
    if first_heading and "title" not in meta:
        meta["title"] = first_heading
    body, _ = assemble(blocks)
    return Extracted(body, f"markdown-it-py {version('markdown-it-py')}", meta=meta)


def front_matter(raw: str) -> dict[str, str]:
    """A YAML front matter block's title/date/source/author (date as YYYY-MM-DD), read by PyYAML: quoted values
    keep their commas ("Schools adopt budget, cut 40 posts" was cut at the comma by a hand-written reader), a list
    of authors is joined. A block no YAML parser reads (tabs, a stray colon) still gives its ``key: value`` lines.
    """
    fields: dict[str, str] = {}
    for key, value in _front_fields(raw).items():
        if isinstance(value, list):  # authors: [A, B]; nested structures are not metadata we show
            items = [str(v) for v in value if v is not None and not isinstance(v, (list, dict))]
            value = ("、" if items and all(re.search(_HAN, v) for v in items) else ", ").join(items)
        elif value is None or isinstance(value, dict):
            continue
        value = str(value).strip()
        if value:
            fields.setdefault(str(key).lower(), value)
    meta: dict[str, str] = {}
    for name, keys in _KEYS.items():
        value = next((fields[k] for k in keys if k in fields), None)
        if value is None:
            continue
        if name == "date":
            value = parse_date(value) or ""
        if value:
            meta[name] = value
    return meta


def _front_fields(raw: str) -> dict:
    import yaml

    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        return data
    return {key: value.strip().strip("\"'") for key, value in _FIELD.findall(raw)}


def render_blocks(markdown: str) -> tuple[list[Block], str | None]:
    """(blocks of rendered words, the first heading's words or None)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(markdown)
    blocks: list[Block] = []
    first_heading: str | None = None
    row: list[str] | None = None
    heading = False
    for tok in tokens:
        if tok.type == "heading_open":
            heading = True
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            blocks.append(Block(CELL_SEPARATOR.join(cell for cell in row if cell)))
            row = None
        elif tok.type == "inline":
            words = inline_words(tok.children or [])
            if row is not None:
                row.append(words)
            elif words:
                blocks.append(Block(words))
                if heading and first_heading is None:
                    first_heading = words
            heading = False
        elif tok.type in ("fence", "code_block"):
            blocks.append(Block(tok.content))
        elif tok.type == "html_block":
            blocks.append(Block(_TAG.sub(" ", tok.content)))
    return blocks, first_heading


def inline_words(children: list) -> str:  # type: ignore[type-arg]
    """The words of an inline run: text, code and image alt text; markup, link targets and inline HTML dropped."""
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "image":
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(_SOFT)
        elif child.type == "hardbreak":
            out.append("\n")
    return _CJK_BREAK.sub("", "".join(out)).replace(_SOFT, " ").strip()
