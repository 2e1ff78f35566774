"""Bytes to text: UTF-8 (with or without BOM), UTF-16, GB18030 or Big5 (with Hong Kong HKSCS), refusing binary data."""
from __future__ import annotations

import re

from ..errors import DecodeError
from ..text.script import han_count


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
            raise DecodeError.keyed("ingest.bad_bom", name=name, encoding="UTF-8", reason=f"byte {e.start + 3}") from e
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), name)
        except UnicodeDecodeError as e:
            raise DecodeError.keyed("ingest.bad_bom", name=name, encoding="UTF-16", reason=e.reason) from e
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise DecodeError.keyed("ingest.binary_nul", name=name)
    try:
        return _checked(_utf8(data), name)
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5hkscs"):  # Hong Kong Big5 (嘅, 咗) is a superset of Big5
        try:
            candidates.append((enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DecodeError.keyed("ingest.bad_encoding", name=name)
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
        raise DecodeError.keyed("ingest.binary_control", name=name)
    return text


def _plausibility(text: str) -> float:
    from ..text.tokens import segment  # jieba's dictionary knows which Han characters and words are common

    han = [w for w in segment(text[:2000]) if han_count(w)]
    if not han:
        return 0.0
    return sum(len(w) > 1 for w in han) / len(han) - 0.5 * (text.count("\ufffd") > 0)
