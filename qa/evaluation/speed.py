"""`qa bench speed`: cold start to first answer, per-stage query latency, ingest throughput and peak memory.

Every number is a median or percentile over repeated runs on whatever else the machine is doing; the result
records the load average and the OpenMP settings it ran with, so runs can be compared honestly.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..settings import PROJECT_ROOT, Settings
from .metrics import percentiles
from .questions import load_questions


QUESTIONS = PROJECT_ROOT / "eval" / "questions.jsonl"
# Prefixes that keep a question's meaning but make it a new string, so no cache can answer a repeat.
VARIANTS = {
    "en": ("", "Please answer: ", "Question: ", "I would like to know: "),
    "zh-hans": ("", "请问，", "我想知道：", "问题："),
    "zh-hant": ("", "請問，", "我想知道：", "問題："),
}
ENV_KEYS = ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "GOMP_SPINCOUNT", "QA_THREADS", "QA_QUERY_ENGINE", "QA_DOC_PRECISION", "QA_LATENT_TERMS")


def speed_questions(path: Path = QUESTIONS, n: int = 300) -> list[tuple[str, str]]:
    """``n`` distinct (lang, question) pairs: the question set, then again with each prefix in VARIANTS.

    Args: path: a question set (the format of `qa eval`). n: how many (at most questions x variants).
    Returns: pairs in round-robin order of variant, so any prefix of the list mixes the three scripts.
    """
    rows = load_questions(path)  # a missing or malformed file is refused naming it, as by `qa eval`
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for variant in range(max(len(v) for v in VARIANTS.values())):
        for row in rows:
            prefixes = VARIANTS.get(row.lang, VARIANTS["en"])
            if variant < len(prefixes):
                q = prefixes[variant] + row.question
                if q not in seen:
                    seen.add(q)
                    out.append((row.lang, q))
            if len(out) >= n:
                return out
    return out


def machine() -> dict:
    return {"cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()],
            "env": {k: os.environ[k] for k in ENV_KEYS if k in os.environ}, "cpu_ticks": _cpu_ticks()}


def _cpu_ticks() -> dict[str, int]:
    """Total and stolen CPU ticks since boot (Linux /proc/stat): on a VM, time the host gave to someone else."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return {}
    return {"total": sum(fields), "steal": fields[7] if len(fields) > 7 else 0}


def steal_percent(start: dict, end: dict) -> float | None:
    a, b = start.get("cpu_ticks") or {}, end.get("cpu_ticks") or {}
    if not a or not b or b["total"] <= a["total"]:
        return None
    return round(100 * (b["steal"] - a["steal"]) / (b["total"] - a["total"]), 1)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


# ---- cold start ---------------------------------------------------------------------------------------------
def _ask_command(settings: Settings, question: str) -> list[str]:
    cmd = [sys.executable, "-m", "qa", "ask", question, "--json", "--docs", str(settings.docs_dir), "--index", str(settings.index_dir)]
    return cmd + (["--model", settings.model] if settings.model else [])


def _run_child(cmd: list[str]) -> tuple[float, int, str, float]:
    """(wall seconds, exit code, stdout, peak RSS MB) of one child process."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=PROJECT_ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        out = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            sys.stderr.write(err.read().decode("utf-8", "replace")[-2000:])
    return wall, proc.returncode, out.decode("utf-8", "replace"), round(usage.ru_maxrss / 1024, 1)


def measure_cold_start(settings: Settings, questions: list[str], runs: int = 3) -> dict:
    """Time ``python -m qa ask QUESTION --json`` in fresh processes on the existing index.

    One untimed run first builds the index if it is missing or stale and brings its files into the page cache,
    so the timed runs measure a process start with warm disk caches (the common case on a server or laptop).
    """
    wall, code, _, _ = _run_child(_ask_command(settings, questions[0]))
    if code:
        raise RuntimeError(f"`python -m qa ask` failed with exit code {code}; run it by hand to see why")
    runs_out = []
    for i in range(runs):
        q = questions[(i + 1) % len(questions)]
        wall, code, out, rss = _run_child(_ask_command(settings, q))
        if code:
            raise RuntimeError(f"`python -m qa ask` failed with exit code {code}")
        timings = json.loads(out).get("timings_ms", {})
        ask_ms = float(timings.get("total", 0.0))
        runs_out.append({"wall_s": round(wall, 3), "first_ask_ms": round(ask_ms, 1),
                         "startup_s": round(wall - ask_ms / 1000, 3), "timings_ms": timings, "peak_rss_mb": rss})
    med = lambda key: round(statistics.median(r[key] for r in runs_out), 3)  # noqa: E731
    return {"runs": runs_out, "wall_s": med("wall_s"), "startup_s": med("startup_s"),
            "first_ask_ms": med("first_ask_ms"), "peak_rss_mb": med("peak_rss_mb")}


# ---- warm queries -------------------------------------------------------------------------------------------
def default_filter(assistant) -> dict:  # type: ignore[no-untyped-def]
    """A date filter that admits every dated document (from the earliest date on) and leaves out undated ones."""
    dates = sorted(d.date for d in assistant.view.documents.values() if d.date)
    return {"date_from": dates[0]} if dates else {}


def measure_queries(assistant, questions: list[tuple[str, str]], filters: dict | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Per-stage latency of ``assistant.ask`` over ``questions`` (distinct strings, query cache off).

    With ``filters`` (keyword arguments of ``ask``) each question is also asked filtered, right after or before
    the unfiltered ask (alternating), so both see the same load: ``filtered`` reports both p50s and their ratio."""
    assistant.queries.cache_size = 0  # every question pays its own embedding
    assistant.queries.clear()
    t = time.perf_counter()
    assistant.ask(questions[0][1])  # first ask loads jieba, OpenCC and the dictionaries
    first_ms = (time.perf_counter() - t) * 1000
    for _, q in questions[1:4]:
        assistant.ask(q)
    stages: dict[str, list[float]] = {}
    wall: list[float] = []
    cpu: list[float] = []
    by_lang: dict[str, list[float]] = {}
    filtered: list[float] = []
    for i, (lang, q) in enumerate(questions):
        if filters and i % 2:
            t0 = time.perf_counter()
            assistant.ask(q, **filters)
            filtered.append((time.perf_counter() - t0) * 1000)
        c0, t0 = time.process_time(), time.perf_counter()
        answer = assistant.ask(q)
        ms = (time.perf_counter() - t0) * 1000
        if filters and not i % 2:
            t0 = time.perf_counter()
            assistant.ask(q, **filters)
            filtered.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append(ms)
        by_lang.setdefault(lang, []).append(ms)
        for stage, v in answer.timings_ms.items():
            stages.setdefault(stage, []).append(float(v))
    out = {"queries": len(wall), "passages": len(assistant.view.chunks), "first_ask_ms": round(first_ms, 1),
           "stages_ms": {k: percentiles(v) for k, v in stages.items()},
           "wall_ms": percentiles(wall), "cpu_ms": percentiles(cpu),
           "by_lang_ms": {k: percentiles(v) | {"n": len(v)} for k, v in sorted(by_lang.items())}}
    if filters:
        f, u = percentiles(filtered), percentiles(wall)
        out["filtered"] = {"filters": filters, "wall_ms": f, "unfiltered_wall_ms": u,
                           "p50_ratio": round(f["p50"] / u["p50"], 3) if u["p50"] else None}
    return out


# ---- ingest (in a child process, so peak RSS is the ingest's own) ------------------------------------------
def _ingest_documents(contexts: list[Path], settings: Settings, limit: int | None) -> list:  # type: ignore[type-arg]
    if contexts:
        from .squad import load_squad

        docs = [d for path in contexts for d in load_squad(path)[0]]
    else:
        from ..build import source_documents

        docs = source_documents(settings)
    return docs[:limit] if limit else docs


def ingest_worker(contexts: list[Path], settings: Settings, *, limit: int | None = None,
                  batch_sizes: tuple[int, ...] = (), sample: int = 256) -> dict:
    """Build an index in memory from ``contexts`` (SQuAD files) or the docs folder; time it and its memory."""
    from ..assistant import Assistant
    from ..encoder import load_encoder
    from ..encoder.wrappers import CountingEncoder

    t = time.perf_counter()
    inner = load_encoder(settings)
    _ = inner.model  # type: ignore[attr-defined]  # load sentence-transformers (and torch) now, outside the build timing
    model_load_s = time.perf_counter() - t
    import torch

    docs = _ingest_documents(contexts, settings, limit)
    rss_model = peak_rss_mb()
    embedder = CountingEncoder(inner)
    t = time.perf_counter()
    view = Assistant.over_documents(docs, settings, encoder=embedder).view
    build_s = time.perf_counter() - t
    passages = len(view.chunks)
    result = {
        "documents": len(docs), "passages": passages, "sentences": int(view.manifest["n_sentences"]),
        "source": [str(p) for p in contexts] or str(settings.docs_dir), "model_load_s": round(model_load_s, 2),
        "build_s": round(build_s, 2), "passages_per_s": round(passages / build_s, 1) if build_s else None,
        "embed_s": round(embedder.seconds, 2), "embedded_texts": embedder.texts,
        "embed_texts_per_s": round(embedder.texts / embedder.seconds, 1) if embedder.seconds else None,
        "other_s": round(build_s - embedder.seconds, 2), "vector_backend": view.manifest["vector_backend"],
        "torch_threads": torch.get_num_threads(), "peak_rss_mb": peak_rss_mb(), "rss_after_model_load_mb": rss_model,
    }
    if batch_sizes:
        texts = [c.text for c in view.chunks[:sample]]
        inner.embed_sentences(texts[:8], batch_size=8)  # type: ignore[call-arg]
        sweep = {}
        for bs in batch_sizes:
            t = time.perf_counter()
            inner.embed_sentences(texts, batch_size=bs)  # type: ignore[call-arg]
            sweep[str(bs)] = round(len(texts) / (time.perf_counter() - t), 1)
        result["batch_sweep_passages_per_s"] = sweep
        result["batch_sweep_sample"] = len(texts)
    return result


def measure_ingest(settings: Settings, contexts: list[Path], *, limit: int | None = None,
                   batch_sizes: tuple[int, ...] = ()) -> dict:
    cmd = [sys.executable, "-m", "qa.evaluation.speed", "ingest", "--docs", str(settings.docs_dir)]
    cmd += ["--contexts", *map(str, contexts)] if contexts else []
    cmd += ["--limit", str(limit)] if limit else []
    cmd += ["--batch-sizes", ",".join(map(str, batch_sizes))] if batch_sizes else []
    cmd += ["--model", settings.model] if settings.model else []
    wall, code, out, rss = _run_child(cmd)
    if code:
        raise RuntimeError(f"ingest benchmark failed with exit code {code}")
    return json.loads(out.strip().splitlines()[-1]) | {"process_wall_s": round(wall, 2), "process_peak_rss_mb": rss}


# ---- the command --------------------------------------------------------------------------------------------
def run_speed(settings: Settings, *, contexts: list[Path] = (), queries: int = 300, cold_runs: int = 3,  # type: ignore[assignment]
              ingest: bool = True, ingest_limit: int | None = None, batch_sizes: tuple[int, ...] = (),
              questions_path: Path = QUESTIONS) -> dict:
    """Run the three measurements in order: cold start, warm queries, ingest. Returns one JSON-able dict."""
    from ..assistant import Assistant
    from .squad import squad_articles

    questions = speed_questions(questions_path, queries)
    for path in contexts:  # checked now as `bench squad` checks its files, not in the ingest child minutes later
        squad_articles(path)
    result: dict = {"machine_start": machine()}
    result["cold_start"] = measure_cold_start(settings, [q for _, q in questions[:cold_runs + 1]], cold_runs)
    assistant = Assistant.open(settings)
    result["query"] = measure_queries(assistant, questions, default_filter(assistant))
    del assistant
    if ingest:
        result["ingest"] = measure_ingest(settings, list(contexts), limit=ingest_limit, batch_sizes=batch_sizes)
    result["machine_end"] = machine()
    return result


def format_report(result: dict) -> str:
    lines = []
    m0, m1 = result["machine_start"], result["machine_end"]
    lines.append(f"machine: {m0['cpus']} cpus, load average {m0['loadavg'][0]} -> {m1['loadavg'][0]}, "
                 f"CPU stolen by the host {steal_percent(m0, m1)}%, env {m0['env'] or '{}'}")
    cs = result["cold_start"]
    lines.append(f"\ncold start (`python -m qa ask --json`, median of {len(cs['runs'])}): {cs['wall_s']:.2f} s wall = "
                 f"{cs['startup_s']:.2f} s start-up + {cs['first_ask_ms']:.0f} ms first ask; peak RSS {cs['peak_rss_mb']:.0f} MB")
    q = result["query"]
    lines.append(f"\nquery latency over {q['queries']} distinct questions, {q['passages']} passages (ms; first ask in-process "
                 f"{q['first_ask_ms']:.0f} ms, not included)")
    lines.append(f"  {'stage':16} {'p50':>8} {'p95':>8}")
    for stage, v in q["stages_ms"].items():
        lines.append(f"  {stage:16} {v['p50']:>8} {v['p95']:>8}")
    lines.append(f"  {'wall (ask call)':16} {q['wall_ms']['p50']:>8} {q['wall_ms']['p95']:>8}")
    lines.append(f"  {'cpu time':16} {q['cpu_ms']['p50']:>8} {q['cpu_ms']['p95']:>8}")
    for lang, v in q["by_lang_ms"].items():
        lines.append(f"  {'total ' + lang:16} {v['p50']:>8} {v['p95']:>8}   (n={v['n']})")
    f = q.get("filtered")
    if f:
        lines.append(f"  filtered {f['filters']} (asked next to each unfiltered one): wall p50 {f['wall_ms']['p50']} "
                     f"p95 {f['wall_ms']['p95']} vs unfiltered p50 {f['unfiltered_wall_ms']['p50']}: "
                     f"{f['p50_ratio']}x")
    ing = result.get("ingest")
    if ing:
        lines.append(f"\ningest: {ing['documents']} documents -> {ing['passages']} passages + {ing['sentences']} sentences in "
                     f"{ing['build_s']} s = {ing['passages_per_s']} passages/s (embedding {ing['embedded_texts']} texts in {ing['embed_s']} s, "
                     f"{ing['embed_texts_per_s']}/s on {ing['torch_threads']} torch threads; rest {ing['other_s']} s)")
        lines.append(f"  model load {ing['model_load_s']} s; peak RSS {ing['peak_rss_mb']:.0f} MB "
                     f"({ing['rss_after_model_load_mb']:.0f} MB after loading the model); vector backend {ing['vector_backend']}")
        if ing.get("batch_sweep_passages_per_s"):
            sweep = ", ".join(f"batch {k}: {v}/s" for k, v in ing["batch_sweep_passages_per_s"].items())
            lines.append(f"  sentence-transformers on {ing['batch_sweep_sample']} passages: {sweep}")
    return "\n".join(lines)


def _worker_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m qa.evaluation.speed", description="internal: the ingest half of `qa bench speed`")
    p.add_argument("mode", choices=["ingest"])
    p.add_argument("--docs")
    p.add_argument("--model")
    p.add_argument("--contexts", nargs="*", type=Path, default=[])
    p.add_argument("--limit", type=int)
    p.add_argument("--batch-sizes", default="")
    args = p.parse_args(argv)
    from ..process import apply_defaults

    apply_defaults()
    settings = Settings.load(docs_dir=args.docs, model=args.model)
    sizes = tuple(int(x) for x in args.batch_sizes.split(",") if x.strip())
    print(json.dumps(ingest_worker(args.contexts, settings, limit=args.limit, batch_sizes=sizes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(_worker_main(sys.argv[1:]))
