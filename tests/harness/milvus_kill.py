"""Crash-safety kill test of the Milvus store: SIGKILL a writer in the middle of add_document / delete_document on a
shared Milvus Lite server, then check what any process reading the store sees.

    python -m tests.harness.milvus_kill --uri http://127.0.0.1:19530 --points 3 --steps 0   # steps 0 = every one

(tests/test_milvus_crash.py starts a `qa serve-store` and runs it.) Each point forks one worker process from a
zygote that imported everything once (the fake encoder of tests/fakes.py: no model to load; the store code is
the product's); the worker opens an Assistant on the store and repeats one operation. It dies in one of two ways:

  random  killed after a random delay between 0 and 1.5 x the measured time of one operation;
  step    the worker kills itself just before its n-th write call to Milvus (insert, upsert, delete, flush,
          create or drop a collection), so every window of a commit, before and after its one commit point (the
          upsert of the ``current`` row), is hit. A calibration run counts the calls of one operation.

After each kill this process, with its own client, checks:

  * the store loads (no IndexCorrupt) and each article is either before or after the interrupted operation
    (the version the worker had, or the one it was writing), never a mix; finished operations are durable;
  * every article is whole: as many passages as chunking its text gives, every passage vector and sentence
    vector fetchable, the text's parts all there; the seed articles are all still there (nothing lost);
  * a question about a deleted article does not cite it, and one about a present article finds it;
  * the next write works at once (an add and a delete by another process, well within the 120 s lease the
    dead writer left), and it clears the invisible rows the killed commit left (no row newer than the
    committed generation remains).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.harness import kill_test

ROOT = Path(__file__).resolve().parents[2]
OPS = ("add", "delete")
EXTRAS = 3
COMPANIES = ["泽布拉克斯", "奎因托维尔", "莫尔达尼克"]
WORDS = ["H200", "141GB", "25%", "Nvidia", "英伟达", "memory", "泽布拉克斯", "奎因托维尔", "莫尔达尼克", "工厂"]
WRITES = ("insert", "upsert", "delete", "flush", "create_collection", "drop_collection", "create_index")


def extra_bytes(j: int, version: int) -> bytes:
    name = COMPANIES[j]
    return (f"{name}公司第{version}号公告\n\n{name}宣布第{version}季度营收为{100 + version % 900}亿元。{name}的新工厂位于"
            f"内华达州，计划于2026年投产。\n\nAnalysts said {name} (version {version}) would hire {version % 700 + 100} "
            f"engineers for its memory plant.\n").encode()


def settings_for(uri: str, docs: Path, cache: Path):  # type: ignore[no-untyped-def]
    from qa.settings import Settings

    return Settings.load(docs_dir=str(docs), store=uri, cache_dir=str(cache))


def open_assistant(uri: str, docs: Path, cache: Path):  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant
    from tests.fakes import FakeEncoder

    return Assistant.open(settings_for(uri, docs, cache), encoder=FakeEncoder(WORDS))


_Log = kill_test._Log  # append-only JSON lines through a raw fd: survives SIGKILL


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


# ---------------------------------------------------------------------------------------------- worker
def worker(job: dict) -> None:
    log = _Log(job["log"])
    try:
        a = open_assistant(job["uri"], Path(job["docs"]), Path(job["cache"]))
        rng = random.Random(job["seed"])
        if job["op"] == "delete":  # something to delete: every extra present
            for j in range(EXTRAS):
                if f"extra-{j}" not in a.view.documents:
                    data = extra_bytes(j, rng.randrange(1_000_000))
                    log(ev="begin", what="setup", doc=f"extra-{j}", sha=_sha(data))
                    a.add_document(f"extra-{j}.txt", data)
                    log(ev="done")
        calls = {"n": 0}
        seen: dict[str, int] = {}
        kill_sig, kill_k = job.get("kill_at") or (None, 0)
        client = a.store.client
        for name in WRITES:
            original = getattr(client, name)

            def wrapped(*args, _original=original, _name=name, **kw):  # type: ignore[no-untyped-def]
                calls["n"] += 1
                sig = f"{_name} {args[0] if args else kw.get('collection_name', '')}"
                seen[sig] = seen.get(sig, 0) + 1
                if job["record"]:
                    log(ev="step", n=calls["n"], sig=sig, k=seen[sig])
                if sig == kill_sig and seen[sig] == kill_k:
                    log(ev="kill-step", n=calls["n"], sig=sig, k=kill_k)
                    os.kill(os.getpid(), signal.SIGKILL)
                return _original(*args, **kw)

            setattr(client, name, wrapped)
        log(ev="opened")
        for i in range(job["iterations"]):
            t0 = time.monotonic()
            if job["op"] == "add":
                j = rng.randrange(EXTRAS)
                data = extra_bytes(j, rng.randrange(1_000_000))
                log(ev="begin", what="add", doc=f"extra-{j}", sha=_sha(data))
                a.add_document(f"extra-{j}.txt", data)
            else:
                present = sorted(d for d in a.view.documents if d.startswith("extra-"))
                if not present:
                    break
                log(ev="begin", what="delete", doc=present[0], sha=None)
                a.delete_document(present[0])
            log(ev="done", s=round(time.monotonic() - t0, 3), calls=calls["n"])
        log(ev="finished")
    except BaseException:  # noqa: BLE001 - report anything to the verifier
        log(ev="error", tb=traceback.format_exc())


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def zygote_main() -> None:
    """Import everything a worker uses once, then fork a worker per request (JSON lines on stdin/stdout): a
    worker starts in milliseconds instead of seconds. No Milvus connection is opened here, so the children's
    gRPC channels are their own."""
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    import qa.assistant  # noqa: F401
    import qa.store.milvus  # noqa: F401
    import tests.fakes  # noqa: F401
    from qa.text.tokens import tokenize

    tokenize("预热 jieba 和 OpenCC")

    def reply(**msg: object) -> None:
        out.write(json.dumps(msg) + "\n")
        out.flush()

    reply(ready=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "fork":
            pid = os.fork()
            if pid == 0:
                err = os.open(cmd["job"]["log"] + ".stderr", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.dup2(err, 2)
                worker(cmd["job"])
                os._exit(0)
            reply(pid=pid)
        elif cmd["cmd"] == "wait":  # reap it (a zombie would still look alive to the next writer's lease check)
            deadline = time.monotonic() + float(cmd.get("timeout", 0))
            while True:
                done, _ = os.waitpid(cmd["pid"], os.WNOHANG)
                if done or time.monotonic() > deadline:
                    break
                time.sleep(0.02)
            if not done:
                os.kill(cmd["pid"], signal.SIGKILL)
                os.waitpid(cmd["pid"], 0)
            reply(done=True)
        elif cmd["cmd"] == "quit":
            break


class Zygote:
    def __init__(self, log: Path) -> None:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.harness.milvus_kill", "--zygote"], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)
        self._read()

    def _read(self) -> dict:
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise RuntimeError(f"kill-test zygote exited (status {self.proc.poll()})")
        return json.loads(line)

    def send(self, **cmd: object) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        return self._read()

    def close(self) -> None:
        try:
            self.proc.stdin.write(json.dumps({"cmd": "quit"}) + "\n")  # type: ignore[union-attr]
            self.proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------------------------------------- verifier
@dataclass
class Point(kill_test.Point):
    """A kill point as the local store's harness records it, plus how long the next write took after the restart
    (the dead writer's lock taken over)."""

    next_write_s: float = 0.0


class MilvusKillTest:
    def __init__(self, uri: str, work: Path, rng: random.Random, echo=print) -> None:  # type: ignore[no-untyped-def]
        self.uri, self.work, self.rng, self.echo = uri, work, rng, echo
        self.docs, self.cache = work / "docs", work / "cache"
        self.expected: dict[str, set[str | None]] = {}  # extra doc id -> acceptable sha256 (None = absent)
        self.points: list[Point] = []
        self.n = 0
        work.mkdir(parents=True, exist_ok=True)
        self.zygote = Zygote(work / "zygote.log")

    def setup(self) -> None:
        import shutil

        self.docs.mkdir(parents=True, exist_ok=True)
        for p in sorted((ROOT / "docs_src").iterdir()):
            if p.is_file() and not p.name.startswith("."):
                shutil.copy2(p, self.docs / p.name)
        a = open_assistant(self.uri, self.docs, self.cache)  # an empty store is built from the folder
        self.seed_docs = {d: doc.sha256 for d, doc in a.view.documents.items() if not d.startswith("extra-")}
        for j in range(EXTRAS):
            d = f"extra-{j}"
            self.expected[d] = {a.view.documents[d].sha256 if d in a.view.documents else None}
        a.store.close()

    def run_worker(self, op: str, *, record: bool = False, kill_at: list | None = None, delay: float | None = None,
                   iterations: int = 20) -> list[dict]:
        self.n += 1
        log = self.work / "logs" / f"{self.n:03d}-{op}.jsonl"
        log.parent.mkdir(exist_ok=True)
        job = {"op": op, "uri": self.uri, "docs": str(self.docs), "cache": str(self.cache), "log": str(log),
               "seed": self.rng.randrange(2**31), "iterations": iterations, "record": record, "kill_at": kill_at}
        pid = int(self.zygote.send(cmd="fork", job=job)["pid"])
        if delay is not None:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not any(e["ev"] in ("opened", "error", "finished") for e in read_log(log)):
                time.sleep(0.01)
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
        self.zygote.send(cmd="wait", pid=pid, timeout=180)
        events = read_log(log)
        errors = [e for e in events if e["ev"] == "error"]
        if errors:
            raise RuntimeError(f"worker for {op} failed:\n{errors[0]['tb']}")
        return events

    def calibrate(self, op: str) -> tuple[float, list[list], int]:
        """Median time of one operation, the write calls of the first one (it runs to completion) plus the call
        after it, each as [signature, occurrence], and which of them is its commit point (the upsert of the
        version row, between the lease's two upserts)."""
        events = self.run_worker(op, record=True, iterations=2)
        self._account(events)
        done = [e for e in events if e["ev"] == "done" and "s" in e]
        if not done:
            raise RuntimeError(f"calibration of {op}: no operation completed")
        times = sorted(e["s"] for e in done)
        calls = int(done[0]["calls"])
        steps = [[e["sig"], e["k"]] for e in events if e["ev"] == "step" and e["n"] <= calls + 1]
        meta = [i for i, (sig, _) in enumerate(steps[:calls]) if sig == "upsert qa_meta"]
        return times[len(times) // 2], steps, meta[-2]

    def _account(self, events: list[dict]) -> dict | None:
        inflight = None
        for e in events:
            if e["ev"] == "begin":
                inflight = e
            elif e["ev"] == "done" and inflight is not None:
                self.expected[inflight["doc"]] = {inflight["sha"]}
                inflight = None
        if inflight is not None:
            self.expected[inflight["doc"]] = self.expected.get(inflight["doc"], {None}) | {inflight["sha"]}
        return inflight

    def verify(self, point: Point, events: list[dict]) -> None:
        import numpy as np

        from qa.chunk import ChunkParams, chunk_document

        problems = point.problems
        inflight = self._account(events)
        kill = next((e for e in events if e["ev"] == "kill-step"), None)
        point.killed_by = (f"call {kill['n']}: {kill['sig']} #{kill['k']}" if kill else "") + (
            f" during {inflight['what']} {inflight['doc']}" if inflight else " between operations")
        from qa.errors import StoreUnavailable

        t = time.monotonic()
        for attempt in range(3):  # Lite's server may still be finishing the dead client's call
            try:
                a = open_assistant(self.uri, self.docs, self.cache)  # a process starting now
                break
            except StoreUnavailable:
                if attempt == 2:
                    raise
        point.reopen_s = round(time.monotonic() - t, 2)
        store, view = a.store, a.view
        try:
            for d, acceptable in self.expected.items():
                state = view.documents[d].sha256 if d in view.documents else None
                if state not in acceptable:
                    problems.append(f"{d}: store holds {state and state[:8]}, acceptable {sorted(str(x)[:8] for x in acceptable)}")
                self.expected[d] = {state}
            if inflight:
                state = view.documents[inflight["doc"]].sha256 if inflight["doc"] in view.documents else None
                point.outcome = "committed" if state == inflight["sha"] else "rolled back"
            else:
                point.outcome = "no write in flight"
            for d, digest in self.seed_docs.items():
                if d not in view.documents or view.documents[d].sha256 != digest:
                    problems.append(f"seed article {d} lost or changed")
            params = ChunkParams.from_settings(a.settings)
            q = np.ones(int(view.manifest["dim"]), np.float32) / np.sqrt(int(view.manifest["dim"]))
            for d, doc in view.documents.items():  # every article whole
                rows = view.chunk_rows(d)
                expected = chunk_document(doc, params)
                if [(view.chunks[r].start, view.chunks[r].end) for r in rows] != [(c.start, c.end) for c in expected]:
                    problems.append(f"{d}: passages differ from chunking its text ({len(rows)} vs {len(expected)})")
                view.passage_cosines(rows, q)  # raises IndexCorrupt when a vector is missing
                view.best_sentences(rows, q)
            for d, acceptable in self.expected.items():
                j = int(d.split("-")[1])
                cited = a.ask(f"{COMPANIES[j]}的新工厂在哪里？", k=10).cited_documents
                if None in acceptable and d in cited:
                    problems.append(f"deleted {d} cited")
                if None not in acceptable and d not in cited:
                    problems.append(f"present {d} not found by a question about it")
            t = time.monotonic()
            probe = a.add_document("probe.txt", "探针公司的新工厂位于俄亥俄州。Probe article.".encode())
            a.delete_document(probe.doc_id)
            point.next_write_s = round(time.monotonic() - t, 2)
            if point.next_write_s > 30:
                problems.append(f"the next write waited {point.next_write_s} s (the dead writer's lease)")
            orphans = store.client.query(store.passages, filter=f"gen > {a.view.manifest['generation']}", output_fields=["pk"], limit=10)
            if orphans:
                problems.append(f"{len(orphans)} rows newer than the committed generation remain after the next write")
        except Exception as e:  # noqa: BLE001 - any failure to read is a finding
            problems.append(f"{type(e).__name__}: {e}")
        finally:
            store.close()

    def run_point(self, op: str, mode: str, *, kill_at: list | None = None, delay: float | None = None) -> Point:
        point = Point(op, mode, f"before {kill_at[0]} #{kill_at[1]}" if kill_at else f"{delay:.2f}s")
        events = self.run_worker(op, kill_at=kill_at, delay=delay)
        self.verify(point, events)
        self.points.append(point)
        self.echo(f"{'ok  ' if point.ok else 'FAIL'} {op:6} {mode:6} {point.target:28} {point.outcome:18} "
                  f"reopen {point.reopen_s:5.2f}s next write {point.next_write_s:5.2f}s  {point.killed_by}" + (f"  {point.problems}" if point.problems else ""))
        return point


def run(uri: str, work: Path, random_points: int, step_points: int, seed: int | None = None, echo=print) -> dict:  # type: ignore[no-untyped-def]
    """``random_points`` random kills and ``step_points`` write-call kills (0 = every call) per operation."""
    seed = random.randrange(2**31) if seed is None else seed
    rng = random.Random(seed)
    kt = MilvusKillTest(uri, work, rng, echo)
    try:
        _run(kt, rng, random_points, step_points, echo)
    finally:
        kt.zygote.close()
    summary = {"seed": seed, "points": len(kt.points), "failed": sum(not p.ok for p in kt.points),
               "outcomes": {o: sum(p.outcome == o for p in kt.points) for o in {p.outcome for p in kt.points}},
               "next_write_s_max": max((p.next_write_s for p in kt.points), default=0.0)}
    return {"summary": summary, "points": [asdict(p) | {"ok": p.ok} for p in kt.points]}


def _run(kt: MilvusKillTest, rng: random.Random, random_points: int, step_points: int, echo) -> None:  # type: ignore[no-untyped-def]
    kt.setup()
    for op in OPS:
        median, all_steps, commit = kt.calibrate(op)
        echo(f"{op}: one operation {median:.2f} s, {len(all_steps) - 1} write calls, the commit point is "
             f"{all_steps[commit][0]} #{all_steps[commit][1]}")
        chosen = list(range(len(all_steps)))  # + the first call after the operation returned
        if step_points:  # always just before and just after the commit point, the rest at random
            rest = [i for i in chosen if i not in (commit, commit + 1)]
            chosen = sorted([commit, commit + 1] + rng.sample(rest, max(0, min(step_points - 2, len(rest)))))
        for i in chosen:
            kt.run_point(op, "step", kill_at=all_steps[i])
        for _ in range(random_points):
            kt.run_point(op, "random", delay=rng.uniform(0, 1.5 * median))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--zygote", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--uri", help="a Milvus server (qa serve-store) whose qa_* collections may be replaced")
    p.add_argument("--work", type=Path, help="scratch folder (default: a new temporary one)")
    p.add_argument("--points", type=int, default=5, help="random kill points per operation")
    p.add_argument("--steps", type=int, default=0, help="write-call kill points per operation (0 = every call)")
    p.add_argument("--seed", type=int)
    args = p.parse_args()
    if args.zygote:
        zygote_main()
        return 0
    import tempfile

    work = args.work or Path(tempfile.mkdtemp(prefix="qa-milvus-kill-"))
    result = run(args.uri, work, args.points, args.steps, args.seed)
    print(json.dumps(result["summary"], ensure_ascii=False))
    return 0 if not result["summary"]["failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
