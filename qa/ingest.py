"""Source files to Documents: decode (UTF-8/16, GB18030, Big5), extract HTML text, read metadata."""
from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from .errors import DecodeError, FileTooLarge, UnsupportedFile
from .records import Document
from .text.script import chinese_script, detect, han_count

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")
META_SUFFIX = ".meta.json"
log = logging.getLogger(__name__)
_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


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


def decode_bytes(data: bytes, name: str = "file") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with BOM, or Latin text without), GB18030 or Big5.

    A UTF-8 file whose last character was cut off keeps the rest; data that is not text raises DecodeError.

    Raises:
        DecodeError: the bytes are binary or in no supported encoding.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _checked(_utf8(data[3:]), name)
        except UnicodeDecodeError as e:
            raise DecodeError(f"{name}: starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte {e.start + 3}); re-save it as UTF-8") from e
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), name)
        except UnicodeDecodeError as e:
            raise DecodeError(f"{name}: starts with a UTF-16 byte-order mark but is not valid UTF-16 ({e.reason}); re-save it as UTF-8") from e
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise DecodeError(f"{name}: looks like a binary file (contains NUL bytes); upload UTF-8, GB18030 or Big5 text")
    try:
        return _checked(_utf8(data), name)
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DecodeError(f"{name}: not valid UTF-8, UTF-16, GB18030 or Big5 text; re-save it as UTF-8")
    # Both legacy codecs accept many byte strings; the right one yields common Han characters, the wrong one rare ones.
    return _checked(max(candidates, key=lambda c: _plausibility(c[1]))[1], name)


# Control characters that never occur in a text file (tab, newlines, form feed and ESC of coloured logs do).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


def _utf8(data: bytes) -> str:
    """Strict UTF-8, except that a last character cut off by truncation is dropped rather than failing the file.

    Raises:
        UnicodeDecodeError: invalid UTF-8 before the last 3 bytes (the caller tries the legacy codecs).
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start >= len(data) - 3:
            return data[: e.start].decode("utf-8")
        raise


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, recognised by NUL high bytes in every other position; else None."""
    if len(data) % 2 or len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.3 * len(zeros) and other.count(0) == 0:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return None if _CONTROL.search(text) else text
    return None


def _checked(text: str, name: str) -> str:
    """Refuse decoded "text" that is mostly control characters: a binary file that happened to decode."""
    if text and len(_CONTROL.findall(text)) > max(2, len(text) // 50):
        raise DecodeError(f"{name}: looks like a binary file (many control characters); upload UTF-8, GB18030 or Big5 text")
    return text


def _plausibility(text: str) -> float:
    from .text.tokens import segment  # jieba's dictionary knows which Han characters and words are common

    han = [w for w in segment(text[:2000]) if han_count(w)]
    if not han:
        return 0.0
    return sum(len(w) > 1 for w in han) / len(han) - 0.5 * (text.count("\ufffd") > 0)


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one block per line; scripts and styles are dropped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in html.unescape("".join(parser.parts)).split("\n")]
    return "\n".join(line for line in lines if line)


def _read_meta(path: Path) -> dict:
    meta_path = path.with_name(path.name + META_SUFFIX)
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise DecodeError(f"{meta_path.name}: metadata is not valid JSON ({e}); fix or delete it") from e
    return meta if isinstance(meta, dict) else {}


def derive_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            line = _DATE.sub("", re.sub(r"^date\s+", "", line)).strip()
            return line[:60] + ("…" if len(line) > 60 else "")
    return "(untitled)"


def derive_date(text: str) -> str | None:
    m = _DATE.search(text[:300])
    if not m:
        return None
    y, mo, d = m.groups()
    return f"{y}-{int(mo):02d}-{int(d):02d}"


def check_size(name: str, size: int, max_bytes: int) -> None:
    """The one size rule for source files (setting max_upload_bytes).

    Raises:
        FileTooLarge: ``size`` is over ``max_bytes``.
    """
    if size > max_bytes:
        raise FileTooLarge(f"{name}: {size:,} bytes is over the limit of {max_bytes:,} bytes (file too large)")


def document_from_bytes(data: bytes, name: str, *, max_bytes: int, meta: dict | None = None) -> Document:
    """Build a Document from raw file bytes; ``name`` decides the id and the parser (.html → text).

    Raises:
        UnsupportedFile, FileTooLarge, DecodeError: with the file name and what is accepted.
    """
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile(f"{path.name}: unsupported file type {suffix or '(none)'}; accepted: {', '.join(SUPPORTED_SUFFIXES)}")
    check_size(path.name, len(data), max_bytes)
    text = decode_bytes(data, path.name)
    if suffix in (".html", ".htm"):
        text = html_to_text(text)
    if not text.strip():
        raise DecodeError(f"{path.name}: the file holds no text")
    meta = meta or {}
    language, script = detect(text[:2000])
    if language == "zh":
        script = chinese_script(text)
    return Document(
        doc_id=doc_id_for(path),
        path=path.name,
        title=str(meta.get("title") or derive_title(text)),
        date=meta.get("date") or derive_date(text),
        script=str(meta.get("script") or script),
        language=str(meta.get("language") or language),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def load_document(path: Path, *, max_bytes: int) -> Document:
    """Read one source file and its optional ``<file>.meta.json`` sidecar (title, date, script)."""
    check_size(path.name, path.stat().st_size, max_bytes)  # before reading a huge file into memory
    return document_from_bytes(path.read_bytes(), path.name, max_bytes=max_bytes, meta=_read_meta(path))
