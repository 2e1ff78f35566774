"""Vector backends: choice by corpus size, approximate recall against exact search, persistence."""
from __future__ import annotations

import json

import numpy as np
import pytest

from qa.store import local as index_store
from qa.store.vectors import BACKENDS, DEFAULT_APPROX_BACKEND, FlatIndex, HNSWIndex, IVFIndex, choose_backend, make_index

DIM = 384


def clustered(n: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around 200 random topic centres, and queries near corpus points (text embeddings cluster too)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((200, DIM)).astype(np.float32)
    x = centres[rng.integers(0, len(centres), n)] + 0.8 * rng.standard_normal((n, DIM)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = x[rng.integers(0, n, n_queries)] + 0.5 * rng.standard_normal((n_queries, DIM)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return x, q


def recall_at_10(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:10]) & set(t[:10])) / 10 for f, t in zip(found, truth)]))


@pytest.fixture(scope="module")
def corpus():
    x, q = clustered(20_000, 200)
    exact = FlatIndex(DIM)
    exact.add(x)
    return x, q, exact.search(q, 10)[1]


def test_backend_follows_corpus_size():
    assert choose_backend(49) == "flat"
    assert choose_backend(1_000_000) == DEFAULT_APPROX_BACKEND
    assert choose_backend(5_000, threshold=1_000) == DEFAULT_APPROX_BACKEND
    assert isinstance(make_index(DIM, 99, threshold=100), FlatIndex)
    assert isinstance(make_index(DIM, 100, threshold=100), IVFIndex)
    assert isinstance(make_index(DIM, 10, backend="hnsw"), HNSWIndex)


def test_vector_settings_choose_the_backend_a_build_uses(monkeypatch, assistant):
    """QA_VECTOR_BACKEND / QA_VECTOR_APPROX_THRESHOLD reach the index a build makes (through the settings table)."""
    from qa.assistant import Assistant
    from qa.settings import Settings

    docs = list(assistant.view.documents.values())
    monkeypatch.setenv("QA_VECTOR_APPROX_THRESHOLD", "10")
    settings = Settings.load()
    assert settings.vector_approx_threshold == 10
    small = Assistant.over_documents(docs, settings, encoder=assistant.encoder)
    assert small.view.manifest["vector_backend"] == "ivf_sq"
    monkeypatch.setenv("QA_VECTOR_BACKEND", "hnsw")
    forced = Assistant.over_documents(docs, Settings.load(), encoder=assistant.encoder)
    assert forced.view.manifest["vector_backend"] == "hnsw"
    question = "What is the memory bandwidth of the H200?"
    assert forced.ask(question).passages[0].text == assistant.ask(question).passages[0].text


def test_bad_backend_settings_say_what_is_allowed(monkeypatch):
    from qa.errors import BadSetting
    from qa.settings import Settings

    monkeypatch.setenv("QA_VECTOR_BACKEND", "annoy")
    with pytest.raises(BadSetting, match="must be one of auto, flat, ivf_sq, hnsw, got 'annoy'"):
        Settings.load()
    monkeypatch.delenv("QA_VECTOR_BACKEND")
    monkeypatch.setenv("QA_VECTOR_APPROX_THRESHOLD", "lots")
    with pytest.raises(BadSetting, match="vector_approx_threshold .* must be a whole number"):
        Settings.load()
    with pytest.raises(ValueError, match="use one of flat, ivf_sq, hnsw"):
        make_index(DIM, 10, backend="annoy")


def test_ivf_recall_against_exact_and_reload(corpus, tmp_path):
    x, q, truth = corpus
    index = IVFIndex(DIM, len(x))
    index.add(x)
    scores, ids = index.search(q, 10)
    assert recall_at_10(ids, truth) >= 0.98
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first
    index.save(tmp_path / "v.faiss")
    again = BACKENDS["ivf_sq"].load(tmp_path / "v.faiss", DIM)
    assert len(again) == len(x) and again.describe() == index.describe()
    assert np.array_equal(again.search(q, 10)[1], ids)
    with pytest.raises(ValueError, match="dimension 384 does not match"):
        IVFIndex.load(tmp_path / "v.faiss", 768)


def test_hnsw_recall_on_a_small_corpus(tmp_path):
    x, q = clustered(3_000, 50, seed=1)
    exact = FlatIndex(DIM)
    exact.add(x)
    index = HNSWIndex(DIM)
    index.add(x)
    assert recall_at_10(index.search(q, 10)[1], exact.search(q, 10)[1]) >= 0.95
    index.save(tmp_path / "h.faiss")
    assert len(HNSWIndex.load(tmp_path / "h.faiss", DIM)) == len(x)


def test_empty_and_oversized_k():
    x, q = clustered(300, 3)
    for name in BACKENDS:
        index = make_index(DIM, 0, backend=name)
        scores, ids = index.search(q, 5)
        assert ids.shape == (3, 0) and len(index) == 0
        index.add(x[:7])
        scores, ids = index.search(q, 50)
        assert ids.shape[1] <= 7 and set(ids[ids >= 0].ravel()) <= set(range(7))


def test_an_approximate_index_round_trips_through_the_index_folder(assistant, tmp_path):
    """Retrieval code is backend-blind: the manifest names the backend and load() picks the class."""
    data = assistant.view
    gen = index_store.save(data, tmp_path)
    ivf = make_index(data.vectors.shape[1], len(data.vectors), backend="ivf_sq")
    ivf.add(data.vectors)
    ivf.save(gen / "vectors.faiss")
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    (gen / "manifest.json").write_text(json.dumps({**manifest, "vector_backend": ivf.kind}), encoding="utf-8")
    loaded = index_store.load(tmp_path)
    assert loaded.manifest["vector_backend"] == "ivf_sq" and isinstance(loaded.vector_index, IVFIndex)
    assert loaded.vector_index.search(data.vectors[5][None], 1)[1][0][0] == 5
