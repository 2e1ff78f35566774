"""The Milvus store on real Milvus Lite: parity with the local store, add/replace/delete, migrate, bad input,
and a Milvus Lite server on 127.0.0.1 shared by two processes.

One embedded store (module scope) is migrated from the session's local index, so no passage is embedded twice.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from qa.filters import allowed_rows, make_filters  # noqa: E402
from qa.errors import IndexCorrupt, IndexNotFound, StoreMismatch, StoreUnavailable  # noqa: E402
from tests.milvus_server import milvus_server as start_milvus_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["美國對H200出口徵收多少附加費？", "英伟达H200芯片出口需要什么条件？", "What surcharge applies to H200 exports?",
             "欧洲新闻台报道了什么信号？"]
NEW_ARTICLE = ("城市自行车道扩建计划.txt", "市政府宣布将在明年新建一百二十公里自行车道，预算为三亿元。\n\n"
               "新自行车道将连接主要地铁站和大学校园，预计二〇二八年完工。".encode())


def _key(answer) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    return [(p.doc_id, p.start, p.end) for p in answer.passages]


@pytest.fixture(scope="module")
def milvus_assistant(assistant, embedder, tmp_path_factory):  # type: ignore[no-untyped-def]
    """An Assistant over a Milvus Lite copy (`qa migrate`) of the session's local index and docs folder."""
    from qa.assistant import Assistant
    from qa.cli import main

    tmp = tmp_path_factory.mktemp("milvus")
    shutil.copytree(assistant.settings.docs_dir, tmp / "docs", ignore=shutil.ignore_patterns(".*"))
    settings = assistant.settings.replace(docs_dir=tmp / "docs", store=str(tmp / "store.db"), cache_dir=assistant.settings.cache_dir)
    assert main(["migrate", "--index", str(assistant.settings.index_dir), "--to", settings.store]) == 0
    migrated = Assistant.open(settings, encoder=embedder)  # nothing embedded: the store is not empty
    assert (len(migrated.view.documents), len(migrated.view.chunks)) == (len(assistant.view.documents), len(assistant.view.chunks))
    return migrated


def test_parity_with_local(assistant, milvus_assistant):  # type: ignore[no-untyped-def]
    view, local = milvus_assistant.view, assistant.view
    assert [(c.doc_id, c.start, c.end, c.text) for c in view.chunks] == [(c.doc_id, c.start, c.end, c.text) for c in local.chunks]
    for doc_id, doc in local.documents.items():
        assert view.documents[doc_id] == doc  # text, metadata, page starts: everything offsets point into
    for term in ("h200", "出口", "附加费", "不存在的词"):
        assert view.term_idf(term) == pytest.approx(local.term_idf(term), rel=1e-5)
        assert (term in view.vocabulary) == (term in local.vocabulary)
    for q in QUESTIONS:
        a, b = assistant.ask(q), milvus_assistant.ask(q)
        assert _key(b) == _key(a), q
        assert [p.score for p in b.passages] == pytest.approx([p.score for p in a.passages], abs=1e-4)
        assert [p.highlight for p in b.passages] == [p.highlight for p in a.passages]
        assert b.abstained == a.abstained


def _counting_text_fetches(view) -> list[str]:  # type: ignore[no-untyped-def]
    """Record every document id whose text ``view`` fetches from Milvus from now on."""
    fetched: list[str] = []
    texts = view.documents.texts
    fetch = texts._fetch
    texts._fetch = lambda ids: fetched.extend(ids) or fetch(ids)
    return fetched


def test_listing_documents_fetches_no_text(assistant, milvus_assistant):  # type: ignore[no-untyped-def]
    """The documents list (web page, GET /api/documents, `qa docs`) reads each article's length from the metadata in
    memory: a newsroom archive's texts are hundreds of MB. The listing is the local store's, lengths included."""
    a = milvus_assistant
    kept = a._view
    a._view = a.store.load()  # a fresh view: no text in its cache that would hide a fetch
    try:
        fetched = _counting_text_fetches(a._view)
        listing = a.documents()
        # nor do the source picker and a filter's rows (restricting a search to a date range or a source)
        picker = a.sources()
        rows = allowed_rows(a._view, make_filters(date_to="2025-10-31"))
        assert fetched == []
    finally:
        a._view = kept
    assert picker == assistant.sources()
    assert rows.tolist() == allowed_rows(assistant.view, make_filters(date_to="2025-10-31")).tolist()
    by_id = {d["doc_id"]: d for d in assistant.documents()}
    assert {d["doc_id"]: d for d in listing} == by_id
    assert all(d["characters"] == len(assistant.view.documents[i].text) > 0 for i, d in by_id.items())


def test_documents_stored_without_their_length_are_listed_from_their_text(assistant, milvus_assistant):  # type: ignore[no-untyped-def]
    """Stores written before lengths were kept lack ``_chars``: those documents (only) have their text fetched,
    once per view, and the listing is the same."""
    store = milvus_assistant.store
    view = store.load()
    old = next(iter(view.documents))
    rows = store.client.query(store.docs, filter=f'doc_id == "{old}" and gen == {view.doc_gen[old]}', output_fields=["*"])
    assert len(rows) == 1 and "_chars" in rows[0]["info"]
    info = {k: v for k, v in rows[0]["info"].items() if k != "_chars"}
    store.client.upsert(store.docs, [{**rows[0], "info": info}])
    try:
        legacy = store.load()
        fetched = _counting_text_fetches(legacy)
        first, second = legacy.document_summaries(), legacy.document_summaries()
        assert fetched == [old]
        assert first == second
        assert sorted(first, key=lambda s: s.doc_id) == sorted(assistant.view.document_summaries(), key=lambda s: s.doc_id)
    finally:
        store.client.upsert(store.docs, rows)
    assert store.load().documents.chars[old] == len(assistant.view.documents[old].text)


def test_filters_and_also_in_at_parity_with_local(assistant, milvus_assistant):  # type: ignore[no-untyped-def]
    """The same filtered search (a doc_id filter expression inside Milvus's search) and the same also-in folds."""
    for kwargs in ({"date_from": "2025-12-01"}, {"sources": ["Euronews"]}, {"doc_ids": ["h200-export-signal-euronews.zh-hans"]}):
        for q in QUESTIONS[:2]:
            a, b = assistant.ask(q, k=5, **kwargs), milvus_assistant.ask(q, k=5, **kwargs)
            assert _key(b) == _key(a) and len(a.passages) == 5, (q, kwargs)
    a, b = assistant.ask(QUESTIONS[0], k=5), milvus_assistant.ask(QUESTIONS[0], k=5)
    assert [[(o.doc_id, o.paragraph) for o in p.also_in] for p in b.passages] == \
        [[(o.doc_id, o.paragraph) for o in p.also_in] for p in a.passages]
    assert any(p.also_in for p in a.passages)  # the 25% surcharge is told by both seed articles


def test_add_replace_delete_and_reopen(milvus_assistant, embedder):  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant

    a = milvus_assistant
    before = {d: doc.sha256 for d, doc in a.view.documents.items()}
    doc = a.add_document(*NEW_ARTICLE)
    assert a.ask("明年新建多少公里自行车道？").passages[0].doc_id == doc.doc_id
    name, data = NEW_ARTICLE
    a.add_document(name, data.replace("一百二十".encode(), "八十".encode()))  # replace: one version only
    rows = a.view.chunk_rows(doc.doc_id)
    assert rows and all("八十" in a.view.documents[doc.doc_id].text for _ in rows)
    assert "一百二十" not in a.ask("明年新建多少公里自行车道？").passages[0].text
    a.store.close()
    again = Assistant.open(a.settings, encoder=embedder)  # what a restarted process reads
    assert set(again.view.documents) == set(before) | {doc.doc_id}
    assert [c.text for c in again.view.chunks] == [c.text for c in a.view.chunks]
    again.delete_document(doc.doc_id)
    assert {d: x.sha256 for d, x in again.view.documents.items()} == before
    assert doc.doc_id not in again.ask("明年新建多少公里自行车道？", k=10).cited_documents
    milvus_assistant.__dict__.update(again.__dict__)  # the module's assistant now uses the reopened client


def test_keyword_scores_stay_exact_after_incremental_commits(milvus_assistant):  # type: ignore[no-untyped-def]
    """Stored BM25 weights carry the average passage length of their commit; a long article added later moves it,
    and the scores are still those of BM25 over today's passages (the local store recomputes every weight)."""
    from qa.store.bm25 import KeywordIndex

    a = milvus_assistant
    long = ("出口管制与芯片市场的长篇分析\n\n" + "。".join(f"第{i}段分析指出，英伟达H200芯片的出口许可、附加费和市场份额"
            f"都受到美国商务部新规的影响，分析师预计第{i}季度的营收会变化" for i in range(12)) + "。\n").encode()
    doc = a.add_document("长篇分析.txt", long)
    try:
        view = a.view
        local = KeywordIndex.build([c.text for c in view.chunks])  # BM25 from scratch over the same passages
        assert view.manifest["bm25_length"] / view.manifest["bm25_docs"] == pytest.approx(local.avgdl, rel=1e-6)
        for terms in ({"h200": 1.0, "出口": 1.0}, {"附加费": 1.0, "市场份额": 0.5}, {"英伟达": 1.0}):
            _, scores = local.search_terms(terms, 10)
            every = local.score_terms(terms)
            got = view.keyword_search(terms, 10)
            assert sorted(got.values(), reverse=True) == pytest.approx(scores.tolist(), rel=1e-5)  # the same top 10
            assert [got[r] for r in got] == pytest.approx([float(every[r]) for r in got], rel=1e-5)  # row by row
    finally:
        a.delete_document(doc.doc_id)


def test_half_written_commit_is_invisible_and_cleaned(milvus_assistant):  # type: ignore[no-untyped-def]
    """A writer killed between writing rows and publishing the version: readers never see its rows."""
    from qa.build import encode_documents
    from qa.chunk import ChunkParams
    from qa.ingest import document_from_bytes

    a = milvus_assistant
    store = a.store
    doc = document_from_bytes(NEW_ARTICLE[1], NEW_ARTICLE[0], max_bytes=10**6)
    encoded = encode_documents([doc], a.encoder, ChunkParams.from_settings(a.settings))
    published = store._publish
    store._publish = lambda state: None  # the crash: everything written, the version row never switched
    try:
        store.commit(a.view, a.view.manifest, encoded, [])
    except IndexCorrupt:
        pass
    finally:
        store._publish = published
    fresh = store.load()
    assert doc.doc_id not in fresh.documents and len(fresh.chunks) == len(a.view.chunks)
    assert doc.doc_id not in a.ask("明年新建多少公里自行车道？", k=10).cited_documents
    orphans = store.client.query(store.passages, filter=f"gen > {fresh.generation}", output_fields=["pk"])
    assert orphans  # written, invisible
    with store.writing():
        view = store.commit(store.latest(a.view), a.view.manifest, [], [])  # the next writer clears them first
    assert not store.client.query(store.passages, filter=f"gen > {view.generation}", output_fields=["pk"])
    a._view = view


def test_other_model_or_schema_is_refused(milvus_assistant, embedder):  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant
    from qa.store.milvus import SCHEMA_VERSION

    store = milvus_assistant.store
    state = store._meta("current")
    try:
        store._publish({**state, "manifest": {**state["manifest"], "model_id": "other-model", "model_name": "other-model"}})
        with pytest.raises(StoreMismatch, match="other-model.*qa build --store .* --force"):
            Assistant.open(milvus_assistant.settings, encoder=embedder)
        store._publish({**state, "schema_version": 0})
        with pytest.raises(StoreMismatch, match=f"schema 0.*reads schema {SCHEMA_VERSION}.*--force"):
            store.load()
    finally:
        store._publish(state)
    assert store.load().generation == state["manifest"]["generation"]


def test_missing_rows_are_a_clear_error(milvus_assistant):  # type: ignore[no-untyped-def]
    store = milvus_assistant.store
    view = store.load()
    doc_id = next(iter(view.documents))
    rows = store.client.query(store.passages, filter=f'doc_id == "{doc_id}"', output_fields=["*"])
    store.client.delete(store.passages, ids=[rows[0]["pk"]])
    try:
        with pytest.raises(IndexCorrupt, match=r"incomplete: .*passages.*qa build --store"):
            store.load()
    finally:
        store.client.insert(store.passages, [rows[0]])
    assert len(store.load().chunks) == len(view.chunks)


def test_the_retired_background_collection_is_ignored_and_dropped_by_a_rebuild(assistant, milvus_assistant, tmp_path):  # type: ignore[no-untyped-def]
    """Stores written before the question analyser kept abstention's off-topic vectors (qa.background) also hold
    ``<prefix>_background``: such a store loads as it is, and a rebuild leaves none of it behind. A store of its
    own (prefix "old") in the module's Milvus Lite folder."""
    from pymilvus import DataType

    from qa.store.migrate import migrate
    from qa.store.milvus import MilvusStore
    from qa.store.select import open_store

    store = MilvusStore(milvus_assistant.settings.store, prefix="old", lock_dir=tmp_path)
    try:
        migrate(open_store(assistant.settings, "local"), store)
        assert "old_background" not in store.client.list_collections()
        dim = int(store.read_manifest()["dim"])
        c = store.client  # the collection as an older version made it (sync=False: Lite lacks what waiting calls)
        schema = c.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        index = c.prepare_index_params()
        index.add_index(field_name="vector", index_type="FLAT", metric_type="IP", params={})
        c.create_collection("old_background", schema=schema, consistency_level="Strong")
        c.create_index("old_background", index, sync=False)
        c.load_collection("old_background")
        c.insert("old_background", [{"pk": i, "vector": [0.1] * dim} for i in range(3)])
        view = store.load()
        assert [(c.doc_id, c.start, c.end) for c in view.chunks] == [(c.doc_id, c.start, c.end) for c in assistant.view.chunks]
        migrate(open_store(assistant.settings, "local"), store)  # a rebuild over the old store
        assert "old_background" not in store.client.list_collections()
        assert len(store.load().chunks) == len(view.chunks)
    finally:
        store._drop_all()
        store.close()


def test_unreachable_and_bad_uri(tmp_path):  # type: ignore[no-untyped-def]
    from qa.errors import BadSetting
    from qa.settings import Settings
    from qa.store.select import open_store

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=f"cannot reach Milvus at http://127.0.0.1:{port}.*qa serve-store"):
        open_store(Settings.load(store=f"http://127.0.0.1:{port}"))
    print(f"unreachable reported after {time.monotonic() - started:.1f} s")
    with pytest.raises(BadSetting, match="must be local, a Milvus Lite folder path or http"):
        open_store(Settings.load(store="ftp://example"))
    # Milvus Lite takes only a folder named *.db; without the check its refusal read as "cannot reach Milvus ... start
    # it (qa serve-store)", which sent a tester after a server
    with pytest.raises(BadSetting, match=r"ends in \.db.*store\.db"):
        open_store(Settings.load(store=str(tmp_path / "store")))
    assert not (tmp_path / "store").exists()
    empty = open_store(Settings.load(store=str(tmp_path / "empty.db")))
    with pytest.raises(IndexNotFound, match="qa build --store"):
        empty.load()


# ------------------------------------------------------------------------------------------------ server mode
WORKER = r"""
import json, sys
from qa.assistant import Assistant
from qa.settings import Settings
a = Assistant.open(Settings.load())
print("ready", flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    if cmd["op"] == "ask":
        ans = a.ask(cmd["q"], k=10)
        print(json.dumps([p.doc_id for p in ans.passages]), flush=True)
    elif cmd["op"] == "add":
        print(json.dumps(a.add_document(cmd["name"], cmd["text"].encode()).doc_id), flush=True)
    elif cmd["op"] == "delete":
        print(json.dumps(a.delete_document(cmd["doc_id"]).doc_id), flush=True)
"""


class Worker:
    """Another app process with its own Assistant on the shared store, driven by JSON lines."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env, cwd=ROOT)
        assert self.proc.stdout.readline().strip() == "ready"  # type: ignore[union-attr]

    def __call__(self, **cmd: str) -> object:
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        return json.loads(self.proc.stdout.readline())  # type: ignore[union-attr]

    def close(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """`qa serve-store` on a free loopback port, for the module."""
    with start_milvus_server(tmp_path_factory.mktemp("milvus-server") / "data") as uri:
        yield uri


def test_serve_store_refuses_open_host():  # type: ignore[no-untyped-def]
    out = subprocess.run([sys.executable, "-m", "qa", "serve-store", "--host", "0.0.0.0"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and "no authentication" in out.stderr and "--insecure" in out.stderr


def test_two_processes_share_a_server(assistant, embedder, milvus_server, tmp_path):  # type: ignore[no-untyped-def]
    """Upload through one process, ask through the other; delete through that one; a process started later agrees."""
    from qa.assistant import Assistant
    from qa.store.migrate import migrate
    from qa.store.select import open_store

    settings = assistant.settings.replace(store=milvus_server, docs_dir=tmp_path / "docs")
    migrate(open_store(assistant.settings, "local"), open_store(settings))
    here = Assistant.open(settings, encoder=embedder)
    env = {**os.environ, "QA_STORE": milvus_server, "QA_DOCS_DIR": str(tmp_path / "docs2"),
           "QA_CACHE_DIR": str(assistant.settings.cache_dir)}
    other = Worker(env)
    try:
        question = "明年新建多少公里自行车道？"
        doc_id = here.add_document(*NEW_ARTICLE).doc_id
        assert other(op="ask", q=question)[0] == doc_id  # committed by this process, seen by the other on its next question
        # the upload's file is in this process's docs folder: the other deletes it from the store alone
        assert other(op="delete", doc_id=doc_id) == doc_id
        assert doc_id not in [p.doc_id for p in here.ask(question, k=10).passages]
        restarted = Assistant.open(settings, encoder=embedder)  # a process started now reads the same
        assert set(restarted.view.documents) == set(here.view.documents) == set(assistant.view.documents)
        assert doc_id not in [p.doc_id for p in restarted.ask(question, k=10).passages]
    finally:
        other.close()


# ------------------------------------------------------------------------------------------------ tokens
def test_wrong_admin_token_over_milvus_is_refused_and_changes_nothing(milvus_assistant):  # type: ignore[no-untyped-def]
    """Milvus Lite has no authentication, so the store's own guard is the app's: over a Milvus store a wrong or
    missing bearer is 401/403 JSON, and the store's committed version is the same afterwards."""
    from fastapi.testclient import TestClient

    from qa.api import create_app

    a = milvus_assistant
    saved = a.settings
    a.settings = saved.replace(admin_token="admin-secret-77", read_token="")
    try:
        generation = a.store.read_manifest()["generation"]
        doc_id = next(iter(a.view.documents))
        with TestClient(create_app(a, with_ui=False)) as http:  # the API alone: the page is tested elsewhere
            for headers, status in (({}, 401), ({"Authorization": "Bearer wrong"}, 403)):
                up = http.post("/api/documents", files={"file": ("x.txt", "新文章。".encode(), "text/plain")}, headers=headers)
                gone = http.delete(f"/api/documents/{doc_id}", headers=headers)
                for r in (up, gone):
                    assert r.status_code == status and r.json()["ok"] is False and r.json()["status"] == status
        assert a.store.read_manifest()["generation"] == generation
        assert doc_id in a.store.load().documents
    finally:
        a.settings = saved


def test_store_token_errors_name_the_token(milvus_server):  # type: ignore[no-untyped-def]
    """A cluster with authorization answers a wrong token with "auth check failure, please check username and
    password are correct" and none with "missing authorization in header" (UNAUTHENTICATED): both become a
    StoreUnavailable that names QA_MILVUS_TOKEN. Milvus Lite ignores tokens: any token connects."""
    from qa.store.milvus import MilvusStore, connect_error

    for text in ("<_InactiveRpcError of RPC that terminated with: status = StatusCode.UNAUTHENTICATED details = "
                 "\"auth check failure, please check username and password are correct\">",
                 "status = StatusCode.UNAUTHENTICATED details = \"missing authorization in header\""):
        err = connect_error("https://milvus.example.org:19530", text, server=True)
        assert isinstance(err, StoreUnavailable) and "refused the token" in str(err) and "QA_MILVUS_TOKEN" in str(err)
    assert "cannot reach Milvus" in str(connect_error("http://127.0.0.1:1", "Fail connecting to server on 127.0.0.1:1, illegal connection params or server unavailable", server=True))
    store = MilvusStore(milvus_server, token="root:not-the-password", lock_dir=None)  # Lite: accepted, no auth
    assert store.client.list_collections() is not None
    store.close()


def test_a_commit_written_in_slices_reads_as_one(assistant, milvus_assistant, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A big build goes in slices of documents (its memory is one slice's rows), each slice's BM25 rows written
    with the average length so far: the store reads and ranks as if written at once. One document a slice here."""
    import qa.store.milvus as milvus
    from qa.assistant import Assistant
    from qa.store.migrate import migrate
    from qa.store.select import open_store

    monkeypatch.setattr(milvus, "WRITE_SLICE", 1)
    store = milvus.MilvusStore(milvus_assistant.settings.store, prefix="sliced", lock_dir=tmp_path)
    renewals = []
    renew = store._renew_lease
    monkeypatch.setattr(store, "_renew_lease", lambda: renewals.append(1) or renew())
    try:
        migrate(open_store(assistant.settings, "local"), store)
        assert len(renewals) == len(assistant.view.documents) - 1  # the lease outlives a long build
        sliced = Assistant(milvus_assistant.settings, milvus_assistant.encoder, store, store.load())
        view, local = sliced.view, assistant.view
        for term in ("h200", "出口", "附加费"):
            assert view.term_idf(term) == pytest.approx(local.term_idf(term), rel=1e-5)
        for terms in ({"h200": 1.0, "出口": 1.0}, {"附加费": 1.0, "市场份额": 0.5}):
            assert view.keyword_search(terms, 10) == pytest.approx(local.keyword_search(terms, 10), rel=1e-5)
        for q in QUESTIONS:
            a, b = assistant.ask(q), sliced.ask(q)
            assert _key(b) == _key(a), q
            assert [p.highlight for p in b.passages] == [p.highlight for p in a.passages]
    finally:
        store._drop_all()
        store.close()
