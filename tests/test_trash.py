"""The trash keeps every deleted version of an id: deleting a later upload of the same name once replaced the
earlier deleted file without a word. Each entry keeps the trash id it is listed with (a later delete of the id
once renamed the entry a user had read in the listing, and restoring that id brought back another version)."""
from __future__ import annotations

import pytest

from qa.errors import NotInTrash
from qa.messages import error_message
from qa.trash import forget, list_trash, move_to_trash, trashed_file


def test_a_second_delete_of_one_id_keeps_the_first(tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "evil.txt").write_text("台積電的報告", encoding="utf-8")
    (docs / "evil.txt.meta.json").write_text('{"title": "TSMC"}', encoding="utf-8")
    move_to_trash(docs, "evil", "evil.txt", "TSMC")
    (docs / "evil.txt").write_text("Apple pie recipe", encoding="utf-8")  # a later upload of the same name
    move_to_trash(docs, "evil", "evil.txt", "Apple pie")
    listed = list_trash(docs)
    assert [(d["doc_id"], d["title"]) for d in listed] == [("evil", "Apple pie"), ("evil", "TSMC")]
    latest, earlier = listed[0]["trash_id"], listed[1]["trash_id"]
    assert latest.startswith("evil@") and earlier.startswith("evil@") and latest != earlier
    assert trashed_file(docs, "evil")[1].read_text(encoding="utf-8") == "Apple pie recipe"  # the id: its latest
    assert trashed_file(docs, latest)[1].read_text(encoding="utf-8") == "Apple pie recipe"
    doc_id, first = trashed_file(docs, earlier)
    assert doc_id == "evil" and first.read_text(encoding="utf-8") == "台積電的報告"
    assert (first.parent / "evil.txt.meta.json").exists()  # its sidecar kept beside it
    forget(docs, earlier)
    assert [d["trash_id"] for d in list_trash(docs)] == [latest]
    for bad in ("nope", "../docs", ".trash"):
        with pytest.raises(NotInTrash, match=f"deleted documents kept: {latest}$") as e:
            trashed_file(docs, bad)
        assert str(docs) not in str(e.value)  # no server path in what an API client reads
        assert error_message(e.value, "zh-Hant") == f"資源回收筒裡沒有已刪除的文件「{bad}」；資源回收筒裡有：{latest}"


def test_an_entry_keeps_its_trash_id_when_its_id_is_deleted_again(tmp_path) -> None:
    """The tester's replace-then-undo: the replaced version listed as "girona…", the new one deleted, then
    `--restore girona…` as listed brought back the new version (the old entry had been renamed)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rain.txt").write_text("160 litres", encoding="utf-8")
    move_to_trash(docs, "rain", "rain.txt", "Rain", replaced=True)  # a replace keeps the old version
    [listed] = list_trash(docs)
    (docs / "rain.txt").write_text("140 litres", encoding="utf-8")
    move_to_trash(docs, "rain", "rain.txt", "Rain")  # then the new version is deleted
    assert listed["trash_id"] in [d["trash_id"] for d in list_trash(docs)]
    assert trashed_file(docs, listed["trash_id"])[1].read_text(encoding="utf-8") == "160 litres"
    assert trashed_file(docs, "rain")[1].read_text(encoding="utf-8") == "140 litres"  # the id: its latest entry


def test_an_entry_named_by_its_bare_id_still_restores(tmp_path) -> None:
    """A trash written before stable names holds its id's latest entry under the bare id."""
    docs = tmp_path / "docs"
    (docs / ".trash" / "old").mkdir(parents=True)
    (docs / ".trash" / "old" / "old.txt").write_text("kept", encoding="utf-8")
    (docs / ".trash" / "old" / "deleted.json").write_text(
        '{"doc_id": "old", "file": "old.txt", "title": "Old", "deleted_at": "2026-12-01T10:00:00Z"}', encoding="utf-8")
    assert [d["trash_id"] for d in list_trash(docs)] == ["old"]
    assert trashed_file(docs, "old")[1].read_text(encoding="utf-8") == "kept"
    (docs / "old.txt").write_text("later", encoding="utf-8")
    move_to_trash(docs, "old", "old.txt", "Old")
    assert trashed_file(docs, "old")[1].read_text(encoding="utf-8") == "later"  # the id: its latest entry
    assert trashed_file(docs, list_trash(docs)[1]["trash_id"])[1].read_text(encoding="utf-8") == "kept"


def test_restoring_an_id_that_is_not_text_is_not_in_trash(assistant) -> None:
    # restore_document(None) was a TypeError joining None to the trash folder; delete_document(None) and
    # document(None) answer DocumentNotFound
    for bad in (None, 5):
        with pytest.raises(NotInTrash, match=f"no deleted document '{bad}' in the trash"):
            assistant.restore_document(bad)


def test_deletes_within_one_second_list_latest_first(tmp_path) -> None:
    """Entries stamped to the second were ordered by name inside one second, not by when they were deleted."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("zeta", "alpha", "mid"):  # deleted in this order, well within a second
        (docs / f"{name}.txt").write_text(name, encoding="utf-8")
        move_to_trash(docs, name, f"{name}.txt", name)
    assert [d["doc_id"] for d in list_trash(docs)] == ["mid", "alpha", "zeta"]
    assert {d["reason"] for d in list_trash(docs)} == {"deleted"}


def test_replacing_an_article_keeps_the_old_version_in_the_trash(tmp_path, embedder) -> None:
    """An upload of the same name overwrote the indexed file (and `qa add` its sidecar) with no way back."""
    from tests.conftest import make_assistant

    a = make_assistant(tmp_path, embedder)
    docs = a.settings.docs_dir
    a.add_document("fab.txt", "高雄新廠\n台積電高雄二奈米廠預計2025年量產。".encode())
    (docs / "fab.txt.meta.json").write_text('{"title": "高雄新廠", "source": "Old Wire"}', encoding="utf-8")
    a.add_document("fab.txt", "高雄新廠\n台積電高雄二奈米廠延後到2026年量產。".encode())  # replaced through the API
    assert "2026" in (docs / "fab.txt").read_text(encoding="utf-8")
    assert a.document("fab").source == "Old Wire"  # an upload carries no sidecar: the article keeps its metadata
    kept = list_trash(docs)
    assert [(d["doc_id"], d["reason"]) for d in kept] == [("fab", "replaced")]
    _, old = trashed_file(docs, "fab")
    assert "2025" in old.read_text(encoding="utf-8") and (old.parent / "fab.txt.meta.json").exists()
    a.add_document("fab.txt", (docs / "fab.txt").read_bytes())  # the same bytes again: nothing new to keep
    assert len(list_trash(docs)) == 1
    # through `qa add` (a folder with a file and its sidecar), then a delete: each version is kept, latest first
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "fab.txt").write_text("高雄新廠\n台積電高雄二奈米廠2026年第四季量產。", encoding="utf-8")
    (incoming / "fab.txt.meta.json").write_text('{"title": "高雄新廠", "source": "New Wire"}', encoding="utf-8")
    assert [o.status for o in a.add_paths([incoming]).outcomes] == ["replaced"]
    a.delete_document("fab")
    listed = list_trash(docs)
    assert [d["reason"] for d in listed] == ["deleted", "replaced", "replaced"]
    texts = [trashed_file(docs, d["trash_id"])[1].read_text(encoding="utf-8") for d in listed]
    assert ["第四季" in texts[0], "延後" in texts[1], "預計" in texts[2]] == [True, True, True], texts
    restored = a.restore_document(listed[2]["trash_id"])  # the first version, with its sidecar
    assert restored.source == "Old Wire" and not a.ask("高雄二奈米廠預計哪一年量產？").abstained
    assert "2025" in a.ask("高雄二奈米廠預計哪一年量產？").passages[0].text


def test_a_replace_can_be_undone_and_the_undo_loses_nothing(tmp_path, embedder) -> None:
    """The page's Undo after an upload that replaced an article: restore_document refused (the id is in the index
    again); ``replacing=True`` puts the previous version back over the new one, and keeps the new one in the trash."""
    from qa.errors import BadRequest
    from tests.conftest import make_assistant

    a = make_assistant(tmp_path, embedder)
    docs = a.settings.docs_dir
    first, second = tmp_path / "v1", tmp_path / "v2"
    for folder, text, source in ((first, "台積電高雄二奈米廠預計2025年量產。", "Old Wire"),
                                 (second, "台積電高雄二奈米廠延後到2026年量產。", "New Wire")):
        folder.mkdir()
        (folder / "fab.txt").write_text(f"高雄新廠\n{text}", encoding="utf-8")
        (folder / "fab.txt.meta.json").write_text(f'{{"title": "高雄新廠", "source": "{source}"}}', encoding="utf-8")
    assert [(o.status, o.trash_id) for o in a.add_paths([first]).outcomes] == [("added", None)]
    [outcome] = a.add_paths([second]).outcomes
    assert outcome.status == "replaced" and outcome.trash_id.startswith("fab@")  # where the version it replaced is kept
    assert a.document("fab").source == "New Wire"
    with pytest.raises(BadRequest, match="is in the index"):
        a.restore_document(outcome.trash_id)  # a plain restore does not overwrite what is indexed
    restored = a.restore_document(outcome.trash_id, replacing=True)
    assert restored.source == a.document("fab").source == "Old Wire"
    assert "2025" in (docs / "fab.txt").read_text(encoding="utf-8") and "Old Wire" in (docs / "fab.txt.meta.json").read_text(encoding="utf-8")
    assert "2025" in a.ask("高雄二奈米廠預計哪一年量產？").passages[0].text
    [kept] = list_trash(docs)  # the undone version, not lost: a replace in its turn
    assert (kept["doc_id"], kept["reason"]) == ("fab", "replaced") and kept["trash_id"] != outcome.trash_id
    _, newer = trashed_file(docs, "fab")
    assert "2026" in newer.read_text(encoding="utf-8") and "New Wire" in (newer.parent / "fab.txt.meta.json").read_text(encoding="utf-8")
    assert [o.trash_id for o in a.add_paths([tmp_path / "v1"]).outcomes] == [None]  # unchanged: nothing replaced
