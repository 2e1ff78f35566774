"""Load test of the shared Milvus store: several app processes, many clients, uploads and deletes while asking.

    .venv/bin/python scripts/milvus_load.py                                   # 2 processes x 10 clients x 60 s
    .venv/bin/python scripts/milvus_load.py --processes 2 --clients 3 --seconds 10 --fake   # what CI runs
    .venv/bin/python scripts/milvus_load.py --json out/milvus_load.json

It starts `qa serve-store` (Milvus Lite) on a free 127.0.0.1 port with a temporary data folder, copies the
built local index into it (`qa migrate`: no re-embedding; with --fake the seed articles are indexed by a fake
encoder instead, no model loaded), then starts ``--processes`` app processes (`app.py --store URI`, each on its
own loopback port and temporary docs folder) and runs ``--clients`` client threads per process for
``--seconds``. Every ``--interval`` seconds the article uploaded one interval before is deleted (through one
process) and a new one uploaded (through another). A third of the questions ask about an
uploaded article's made-up company, so deleted articles are really asked about.

Before the clock starts each process uploads and deletes one article (its first upload loads the passage
encoder: start-up, reported as ``warm_up_write_ms``). Reported: questions, uploads, deletes, errors (any non-2xx answer, timeout or connection error), question latency
p50/p95/p99 (ms), and ``deleted_citations``: answers that cite an article whose delete had been acknowledged
before the question was sent (must be 0), with ``asked_after_delete`` (how many questions were asked about an
article after its delete: the check's reach). Loopback only; every request has a timeout and the whole run a
deadline; every process it starts is stopped. Exit status 1 on any error or deleted citation.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["What is the memory bandwidth of the H200?", "How much memory does the H200 have?",
             "美国政府要求上缴多少比例的销售收入？", "英伟达在华市场份额降到了多少？", "美國對獲批出口的H200徵收多少附加費？",
             "H200的內存容量和帶寬是多少？", "Which customers may buy the H200 chips?"]
COMPANY = "泽布拉克斯{n}号公司"
FAKE_WORDS = ["H200", "141GB", "4.8TB/s", "25%", "Nvidia", "英伟达", "輝達", "memory", "显存", "泽布拉克斯"]
# an app process with the fake encoder (tests/fakes.py): the same API and store code, no model to load
FAKE_APP = r"""
import sys, uvicorn
from qa.process import apply_defaults
apply_defaults()
from qa.api import create_app
from qa.assistant import Assistant
from qa.settings import Settings
from tests.fakes import FakeEncoder
a = Assistant.open(Settings.load(docs_dir=sys.argv[2], store=sys.argv[3], cache_dir=sys.argv[4]), encoder=FakeEncoder(WORDS))
a.warm_up()  # as app.py does before it listens
uvicorn.run(create_app(a, with_ui=False), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
""".replace("WORDS", repr(FAKE_WORDS))


def article(n: int) -> bytes:
    name = COMPANY.format(n=n)
    return (f"{name}发布季度报告\n\n{name}宣布第{n}季度营收为{100 + n}亿元，同比增长{n % 40}%。{name}的新工厂位于内华达州。"
            f"\n\nAnalysts said the company, 泽布拉克斯{n}, would hire {200 + n} engineers for its memory plant.\n").encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def wait_health(url: str, proc: subprocess.Popen, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app process for {url} exited with status {proc.returncode}")
        try:
            if httpx.get(url + "/api/health", timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} was not healthy within {timeout:.0f} s")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]


class Run:
    """Shared record of what happened: latencies, errors, which articles exist and when their deletes returned."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ask_ms: list[float] = []
        self.write_ms: dict[str, list[float]] = {"upload": [], "delete": []}
        self.errors: list[str] = []
        self.uploaded: list[tuple[int, str]] = []  # (n, doc_id) in upload order
        self.deleted_at: dict[str, float] = {}  # doc_id -> monotonic time its delete was acknowledged
        self.deleted_citations: list[dict] = []
        self.asked_after_delete = 0

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what[:300])


def client_loop(run: Run, url: str, deadline: float, seed: int, timeout: float) -> None:
    import httpx

    rng = random.Random(seed)
    with httpx.Client(timeout=timeout, trust_env=False) as http:
        while time.monotonic() < deadline:
            target = None
            with run.lock:
                if run.uploaded and rng.random() < 0.35:
                    target = rng.choice(run.uploaded[-3:])  # recent: some are deleted by now
            question = (f"{COMPANY.format(n=target[0])}的新工厂在哪里？" if target else rng.choice(QUESTIONS))
            sent = time.monotonic()
            with run.lock:
                gone_before = {d for d, t in run.deleted_at.items() if t < sent}
            try:
                r = http.post(url + "/api/ask", json={"question": question, "k": 5})
            except httpx.HTTPError as e:
                run.error(f"ask {type(e).__name__}: {e}")
                continue
            ms = (time.monotonic() - sent) * 1000
            if r.status_code != 200:
                run.error(f"ask {r.status_code}: {r.text}")
                continue
            cited = {p["doc_id"] for p in r.json()["passages"]}
            with run.lock:
                run.ask_ms.append(ms)
                if target and target[1] in gone_before:
                    run.asked_after_delete += 1
                for d in cited & gone_before:
                    run.deleted_citations.append({"doc_id": d, "question": question, "url": url})


def writer_loop(run: Run, urls: list[str], deadline: float, interval: float, timeout: float) -> None:
    """Every interval: delete the article uploaded one interval before (through process i+1), then upload a new
    one (through process i). ``timeout`` is the write timeout: a process's first upload also loads its passage
    encoder, and embeds on CPUs the questions keep busy."""
    import httpx

    n = 0
    with httpx.Client(timeout=timeout, trust_env=False) as http:
        while time.monotonic() + 1 < deadline:
            start = time.monotonic()
            n += 1
            with run.lock:
                victims = [d for _, d in run.uploaded if d not in run.deleted_at]
            for doc_id in victims[:1]:
                try:
                    t = time.monotonic()
                    r = http.delete(urls[(n + 1) % len(urls)] + f"/api/documents/{doc_id}")
                    if r.status_code != 200:
                        run.error(f"delete {r.status_code}: {r.text}")
                    else:
                        with run.lock:
                            run.deleted_at[doc_id] = time.monotonic()
                            run.write_ms["delete"].append((time.monotonic() - t) * 1000)
                except httpx.HTTPError as e:
                    run.error(f"delete {type(e).__name__}: {e}")
            try:
                t = time.monotonic()
                r = http.post(urls[n % len(urls)] + "/api/documents",
                              files={"file": (f"zebrax-{n}.txt", article(n), "text/plain")})
                if r.status_code != 201:
                    run.error(f"upload {r.status_code}: {r.text}")
                else:
                    with run.lock:
                        run.write_ms["upload"].append((time.monotonic() - t) * 1000)
                        run.uploaded.append((n, r.json()["document"]["doc_id"]))
            except httpx.HTTPError as e:
                run.error(f"upload {type(e).__name__}: {e}")
            time.sleep(max(0.0, min(start + interval, deadline) - time.monotonic()))


def warm_writes(urls: list[str], timeout: float) -> list[float]:
    """One upload and delete through each process before the clock starts: a process's first upload loads its
    passage encoder (seconds to a minute on a busy CPU), which is start-up, not load. Returns their times (ms)."""
    import httpx

    out = []
    with httpx.Client(timeout=timeout, trust_env=False) as http:
        for i, url in enumerate(urls):
            t = time.monotonic()
            r = http.post(url + "/api/documents", files={"file": (f"warm-{i}.txt", article(10_000 + i), "text/plain")})
            r.raise_for_status()
            http.delete(url + f"/api/documents/{r.json()['document']['doc_id']}").raise_for_status()
            out.append(round((time.monotonic() - t) * 1000))
    return out


def start_store(tmp: Path, fake: bool, index: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve-store", "--data-dir", str(tmp / "milvus"), "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "store.log", "w"))
    wait_port(port, proc, 90, "qa serve-store")
    uri = f"http://127.0.0.1:{port}"
    if fake:  # the seed articles, indexed by the fake encoder here (what the first app would do on an empty store)
        sys.path.insert(0, str(ROOT))
        from qa.assistant import Assistant
        from qa.settings import Settings
        from tests.fakes import FakeEncoder

        seeded = Assistant.open(Settings.load(docs_dir=str(ROOT / "docs_src"), store=uri, cache_dir=str(tmp / "cache")),
                                encoder=FakeEncoder(FAKE_WORDS))
        seeded.store.close()
    else:
        subprocess.run([sys.executable, "-m", "qa", "migrate", "--index", str(index), "--to", uri], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
    return proc, uri


def start_apps(tmp: Path, uri: str, processes: int, fake: bool, env: dict) -> tuple[list[subprocess.Popen], list[str]]:
    procs, urls = [], []
    if fake and (ROOT / ".cache" / "cedict").is_dir():  # the dictionary tables; the fake model's caches start empty
        shutil.copytree(ROOT / ".cache" / "cedict", tmp / "cache" / "cedict")
    for i in range(processes):
        docs = tmp / f"docs{i}"
        shutil.copytree(ROOT / "docs_src", docs, ignore=shutil.ignore_patterns(".*"))
        port = free_port()
        if fake:
            cmd = [sys.executable, "-c", FAKE_APP, str(port), str(docs), uri, str(tmp / "cache")]
        else:
            cmd = [sys.executable, "app.py", "--port", str(port), "--docs", str(docs), "--store", uri]
        procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / f"app{i}.log", "w")))
        urls.append(f"http://127.0.0.1:{port}")
    for url, proc in zip(urls, procs):  # the store is built: they start side by side
        wait_health(url, proc, 300)
    return procs, urls


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def run_load(processes: int, clients: int, seconds: float, interval: float, fake: bool, timeout: float = 30.0,
             index: Path = ROOT / "index", seed: int = 0, write_timeout: float = 120.0) -> dict:
    """Start the store and the apps, run the load, stop everything; returns the report."""
    tmp = Path(tempfile.mkdtemp(prefix="qa-milvus-load-"))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    started: list[subprocess.Popen] = []
    try:
        store, uri = start_store(tmp, fake, index, env)
        started.append(store)
        apps, urls = start_apps(tmp, uri, processes, fake, env)
        started += apps
        warm = warm_writes(urls, write_timeout)
        run = Run()
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=client_loop, args=(run, urls[i % processes], deadline, seed + i, timeout))
                   for i in range(processes * clients)]
        threads.append(threading.Thread(target=writer_loop, args=(run, urls, deadline, interval, write_timeout)))
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + timeout + 2 * write_timeout + 10)
        wall = time.monotonic() - t0
        return {
            "processes": processes, "clients_per_process": clients, "interval_s": interval, "seconds": round(wall, 1), "fake_encoder": fake,
            "questions": len(run.ask_ms), "questions_per_s": round(len(run.ask_ms) / wall, 1),
            "uploads": len(run.write_ms["upload"]), "deletes": len(run.write_ms["delete"]),
            "errors": len(run.errors), "error_samples": run.errors[:5],
            "p50_ms": round(percentile(run.ask_ms, 50), 1), "p95_ms": round(percentile(run.ask_ms, 95), 1),
            "p99_ms": round(percentile(run.ask_ms, 99), 1),
            "upload_p50_ms": round(percentile(run.write_ms["upload"], 50), 1),
            "delete_p50_ms": round(percentile(run.write_ms["delete"], 50), 1),
            "deleted_citations": len(run.deleted_citations), "deleted_citation_samples": run.deleted_citations[:5],
            "asked_after_delete": run.asked_after_delete,
            "warm_up_write_ms": warm,
        }
    finally:
        stop(started[1:])
        stop(started[:1])
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--clients", type=int, default=10, help="client threads per app process")
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--interval", type=float, default=10.0, help="seconds between rounds of one delete and one upload")
    p.add_argument("--timeout", type=float, default=30.0, help="per question")
    p.add_argument("--write-timeout", type=float, default=120.0, help="per upload or delete")
    p.add_argument("--fake", action="store_true", help="fake encoder (no model): tests the store and the API only")
    p.add_argument("--index", type=Path, default=ROOT / "index", help="built local index to copy into the store")
    p.add_argument("--json", type=Path, help="also write the report here")
    args = p.parse_args()
    if args.seconds > 600 or args.processes * args.clients > 100:
        p.error("bounded: at most 600 s and 100 clients")
    report = run_load(args.processes, args.clients, args.seconds, args.interval, args.fake, args.timeout, args.index,
                      write_timeout=args.write_timeout)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if report["errors"] or report["deleted_citations"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
