"""Saved news web pages (trafilatura, Apache-2.0): the article's main text without menus, ads, comments, footers
or scripts, plus its title, date, author and site. Only the given HTML is read; nothing is fetched."""
from __future__ import annotations

import re
from importlib.metadata import version
from typing import Any

from ..errors import NoArticleText
from . import Extracted, Limits
from .blocks import CELL_SEPARATOR, Block, assemble, clean_block
from .dates import parse_date
from .decode import decode_bytes
from ..text.metadata import byline_author, credited_source


MIN_ARTICLE_CHARS = 20  # letters and digits: one short sentence; what a page without an article leaves is less


def extract(data: bytes, name: str, limits: Limits) -> Extracted:
    """The main text, one block per paragraph, heading or list item; the title first when the text lacks it.

    Raises:
        NoArticleText: trafilatura finds no article text in the page.
    """
    from trafilatura import bare_extraction

    markup = decode_bytes(data, name)
    # favor_precision: a footer line ("违法和不良信息举报电话") or an ad slogan is worse in an answer than a
    # missed sentence; no url: nothing is fetched or resolved.
    # no extensive date search: on a page without a dated article it takes a footer's "Copyright © 2025" for
    # 2025-01-01; a news page states its date in its metadata or by its headline, which the plain search reads.
    # No latest date either (htmldate's default is the machine's today): a page's own article:published_time is
    # its date whatever this machine's clock says, and a tester's page dated 2027-03-18 came through undated
    result = bare_extraction(with_captions(markup), with_metadata=True, include_comments=False, include_tables=True,
                             include_links=False, include_images=False, favor_precision=True, deduplicate=False,
                             date_extraction_params={"extensive_search": False, "original_date": True,
                                                     "max_date": LATEST_DATE})
    fields = _as_dict(result)
    body = fields.get("text") or ""
    if sum(ch.isalnum() for ch in body) < MIN_ARTICLE_CHARS:  # a menu's leftovers ("广告"), not an article
        raise NoArticleText.keyed("ingest.no_article", name=name)
    title = clean_block(fields.get("title") or "")
    lines = [row if (row := table_row(line)) is not None else line for line in body.split("\n") if line.strip()]
    lines = [line for line in lines if line.strip()]
    blocks = [Block(line) for line in lines]
    if title and clean_block(lines[0]) != title:
        blocks.insert(0, Block(title))  # the headline reads as the article's heading and counts for search
    text, _ = assemble(blocks)
    author, source = fields.get("author") or "", fields.get("sitename") or ""
    root = None if author and source else _parsed(markup)  # parsed once for what trafilatura did not give
    author = author or meta_author(root)
    if not (author and source):  # a portal's information line, which trafilatura leaves out as boilerplate
        head = head_lines(root, lines[1] if len(lines) > 1 and clean_block(lines[0]) == title else lines[0])
        author = author or next((found for line in head if (found := byline_author(line))), "")
        source = source or next((found for line in head if (found := credited_source(line))), "")
    author = byline_author(author) or author  # a byline element read whole: 記者林怡君／台中報導 is 林怡君
    meta = {"title": title, "date": parse_date(fields.get("date") or "") or "",
            "author": clean_block(author), "source": clean_block(source)}
    return Extracted(text, f"trafilatura {version('trafilatura')}", meta={k: v for k, v in meta.items() if v})


LATEST_DATE = "2099-12-31"  # htmldate's upper bound on a page's date (its default: today)
_ALIGNMENT = re.compile(r":?-+:?")
_AD_MARK = re.compile(r"(?:^|[\s_-])(?:ads?|advert\w*|sponsor\w*|promo\w*)(?:$|[\s_-])", re.IGNORECASE)


def table_row(line: str) -> str | None:
    """A table row as trafilatura writes it ("| Nam Cheong | 52 minutes | 31 minutes |") as the Word and Markdown
    extractors write one (cells joined by CELL_SEPARATOR, empty ones dropped): "" for its alignment line
    ("|---|---|"), None for a line that is no row. Left as written, each row's pipes were words to search and the
    alignment lines paragraphs of their own; as rows, the chunker keeps each one a passage.

    >>> [table_row(s) for s in ("| Nam Cheong | 52 minutes | | 31 minutes |", "|---|:--:|", "A | B")]
    ['Nam Cheong | 52 minutes | 31 minutes', '', None]
    """
    text = line.strip()
    if len(text) < 2 or not (text.startswith("|") and text.endswith("|")):
        return None
    cells = [cell.strip() for cell in text[1:-1].split("|")]
    if all(_ALIGNMENT.fullmatch(cell) or not cell for cell in cells):
        return ""
    return CELL_SEPARATOR.join(cell for cell in cells if cell)


def with_captions(markup: str) -> Any:
    """The page as trafilatura's own tree, each figure holding a caption (``<figcaption>``, or a ``<p>``/``<div>`` of
    class "...caption...") turned into a ``<div>`` of its captions as paragraphs; the markup itself when it has no
    figure or does not parse.

    trafilatura drops a figure whole without images and a figcaption even with them, so a question answered only
    by a photo caption ("上週，研究生在無塵室完成最後一次檢查。（成大提供）") could not be answered. Done before
    extraction, not after: trafilatura still decides what the article is, so a figure in an aside, a footer or a
    menu goes with it, and the caption lands where its figure stood, after the paragraph before it. The image, its
    file name and its alt text stay out, and so does anything else a figure holds (a pull quote repeats the text).
    """
    from trafilatura import load_html

    if "<figure" not in markup.lower():
        return markup
    tree = load_html(markup)
    if tree is None:
        return markup
    for figure in list(tree.iter("figure")):
        if _AD_MARK.search(f"{figure.get('class') or ''} {figure.get('id') or ''}"):
            continue  # left to be dropped whole, as before: trafilatura's ad classes miss "ad" and "inline-ad"
        captions = figure_captions(figure)
        for caption in captions:
            # plain paragraphs: trafilatura reads a figcaption as no text and, images off, prunes a "caption" class
            caption.tag, caption.tail = "p", None
            caption.attrib.clear()
        if captions and figure.find(".//table") is None:  # a table's figure is kept by trafilatura, table and all
            figure.tag, figure.text = "div", None  # class and id stay for trafilatura's tests ("related-stories")
            for child in list(figure):
                figure.remove(child)
            figure.extend(captions)
    return tree


def figure_captions(figure: Any) -> list[Any]:
    """A figure's outermost caption elements, in order; none inside a link, where the figure is a teaser for
    another article (a related story's thumbnail and headline), not a photo of this one."""
    found = [element for element in figure.iter("figcaption", "p", "div")
             if element.tag == "figcaption" or "caption" in (element.get("class") or "").lower()]
    inside = set(found)
    return [element for element in found
            if not any(ancestor in inside or ancestor.tag == "a" for ancestor in element.iterancestors())]


def _parsed(markup: str) -> Any:
    """The page as an lxml tree, or None when lxml cannot read it."""
    import lxml.html

    try:
        return lxml.html.fromstring(markup)
    except (ValueError, lxml.etree.ParserError):
        return None


def meta_author(root: Any) -> str:
    """The page's ``<meta name="author">`` (or article:author): trafilatura drops author names in Chinese."""
    if root is None:
        return ""
    values = root.xpath('//meta[@name="author" or @property="article:author" or @name="byl"]/@content')
    return next((str(v).strip() for v in values if str(v).strip() and "://" not in str(v)), "")


def head_lines(root: Any, first_paragraph: str, limit: int = 200) -> list[str]:
    """The page's own lines of text, in order, before the article's first paragraph (its first ``limit``
    elements at most): the headline, the information line ("2025-08-20 10:15　来源：蓉城在线　作者：周敏"), menus."""
    if root is None:
        return []
    start = " ".join(first_paragraph.split())[:20]
    lines: list[str] = []
    for n, element in enumerate(root.iter()):
        if n >= limit:
            break
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript", "title"):
            continue
        text = " ".join((element.text or "").split())
        if start and text.startswith(start):
            return lines
        if text:
            lines.append(text)
    return []  # the article's paragraph never came: nothing here is known to be its head


def _as_dict(result: object) -> dict:  # type: ignore[type-arg]
    if result is None:
        return {}
    if isinstance(result, dict):
        return result
    return result.as_dict() if hasattr(result, "as_dict") else vars(result)  # trafilatura 2 returns a Document
