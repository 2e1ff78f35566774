"""Plain text: decoded and kept as written (NFC and ``\\n`` line ends only), so offsets cite the user's characters."""
from __future__ import annotations

from .blocks import canonical
from .decode import decode_bytes
from . import Extracted, Limits

NAME = "plain 1"


def extract(data: bytes, name: str, limits: Limits) -> Extracted:
    """Decode ``data`` (UTF-8/16, GB18030, Big5); the file carries no metadata of its own."""
    return Extracted(canonical(decode_bytes(data, name)), NAME)
