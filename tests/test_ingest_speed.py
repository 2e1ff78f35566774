"""Ingest at speed: sentence vectors pooled from the passage pass, the ONNX passage engine, latent terms in one
batch, QA_DEVICE, progress callbacks and `qa bench ingest` — all on the real bundled model, a tiny corpus."""
from __future__ import annotations

import json

import numpy as np
import pytest

from qa.build import compatible, encode_documents, signature, simplified_with_spans
from qa.chunk import ChunkParams
from qa.records import Document

TEXT = ("英伟达周三公布财报。该公司第三季度营收达到351亿美元，同比增长94%。数据中心业务贡献了308亿美元。游戏业务收入为33亿美元。\n"
        "黄仁勋表示，Blackwell芯片的需求非常强劲。公司预计第四季度营收约为375亿美元。分析师此前预期为371亿美元。")


@pytest.fixture(scope="module")
def doc() -> Document:
    return Document("nv", "nv.txt", "英伟达财报", None, "simplified", "zh", TEXT, "x")


@pytest.fixture(scope="module")
def both(embedder, doc):  # type: ignore[no-untyped-def]
    """The same document encoded with separate sentence passes and with pooled sentence vectors."""
    params = ChunkParams(3, 1, 360)
    separate = encode_documents([doc], embedder, params)[0]
    embedder.sentence_source = "pooled"
    try:
        calls: list[tuple[int, int]] = []
        pooled = encode_documents([doc], embedder, params, progress=lambda done, total: calls.append((done, total)))[0]
    finally:
        embedder.sentence_source = "separate"
    return separate, pooled, calls


def test_pooled_sentence_vectors_come_from_the_passage_pass(both) -> None:  # type: ignore[no-untyped-def]
    separate, pooled, calls = both
    assert pooled.sentences == separate.sentences and len(pooled.sentences) == 7
    np.testing.assert_allclose(pooled.vectors, separate.vectors, atol=1e-5)  # passages: the same pass either way
    assert (pooled.latent != separate.latent).nnz == 0
    norms = np.linalg.norm(pooled.sentence_vectors, axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)
    cos = (pooled.sentence_vectors * separate.sentence_vectors).sum(1)
    assert cos.min() > 0.85, cos  # the same sentence read in its passage: close to, not equal to, read alone
    # each pooled sentence is nearer its own separate vector than the other sentences are on average (not always
    # nearest: read in context, "analysts had expected 37.1bn" leans towards the forecast sentence before it)
    sims = pooled.sentence_vectors @ separate.sentence_vectors.T
    off = (sims.sum(1) - np.diag(sims)) / (len(sims) - 1)
    assert (np.diag(sims) > off).all()
    assert calls and calls[-1] == (len(pooled.chunks), len(pooled.chunks))  # the progress hook saw every passage


def test_onnx_passage_engine_matches_torch(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = [TEXT.split("\n")[0], "NVIDIA reported revenue of $35.1 billion, up 94% from a year ago."]
    precision = embedder.doc_precision
    try:
        embedder.doc_precision = "fp32"  # auto in fp32: the ONNX graph (with native bf16, auto is torch in bf16)
        assert embedder._passage_session() is not None
        onnx_vecs, onnx_latent = embedder.embed_passages(texts)
        # torch in fp32 too: bf16's latent terms differ from fp32's in a few of the 256 kept features (cosine 0.993)
        embedder.doc_engine = "torch"
        torch_vecs, torch_latent = embedder.embed_passages(texts)
    finally:
        embedder.doc_engine, embedder.doc_precision = "auto", precision
    assert (onnx_vecs * torch_vecs).sum(1).min() > 0.99999
    assert np.asarray(onnx_latent.multiply(torch_latent).sum(1)).min() > 0.9999  # latent terms: the same features


def test_auto_engine_follows_the_cpus_bf16(embedder) -> None:  # type: ignore[no-untyped-def]
    """doc_engine auto: torch in bf16 where the CPU has native bf16 (measured 1.6x the fp32 graph), else ONNX fp32."""
    import torch

    from qa.encoder.embedder import resolve_precision

    caps = torch.cpu.get_capabilities()
    native = bool(caps.get("avx512_bf16") or caps.get("amx_bf16"))
    assert resolve_precision("auto") == ("bf16" if native else "fp32")
    assert (embedder._passage_session() is None) == native  # the fixture runs with doc_precision auto
    assert embedder.resolved_precision() == ("bf16" if native else "fp32")
    vecs, latent = embedder.embed_passages([TEXT.split("\n")[0]])
    assert abs(float(np.linalg.norm(vecs[0])) - 1.0) < 1e-3 and latent.nnz > 0
    assert embedder.batch_size() == 8 and embedder.batch_tokens() == 1536  # embed_batch 0 = auto: a token budget on CPU


def test_batches_fill_a_token_budget_longest_first() -> None:
    from qa.encoder.embedder import batch_bounds

    lengths = [400, 300, 120, 100, 100, 60, 40, 40, 30, 20]
    bounds = batch_bounds(lengths, 8, 1024)
    assert bounds[0] == (0, 2) and bounds[-1][1] == len(lengths)  # 2 x 400 padded tokens fit, 3 do not
    assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:]))  # every text once, in order
    assert all((end - start) * lengths[start] <= 1024 for start, end in bounds)
    assert batch_bounds([2000, 10], 8, 1024) == [(0, 1), (1, 2)]  # a text longer than the budget goes alone
    assert batch_bounds(lengths, 4) == [(0, 4), (4, 8), (8, 10)]  # no budget: a fixed count


def test_token_budget_batches_give_the_vectors_of_one_text_at_a_time(embedder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qa.encoder import embedder as module

    texts = [TEXT + TEXT, TEXT, "游戏业务收入为33亿美元。", "Revenue rose 94% to $35.1 billion.", "黄仁勋表示。"] * 3
    batches: list[list[tuple[int, int]]] = []
    bounds = module.batch_bounds
    monkeypatch.setattr(module, "batch_bounds", lambda *a, **kw: batches.append(bounds(*a, **kw)) or batches[-1])
    vecs, latent = embedder.embed_passages(texts)  # auto: a budget of 1536 padded tokens
    one_by_one, latent_one = embedder.embed_passages(texts, batch_size=1)
    assert 1 < len(batches[0]) < len(texts) // 2 and len(batches[1]) == len(texts)  # a few full passes, then one per text
    assert (vecs * one_by_one).sum(1).min() > 0.999  # padding changes nothing but bf16 rounding
    assert np.asarray(latent.multiply(latent_one).sum(1)).min() > 0.98  # bf16 near-ties in a token's top k can swap


def test_batches_pad_the_texts_tokenised_once_as_the_tokenizer_pads_them(embedder) -> None:  # type: ignore[no-untyped-def]
    from qa.encoder.embedder import _pad, _tokenise

    tokenizer = embedder.model.tokenizer
    texts = ["passage: " + t for t in (TEXT * 8, "游戏业务收入为33亿美元。", "Revenue rose 94% to $35.1 billion.")]  # the first past 512 tokens
    encoded = _tokenise(tokenizer, texts, 512, True)
    rows = np.array([2, 0, 1])
    padded = _pad(encoded, rows, tokenizer)
    want = tokenizer([texts[i] for i in rows], padding=True, truncation=True, max_length=512, return_offsets_mapping=True,
                     return_tensors="np")
    assert set(padded) == set(want) and padded["input_ids"].shape == (3, 512)
    for name, values in want.items():
        assert padded[name].dtype == np.int64 and (padded[name] == values).all(), name


def test_span_vectors_from_one_product_equal_a_mean_per_span(embedder) -> None:  # type: ignore[no-untyped-def]
    import torch

    from qa.encoder.embedder import _pad, _pool_spans, _span_weights, _tokenise

    prompt = "passage: "
    texts = [TEXT * 8, TEXT, "黄仁勋表示。"]  # the first past 512 tokens: its last span has no token
    spans = [[(0, 10), (10, 40), (len(TEXT) * 8 - 20, len(TEXT) * 8)], [(0, 10), (10, 40), (40, 60), (60, len(TEXT))], []]
    padded = _pad(_tokenise(embedder.model.tokenizer, [prompt + t for t in texts], 512, True), np.arange(3), embedder.model.tokenizer)
    hidden = np.random.default_rng(0).normal(size=(*padded["input_ids"].shape, 8)).astype(np.float32)
    weights = _span_weights(padded["offset_mapping"], padded["attention_mask"], spans, len(prompt))
    pooled = _pool_spans(torch.from_numpy(hidden), weights, [len(s) for s in spans])
    shift = len(prompt)
    for j, own in enumerate(spans):  # the rule, one span at a time
        n = int(padded["attention_mask"][j].sum())
        starts, ends = padded["offset_mapping"][j, :n].T
        text = (ends > shift) & (ends > starts)
        frame = ~text
        frame[n - 1] = True
        want = []
        for s, e in own:
            inside = text & (starts < e + shift) & (ends > s + shift)
            mean = hidden[j, :n][(inside | frame) if inside.any() else np.ones(n, bool)].mean(axis=0)
            want.append(mean / np.linalg.norm(mean))
        assert pooled[j].shape == (len(own), 8)
        np.testing.assert_allclose(pooled[j], np.reshape(want, (-1, 8)), atol=1e-6)
    whole = hidden[0].mean(axis=0)
    np.testing.assert_allclose(pooled[0][2], whole / np.linalg.norm(whole), atol=1e-6)  # cut off: the passage's mean


def test_a_sentence_that_is_a_whole_passage_is_not_embedded_twice(embedder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    one = "黄仁勋将于下周访问台湾。"  # a one-sentence last paragraph (a short first line would be glued on as a heading)
    doc = Document("one", "one.txt", "t", None, "simplified", "zh", TEXT + "\n" + one, "x")
    embed_alone = embedder.embed_sentences
    seen: list[str] = []

    def spy(texts, **kw):  # type: ignore[no-untyped-def]
        seen.extend(texts)
        return embed_alone(texts, **kw)

    monkeypatch.setattr(embedder, "embed_sentences", spy)
    encoded = encode_documents([doc], embedder, ChunkParams(3, 1, 360))[0]
    texts = [doc.text[s:e] for s, e in encoded.sentences]
    assert one in texts and one not in seen and len(seen) == len(texts) - 1  # every other sentence embedded alone
    alone = embed_alone([one])[0]
    assert float(encoded.sentence_vectors[texts.index(one)] @ alone) > 0.9999  # the same text, the same vector
    assert float(encoded.vectors[-1] @ alone) > 0.9999


def test_latent_terms_batched_equal_per_text(embedder) -> None:  # type: ignore[no-untyped-def]
    import torch

    from qa.encoder.latent import load_head, project, project_batch

    model = embedder.model
    feats = model.tokenizer(["passage: 英伟达周三公布财报。", "passage: Revenue rose 94% to $35.1 billion in the quarter."],
                            padding=True, return_tensors="pt")
    head = load_head()
    w, b = torch.from_numpy(head.weight.T.copy()), torch.from_numpy(head.bias)
    with torch.inference_mode():
        out = model(dict(feats))
        hidden, mask = out["token_embeddings"], out["attention_mask"]
        one = torch.cat([project(hidden[j : j + 1], mask[j : j + 1], 2, w, b, head.k) for j in range(2)])
        batched = project_batch(hidden, mask, 2, w, b, head.k, chunk=7)  # blocks that cut across texts
    torch.testing.assert_close(batched, one)


def test_spans_survive_script_conversion() -> None:
    text = "這個軟體的記憶體。第二句。"
    simple, spans = simplified_with_spans(text, [(0, 9), (9, 13)])
    assert simple.startswith("这个") and [simple[s:e][-1] for s, e in spans] == ["。", "。"]


def test_index_records_how_sentence_vectors_were_made(embedder) -> None:  # type: ignore[no-untyped-def]
    params = ChunkParams(3, 1, 360)
    old = {k: v for k, v in signature(embedder, params).items() if k != "sentence_source"}  # an index from before
    assert compatible(old, embedder, params)
    embedder.sentence_source = "pooled"
    try:
        assert not compatible(old, embedder, params)  # pooled vectors never mix with separate ones
    finally:
        embedder.sentence_source = "separate"


def test_device_auto_is_cpu_here_and_cuda_without_gpu_is_an_error() -> None:
    torch = pytest.importorskip("torch")
    from qa.encoder.embedder import resolve_device
    from qa.errors import BadSetting, ModelError
    from qa.settings import Settings

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert resolve_device("auto") == "cpu" and resolve_device("cpu") == "cpu"
    with pytest.raises(ModelError, match="QA_DEVICE=cuda"):
        resolve_device("cuda")
    with pytest.raises(BadSetting, match="auto, cpu, cuda"):
        Settings.load(device="gpu")


def test_bench_ingest_reports_stages_and_references(embedder, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from qa.evaluation.ingest import STAGES, bench_ingest, format_ingest
    from qa.settings import Settings

    (tmp_path / "nv.txt").write_text(TEXT, encoding="utf-8")
    r = bench_ingest(Settings.load(docs_dir=str(tmp_path)), tmp_path, encoder=embedder)
    assert r["documents"] == 1 and r["passages"] == 3 and r["device"] == "cpu"
    assert r["st_encode_batch"] == 32 and r["st_encode_same_batch_batch"] == r["embed_batch"] == embedder.batch_size()
    assert r["matmul_precision"] == r["precision"]
    assert set(r["seconds"]) == set(STAGES) and r["seconds"]["embed"] > 0
    for key in ("passages_per_s", "st_encode_passages_per_s", "ratio_vs_st", "ratio_vs_st_same_batch",
                "ceiling_passages_per_s", "share_of_ceiling"):
        assert r[key] > 0, key
    assert 0 < r["share_of_ceiling"] < 1.5  # a ceiling is a ceiling (allowing for timer noise on a tiny corpus)
    assert "bare sentence-transformers encode()" in format_ingest(r)
    json.dumps(r)
