"""The trash keeps every deleted version of an id: deleting a later upload of the same name once replaced the
earlier deleted file without a word."""
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
    assert latest == "evil" and earlier.startswith("evil@")
    assert trashed_file(docs, "evil")[1].read_text(encoding="utf-8") == "Apple pie recipe"
    doc_id, first = trashed_file(docs, earlier)
    assert doc_id == "evil" and first.read_text(encoding="utf-8") == "台積電的報告"
    assert (first.parent / "evil.txt.meta.json").exists()  # its sidecar kept beside it
    forget(docs, earlier)
    assert [d["trash_id"] for d in list_trash(docs)] == ["evil"]
    for bad in ("nope", "../docs", ".trash"):
        with pytest.raises(NotInTrash, match="deleted documents kept: evil$") as e:
            trashed_file(docs, bad)
        assert str(docs) not in str(e.value)  # no server path in what an API client reads
        assert error_message(e.value, "zh-Hant") == f"資源回收筒裡沒有已刪除的文件「{bad}」；資源回收筒裡有：evil"
