"""Question token ids through SentencePiece: the same ids as the model's tokenizer.json, in a fifth of the memory.

Why: the `tokenizers` library builds a character trie for the XLM-R vocabulary (250,002 pieces) that holds
~270 MB in every process that embeds a question (an app worker: more than the ONNX graph itself); SentencePiece
holds the same Unigram model in a double-array trie (~60 MB) and encodes ~4x faster. The model is written once
from tokenizer.json (its pieces, scores and precompiled normalisation map) beside the ONNX export.

Equal ids, by construction and by test (tests/test_model_parity.py, plus every question and paragraph of the
benchmark sets: 9,492 encodings): both run the same Viterbi over the same pieces after the same normalisation.
The one difference, handled here: tokenizer.json keeps a trailing space as a lone "▁" piece where SentencePiece
strips it. Literal "<s>", "</s>", "<mask>" in a question are text here (tokenizer.json would read them as
control tokens).
"""
from __future__ import annotations

import base64
import json
import os
import tempfile
from pathlib import Path

SPACE = "\u2581"  # SentencePiece's whitespace mark


def convertible(spec: dict) -> bool:
    """True for the tokenizer.json this module reproduces: XLM-R's (Unigram, precompiled map, Metaspace, <s> A </s>)."""
    norm = spec.get("normalizer") or {}
    parts = norm.get("normalizers", [norm])
    pre = spec.get("pre_tokenizer") or {}
    single = (spec.get("post_processor") or {}).get("single", [])
    return (spec.get("model", {}).get("type") == "Unigram" and not spec["model"].get("byte_fallback")
            and [p.get("type") for p in parts][:1] == ["Precompiled"]
            and all(p.get("type") == "Precompiled" or (p.get("type") == "Replace" and p.get("pattern") == {"Regex": " {2,}"}
                                                       and p.get("content") == " ") for p in parts)
            and pre.get("type") == "Metaspace" and pre.get("replacement") == SPACE and pre.get("prepend_scheme") == "always"
            and not pre.get("split", False)
            and [x.get("SpecialToken", {}).get("id") or x.get("Sequence", {}).get("id") for x in single] == ["<s>", "A", "</s>"])


def write_model(tokenizer_json: Path, dest: Path) -> bool:
    """Write the SentencePiece model equivalent to ``tokenizer_json`` to ``dest`` (atomically); False if there is none."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    if not convertible(spec):
        return False
    vocab = spec["model"]["vocab"]
    special = {t["content"]: t["id"] for t in spec.get("added_tokens", []) if t.get("special")}
    unk = spec["model"].get("unk_id")
    if unk is None or any(vocab[i][0] != name for name, i in special.items()):
        return False
    m = pb.ModelProto()
    m.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    m.trainer_spec.unk_id = unk
    m.trainer_spec.bos_id, m.trainer_spec.eos_id = special.get("<s>", -1), special.get("</s>", -1)
    m.trainer_spec.pad_id = special.get("<pad>", -1)
    n = m.normalizer_spec
    n.name = "nmt_nfkc"
    parts = spec["normalizer"].get("normalizers", [spec["normalizer"]])
    n.precompiled_charsmap = base64.b64decode(parts[0]["precompiled_charsmap"])
    n.add_dummy_prefix = n.remove_extra_whitespaces = n.escape_whitespaces = True
    piece = pb.ModelProto.SentencePiece
    for i, (text, score) in enumerate(vocab):
        p = m.pieces.add()
        p.piece, p.score = text, score
        p.type = piece.UNKNOWN if i == unk else piece.CONTROL if text in special else piece.NORMAL
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=dest.parent, prefix=f".{dest.name}.", delete=False) as f:
        f.write(m.SerializeToString())
    os.chmod(f.name, 0o644)
    os.replace(f.name, dest)
    return True


class SentencePieceTokenizer:
    """``encode(text)``: the model's ids for ``text`` with <s> ... </s>, at most ``max_tokens`` of them."""

    def __init__(self, model_file: Path, max_tokens: int) -> None:
        import sentencepiece as spm

        self._sp = spm.SentencePieceProcessor(model_file=str(model_file))
        self._bos, self._eos, self._space = self._sp.bos_id(), self._sp.eos_id(), self._sp.piece_to_id(SPACE)
        self._max = max_tokens

    def encode(self, text: str) -> list[int]:
        ids = self._sp.encode(text)
        # a trailing space (after normalisation: also a newline or an ideographic space) is a lone "▁" in
        # tokenizer.json; SentencePiece strips it. "x" shows it: "a " + "x" normalises to "▁a▁x".
        if text and self._sp.normalize(text + "x").endswith(SPACE + "x"):
            ids.append(self._space)
        return [self._bos, *ids[: self._max - 2], self._eos]
