"""Documents to passages: paragraphs, sentence splitting (Chinese and English), windows with overlap, exact offsets."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .extract.blocks import CELL_SEPARATOR
from .records import LIST_INTRO_END, Chunk, Document
from .settings import Settings, default_of
from .text.metadata import is_byline_or_date, is_masthead
from .text.script import columns

Span = tuple[int, int]

# A Chinese sentence ends at 。！？；!?… plus any closing quotes/brackets; an English one at "." followed by space.
_CLOSERS = "”’」』）)】〕\"'"  # closing quotes and brackets, which a sentence's end carries with it
_CJK_END = re.compile(rf"[。！？；!?…]+[{re.escape(_CLOSERS)}]*")
_DOT_END = re.compile(r"\.[”’\"')\]]*(?=\s|$)")
# Abbreviations whose full stop ends no sentence, as written or in capitals: a dateline writes its place in capitals
# ("ST. BRIDE'S, Nova Scotia, … — Kestrel Ferries will raise …" was cut after "ST."). Not in lower case: "ms." and
# "no." end sentences ("a delay of 30 ms.", "she said no.").
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "Ft", "Jr", "Sr", "Gov", "Sen", "Rep", "Gen", "Lt", "Col",
                  "Capt", "Sgt", "vs", "etc", "Inc", "Ltd", "Co", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
                  "Sep", "Sept", "Oct", "Nov", "Dec", r"e\.g", r"i\.e")
_ABBREV = re.compile(r"(?:\b(?:" + "|".join(dict.fromkeys(w for a in _ABBREVIATIONS for w in (a, a.upper()))) + r")"
                     r"|\b[A-Z](?:\.[A-Z])*)$")  # an initial: "U.S.", "J. Smith"
_HEADING_MAX = 40
# the first line, in columns (a Chinese character takes two): an English headline of 80 letters is as much a
# headline as 40 Chinese characters, and was cited as a passage of its own above the lead ("Record field of 9,400
# runners completes Norwich City Marathon"). Lines further down keep the character limit: a list's items, whose
# markers the extractors drop, are body text, not headings of the paragraph after them.
_HEADLINE_COLUMNS = 80
_TERMINAL = "。！？；!?.…"  # a short line ending otherwise (even in 」 or :) is a heading, unless it is in a list
# A list: lines after one that ends in a colon ("各会场啤酒消费量如下：", "Brennock wind farm at a glance:"), or a run
# of labelled lines ("金沙滩主会场：2100吨", "Turbines: 38"; a markdown list's markers are dropped by the extractors).
# Its lines are short and end no sentence, like headings: read as headings they were glued in front of the next
# paragraph, where no sentence score or highlight reads a heading, so a figure given only in a list was never found.
_LABELLED = re.compile(r"^[^：:\n]{1,40}[：:][ \t]*\S")
_ITEM_MAX = 120  # characters: a longer line ending no sentence is a paragraph written without its full stop


@dataclass(frozen=True)
class ChunkParams:
    """Passage shape: ``size`` sentences, ``overlap`` shared with the next passage, about ``max_chars`` at most."""

    size: int
    overlap: int
    max_chars: int
    title: int = 0  # embed each passage with its article's title in front (qa.build), not part of the passage
    # the chunking rules' version, recorded in the index signature (qa.build): an index chunked under other rules
    # is rebuilt, not mixed with passages cut the new way. 2: a table row is never a heading. 3: the first line's
    # length in columns, not characters. 4: abbreviations in capitals ("ST.", "MT.") end no sentence; a byline or
    # date line of any length is glued like a heading. 5: an English byline up to 100 characters (names, job, outlet
    # and date) and one in plain-text emphasis marks is a byline. 6: a list's lines (after a line ending in a colon,
    # or labelled lines in a run) are one passage of their own, not headings of the next paragraph; a short line
    # ending in a quote's 。」 is a sentence, not a heading. 7: after a line ending in a colon, an item may be as long
    # as _ITEM_MAX (English items run past a heading's 40 characters); a paper's bracketed credit with its date
    # (（經濟日報記者 林佩君／台北報導）2026年10月30日) is a byline. (1: unrecorded.)
    rules: int = 7

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ChunkParams:
        """From settings chunk_sentences, chunk_overlap, chunk_max_chars, chunk_title (their defaults when None)."""
        names = ("chunk_sentences", "chunk_overlap", "chunk_max_chars", "chunk_title")
        if settings is None:
            return cls(*(int(default_of(n)) for n in names))  # type: ignore[call-overload]
        return cls(*(int(getattr(settings, n)) for n in names))


def paragraph_spans(text: str) -> list[Span]:
    """Non-empty lines as [start, end) spans with surrounding whitespace trimmed."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        lead = len(line) - len(line.lstrip())
        trail = len(line.rstrip())
        if trail > lead:
            spans.append((m.start() + lead, m.start() + trail))
    return spans


def table_headers(text: str) -> dict[int, str]:
    """The header row (its text) of each later row of a table, by the row's 1-based paragraph number: a table is a
    run of lines whose cells the extractors joined by CELL_SEPARATOR, its first line the header.

    >>> table_headers("Sales\\n\\nPhase | Capacity\\n\\nFirst | 23,000 t\\n\\nSecond | 45,000 t\\n\\nEnd.")
    {3: 'Phase | Capacity', 4: 'Phase | Capacity'}
    """
    headers: dict[int, str] = {}
    header: str | None = None
    for number, (a, b) in enumerate(paragraph_spans(text), start=1):
        line = text[a:b]
        if CELL_SEPARATOR not in line:
            header = None
        elif header is None:
            header = line
        else:
            headers[number] = header
    return headers


def header_rows(text: str) -> frozenset[int]:
    """The 1-based paragraph numbers of the header rows of ``text``'s tables (a header with rows under it).

    >>> sorted(header_rows("Sales\\n\\nPhase | Capacity\\n\\nFirst | 23,000 t\\n\\nEnd."))
    [2]
    """
    rows = table_headers(text)
    return frozenset(number - 1 for number in rows if number - 1 not in rows)


def keyword_texts(text: str, passages: Iterable[tuple[int, int, int]]) -> list[str]:
    """What the keyword index reads for each passage (paragraph, start, end) of a document: its text, a table row's
    under its header row. "How much revenue did the cloud services business bring in?" asks 营业收入, which only the
    header of "云服务 | 7.6亿元 | +41%" says.

    >>> keyword_texts("Phase | Capacity\\n\\nFirst | 23,000 t", [(1, 0, 16), (2, 18, 34)])
    ['Phase | Capacity', 'Phase | Capacity\\nFirst | 23,000 t']
    """
    headers = table_headers(text)
    return [under_header(headers, p, text[a:b]) for p, a, b in passages]


def under_header(headers: dict[int, str], paragraph: int, text: str) -> str:
    """``text`` (of ``paragraph``) under its table's header row when it is a row (``headers``: ``table_headers``)."""
    return headers[paragraph] + "\n" + text if paragraph in headers and CELL_SEPARATOR in text else text


def sentence_spans(text: str, start: int, end: int) -> list[Span]:
    """Sentences of ``text[start:end]`` as document offsets; never splits inside numbers such as 4.8TB/s or 54.4%."""
    cuts = []
    segment = text[start:end]
    inside = _bracketed(segment)
    for m in _CJK_END.finditer(segment):
        if m.start() not in inside:
            cuts.append(m.end())
    for m in _DOT_END.finditer(segment):
        before = segment[: m.start()]
        if not _ABBREV.search(before) and m.start() not in inside:
            cuts.append(m.end())
    spans, prev = [], 0
    for cut in sorted(set(cuts)) + [len(segment)]:
        piece = segment[prev:cut]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            spans.append((start + prev + lead, start + prev + trail))
        prev = cut
    return spans


_OPEN, _CLOSE = "《〈（(【〔", "》〉）)】〕"
_BRACKET_MAX = 60  # a title or aside closes soon; a longer stretch is not held together


def _bracketed(segment: str) -> set[int]:
    """Positions inside a short bracketed stretch (a book title 《卡拉OK.LIVE！‧台北‧我》, an aside whose foreign
    words were stripped, 京急逗子线（；）): a sentence end there ends no sentence."""
    inside: set[int] = set()
    stack: list[int] = []
    for i, ch in enumerate(segment):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            j = stack.pop()
            if _OPEN.index(segment[j]) == _CLOSE.index(ch) and i - j <= _BRACKET_MAX:
                inside.update(range(j + 1, i))
    return inside


def _is_heading(text: str, span: Span, first: bool) -> bool:
    """A short line that ends no sentence ("Specifications", "中国的战略回应"); a table row ("Q3 2025 | $561m |
    $39.6m", cells joined by the extractors' separator) is body text however short: glued under the paragraph
    after it, its cells were no passage of their own, never highlighted, and a question's year read it as not
    the paragraph's."""
    body = text[span[0] : span[1]]
    short = columns(body) <= _HEADLINE_COLUMNS if first else len(body) <= _HEADING_MAX
    return short and not ends_sentence(body) and CELL_SEPARATOR not in body


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends as a sentence does: its last mark, before closing quotes and brackets (a quote's 。」),
    is a full stop, question or exclamation mark."""
    return line.rstrip(_CLOSERS)[-1:] in _TERMINAL


def _lists(text: str, paragraphs: list[Span]) -> dict[int, int]:
    """The lists among ``paragraphs``: index of a list's first line (its introduction, when it has one) → index
    of its last. Never the first line (the headline), a byline or date line, or a table row."""

    def line(i: int) -> str:
        return text[paragraphs[i][0]:paragraphs[i][1]]

    def item(i: int) -> bool:  # short, or labelled, and no sentence: a quote's 。」 ends one
        body = line(i)
        return ((len(body) <= _HEADING_MAX or bool(_LABELLED.match(body))) and len(body) <= _ITEM_MAX
                and not ends_sentence(body) and CELL_SEPARATOR not in body
                and not is_byline_or_date(body))

    def listed(i: int) -> bool:  # after an introduction: an item of any length up to _ITEM_MAX ("- the harbour New
        # Year's Eve fireworks show", 41 characters, was cut off the list and cited alone)
        body = line(i)
        return (len(body) <= _ITEM_MAX and not ends_sentence(body) and CELL_SEPARATOR not in body
                and not is_byline_or_date(body))

    def labelled(i: int) -> bool:
        return item(i) and bool(_LABELLED.match(line(i)))

    lists: dict[int, int] = {}
    i = 1
    while i < len(paragraphs) - 1:
        intro = line(i).endswith(LIST_INTRO_END) and listed(i + 1)
        if intro or (labelled(i) and labelled(i + 1)):
            last = i + 1
            while last + 1 < len(paragraphs) and (labelled(last + 1) if not intro else listed(last + 1)):
                last += 1
            lists[i] = last
            i = last
        i += 1
    return lists


def _windows(sentences: list[Span], size: int, overlap: int, max_chars: int) -> Iterable[list[Span]]:
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and j - i < size and sentences[j][1] - sentences[i][0] <= max_chars:
            j += 1
        yield sentences[i:j]
        if j >= len(sentences):
            return
        i = max(i + 1, j - overlap)


def chunk_document(doc: Document, params: ChunkParams | None = None) -> list[Chunk]:
    """Split a document into passages of ``params.size`` sentences sharing ``params.overlap``, within paragraphs.

    ``params`` defaults to the chunking settings' defaults. ``chunk_id`` is the position within the document.

    A short heading line is glued to the first passage of the paragraph under it, so its topic words
    count for that passage; so is a byline or date line (qa.text.metadata.is_byline_or_date), and one that ends the
    article is in no passage. Paragraph numbers are 1-based over non-empty lines.

    >>> doc = Document("d", "d.txt", "t", None, "simplified", "zh", "标题\\n第一句。第二句！", "")
    >>> [(c.paragraph, c.text) for c in chunk_document(doc)]
    [(2, '标题\\n第一句。第二句！')]
    """
    params = params or ChunkParams.from_settings()
    text = doc.text
    paragraphs = paragraph_spans(text)
    chunks: list[Chunk] = []
    pending_heading: Span | None = None
    lists = _lists(text, paragraphs)
    list_end = -1
    for number, para in enumerate(paragraphs, start=1):
        if number - 1 <= list_end:
            continue  # a line of the list before, in its passages
        if number - 1 in lists:  # a list: one passage (more only past max_chars), numbered as its first line
            list_end = lists[number - 1]
            sentences = [s for p in paragraphs[number - 1:list_end + 1] for s in sentence_spans(text, *p)]
            for w, window in enumerate(_windows(sentences, len(sentences), params.overlap, params.max_chars)):
                spans = [pending_heading, *window] if w == 0 and pending_heading is not None else list(window)
                s, e = spans[0][0], spans[-1][1]
                chunks.append(Chunk(len(chunks), doc.doc_id, number, s, e, text[s:e], tuple(spans)))
            pending_heading = None
            continue
        # a byline or date line says who wrote the story and when, none of it: never a passage of its own (cited
        # as a card, "By Megan O'Leary, Regional Affairs Reporter" answered who the mayor was), at the end neither
        line = text[para[0]:para[1]]
        credit = (CELL_SEPARATOR not in line or is_masthead(line)) and is_byline_or_date(line)
        if number < len(paragraphs) and (credit or _is_heading(text, para, first=number == 1)):
            pending_heading = para if pending_heading is None else (pending_heading[0], para[1])
            continue
        if credit and chunks:
            break
        sentences = sentence_spans(text, *para)
        for w, window in enumerate(_windows(sentences, params.size, params.overlap, params.max_chars)):
            spans = list(window)
            if w == 0 and pending_heading is not None:
                spans = [pending_heading, *spans]
            s, e = spans[0][0], spans[-1][1]
            chunks.append(Chunk(len(chunks), doc.doc_id, number, s, e, text[s:e], tuple(spans)))
        pending_heading = None
    return chunks
