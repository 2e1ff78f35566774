"""Multilingual question answering over news articles, with cited passages."""
from __future__ import annotations

from .errors import (BadDate, BadRequest, BadSetting, DocumentNotFound, EmptyQuestion, NotInTrash, QAError,
                     UnsupportedFile)

__version__ = "0.2.0"


def __getattr__(name: str):  # lazy: `qa ask` should not import torch until it needs the model
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    raise AttributeError(name)


__all__ = ["Assistant", "BadDate", "BadRequest", "BadSetting", "DocumentNotFound", "EmptyQuestion", "NotInTrash",
           "QAError", "UnsupportedFile", "__version__"]
