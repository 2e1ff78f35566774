"""Specific exception types; each carries the HTTP status an API layer should use."""
from __future__ import annotations

from typing import Any


def error_body(message: str, status: int) -> dict[str, Any]:
    """The one shape of an error, what the HTTP API answers and ``qa ... --json`` prints on stdout.

    >>> error_body("k must be an integer from 1 to 50, got 0", 400)
    {'ok': False, 'error': 'k must be an integer from 1 to 50, got 0', 'status': 400}
    """
    return {"ok": False, "error": message, "status": status}


class QAError(Exception):
    """Base error: the message says what was wrong and how to fix it."""

    status = 500

    @classmethod
    def keyed(cls, key: str, **params: object) -> QAError:
        """The error whose message is catalogue entry ``key`` (qa.messages), in English here and translated whole
        for a Chinese reader (``qa.messages.error_message``), not an English detail inside a Chinese frame."""
        from .messages import t

        error = cls(t(key, "en", **params))
        error.message_key = key  # type: ignore[attr-defined]
        error.message_params = {name: str(value) for name, value in params.items()}  # type: ignore[attr-defined]
        return error


class BadRequest(QAError):
    status = 400


class EmptyQuestion(BadRequest):
    """A question that is not text, or has no letters, digits or ideographs: wrong input like any other, so code
    catching ``BadRequest`` catches it too."""


class BadSetting(BadRequest, ValueError):
    """A setting's name or value is invalid; the message lists what is allowed."""


class BadDate(BadRequest):
    """A filter date that is not YYYY-MM-DD, or a range that ends before it starts; the message names the field."""

    def __init__(self, message: str, *, field: str, value: str, key: str = "error.BadDate", **params: str) -> None:
        super().__init__(message)
        self.message_key = key  # translated whole from the catalogue (qa.messages.error_message)
        self.message_params = {"field": field, "value": value, **params}


class DocumentNotFound(QAError):
    status = 404


class IndexNotFound(QAError):
    status = 404


class UnsupportedFile(QAError):
    status = 415


class FileTooLarge(QAError):
    status = 413


class DecodeError(QAError):
    status = 415


class NoTextLayer(DecodeError):
    """A PDF whose pages hold no text (a scan): OCR it first (e.g. `ocrmypdf in.pdf out.pdf`), then add the result."""


class EncryptedFile(DecodeError):
    """A password-protected file: save an unprotected copy, then add that."""


class CorruptFile(DecodeError):
    """A file that does not parse as its type (truncated download, renamed file): re-export or re-download it."""


class NoArticleText(DecodeError):
    """A web page in which no article text was found (an index page, a page built by scripts)."""


class TooManyPages(FileTooLarge):
    """A document over the page limit (setting max_pages): split it or raise the limit."""


class DocsFolderEmpty(QAError):
    """The docs folder is missing or holds no articles while the index holds some: a mistyped --docs would
    otherwise empty the index (nothing is changed; `qa build --force` over an empty folder empties it on purpose)."""

    status = 409


class IndexCorrupt(QAError):
    """The stored index is unreadable or inconsistent; rebuild with `python -m qa build --force`."""

    status = 500


class StoreUnavailable(QAError):
    """The store cannot be reached or refused the credentials (Milvus: URI, token, a Lite folder open elsewhere)."""

    status = 503


class StoreMismatch(QAError):
    """The store was written by another model or schema version than this process reads."""

    status = 409


class ModelError(QAError):
    status = 500


class NotInTrash(QAError):
    """Nothing to restore: the article was never deleted here, or its trash entry is gone."""

    status = 404


class Unauthorized(QAError):
    """A request that needs a token came without one (send ``Authorization: Bearer <token>``)."""

    status = 401


class Forbidden(QAError):
    """A request came with a token that is not the right one."""

    status = 403
