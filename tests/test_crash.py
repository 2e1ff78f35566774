"""Crash safety and incremental consistency of the persisted index, on the real model and real index files.

* ``test_kill_points_short`` runs tests/harness/kill_test.py with 5 random-delay + 5 file-system-step SIGKILL points per
  operation (build, add_document, delete_document); ``test_kill_points_full`` (marked slow) runs its defaults.
  Each point: the reopened index equals the docs folder, every part agrees, finished operations are durable, a
  question is answered, a deleted document is never cited (see the script's docstring for the full list).
* Leftovers of a crash (``gen-*.tmp``, a generation without manifest, ``CURRENT.tmp``, ``.partial`` uploads,
  hidden files) never stop loading or become documents, and are cleaned up.
* add / update / delete keep vectors, FAISS, keyword index, sentence vectors and manifest in agreement, after each
  operation and after a restart; an update replaces a document's passages (never two versions of one document).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.errors import BadRequest
from qa.store import local as index_store
from tests.harness import kill_test as kt


def clone(source, tmp: Path, embedder):  # type: ignore[no-untyped-def]
    """A new Assistant over copies of ``source``'s docs and index folders: no re-embedding, nothing shared."""
    from qa.assistant import Assistant

    docs, index = tmp / "docs", tmp / "index"
    shutil.copytree(source.settings.docs_dir, docs, ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(source.settings.index_dir, index, ignore=shutil.ignore_patterns(".*lock"))
    return Assistant.open(source.settings.replace(docs_dir=docs, index_dir=index), encoder=embedder)


def reopen(a):  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant

    return Assistant.open(a.settings, encoder=a.encoder)


def folder_state(docs: Path) -> dict[str, str]:
    return kt.folder_state(docs)


def assert_consistent(a) -> None:  # type: ignore[no-untyped-def]
    """In memory and on disk: the index holds exactly the docs folder, and all its parts agree."""
    folder = folder_state(a.settings.docs_dir)
    assert kt.consistency_problems(a, folder) == []
    disk = index_store.load(a.settings.index_dir)
    assert {d: v["sha256"] for d, v in disk.manifest["documents"].items()} == folder
    assert disk.chunks == a.view.chunks
    assert np.array_equal(disk.vectors, a.view.vectors)
    assert np.array_equal(disk.sentence_vectors, a.view.sentence_vectors)
    assert disk.sentence_rows == a.view.sentence_rows
    assert len(disk.vector_index) == len(disk.keyword) == len(disk.chunks) == disk.manifest["n_chunks"]


# ------------------------------------------------------------------------------------------------ kill test
def _run_kill_test(assistant, embedder, random_points: int, step_points: int, force_builds: bool) -> None:  # type: ignore[no-untyped-def]
    seed = int(os.environ["QA_KILL_SEED"]) if os.environ.get("QA_KILL_SEED") else None
    lines: list[str] = []
    result = kt.run(random_points=random_points, step_points=step_points, seed=seed, embedder=embedder, echo=lines.append,
                    force_builds=force_builds, index_from=assistant.settings.index_dir)
    print("\n".join(lines))
    print(json.dumps(result["summary"], ensure_ascii=False, indent=1))
    failed = [p for p in result["points"] if not p["ok"]]
    assert not failed, f"seed {result['seed']} (repeat with QA_KILL_SEED): " + json.dumps(failed, ensure_ascii=False, indent=1)
    by_op = result["summary"]["by_op"]
    for op in kt.OPS:  # every operation was really interrupted, at random and at its file-system steps (a save has ~40)
        assert by_op[op]["random"] == random_points
        assert by_op[op]["step"] == step_points if step_points else by_op[op]["step"] >= 20, by_op[op]
    # the commit order is visible: some step kills left the index ahead of the folder, and reopening fixed it
    assert by_op["add"]["index_before_open"].get("ahead", 0) >= 1
    assert by_op["delete"]["index_before_open"].get("ahead", 0) >= 1


def test_kill_points_short(assistant, embedder):
    """5 random + 5 step kill points per operation (QA_KILL_POINTS / QA_KILL_STEPS change it); builds are
    incremental (a forced rebuild re-embeds everything: the slow variant covers it)."""
    _run_kill_test(assistant, embedder, int(os.environ.get("QA_KILL_POINTS", 5)), int(os.environ.get("QA_KILL_STEPS", 5)), False)


@pytest.mark.slow
def test_kill_points_full(assistant, embedder):
    """The script's defaults: 20 random kill points and every file-system step per operation, forced rebuilds too."""
    _run_kill_test(assistant, embedder, 20, 0, True)


# ------------------------------------------------------------------------------------------------ leftovers
def test_crash_leftovers_do_not_break_loading_and_are_cleaned(tmp_path, assistant, embedder):
    a = clone(assistant, tmp_path, embedder)
    docs, index = a.settings.docs_dir, a.settings.index_dir
    current = index_store.current_generation(index)
    # what a save killed at various points leaves behind
    half = index / "gen-0000000000000001.tmp"
    half.mkdir()
    (half / "vectors.npy").write_bytes(b"\x93NUMPY\x01\x00garbage")
    (index / "gen-0000000000000002").mkdir()  # renamed into place but CURRENT never switched (no manifest yet)
    (index / "CURRENT.tmp").write_text("gen-does-not-exist", encoding="utf-8")
    # what an upload killed before its commit leaves behind, and other hidden files
    (docs / ".late.txt.partial").write_text("半个上传的文件", encoding="utf-8")
    (docs / ".notes.txt").write_text("an editor's hidden file", encoding="utf-8")
    (docs / "._news.txt").write_bytes(b"\x00\x05\x16\x07Mac OS X        \x00\x02")  # macOS AppleDouble, binary
    ids = set(a.view.documents)
    assert set(folder_state(docs)) == ids  # none of the leftovers counts as a document

    b = reopen(a)
    assert set(b.view.documents) == ids
    assert index_store.current_generation(index) == current  # nothing needed rebuilding
    assert sorted(p.name for p in index.glob("gen-*")) == [current.name]  # dead generations removed on load
    assert_consistent(b)
    assert (docs / ".late.txt.partial").exists()  # only a writer may remove it (it holds the lock) ...
    b.add_document("later.txt", "Later\nA later article about the H200 and its 141GB of memory.".encode())
    assert not (docs / ".late.txt.partial").exists()  # ... and the next one does
    assert_consistent(b)


def test_duplicate_document_ids_in_the_folder_give_one_document(tmp_path, assistant, embedder, caplog):
    a = clone(assistant, tmp_path, embedder)
    (a.settings.docs_dir / "memory.md").write_text("Memory\nThe H200 has 141GB of memory.", encoding="utf-8")
    (a.settings.docs_dir / "memory.txt").write_text("A second file with the id memory.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="qa.ingest"):
        b = reopen(a)
    assert "memory.txt: ignored" in caplog.text
    assert b.view.documents["memory"].path == "memory.md"  # the first in sorted order
    assert_consistent(b)


def test_upload_whose_id_is_taken_by_another_file_is_refused(tmp_path, assistant, embedder):
    a = clone(assistant, tmp_path, embedder)
    a.add_document("memory.md", b"Memory\nThe H200 has 141GB of memory.")
    gen = index_store.current_generation(a.settings.index_dir)
    with pytest.raises(BadRequest, match="already used by memory.md"):
        a.add_document("memory.txt", b"Another memory article.")
    assert index_store.current_generation(a.settings.index_dir) == gen
    assert not (a.settings.docs_dir / "memory.txt").exists()
    assert_consistent(a)


# ------------------------------------------------------------------------------------------------ incremental
V1 = "Zorblax Foods\nZorblax Foods opened a noodle factory in Ohio in 2024. Alphamarker is its first brand.\n"
V2 = ("Zorblax Foods\nZorblax Foods moved its noodle factory to Texas in 2025. Betamarker replaces the old brand.\n"
      "The company now employs 900 people. Its chief executive is Mara Quell.\n")


def _rows_of(a, doc_id: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [i for i, c in enumerate(a.view.chunks) if c.doc_id == doc_id]


def test_add_update_delete_keep_every_part_in_agreement(tmp_path, assistant, embedder):
    from qa.chunk import chunk_document

    a = clone(assistant, tmp_path, embedder)
    base = dict(a.view.documents)
    base_rows = {d: a.view.vectors[a.view.chunk_rows(d)].copy() for d in base}
    assert_consistent(a)

    # add
    a.add_document("zorblax.txt", V1.encode())
    for x in (a, reopen(a)):
        assert set(x.view.documents) == set(base) | {"zorblax"}
        assert_consistent(x)
        assert len(_rows_of(x, "zorblax")) == len(chunk_document(x.view.documents["zorblax"]))

    # update: the same file name with new content replaces every passage of the document
    a.add_document("zorblax.txt", V2.encode())
    for x in (a, reopen(a)):
        assert set(x.view.documents) == set(base) | {"zorblax"}
        assert_consistent(x)
        doc = x.view.documents["zorblax"]
        assert doc.text == V2
        rows = _rows_of(x, "zorblax")
        assert len(rows) == len(chunk_document(doc))
        assert all(doc.text[x.view.chunks[r].start : x.view.chunks[r].end] == x.view.chunks[r].text for r in rows)
        assert not any("Alphamarker" in c.text for c in x.view.chunks)  # nothing of version 1 is left
        ids, _ = x.view.keyword.search_terms({"alphamarker": 1.0}, 10)
        assert len(ids) == 0
        ids, _ = x.view.keyword.search_terms({"betamarker": 1.0}, 10)
        assert {x.view.chunks[int(i)].doc_id for i in ids} == {"zorblax"}
        # the stored vectors are those of version 2's passages, and FAISS finds each as its own nearest neighbour
        fresh, _ = embedder.embed_passages([x.view.chunks[r].text for r in rows])
        assert np.min(np.sum(fresh * x.view.vectors[rows], axis=1)) > 0.999
        _, nn = x.view.vector_index.search(x.view.vectors[rows], 1)
        assert [int(i) for i in nn[:, 0]] == rows
        for d, vecs in base_rows.items():  # the other documents kept their vectors
            assert np.array_equal(x.view.vectors[x.view.chunk_rows(d)], vecs)
        top = x.ask("Where is the Zorblax noodle factory?", k=3).passages[0]
        assert top.doc_id == "zorblax" and "Texas" in top.text

    # delete: gone from the folder, every index part, and every answer - also after a restart
    a.delete_document("zorblax")
    assert not (a.settings.docs_dir / "zorblax.txt").exists()
    for x in (a, reopen(a)):
        assert set(x.view.documents) == set(base)
        assert_consistent(x)
        assert not _rows_of(x, "zorblax")
        ids, _ = x.view.keyword.search_terms({"zorblax": 1.0, "betamarker": 1.0}, 10)
        assert len(ids) == 0
        for q in ("Where is the Zorblax noodle factory?", "Who is the chief executive of Zorblax Foods?", "Zorblax 面条工厂在哪里？"):
            assert all(p.doc_id != "zorblax" for p in x.ask(q, k=10).passages)
