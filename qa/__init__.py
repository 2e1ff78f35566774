"""Multilingual question answering over news articles, with cited passages."""
from __future__ import annotations

__version__ = "0.2.0"


def __getattr__(name: str):  # lazy: `qa ask` should not import torch until it needs the model
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    raise AttributeError(name)


__all__ = ["Assistant", "__version__"]
