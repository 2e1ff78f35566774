"""Load test: concurrent clients asking English / 简体 / 繁體 questions over HTTP, then throughput and latency.

    python scripts/load_test.py                          # starts `python app.py` on a free loopback port, 20 clients, 60 s
    python scripts/load_test.py --clients 50 --seconds 30 --unique
    python scripts/load_test.py --url http://127.0.0.1:7860 --json load.json

Without --url it copies docs_src/ and the built index/ (when present, so no re-embedding) to a temporary folder,
starts `python app.py --port P --docs … --index …` on 127.0.0.1, waits for GET /api/health, runs the test and
stops the server. It only talks to loopback addresses (other URLs are refused) and always stops by itself:
each client stops sending when the time is up, each request has a timeout, and the whole run has a deadline.

Each client loops: pick a question (mixed languages), POST /api/ask {"question", "k"}, record the latency and
status. --unique appends a counter so no question repeats (defeats the server's query-vector cache).
Reported: requests, errors (non-200, timeouts, connection errors), throughput (req/s), latency p50/p95/p99/max
in ms, overall and per language.
"""
from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent

QUESTIONS: dict[str, list[str]] = {
    "en": [
        "What is the memory bandwidth of the H200?",
        "How much memory does the H200 have?",
        "What share of sales revenue must be paid to the US government?",
        "Who is the spokesperson of the Chinese foreign ministry?",
        "What did Jensen Huang say about the Chinese market?",
        "How far did Nvidia's market share in China fall?",
        "Which customers may buy the H200 chips?",
    ],
    "zh-hans": [
        "美国政府要求上缴多少比例的销售收入？",
        "中国外交部发言人叫什么名字？",
        "英伟达在华市场份额降到了多少？",
        "H200的内存带宽是多少？",
        "美国为什么放宽H200出口限制？",
        "黄仁勋对中国市场说了什么？",
    ],
    "zh-hant": [
        "美國對獲批出口的H200徵收多少附加費？",
        "中國外交部發言人是誰？",
        "H200的內存容量和帶寬是多少？",
        "哪些客戶可以購買H200晶片？",
        "英偉達在中國的市場份額是多少？",
        "美國政府為何允許出售H200？",
    ],
}


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def _is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`python app.py` on a temporary copy of the articles (and the built index, if any), bound to 127.0.0.1."""

    def __init__(self, start_timeout: float) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="qa-load-"))
        shutil.copytree(ROOT / "docs_src", self.tmp / "docs", ignore=shutil.ignore_patterns(".*"))
        if (ROOT / "index" / "CURRENT").exists():
            shutil.copytree(ROOT / "index", self.tmp / "index", ignore=shutil.ignore_patterns(".*lock", "README.md"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.tmp / "server.log", "w")
        env = dict(os.environ, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(self.port),
             "--docs", str(self.tmp / "docs"), "--index", str(self.tmp / "index")],
            cwd=str(ROOT), env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.start_timeout = start_timeout

    async def wait_ready(self) -> float:
        import httpx

        t0 = time.monotonic()
        async with httpx.AsyncClient(timeout=5) as client:
            while time.monotonic() - t0 < self.start_timeout:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited with status {self.proc.returncode}:\n{self.tail()}")
                try:
                    if (await client.get(self.url + "/api/health")).status_code == 200:
                        return time.monotonic() - t0
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.5)
        raise RuntimeError(f"server not ready after {self.start_timeout:.0f} s:\n{self.tail()}")

    def tail(self) -> str:
        self.log.flush()
        return (self.tmp / "server.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: app.py and anything it started
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


async def client_loop(client, url: str, deadline: float, rng: random.Random, k: int, unique: bool,  # type: ignore[no-untyped-def]
                      counter: list[int], out: list[dict]) -> None:
    import httpx

    langs = list(QUESTIONS)
    while time.monotonic() < deadline:
        lang = rng.choice(langs)
        question = rng.choice(QUESTIONS[lang])
        if unique:
            counter[0] += 1
            question = f"{question} ({counter[0]})"
        t0 = time.perf_counter()
        status, error = 0, ""
        try:
            r = await client.post(url + "/api/ask", json={"question": question, "k": k})
            status = r.status_code
            if status != 200:
                error = r.text[:200]
            else:
                body = r.json()
                if not isinstance(body.get("passages"), list):
                    status, error = -1, "response without passages"
        except httpx.HTTPError as e:
            error = f"{type(e).__name__}: {e}"[:200]
        out.append({"lang": lang, "ms": (time.perf_counter() - t0) * 1000, "status": status, "error": error, "end": time.monotonic()})


def stats(rows: list[dict], seconds: float) -> dict:
    ok = sorted(r["ms"] for r in rows if r["status"] == 200)
    errors = [r for r in rows if r["status"] != 200]
    return {
        "requests": len(rows),
        "ok": len(ok),
        "errors": len(errors),
        "throughput_rps": round(len(ok) / seconds, 2) if seconds else 0.0,
        "p50_ms": round(percentile(ok, 50), 1),
        "p95_ms": round(percentile(ok, 95), 1),
        "p99_ms": round(percentile(ok, 99), 1),
        "max_ms": round(ok[-1], 1) if ok else float("nan"),
        "mean_ms": round(statistics.fmean(ok), 1) if ok else float("nan"),
    }


async def run(url: str, clients: int, seconds: float, k: int, unique: bool, timeout: float, seed: int) -> dict:
    import httpx

    rows: list[dict] = []
    counter = [0]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=timeout, limits=limits, trust_env=False) as client:
        # one warm-up request per language (not counted): first-use costs are not steady-state latency
        for lang in QUESTIONS:
            await client.post(url + "/api/ask", json={"question": QUESTIONS[lang][0], "k": k})
        t0 = time.monotonic()
        deadline = t0 + seconds
        tasks = [client_loop(client, url, deadline, random.Random(seed + i), k, unique, counter, rows) for i in range(clients)]
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + timeout + 30)
        elapsed = time.monotonic() - t0  # includes the requests still running at the deadline
    result = {"url": url, "clients": clients, "seconds": round(elapsed, 1), "k": k, "unique_questions": unique, **stats(rows, elapsed)}
    result["by_language"] = {lang: stats([r for r in rows if r["lang"] == lang], elapsed) for lang in QUESTIONS}
    errors: dict[str, int] = {}
    for r in rows:
        if r["status"] != 200:
            key = f"{r['status']} {r['error'][:80]}"
            errors[key] = errors.get(key, 0) + 1
    result["error_kinds"] = errors
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server on a loopback address (default: start one on a temp copy)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="how long clients send requests (default 60)")
    parser.add_argument("--k", type=int, default=5, help="passages per answer (default 5)")
    parser.add_argument("--unique", action="store_true", help="make every question unique (no query-cache hits)")
    parser.add_argument("--timeout", type=float, default=60, help="per-request timeout in seconds (default 60)")
    parser.add_argument("--start-timeout", type=float, default=300, help="seconds to wait for the server (default 300)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000 or not 0 < args.seconds <= 3600:
        parser.error("--clients must be 1..1000 and --seconds 0..3600")
    if args.url and not _is_loopback(args.url):
        parser.error(f"{args.url}: only loopback addresses (127.0.0.1, ::1, localhost) may be load-tested")

    server = None
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            server = Server(args.start_timeout)
            print(f"starting app.py on {server.url} ...", flush=True)
            ready_s = asyncio.run(server.wait_ready())
            print(f"server ready after {ready_s:.1f} s", flush=True)
            url = server.url
        print(f"{args.clients} clients for {args.seconds:.0f} s against {url}/api/ask ...", flush=True)
        result = asyncio.run(run(url, args.clients, args.seconds, args.k, args.unique, args.timeout, args.seed))
    finally:
        if server is not None:
            server.stop()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"\n{result['requests']} requests, {result['errors']} errors, {result['throughput_rps']} req/s, "
          f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
