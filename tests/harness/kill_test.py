"""Crash-safety kill test: SIGKILL a process in the middle of build / add_document / delete_document, then
check that re-opening the same folders gives a consistent index that matches the docs folder and answers.

    python -m tests.harness.kill_test                        # per operation: 20 random kill points + every file-system step
    python -m tests.harness.kill_test --points 5 --steps 5   # quicker (what tests/test_crash.py runs)
    python -m tests.harness.kill_test --ops add,delete --seed 7 --json kill.json

(from the repository root, with the package installed: ``pip install -e .``, which scripts/setup.sh does).

How it works. A "zygote" process loads the model once (torch single-threaded, so forking it is safe) and
forks one worker per kill point; the worker opens an Assistant on a temporary docs + index folder and repeats
one operation in a loop. It dies in one of two ways:

  random  the verifier SIGKILLs it after a random delay between 0 and 1.5 x the measured time of one operation
          (for build, every 4th point lands inside a forced rebuild instead);
  step    the worker SIGKILLs itself just before a named file-system change - open for writing, mkdir, rename or
          replace, unlink, rmtree, seen through a Python audit hook - such as "the 1st os.rename .extra-*.txt.partial".
          A calibration run lists the steps of one operation; the default run kills before every one of them and
          before the first step after the operation returned, so each window of the commit sequence, including
          the ones just before and after each commit point, is hit exactly.

After each kill this process (with its own model) checks, before and after ``Assistant.open`` on the folders:

  * every file in the docs folder is a complete version that a worker wrote (the rename is atomic), and each
    finished operation is durable: a file whose add returned is there, a document whose delete returned is gone;
  * the persisted index loads (never corrupt) and equals either the docs folder or the docs folder plus the
    interrupted operation (the index is committed first, the source-file rename/unlink is the commit point);
  * after ``Assistant.open`` the index holds exactly the docs folder's documents (same bytes), in memory and on
    disk; passages, vectors, FAISS, keyword index and manifest counts agree; every passage's offsets match;
  * no ``.partial`` upload or other hidden file became a document; leftover ``gen-*.tmp`` folders (some are
    planted on purpose) do not stop loading and are cleaned up; one generation remains;
  * a question is answered from the real articles, and a deleted document is never cited, even when asked
    about its unique content.

Exit status 0 when every point passes. Needs no network; takes ~30 s to start plus ~2-4 s per point.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: docs_src/, index/, and the cwd of the zygote

OPS = ("build", "add", "delete")
EXTRAS = 3  # extra-0.txt .. extra-2.txt: the files that workers add, replace and delete
REAL_QUESTION = "美國對H200出口徵收多少附加費？"  # answered by the real article h200-conditional-release-25pct
REAL_ANSWER = "25%"
# Made-up company names: a question about one finds its extra article if, and only if, that article is indexed.
COMPANIES = ["泽布拉克斯", "奎因托维尔", "莫尔达尼克"]


# ---------------------------------------------------------------------------------------------- shared helpers
def extra_bytes(j: int, version: int) -> bytes:
    """Deterministic content of extra-<j>.txt at ``version``: mixed Chinese/English, several sentences."""
    name = COMPANIES[j % len(COMPANIES)]
    text = (
        f"{name}公司第{version}号公告\n"
        f"{name}公司宣布第{version}季度营收为{100 + version % 900}亿元，同比增长{version % 50}%。"
        f"{name}的新工厂位于内华达州，计划于2026年投产。"
        f"Analysts said {name} (version {version}) would hire {version % 700 + 100} engineers. "
        f"The company's chief executive declined to comment on export rules.\n"
    )
    return text.encode("utf-8")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder_state(docs: Path) -> dict[str, str]:
    """doc_id -> sha256 of the bytes, for what the docs folder holds now (the source of truth)."""
    from qa.ingest import doc_id_for, list_source_files

    return {doc_id_for(p): sha(p.read_bytes()) for p in list_source_files(docs)}


def settings_for(work: Path):  # type: ignore[no-untyped-def]
    from qa.settings import Settings

    return Settings.load(docs_dir=str(work / "docs"), index_dir=str(work / "index"))


# ---------------------------------------------------------------------------------------------- worker (forked)
_MUTATING = {"os.rename", "os.remove", "os.mkdir", "os.rmdir", "shutil.rmtree", "os.truncate", "os.link", "os.symlink"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _is_mutation(event: str, args: tuple) -> bool:
    if event in _MUTATING:
        return True
    if event == "open" and len(args) >= 3:
        path, mode, flags = args[0], args[1], args[2]
        if isinstance(path, int):
            return False
        if isinstance(flags, int) and flags & _WRITE_FLAGS:
            return True
        return isinstance(mode, str) and any(c in mode for c in "wax+")
    return False


def _signature(event: str, args: tuple) -> str:
    """A step's name, stable across runs: generation ids and extra-file numbers are wildcards."""
    arg = args[0] if args else ""
    name = os.path.basename(os.fsdecode(arg)) if isinstance(arg, (str, bytes, os.PathLike)) else str(arg)
    return f"{event} " + re.sub(r"extra-\d+", "extra-*", re.sub(r"gen-[0-9a-f]+", "gen-*", name))


class _Log:
    """Append-only JSON lines through a raw fd: os.write raises no audit event and survives SIGKILL."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def __call__(self, **event: object) -> None:
        event["t"] = round(time.monotonic(), 4)
        os.write(self.fd, (json.dumps(event, ensure_ascii=False) + "\n").encode())


def worker(job: dict, embedder) -> None:  # type: ignore[no-untyped-def]
    """Run in the forked child: open the Assistant, then repeat ``job['op']`` until killed or done."""
    log = _Log(job["log"])
    try:
        _worker(job, embedder, log)
        log(ev="finished")
    except BaseException:  # noqa: BLE001 - report anything to the verifier
        log(ev="error", tb=traceback.format_exc())
    os._exit(0)


def _worker(job: dict, embedder, log: _Log) -> None:  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant

    work = Path(job["work"])
    docs = work / "docs"
    rng = random.Random(job["seed"])
    a = Assistant.open(settings_for(work), encoder=embedder)
    op = job["op"]
    if op == "delete":  # something to delete: the missing extras, each with a metadata sidecar
        for j in range(EXTRAS):
            if not (docs / f"extra-{j}.txt").exists():
                data = extra_bytes(j, rng.randrange(1_000_000))
                meta = json.dumps({"title": f"{COMPANIES[j]} announcement"}, ensure_ascii=False)
                (docs / f".meta-{j}.tmp").write_text(meta, encoding="utf-8")
                os.replace(docs / f".meta-{j}.tmp", docs / f"extra-{j}.txt.meta.json")
                log(ev="begin", i=-1, what="setup", name=f"extra-{j}.txt", sha=sha(data))
                a.add_document(f"extra-{j}.txt", data)
                log(ev="done", i=-1)

    steps = {"n": 0, "count": False}
    seen: dict[str, int] = {}
    kill_sig, kill_k = (job.get("kill_at") or [None, 0])
    record = job.get("record_steps", False)

    def hook(event: str, args: tuple) -> None:
        if steps["count"] and _is_mutation(event, args):
            steps["n"] += 1
            sig = _signature(event, args)
            seen[sig] = seen.get(sig, 0) + 1
            if record:
                log(ev="step", sig=sig)
            if sig == kill_sig and seen[sig] == kill_k:
                log(ev="kill-step", n=steps["n"], sig=sig, k=kill_k)
                os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)
    log(ev="opened")
    steps["count"] = True
    for i in range(int(job["iterations"])):
        t0 = time.monotonic()
        n0 = steps["n"]
        if op == "add":
            j = rng.randrange(EXTRAS)
            data = extra_bytes(j, rng.randrange(1_000_000))
            log(ev="begin", i=i, what="add", name=f"extra-{j}.txt", sha=sha(data))
            a.add_document(f"extra-{j}.txt", data)
        elif op == "delete":
            present = sorted(d for d in a.view.documents if d.startswith("extra-"))
            if not present:
                return
            doc_id = present[0]
            log(ev="begin", i=i, what="delete", name=f"{doc_id}.txt", sha=None)
            a.delete_document(doc_id)
        else:  # build: change the folder directly (as a user would), then refresh; every 4th time a forced rebuild
            if i % 4 != 3 or not job.get("force", True):
                j = rng.randrange(EXTRAS)
                target = docs / f"extra-{j}.txt"
                if target.exists() and rng.random() < 0.4:
                    log(ev="begin", i=i, what="remove", name=target.name, sha=None)
                    target.unlink()
                    (docs / (target.name + ".meta.json")).unlink(missing_ok=True)
                else:
                    data = extra_bytes(j, rng.randrange(1_000_000))
                    log(ev="begin", i=i, what="write", name=target.name, sha=sha(data))
                    tmp = docs / f".{target.name}.tmp"
                    tmp.write_bytes(data)
                    os.replace(tmp, target)  # atomic, as any careful writer does
                log(ev="done", i=i)
                log(ev="begin", i=i, what="build", name=None, sha=None)
                a.build()
            else:
                log(ev="begin", i=i, what="build --force", name=None, sha=None)
                a.build(force=True)
        log(ev="done", i=i, steps=steps["n"] - n0, s=round(time.monotonic() - t0, 3))


# ---------------------------------------------------------------------------------------------- zygote
def zygote_main() -> None:
    """Load the model once, then fork workers on request. Protocol: JSON lines on stdin/stdout."""
    out = os.fdopen(os.dup(1), "w")  # the protocol channel; anything else printed goes to stderr
    os.dup2(2, 1)
    sys.dont_write_bytecode = True  # a lazy import must not count as a file-system step in a worker
    from qa.process import apply_defaults

    apply_defaults()  # before torch is imported (OpenMP reads OMP_WAIT_POLICY when it starts)
    import torch

    torch.set_num_threads(1)  # a forked child hangs in OpenMP if the parent ran a multi-threaded region
    import qa.assistant  # noqa: F401 - import everything a worker uses before forking
    from qa.encoder.embedder import Embedder
    from qa.text.tokens import tokenize

    embedder = Embedder.load(threads=1)
    embedder.embed_sentences(["预热 warm up"])  # load and warm sentence-transformers before forking
    tokenize("预热 jieba 和 OpenCC")

    def reply(**msg: object) -> None:
        out.write(json.dumps(msg) + "\n")
        out.flush()

    reply(ready=True, pid=os.getpid())
    pid = 0
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "fork":
            pid = os.fork()
            if pid == 0:
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                err = os.open(cmd["job"]["log"] + ".stderr", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.dup2(err, 2)
                worker(cmd["job"], embedder)
            reply(pid=pid)
        elif cmd["cmd"] in ("kill", "wait"):
            deadline = time.monotonic() + float(cmd.get("timeout", 0))
            status = None
            while cmd["cmd"] == "wait" and time.monotonic() < deadline:
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = st
                    break
                time.sleep(0.02)
            if status is None:
                os.kill(pid, signal.SIGKILL)  # safe even if it already exited: unreaped, its pid is not reused
                _, status = os.waitpid(pid, 0)
            reply(signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0,
                  exit=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None)
        elif cmd["cmd"] == "quit":
            break


class Zygote:
    def __init__(self, log: Path) -> None:
        env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false",
                   HF_HUB_OFFLINE="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.harness.kill_test", "--zygote"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(log, "w"), text=True, env=env, cwd=str(ROOT),
        )
        self.log = log
        self._ready = False

    def _send(self, **cmd: object) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def _read(self) -> dict:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        if not line:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"kill-test zygote exited (status {self.proc.poll()}):\n{tail}")
        return json.loads(line)

    def wait_ready(self) -> None:
        if not self._ready:
            self._read()
            self._ready = True

    def fork(self, job: dict) -> int:
        self.wait_ready()
        return int(self._send(cmd="fork", job=job)["pid"])

    def kill(self) -> dict:
        return self._send(cmd="kill")

    def wait(self, timeout: float) -> dict:
        return self._send(cmd="wait", timeout=timeout)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self._send_quit()
        finally:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _send_quit(self) -> None:
        assert self.proc.stdin
        try:
            self.proc.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass


# ---------------------------------------------------------------------------------------------- verifier
@dataclass
class Point:
    op: str
    mode: str  # random | step
    target: str  # "0.42s" or "before os.rename .extra-*.txt.partial #1"
    killed_by: str = ""  # what was running when it died: "step 40: os.rename .extra-*.txt.partial during add extra-1.txt"
    outcome: str = ""  # committed | rolled back | completed | no write in flight
    index_before_open: str = ""  # in sync | ahead (interrupted op) | behind (folder changed first) | CORRUPT ...
    leftovers: dict = field(default_factory=dict)
    reopen_s: float = 0.0
    worker_s: float = 0.0
    point_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class KillTest:
    def __init__(self, work: Path, embedder, rng: random.Random, echo=print) -> None:  # type: ignore[no-untyped-def]
        self.work = work
        self.docs = work / "docs"
        self.index = work / "index"
        self.embedder = embedder
        self.rng = rng
        self.echo = echo
        self.zygote = Zygote(work / "zygote.log")
        self.expected: dict[str, set[str | None]] = {}  # name -> acceptable states (sha or None = absent)
        self.deleted: set[str] = set()  # doc ids whose deletion is committed (to be asked about later)
        self.points: list[Point] = []
        self.n_logs = 0
        self.force_builds = True  # the build worker forces a full rebuild every 4th time
        self.index_from = ROOT / "index"

    # -- setup
    def setup(self) -> None:
        from qa.assistant import Assistant

        self.docs.mkdir(parents=True)
        for p in sorted((ROOT / "docs_src").iterdir()):
            if p.is_file() and not p.name.startswith("."):
                shutil.copy2(p, self.docs / p.name)
        if (self.index_from / "CURRENT").is_file():  # reuse a built index of these articles: no re-embedding if current
            shutil.copytree(self.index_from, self.index, ignore=shutil.ignore_patterns(".*", "README.md"))
        Assistant.open(settings_for(self.work), encoder=self.embedder)  # builds or refreshes what is needed
        self._sync_expected()

    def _sync_expected(self) -> None:
        for j in range(EXTRAS):
            p = self.docs / f"extra-{j}.txt"
            self.expected[p.name] = {sha(p.read_bytes()) if p.exists() else None}

    # -- one worker
    def run_worker(self, op: str, *, mode: str, kill_at: list | None = None, delay: float = 0.0, iterations: int = 40) -> list[dict]:
        self.n_logs += 1
        log = self.work / "logs" / f"{self.n_logs:03d}-{op}-{mode}.jsonl"
        log.parent.mkdir(exist_ok=True)
        job = {"op": op, "work": str(self.work), "log": str(log), "seed": self.rng.randrange(2**31),
               "iterations": iterations, "kill_at": kill_at, "record_steps": mode == "calibrate", "force": self.force_builds}
        self.zygote.fork(job)
        if mode == "random":
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:  # the delay counts from the end of the worker's open
                if any(e["ev"] in ("opened", "finished", "error") for e in _read_log(log)):
                    break
                time.sleep(0.01)
            time.sleep(delay)
            self.zygote.kill()
        else:
            self.zygote.wait(timeout=300)
        events = _read_log(log)
        errors = [e for e in events if e["ev"] == "error"]
        stderr = Path(str(log) + ".stderr")
        if errors:
            raise RuntimeError(f"worker for {op} failed:\n{errors[0]['tb']}")
        if not any(e["ev"] == "opened" for e in events):
            tail = stderr.read_text(errors="replace")[-2000:] if stderr.exists() else ""
            raise RuntimeError(f"worker for {op} died before opening the assistant:\n{tail}")
        return events

    def calibrate(self, op: str) -> tuple[float, float, list[list]]:
        """Median and longest time of one operation, and the file-system steps of the first one plus the step after
        it, each as [signature, occurrence] (the worker runs to completion)."""
        events = self.run_worker(op, mode="calibrate", iterations=4 if op == "build" and self.force_builds else 3)
        self._account(events)
        done = [e for e in events if e["ev"] == "done" and e.get("i", -1) >= 0 and "s" in e]
        if not done:
            raise RuntimeError(f"calibration of {op}: no operation completed")
        times = sorted(e["s"] for e in done)
        steps: list[list] = []
        seen: dict[str, int] = {}
        first_done = False
        for e in events:
            if e["ev"] == "done" and e.get("i", -1) >= 0 and "s" in e:  # the end of a whole iteration
                first_done = True
            elif e["ev"] == "step":
                seen[e["sig"]] = seen.get(e["sig"], 0) + 1
                steps.append([e["sig"], seen[e["sig"]]])
                if first_done:
                    break  # the first step after the operation returned: just past its commit point
        return times[len(times) // 2], times[-1], steps

    def _account(self, events: list[dict]) -> dict | None:
        """Update the acceptable folder states from a worker's log; return the interrupted op (if any)."""
        inflight: dict | None = None
        for e in events:
            if e["ev"] == "begin":
                inflight = e
            elif e["ev"] == "done" and inflight is not None:
                if inflight["name"]:
                    self.expected[inflight["name"]] = {inflight["sha"]}
                inflight = None
        if inflight is not None and inflight["name"]:
            self.expected[inflight["name"]] = self.expected.get(inflight["name"], {None}) | {inflight["sha"]}
        return inflight

    # -- checks after one kill
    def verify(self, point: Point, events: list[dict], plant_junk: bool) -> None:
        from qa.store import local as index_store
        from qa.assistant import Assistant
        from qa.errors import IndexCorrupt, IndexNotFound
        from qa.ingest import doc_id_for

        problems = point.problems
        inflight = self._account(events)
        kill = next((e for e in events if e["ev"] == "kill-step"), None)
        if kill:
            point.killed_by = f"step {kill['n']}: {kill['sig']}"
        if inflight:
            point.killed_by = (point.killed_by + " during " if point.killed_by else "during ") + f"{inflight['what']} {inflight['name'] or ''}".strip()
        elif any(e["ev"] == "finished" for e in events):
            point.killed_by = point.killed_by or "after the loop finished"
        else:
            point.killed_by = point.killed_by or "between operations"

        # 1. the docs folder: only complete versions, finished operations durable
        folder = folder_state(self.docs)
        for name, acceptable in self.expected.items():
            p = self.docs / name
            state = sha(p.read_bytes()) if p.exists() else None
            if state not in acceptable:
                problems.append(f"{name}: folder holds {'nothing' if state is None else 'an unexpected version'}; acceptable {sorted(map(str, acceptable))}")
            self.expected[name] = {state}  # whatever is there now is the new baseline
            if state is None:
                self.deleted.add(doc_id_for(Path(name)))
            else:
                self.deleted.discard(doc_id_for(Path(name)))
        if inflight and inflight["name"]:
            p = self.docs / inflight["name"]
            now = sha(p.read_bytes()) if p.exists() else None
            point.outcome = "committed" if now == inflight["sha"] else "rolled back"
        else:
            point.outcome = "no write in flight" if not inflight else "build interrupted"

        # 2. the persisted index, before anyone repairs it
        point.leftovers = {
            "partial": len(list(self.docs.glob(".*.partial"))),
            "gen_tmp": len([p for p in self.index.glob("gen-*.tmp") if p.is_dir()]),
            "old_gens": max(0, len([p for p in self.index.glob("gen-*") if not p.name.endswith(".tmp")]) - 1),
            "orphan_meta": len([p for p in self.docs.glob("*.meta.json") if not (self.docs / p.name[: -len(".meta.json")]).exists()]),
        }
        try:
            disk = {d: v["sha256"] for d, v in index_store.load(self.index).manifest["documents"].items()}
        except (IndexCorrupt, IndexNotFound) as e:
            disk = None
            point.index_before_open = f"CORRUPT: {e}"
            problems.append(f"persisted index unreadable after the kill: {e}")
        if disk is not None:
            with_inflight = dict(folder)
            if inflight and inflight["name"]:
                did = doc_id_for(Path(inflight["name"]))
                if inflight["sha"] is None:
                    with_inflight.pop(did, None)
                else:
                    with_inflight[did] = inflight["sha"]
            if disk == folder:
                point.index_before_open = "in sync"
            elif disk == with_inflight:
                point.index_before_open = "ahead (interrupted op indexed, not committed)"
            elif op_changes_folder_first(point.op):
                point.index_before_open = "behind (folder changed, build not saved)"
            else:
                point.index_before_open = "MISMATCH"
                problems.append(f"persisted index matches neither the folder nor the folder plus the interrupted op: "
                                f"index-only {sorted(set(disk.items()) - set(folder.items()))}, folder-only {sorted(set(folder.items()) - set(disk.items()))}")

        # 3. plant junk a crashed run could leave: it must not stop loading, nor become a document
        if plant_junk:
            junk = self.index / f"gen-{1:016x}.tmp"
            junk.mkdir(exist_ok=True)
            (junk / "vectors.npy").write_bytes(b"\x93NUMPY garbage")
            (self.index / "CURRENT.tmp").write_text("gen-nonsense", encoding="utf-8")
            (self.docs / ".extra-9.txt.partial").write_bytes(extra_bytes(9, 9)[:40])

        # 4. re-open: reconcile, then everything must agree
        t0 = time.perf_counter()
        try:
            a = Assistant.open(settings_for(self.work), encoder=self.embedder)
        except Exception as e:  # noqa: BLE001
            problems.append(f"Assistant.open failed: {type(e).__name__}: {e}")
            return
        point.reopen_s = round(time.perf_counter() - t0, 2)
        problems.extend(consistency_problems(a, folder_state(self.docs)))
        try:  # what open left on disk (fully re-checked by the next point's load before its own open)
            persisted = index_store.read_manifest(self.index) or {}
            if {d: v["sha256"] for d, v in persisted.get("documents", {}).items()} != folder_state(self.docs):
                problems.append("persisted index after open differs from the docs folder")
            if persisted.get("n_chunks") != len(a.view.chunks) or persisted.get("created_at") != a.view.manifest.get("created_at"):
                problems.append("persisted index after open is not the one in memory")
        except IndexCorrupt as e:
            problems.append(f"persisted index unreadable after open: {e}")
        left_tmp = [p.name for p in self.index.glob("gen-*") if p.name.endswith(".tmp")]
        gens = [p.name for p in self.index.glob("gen-*") if not p.name.endswith(".tmp")]
        if left_tmp:
            problems.append(f"gen-*.tmp folders left after open: {left_tmp}")
        if len(gens) != 1:
            problems.append(f"{len(gens)} generation folders after open, expected 1: {gens}")
        if any(d.path.startswith(".") or d.path.endswith(".partial") for d in a.view.documents.values()):
            problems.append("a hidden/.partial file was indexed as a document")

        # 5. answers: the real question, and each extra document by its unique content
        try:
            r = a.ask(REAL_QUESTION, k=5)
            problems.extend(answer_problems(a, r))
            if not any(REAL_ANSWER in p.text for p in r.passages):
                problems.append(f"{REAL_QUESTION!r}: no passage contains {REAL_ANSWER!r}")
            r = a.ask("、".join(COMPANIES) + "公司的新工厂在哪里？", k=10)  # one question about every extra article
            problems.extend(answer_problems(a, r))
            cited = r.cited_documents  # a card folded under another article's ("also in") is shown too
            for j in range(EXTRAS):
                doc_id = f"extra-{j}"
                if doc_id in self.deleted and doc_id in cited:
                    problems.append(f"deleted document {doc_id} appears in an answer after restart")
                if doc_id in a.view.documents and doc_id not in cited:
                    problems.append(f"{doc_id} is indexed but a question about its unique content does not find it")
        except Exception as e:  # noqa: BLE001
            problems.append(f"ask failed after restart: {type(e).__name__}: {e}")

    # -- the whole run
    def run(self, ops: list[str], random_points: int, step_points: int) -> list[Point]:
        self.setup()
        self.zygote.wait_ready()
        n = 0
        for op in ops:
            op_s, longest_s, sequence = self.calibrate(op)
            point = Point(op, "calibrate", "no kill")
            self.verify(point, [], plant_junk=False)
            point.outcome = "completed"
            self.points.append(point)
            if not point.ok:
                self.echo(f"  FAIL {op} calibration run: " + "; ".join(point.problems))
            n_steps = len(sequence) - 1  # the last one belongs to the next operation
            steps = pick_steps(len(sequence), step_points)
            self.echo(f"{op}: one operation takes ~{op_s:.2f}s (longest {longest_s:.2f}s) and {n_steps} file-system steps; "
                      f"{random_points} random kill points, {len(steps)} step kill points")
            plan: list[tuple[str, float, list | None]] = []
            for i in range(random_points):
                if op == "build" and i % 4 == 3 and self.force_builds:  # inside the forced rebuild (a build worker's 4th op)
                    plan.append(("random", self.rng.uniform(3 * op_s, 3 * op_s + longest_s), None))
                else:  # anywhere in the first ~1.5 operations
                    plan.append(("random", self.rng.uniform(0, 1.5 * op_s), None))
            plan += [("step", 0.0, sequence[j]) for j in steps]
            for mode, delay, kill_at in plan:
                n += 1
                t0 = time.perf_counter()
                target = f"{delay:.2f}s" if mode == "random" else f"before {kill_at[0]} #{kill_at[1]}"
                point = Point(op, mode, target)
                events = self.run_worker(op, mode=mode, kill_at=kill_at, delay=delay, iterations=40 if mode == "random" else 3)
                point.worker_s = round(time.perf_counter() - t0, 2)
                self.verify(point, events, plant_junk=n % 4 == 0)
                point.point_s = round(time.perf_counter() - t0, 2)
                self.points.append(point)
                self.echo(f"  {'ok  ' if point.ok else 'FAIL'} {op:6} {point.target[:44]:44} {point.killed_by[:60]:60} "
                          f"{point.outcome:18} index: {point.index_before_open[:45]}"
                          + ("" if point.ok else "\n       " + "\n       ".join(point.problems)))
        return self.points

    def close(self) -> None:
        self.zygote.close()


def op_changes_folder_first(op: str) -> bool:
    return op == "build"  # the build worker edits the folder directly, then refreshes the index


def pick_steps(n: int, wanted: int) -> list[int]:
    """Indexes into a calibrated step sequence of length ``n`` (the last step is just past the commit): all of them
    (wanted <= 0), else ``wanted``: the last four (the commit and just after it) and the rest spread evenly."""
    if wanted <= 0 or wanted >= n:
        return list(range(n))
    tail = list(range(n - min(4, wanted), n))
    rest = wanted - len(tail)
    head = sorted({int((i + 0.5) * (n - len(tail)) / rest) for i in range(rest)}) if rest > 0 else []
    return head + tail


def consistency_problems(a, folder: dict[str, str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Index in memory vs docs folder, and its parts vs each other."""
    data = a.view
    problems = []
    indexed = {d: doc.sha256 for d, doc in data.documents.items()}
    if indexed != folder:
        problems.append(f"indexed documents differ from the docs folder: index-only {sorted(set(indexed) - set(folder))}, "
                        f"folder-only {sorted(set(folder) - set(indexed))}, changed {sorted(d for d in set(indexed) & set(folder) if indexed[d] != folder[d])}")
    n = len(data.chunks)
    counts = {"vectors": len(data.vectors), "faiss": len(data.vector_index), "keyword": len(data.keyword),
              "manifest": data.manifest.get("n_chunks")}
    if any(v != n for v in counts.values()):
        problems.append(f"passage counts disagree: chunks {n}, {counts}")
    if set(data.manifest.get("documents", {})) != set(data.documents):
        problems.append("manifest documents differ from the indexed documents")
    if len(data.sentence_vectors) != len(data.sentence_rows):
        problems.append(f"{len(data.sentence_vectors)} sentence vectors for {len(data.sentence_rows)} sentences")
    for c in data.chunks:
        doc = data.documents.get(c.doc_id)
        if doc is None or doc.text[c.start : c.end] != c.text:
            problems.append(f"passage {c.chunk_id} of {c.doc_id} does not match its document")
            break
    if sorted(c.chunk_id for c in data.chunks) != list(range(n)):
        problems.append("passage ids are not 0..n-1")
    for doc_id in data.documents:
        if not data.chunk_rows(doc_id):
            problems.append(f"{doc_id} has no passages")
    return problems


def answer_problems(a, answer) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    for p in answer.passages:
        doc = a.view.documents.get(p.doc_id)
        if doc is None:
            problems.append(f"answer cites {p.doc_id}, which is not indexed")
        elif doc.text[p.start : p.end] != p.text:
            problems.append(f"answer passage offsets do not match {p.doc_id}")
    return problems


def _read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass  # a line cut by the kill
    return out


def summarize(points: list[Point]) -> dict:
    by_op: dict[str, dict] = {}
    for p in points:
        s = by_op.setdefault(p.op, {"points": 0, "random": 0, "step": 0, "failed": 0, "outcomes": {}, "index_before_open": {}})
        s["points"] += 1
        s[p.mode] = s.get(p.mode, 0) + 1
        s["failed"] += not p.ok
        s["outcomes"][p.outcome] = s["outcomes"].get(p.outcome, 0) + 1
        key = p.index_before_open.split(" (")[0].split(":")[0]
        s["index_before_open"][key] = s["index_before_open"].get(key, 0) + 1
    leftovers = {k: sum(p.leftovers.get(k, 0) > 0 for p in points) for k in ("partial", "gen_tmp", "old_gens", "orphan_meta")}
    return {"points": len(points), "failed": sum(not p.ok for p in points), "by_op": by_op,
            "points_with_leftovers_before_open": leftovers,
            "reopen_s_max": max((p.reopen_s for p in points), default=0.0),
            "seconds_per_point": round(sum(p.point_s for p in points) / max(1, sum(p.point_s > 0 for p in points)), 2),
            "worker_seconds_per_point": round(sum(p.worker_s for p in points) / max(1, sum(p.point_s > 0 for p in points)), 2)}


def run(*, ops: list[str] | None = None, random_points: int = 20, step_points: int = 0, seed: int | None = None,
        embedder=None, workdir: Path | None = None, keep: bool = False, echo=None, force_builds: bool = True,
        index_from: Path | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Run the kill test; returns {"summary": ..., "points": [...]}.

    ``embedder``: reuse a loaded one for checking; ``force_builds``: also interrupt forced full rebuilds (slow: they
    re-embed everything); ``index_from``: a built index of docs_src/ to start from (default index/).
    """
    seed = random.randrange(2**31) if seed is None else seed
    echo = echo or (lambda line: print(line, flush=True))
    work = Path(tempfile.mkdtemp(prefix="qa-kill-", dir=workdir))
    test = KillTest(work, None, random.Random(seed), echo)  # the zygote starts loading its model now
    test.force_builds = force_builds
    test.index_from = Path(index_from) if index_from else ROOT / "index"
    try:
        if embedder is None:
            import torch

            from qa.encoder.embedder import Embedder

            torch.set_num_threads(1)  # on a busy machine one thread embeds a small document several times faster
            embedder = Embedder.load(threads=1)
        test.embedder = embedder
        echo(f"kill test in {work} (seed {seed})")
        points = test.run(list(ops or OPS), random_points, step_points)
    finally:
        test.close()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return {"seed": seed, "summary": summarize(points), "points": [asdict(p) | {"ok": p.ok} for p in points]}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.harness.kill_test", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ops", default=",".join(OPS), help="operations to interrupt (default build,add,delete)")
    parser.add_argument("--points", type=int, default=int(os.environ.get("QA_KILL_POINTS", 20)),
                        help="random-delay kill points per operation (default 20, env QA_KILL_POINTS)")
    parser.add_argument("--steps", type=int, default=int(os.environ.get("QA_KILL_STEPS", 0)),
                        help="file-system-step kill points per operation; 0 = every step (default, env QA_KILL_STEPS)")
    parser.add_argument("--seed", type=int, help="random seed (printed, to repeat a run)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs of every worker)")
    parser.add_argument("--no-force", action="store_true", help="build workers never force a full rebuild (faster)")
    parser.add_argument("--json", type=Path, help="write the summary and every point here")
    parser.add_argument("--zygote", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.zygote:
        zygote_main()
        return 0
    from qa.process import apply_defaults

    apply_defaults()
    ops = [o.strip() for o in args.ops.split(",") if o.strip()]
    unknown = set(ops) - set(OPS)
    if unknown:
        parser.error(f"unknown operation(s) {sorted(unknown)}; choose from {', '.join(OPS)}")
    result = run(ops=ops, random_points=args.points, step_points=args.steps, seed=args.seed, keep=args.keep,
                 force_builds=not args.no_force)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    s = result["summary"]
    print(json.dumps(s, ensure_ascii=False, indent=1))
    print(f"{s['points'] - s['failed']}/{s['points']} kill points passed (seed {result['seed']})")
    return 0 if s["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
