"""Source files to Documents: the format's extractor (qa/extract/), then metadata from the file, its
``.meta.json`` sidecar or the text, in that order."""
from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from pathlib import Path

from .errors import DecodeError, FileTooLarge, TooManyPages
from .extract import SUPPORTED_SUFFIXES, Limits, extract_cached
from .extract.dates import find_dates, parse_date
from .extract.decode import decode_bytes
from .records import Document
from .text.metadata import byline_author, credited_source, dateline_length, is_metadata
from .text.script import chinese_script, columns, detect

__all__ = ["SUPPORTED_SUFFIXES", "META_SUFFIX", "Limits", "decode_bytes", "doc_id_for", "list_source_files",
           "document_from_bytes", "load_document", "read_sidecar", "check_size", "derive_title", "derive_date",
           "derive_author"]
META_SUFFIX = ".meta.json"
METADATA = ("title", "date", "source", "author")  # what a document carries besides language and script
log = logging.getLogger(__name__)


def doc_id_for(path: Path) -> str:
    """Stable id from the file name: the same file always gets the same id."""
    stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
    cleaned = re.sub(r"[^\w.\-]+", "-", stem, flags=re.UNICODE).strip("-.")
    return cleaned or "doc-" + hashlib.sha1(path.name.encode()).hexdigest()[:10]


def list_source_files(folder: Path) -> list[Path]:
    """Supported source files in ``folder`` (not recursive), sorted for a stable order, one per document id.

    Hidden files are skipped (an upload in progress is ``.<name>.partial``; ``._x.txt`` is macOS metadata).
    Two files that map to one id (``a.txt`` and ``a.md``) would give one document two versions: the first
    in sorted order is kept and the other is logged and ignored.
    """
    if not folder.is_dir():
        return []
    files = sorted(
        p for p in folder.iterdir() if not p.name.startswith(".") and p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file()
    )
    seen: dict[str, Path] = {}
    for p in files:
        first = seen.setdefault(doc_id_for(p), p)
        if first is not p:
            log.warning("%s: ignored, it has the same document id %r as %s; rename or remove one", p.name, doc_id_for(p), first.name)
    return list(seen.values())


def read_sidecar(path: Path) -> dict:
    """The ``<file>.meta.json`` beside ``path`` as a dict ({} when there is none)."""
    meta_path = path.with_name(path.name + META_SUFFIX)
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise DecodeError.keyed("ingest.bad_sidecar", name=meta_path.name, reason=e) from e
    return meta if isinstance(meta, dict) else {}


TITLE_WIDTH = 120  # columns (a Chinese character takes two): a headline fits whole, a first paragraph does not


def derive_title(text: str) -> str:
    """The first line with words, less a leading date or dateline ("date 2025-12-10 ...", 新华社…电), cut at
    ``TITLE_WIDTH`` columns (at its first sentence's end when that comes before).

    A line without letters or digits (a Markdown rule ``---``, a row of stars) is never a title. A headline is
    kept whole (an English one of 80-100 characters was cut mid-word at 60: "…to open in Ju…"); a text without one
    lends its first paragraph's first sentence, or the paragraph cut.
    """
    for line in text.splitlines():
        line = re.sub(r"^date\s*[:：]?\s*", "", line.strip(), flags=re.I)
        dates = find_dates(line)
        if dates and dates[0][0] == 0:
            line = line[dates[0][1]:].strip(" .,:;|-—")
        line = line[dateline_length(line):]  # 新华社西安11月3日电（记者 李文博） names no story
        if re.search(r"[^\W_]", line):
            # a Chinese first paragraph (a sentence end with more after it; no headline has one) lends its first
            # sentence: an English full stop also ends abbreviations a headline writes ("U.S. to allow …")
            first = re.match(r"[^。！？]+(?=[。！？].)", line)
            line = first.group() if first else line
            width = 0
            for end, ch in enumerate(line, 1):
                width += columns(ch)
                if width > TITLE_WIDTH:
                    return line[:end - 1] + "…"
            return line
    return "(untitled)"


def derive_date(text: str) -> str | None:
    """The article's date from its head (first 300 characters), as YYYY-MM-DD: the first date that opens a line
    ("2025年12月10日，美國政府…", "14 January 2026. The United States…"), sits in a dateline ("WASHINGTON, Dec 10,
    2025 (Reuters) - ") or on a date line or byline ("date 2025-12-10", "发布时间：…"). A date inside a sentence
    is the date of an event ("will open a branch on 1 June 2026"), not of the article: None when that is all, unless
    the sentence says it is today's (今（2026年5月3日）在東港拍賣) or the day something was announced (中心2026年11月30日
    宣布), as Chinese leads write the day of the news."""
    for line in text[:300].splitlines():
        body = line.strip()
        found = find_dates(body)
        if found:
            head = dateline_length(body)
            lead = len(body) - len(body.lstrip("（(「[【 "))
            if found[0][0] <= max(lead, head) or is_metadata(body):
                return found[0][2]
            for start, end, date in found:
                if _TODAY.search(body[:start]) or (_ANNOUNCED.match(body, end) and not _AHEAD.search(body[:start])):
                    return date
    return None


_TODAY = re.compile(r"(?:今|今天|今日|本日)\s*[（(]\s*$")  # 今（2026年5月3日）
_ANNOUNCED = re.compile(r"\s*(?:宣布|表示|公布|发布|發布|透露|通报|通報|召开|召開|举行|舉行)")
_AHEAD = re.compile(r"(?:将|將|拟|擬|计划|計劃|预计|預計|定于|定於|于|於)\s*$")  # 将于2027年3月1日发布: a day to come


def derive_author(text: str) -> str | None:
    """The reporters a byline or dateline in the article's head (first 300 characters) names ("记者 陈晓东",
    "本报讯（记者 陈晓东）", "記者王小明／台北報導", "By Jane Doe"), else None; a name in body text is no author."""
    for line in text[:300].splitlines():
        if author := byline_author(line):
            return author
    return None


def derive_source(text: str) -> str | None:
    """The publisher an article's head (first 300 characters) or its last lines credit ("来源：南京日报",
    新华社西安11月3日电, "(Reuters) -", "By Jane Doe, Pacific Business Daily"), else None: what the source filter
    offers for a file that carries no source of its own (a .txt, a Word file)."""
    for line in [*text[:300].splitlines(), *text[-200:].splitlines()[-3:]]:
        if source := credited_source(line):
            return source
    return None


def check_size(name: str, size: int, max_bytes: int) -> None:
    """The one size rule for source files (setting max_upload_bytes).

    Raises:
        FileTooLarge: ``size`` is over ``max_bytes``.
    """
    if size > max_bytes:
        raise FileTooLarge.keyed("ingest.too_large", name=name, size=f"{size:,}", limit=f"{max_bytes:,}")


def document_from_bytes(data: bytes, name: str, *, max_bytes: int, meta: dict | None = None,
                        limits: Limits | None = None, cache_dir: Path | None = None) -> Document:
    """Build a Document from raw file bytes; ``name``'s suffix picks the extractor (qa/extract/).

    ``cache_dir``: where earlier extractions are remembered (``qa.extract.extract_cached``); None extracts afresh.
    Metadata: what the file itself says (PDF/Word properties, front matter, a page's meta tags), else ``meta``
    (the sidecar), else derived from the text (first line, a dateline). Language and script are detected over
    the text (script by the share of characters that differ between scripts) unless ``meta`` names them.

    Raises:
        UnsupportedFile, FileTooLarge, DecodeError (NoTextLayer, EncryptedFile, CorruptFile, NoArticleText),
        TooManyPages: with the file name and what to do.
    """
    path = Path(name)
    check_size(path.name, len(data), max_bytes)
    extracted = extract_cached(data, path.name, limits, cache_dir)
    text = extracted.text
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):  # blank or only marks: nothing to answer from
        raise DecodeError.keyed("ingest.no_text", name=path.name)
    max_chars = (limits or Limits()).max_chars
    if len(text) > max_chars:
        raise TooManyPages.keyed("ingest.too_many_chars", name=path.name, chars=f"{len(text):,}", limit=f"{max_chars:,}")
    sidecar = meta or {}
    found = {key: extracted.meta.get(key) or _sidecar_value(sidecar, key) for key in METADATA}
    language, script = detect(text[:2000])
    if language == "zh":
        script = chinese_script(text)
    return Document(
        doc_id=doc_id_for(path),
        path=path.name,
        title=found["title"] or derive_title(text),
        date=found["date"] or derive_date(text),
        script=str(sidecar.get("script") or script),
        language=str(sidecar.get("language") or language),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        source=found["source"] or derive_source(text),
        author=found["author"] or derive_author(text),
        extractor=extracted.extractor,
        page_starts=extracted.page_starts,
    )


def _sidecar_value(sidecar: dict, key: str) -> str | None:
    value = sidecar.get(key)
    if value is None or not str(value).strip():
        return None
    if key != "date":
        return str(value).strip()
    date = parse_date(str(value))
    if date is None:  # the article is still worth indexing; its date comes from the text instead
        log.warning("sidecar date %r is not a date (write YYYY-MM-DD): ignored", value)
    return date or None


def load_document(path: Path, *, max_bytes: int, limits: Limits | None = None, cache_dir: Path | None = None) -> Document:
    """Read one source file and its optional ``<file>.meta.json`` sidecar (title, date, source, author, script)."""
    check_size(path.name, path.stat().st_size, max_bytes)  # before reading a huge file into memory
    return document_from_bytes(path.read_bytes(), path.name, max_bytes=max_bytes, meta=read_sidecar(path), limits=limits,
                               cache_dir=cache_dir)
