"""What a Milvus view keeps in memory (qa/store/milvus_rows.py): lookups, Chunks rebuilt from arrays and fetched
texts, and a text cache that stays within its bound."""
from __future__ import annotations

from dataclasses import fields

import numpy as np

from qa.records import Document, DocumentSummary
from qa.store.milvus_rows import DocumentTexts, LazyDocuments, PassageTable, RowIndex, TermTable

TEXTS = {"a": "第一句。第二句。\n\n第三句。", "b": "One. Two. Three."}


def _texts(limit: int) -> tuple[DocumentTexts, list[list[str]]]:
    calls: list[list[str]] = []

    def fetch(ids: list[str]) -> dict[str, str]:
        calls.append(list(ids))
        return {d: TEXTS[d] for d in ids}

    return DocumentTexts(fetch, limit), calls


def test_term_table_and_row_index():
    table = TermTable([("h200", 7, 3), ("出口", 9, 1), ("附加费", 4, 2)])
    assert (table.get("h200"), table.get("出口"), table.get("附加费"), table.get("不存在")) == ((7, 3), (9, 1), (4, 2), None)
    assert table.nbytes == 3 * 24  # no strings kept
    rows = RowIndex(np.array([40, 10, 30], np.int64))
    assert [rows.get(10), rows.get(30), rows.get(40), rows.get(20)] == [1, 2, 0, None]


def test_passages_are_cut_from_fetched_texts_in_one_round_trip():
    texts, calls = _texts(10_000)
    table = PassageTable(["a", "b"], np.array([0, 0, 1], np.int32), np.array([1, 2, 1], np.int32),
                         np.array([0, 10, 0], np.int32), np.array([8, 14, 16], np.int32),
                         np.array([[0, 4], [4, 8], [10, 14], [0, 4], [5, 9], [10, 16]], np.int32),
                         np.array([0, 2, 3, 6]), texts)
    table.prefetch([0, 1, 2])
    assert calls == [["a", "b"]]  # both documents at once
    chunks = table[0:3]
    assert [c.text for c in chunks] == ["第一句。第二句。", "第三句。", TEXTS["b"]]
    assert chunks[1].sentences == ((10, 14),) and chunks[2].doc_id == "b" and table[-1] == chunks[2]
    assert calls == [["a", "b"]]  # served from the cache


def test_text_cache_stays_within_its_bound():
    texts, calls = _texts(max(map(len, TEXTS.values())))  # room for one document, not two
    docs = LazyDocuments({d: {"doc_id": d, "path": f"{d}.txt", "title": d, "date": None, "script": "latin",
                              "language": "en", "sha256": "0" * 64} for d in TEXTS}, {}, texts)
    assert docs["a"] == Document("a", "a.txt", "a", None, "latin", "en", TEXTS["a"], "0" * 64)
    docs["b"]  # evicts a: the two do not fit together
    assert texts._chars <= texts.limit and list(texts._cache) == ["b"]
    docs["a"]
    assert calls == [["a"], ["b"], ["a"]]
    assert [d.doc_id for d in docs.values()] == ["a", "b"] and "a" in docs and "c" not in docs


def test_summaries_read_lengths_not_texts():
    """A listing reads each length from memory; a document stored without one (before lengths were kept) has
    its text fetched once, and its length is kept for the next listing."""
    texts, calls = _texts(10_000)
    infos = {d: {"doc_id": d, "path": f"{d}.txt", "title": d, "date": None, "script": "latin", "language": "en",
                 "sha256": "0" * 64, "page_starts": [3]} for d in TEXTS}
    docs = LazyDocuments(infos, {"a": len(TEXTS["a"]), "b": None}, texts)
    assert docs.summaries() == [DocumentSummary.of(Document(**infos[d], text=TEXTS[d])) for d in TEXTS]
    assert docs.summaries()[0].page_starts == (3,)
    assert calls == [["b"]]  # b's text once, a's never


def test_document_summary_has_the_documents_fields_but_text():
    """DocumentSummary repeats Document's fields: one added to Document must be added to it too."""
    assert [(f.name, f.type) for f in fields(Document) if f.name != "text"] == \
        [(f.name, f.type) for f in fields(DocumentSummary) if f.name != "characters"]
