"""Concurrency: questions keep being answered while documents are added, replaced and deleted from another
thread; every answer comes from one consistent snapshot; writers take turns.

Real model and index; the only instrumentation is a wrapper around ``qa.store.local.save`` that counts how many
saves run at once.
"""
from __future__ import annotations

import threading
import time

import pytest

from qa.store import local as index_store
from tests.test_crash import assert_consistent, clone, reopen

QUESTIONS = [
    "What is the memory bandwidth of the H200?",
    "美国政府要求上缴多少比例的销售收入？",
    "美國對獲批出口的H200徵收多少附加費？",
    "Where does Vexlor Mining operate?",
    "维克斯洛矿业公司在哪里开采？",
    "Who runs Pellucid Rail?",
    "Live bulletin version",
]


def article(name: str, detail: str) -> bytes:
    return f"{name}\n{name} said on Monday that {detail}. {name} 表示，{detail}。The statement was brief.\n".encode()


def snapshot_key(data) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    """What an answer may cite from one snapshot, per document: where its passages start (after a heading glued
    in front, which a card leaves out) and end (a citation spans one or more passages of a paragraph), its text and
    its title."""
    out: dict[str, tuple[set, set]] = {}
    for c in data.chunks:
        starts, ends = out.setdefault(c.doc_id, (set(), set()))
        starts.add(c.body_sentences[0][0])
        ends.add(c.end)
    return {d: (frozenset(st), frozenset(en), data.documents[d].text, data.documents[d].title) for d, (st, en) in out.items()}


def cites(key: dict[str, tuple], doc_id: str, item: tuple) -> bool:
    if doc_id not in key:
        return False
    starts, ends, text, title = key[doc_id]
    start, end, passage, passage_title = item
    return start in starts and end in ends and text[start:end] == passage and title == passage_title


def test_answers_come_from_one_snapshot_while_documents_change(tmp_path, assistant, embedder):
    a = clone(assistant, tmp_path, embedder)
    snapshots = [a.view]  # every snapshot ever published; writers never mutate one in place
    events: list[tuple[float, str, str]] = []  # (time the write returned, op, doc_id)
    answers: list[tuple[float, float, str, object]] = []
    errors: list[BaseException] = []
    stop = threading.Event()
    writer_started = threading.Event()

    def reader(offset: int) -> None:
        i = offset
        while not stop.is_set():
            q = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            t0 = time.monotonic()
            try:
                r = a.ask(q, k=5)
            except BaseException as e:  # noqa: BLE001 - any exception is a failure
                errors.append(e)
                return
            answers.append((t0, time.monotonic(), q, r))

    def writer() -> None:
        ops = [
            ("add", "vexlor.txt", article("Vexlor Mining", "it digs lithium in Nevada")),
            ("add", "live.txt", article("Live bulletin version 1", "the first bulletin is out")),
            ("add", "pellucid.txt", article("Pellucid Rail", "Ana Moss runs the railway")),
            ("add", "live.txt", article("Live bulletin version 2", "the second bulletin replaces the first")),
            ("delete", "vexlor", b""),
            ("add", "live.txt", article("Live bulletin version 3", "the third bulletin replaces the second")),
            ("delete", "pellucid", b""),
        ]
        writer_started.set()
        try:
            for op, name, data in ops:
                if op == "add":
                    a.add_document(name, data)
                else:
                    a.delete_document(name)
                snapshots.append(a.view)
                events.append((time.monotonic(), op, name.rsplit(".", 1)[0]))
                time.sleep(0.05)  # let readers run between writes
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    readers = [threading.Thread(target=reader, args=(i,)) for i in range(3)]
    for t in readers:
        t.start()
    w = threading.Thread(target=writer)
    w.start()
    w.join(timeout=600)
    time.sleep(0.3)  # a few answers after the last write
    stop.set()
    for t in readers:
        t.join(timeout=120)
    assert not w.is_alive() and not any(t.is_alive() for t in readers)
    assert not errors, repr(errors[:3])
    assert len(events) == 7
    first_write, last_write = events[0][0], events[-1][0]
    assert sum(first_write <= t0 <= last_write for t0, _, _, _ in answers) >= 3, "readers did not overlap the writes"

    keys = [snapshot_key(s) for s in snapshots]
    for t0, t1, q, r in answers:
        cited = [(p.doc_id, (p.start, p.end, p.text, p.title)) for p in r.passages]
        # one snapshot holds every passage of the answer, with its exact offsets, text and title
        assert any(all(cites(k, d, item) for d, item in cited) for k in keys), (q, cited)
        for done, op, doc_id in events:
            if op == "delete" and t0 > done:  # asked after the delete returned: never cited again
                assert doc_id not in r.cited_documents, (q, doc_id)
        live = [p for p in r.passages if p.doc_id == "live"]
        newest = max((int(name_ver) for done, op, name_ver in _live_versions(events) if done < t0), default=0)
        for p in live:  # never an older version than the one committed before the question was asked
            assert int(p.title.rsplit(" ", 1)[-1]) >= newest, (q, p.title, newest)

    assert set(a.view.documents) == set(snapshots[0].documents) | {"live"}
    assert a.view.documents["live"].title.endswith("version 3")
    assert_consistent(a)
    assert_consistent(reopen(a))


def _live_versions(events: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """(time, op, version number) of each live.txt write, in order (versions 1, 2, 3)."""
    out = []
    for done, op, doc_id in events:
        if doc_id == "live":
            out.append((done, op, str(len(out) + 1)))
    return out


def test_writers_take_turns(tmp_path, assistant, embedder, monkeypatch):
    a = clone(assistant, tmp_path, embedder)
    before = set(a.view.documents)
    active = {"now": 0, "max": 0}
    guard = threading.Lock()
    real_save = index_store.save

    def counting_save(data, root):  # type: ignore[no-untyped-def]
        with guard:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        try:
            time.sleep(0.05)  # widen the window in which an unserialised writer would overlap
            return real_save(data, root)
        finally:
            with guard:
                active["now"] -= 1

    monkeypatch.setattr(index_store, "save", counting_save)
    names = [f"writer-{i}" for i in range(4)]
    gate = threading.Barrier(len(names))
    errors: list[BaseException] = []

    def add(name: str) -> None:
        try:
            gate.wait()
            a.add_document(f"{name}.txt", article(name.replace("-", " ").title(), f"{name} wrote this"))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=add, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, repr(errors)
    assert active["max"] == 1  # one save at a time
    assert set(a.view.documents) == before | set(names)  # no lost update: each writer saw the others' documents
    assert_consistent(a)
    assert_consistent(reopen(a))


def test_two_instances_on_one_folder_lose_nothing(tmp_path, assistant, embedder):
    """Two Assistants on the same folders (as two processes would be): writes serialise on the folder lock and each
    writer builds on the index as the other left it, so the index on disk holds both documents at once; each
    instance's in-memory view may miss the other's document until its next write or re-open."""
    a = clone(assistant, tmp_path, embedder)
    b = reopen(a)
    gate = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(x, name: str) -> None:  # type: ignore[no-untyped-def]
        try:
            gate.wait()
            x.add_document(f"{name}.txt", article(name.title(), f"{name} has news"))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=add, args=(a, "alpha")), threading.Thread(target=add, args=(b, "beta"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, repr(errors)
    assert {"alpha", "beta"} <= set(index_store.load(a.settings.index_dir).documents)  # no lost update on disk
    c = reopen(a)
    assert {"alpha", "beta"} <= set(c.view.documents)
    assert_consistent(c)


@pytest.mark.parametrize("k", [1, 5])
def test_many_threads_asking_at_once(assistant, k):
    """The query engine, cache and keyword tokenizer are shared: 8 threads x 6 questions must all succeed."""
    results: list[object] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(8)

    def run(i: int) -> None:
        try:
            gate.wait()
            for j in range(6):
                results.append(assistant.ask(f"{QUESTIONS[(i + j) % 3]} ({i}-{j}-{k})", k=k))  # distinct: no cache hits
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, repr(errors[:3])
    assert len(results) == 48
    assert all(len(r.passages) == k for r in results)  # type: ignore[attr-defined]
