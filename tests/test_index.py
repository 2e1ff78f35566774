from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from qa.store import local as index_store
from qa.errors import DocsFolderEmpty, IndexCorrupt, IndexNotFound
from qa.messages import error_message
from tests.conftest import make_assistant


def test_index_survives_save_and_reload(assistant):
    root = assistant.settings.index_dir
    loaded = index_store.load(root)
    data = assistant.view
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


def test_a_generation_with_the_retired_background_file_still_loads(assistant, tmp_path):
    """Generations written before the question analyser kept abstention's off-topic vectors (qa.background) hold
    background_vectors.npy: it is neither read nor required, and the next save writes none."""
    root = tmp_path / "index"
    shutil.copytree(assistant.settings.index_dir, root)
    gen = index_store.current_generation(root)
    assert not (gen / "background_vectors.npy").exists()
    before = index_store.load(root)
    np.save(gen / "background_vectors.npy", np.ones((3, 7), np.float32), allow_pickle=False)  # any shape: never read
    loaded = index_store.load(root)
    assert loaded.chunks == before.chunks and np.array_equal(loaded.vectors, before.vectors)
    saved = index_store.save(loaded, root)
    assert not (saved / "background_vectors.npy").exists()
    assert index_store.load(root).chunks == before.chunks


def test_no_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexNotFound, match="python -m qa build"):
        index_store.load(tmp_path)


def test_changed_docs_trigger_a_rebuild_that_reuses_unchanged_ones(tmp_path, embedder):
    a = make_assistant(tmp_path, embedder)
    before = a.view
    docs = a.settings.docs_dir
    (docs / "extra.txt").write_text("新增文章\n台积电在亚利桑那州的工厂于2025年量产。", encoding="utf-8")
    b = make_assistant(tmp_path, embedder)  # re-open: must notice the new file
    assert "extra" in b.view.documents
    kept = before.chunk_rows("h200-export-signal-euronews.zh-hans")
    again = b.view.chunk_rows("h200-export-signal-euronews.zh-hans")
    assert np.array_equal(before.vectors[kept], b.view.vectors[again])
    (docs / "extra.txt").unlink()
    c = make_assistant(tmp_path, embedder)
    assert "extra" not in c.view.documents
    assert all(ch.doc_id != "extra" for ch in c.view.chunks)


def test_a_missing_or_empty_docs_folder_never_empties_an_index(tmp_path, embedder):
    """A mistyped --docs once synchronised the index to nothing (and the next right one re-embedded everything)."""
    from qa.assistant import Assistant

    a = make_assistant(tmp_path, embedder)
    generation = index_store.current_generation(a.settings.index_dir)
    (tmp_path / "empty").mkdir()
    for folder, said in ((tmp_path / "typo", "does not exist"), (tmp_path / "empty", "holds no articles")):
        with pytest.raises(DocsFolderEmpty, match=f"{said}, but the index holds 2.*qa build --force") as e:
            Assistant.open(a.settings.replace(docs_dir=folder), encoder=embedder)
        assert error_message(e.value, "zh-Hant").startswith("文件資料夾")
        assert index_store.current_generation(a.settings.index_dir) == generation  # nothing written
    with pytest.raises(DocsFolderEmpty, match="does not exist"):  # a typo with --force does not wipe it either
        Assistant.open(a.settings.replace(docs_dir=tmp_path / "typo"), encoder=embedder, overwrite=True).build(force=True)
    assert index_store.current_generation(a.settings.index_dir) == generation
    emptied = Assistant.open(a.settings.replace(docs_dir=tmp_path / "empty"), encoder=embedder, overwrite=True)
    assert emptied.view.documents == {}  # on purpose (`qa build --force`): allowed
    # asked anyway, an empty index says so: not "the documents do not answer, the nearest passages are below"
    for question, says in (("What is the H200?", "holds no documents yet"), ("H200是什麼？", "索引裡還沒有文件")):
        answer = emptied.ask(question)
        assert answer.abstained and answer.no_documents and not answer.passages and says in answer.message, answer.message
        assert not answer.no_match and answer.to_dict()["no_documents"]
    from qa.ui import render_answer
    assert "No documents in the index yet" in render_answer(answer, lang="en")
    assert "do not answer" not in render_answer(answer, lang="en")


def test_a_running_assistant_answers_from_what_another_process_committed(tmp_path, embedder):
    """An app kept answering from the index it loaded: an article `qa add` put in (or `qa docs --restore` put
    back) was refused and missing from its document list until the app itself wrote or restarted."""
    server = make_assistant(tmp_path, embedder)
    cli = make_assistant(tmp_path, embedder)  # the same folders, opened by another command
    question = "博通的定制AI芯片收入增长了多少？"
    assert server.health()["documents"] == 2
    cli.add_document("broadcom.txt", "博通财报\n博通表示，定制AI芯片收入同比增长74%，主要来自谷歌的TPU订单。".encode())
    answer = server.ask(question)
    assert not answer.abstained and answer.passages[0].doc_id == "broadcom"
    assert "broadcom" in {d["doc_id"] for d in server.documents()} and server.health()["documents"] == 3
    cli.delete_document("broadcom")
    assert all(p.doc_id != "broadcom" for p in server.ask(question).passages)


def edit_manifest(root, **changes):  # type: ignore[no-untyped-def]
    """Change fields of the current generation's manifest in place; returns that generation's folder."""
    gen = index_store.current_generation(root)
    manifest = json.loads((gen / "manifest.json").read_text())
    (gen / "manifest.json").write_text(json.dumps({**manifest, **changes}))
    return gen


def test_index_from_another_model_is_rebuilt_not_mixed(tmp_path, embedder):
    a = make_assistant(tmp_path, embedder)
    edit_manifest(a.settings.index_dir, model_id="some-other-model@123")
    b = make_assistant(tmp_path, embedder)
    assert b.view.model_id == embedder.model_id
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
    assert len(b.view.chunks) == len(a.view.chunks)
    assert b.view.latent.shape == a.view.latent.shape
    shutil.rmtree(tmp_path)


def test_a_changed_latent_term_source_is_noticed_and_rebuilt(tmp_path, embedder):
    """The one freshness rule (qa.build.signature) covers the latent-term head: an index whose latent terms came
    from another head is rebuilt on open, not silently scored against this head's question terms."""
    a = make_assistant(tmp_path, embedder)
    gen = edit_manifest(a.settings.index_dir, latent_source="another-head")
    b = make_assistant(tmp_path, embedder)
    assert index_store.current_generation(a.settings.index_dir) != gen
    assert index_store.read_manifest(a.settings.index_dir)["latent_source"] == embedder.latent_source
    assert b.view.latent.shape == a.view.latent.shape


def test_adding_one_article_embeds_only_that_article_and_matches_a_full_build(tmp_path, embedder):
    from qa.assistant import Assistant
    from qa.build import unique_sentences
    from qa.encoder.wrappers import CountingEncoder

    a = make_assistant(tmp_path, embedder)
    counting = CountingEncoder(embedder)
    a = Assistant.open(a.settings, encoder=counting)
    assert counting.texts == 0  # fresh index: nothing embedded on open
    text = "台积电亚利桑那工厂\n台积电在亚利桑那州的第二座工厂于2025年开始量产。该厂生产三纳米芯片。"
    a.add_document("tsmc.txt", text.encode("utf-8"))
    chunks = [a.view.chunks[r] for r in a.view.chunk_rows("tsmc")]
    assert counting.texts == len(chunks) + len(unique_sentences(chunks))  # that article's passages + sentences only
    full = make_assistant(tmp_path / "full", embedder, a.settings.docs_dir)  # everything from scratch
    for question in ("台积电第二座工厂哪一年量产？", "What is the memory bandwidth of the H200?", "美國對H200出口徵收多少附加費？"):
        got, want = a.ask(question), full.ask(question)
        assert [(p.doc_id, p.start, p.highlight) for p in got.passages] == [(p.doc_id, p.start, p.highlight) for p in want.passages]
        # (scores are given to four decimals: float noise between a batch of one article and a full build may tip the
        # last one, 0.9317 against 0.9318 on a fresh clone)
        assert [p.score for p in got.passages] == pytest.approx([p.score for p in want.passages], abs=1.5e-4)
    a.delete_document("tsmc")
    from qa.text.tokens import tokenize

    assert a.view.keyword_search({t: 1.0 for t in tokenize(text)}, 50)  # the seed articles share some words
    assert all(a.view.chunks[r].doc_id != "tsmc" for r in a.view.keyword_search({t: 1.0 for t in tokenize(text)}, 50))
    assert len(a.view.chunks) == len(full.view.chunks) - len(chunks)


def test_a_glued_heading_is_never_the_highlight_nor_a_sentence_in_fusion(tmp_path, embedder):
    """Fusion's best-sentence score and the highlight read the same sentences (Chunk.body_sentences)."""
    a = make_assistant(tmp_path, embedder)
    for row, chunk in enumerate(a.view.chunks):
        if len(chunk.sentences) > len(chunk.body_sentences):  # a heading is glued to this passage
            heading = chunk.sentences[0]
            question = chunk.text[: heading[1] - chunk.start]  # ask exactly the heading's words
            hits = a.search(question, 10).hits
            hit = next(h for h in hits if h.chunk.chunk_id == row)
            assert hit.sentence != heading and hit.sentence in chunk.body_sentences
            break
    else:
        pytest.fail("the seed articles have headings glued to passages; none found")


def test_one_unreadable_file_in_the_docs_folder_leaves_the_rest_answering(tmp_path, embedder):
    """A damaged PDF (or an empty .txt) in the docs folder stopped every command and the app from opening it."""
    import shutil

    from qa.assistant import Assistant
    from qa.settings import Settings
    from tests.conftest import DOCS

    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7 broken")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    a = Assistant.open(Settings.load(docs_dir=str(docs), index_dir=str(tmp_path / "index")), encoder=embedder)
    assert len(a.view.documents) == 2 and not a.ask("H200的内存带宽是多少？").abstained
    assert sorted(s["file"] for s in a.health()["skipped"]) == ["broken.pdf", "empty.txt"]
    assert any("not a readable PDF" in s["reason"] for s in a.health()["skipped"])
    stats = a.build(force=True)
    assert stats["documents"] == 2 and len(stats["skipped"]) == 2
    (docs / "broken.pdf").unlink()
    (docs / "empty.txt").write_text("新文章\n台積電高雄廠2026年量產。", encoding="utf-8")
    stats = a.build()
    assert stats["documents"] == 3 and stats["skipped"] == [] and a.health()["skipped"] == []
    # an indexed article whose file is damaged on disk keeps its indexed version until the file is fixed
    seed = next(p for p in docs.iterdir() if p.name.startswith("h200-export") and p.suffix == ".txt")
    good = seed.read_bytes()
    seed.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    b = Assistant.open(a.settings, encoder=embedder)
    assert [s["file"] for s in b.health()["skipped"]] == [seed.name] and len(b.view.documents) == 3
    assert b.ask("中国科技企业为2026年订购了多少颗H200？").passages[0].doc_id == seed.stem
    assert b.build()["documents"] == 3
    seed.write_bytes(good)
    assert Assistant.open(a.settings, encoder=embedder).health()["skipped"] == []
