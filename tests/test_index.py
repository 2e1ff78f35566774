from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from qa import index as index_store
from qa.errors import IndexCorrupt, IndexNotFound
from tests.conftest import make_assistant


def test_index_survives_save_and_reload(assistant):
    root = assistant.settings.index_dir
    loaded = index_store.load(root)
    data = assistant.data
    assert loaded.chunks == data.chunks
    assert np.array_equal(loaded.vectors, data.vectors)
    assert loaded.manifest["model_id"] == data.manifest["model_id"]
    assert set(loaded.manifest["documents"]) == set(data.documents)
    q = data.vectors[3]
    assert loaded.vector_index.search(q[None], 1)[1][0][0] == 3
    manifest = json.loads((index_store.current_generation(root) / "manifest.json").read_text())
    for key in ("model_id", "model_name", "dim", "format_version", "documents"):
        assert key in manifest
    assert all(len(v["sha256"]) == 64 for v in manifest["documents"].values())


def test_no_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexNotFound, match="python -m qa build"):
        index_store.load(tmp_path)


def test_changed_docs_trigger_a_rebuild_that_reuses_unchanged_ones(tmp_path, embedder):
    a = make_assistant(tmp_path, embedder)
    before = a.data
    docs = a.settings.docs_dir
    (docs / "extra.txt").write_text("新增文章\n台积电在亚利桑那州的工厂于2025年量产。", encoding="utf-8")
    b = make_assistant(tmp_path, embedder)  # re-open: must notice the new file
    assert "extra" in b.data.documents
    kept = before.chunk_rows("h200-export-signal-euronews.zh-hans")
    again = b.data.chunk_rows("h200-export-signal-euronews.zh-hans")
    assert np.array_equal(before.vectors[kept], b.data.vectors[again])
    (docs / "extra.txt").unlink()
    c = make_assistant(tmp_path, embedder)
    assert "extra" not in c.data.documents
    assert all(ch.doc_id != "extra" for ch in c.data.chunks)


def test_index_from_another_model_is_rebuilt_not_mixed(tmp_path, embedder):
    a = make_assistant(tmp_path, embedder)
    gen = index_store.current_generation(a.settings.index_dir)
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["model_id"] = "some-other-model@123"
    (gen / "manifest.json").write_text(json.dumps(manifest))
    b = make_assistant(tmp_path, embedder)
    assert b.data.model_id == embedder.model_id
    assert index_store.read_manifest(a.settings.index_dir)["model_id"] == embedder.model_id


@pytest.mark.parametrize("part", ["vectors.faiss", "latent.npz"])
def test_truncated_index_files_are_detected(tmp_path, embedder, part):
    a = make_assistant(tmp_path, embedder)
    gen = index_store.current_generation(a.settings.index_dir)
    raw = (gen / part).read_bytes()
    (gen / part).write_bytes(raw[: len(raw) // 2])
    with pytest.raises(IndexCorrupt, match="qa build --force"):
        index_store.load(a.settings.index_dir)
    # opening the assistant repairs it by rebuilding
    b = make_assistant(tmp_path, embedder)
    assert len(b.data.chunks) == len(a.data.chunks)
    assert b.data.latent.shape == a.data.latent.shape
    shutil.rmtree(tmp_path)
