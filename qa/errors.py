"""Specific exception types; each carries the HTTP status an API layer should use."""
from __future__ import annotations


class QAError(Exception):
    """Base error: the message says what was wrong and how to fix it."""

    status = 500


class EmptyQuestion(QAError):
    status = 400


class BadRequest(QAError):
    status = 400


class BadSetting(BadRequest, ValueError):
    """A setting's name or value is invalid; the message lists what is allowed."""


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


class IndexCorrupt(QAError):
    """The stored index is unreadable or inconsistent; rebuild with `python -m qa build --force`."""

    status = 500


class ModelError(QAError):
    status = 500
