"""Milvus store at scale: build time, query p50/p95, app RSS and recall@10 against exact search.

Synthetic passages: real paragraph texts from SQuAD files (repeated, so BM25 has real terms) with random unit
vectors near a few hundred centres (so nearest neighbours are not trivial). Queries are noisy copies of stored
vectors. Everything goes through the product's store (qa.store.milvus.MilvusStore.create, MilvusView.dense_search
/ keyword_search), nothing re-implemented.

    .venv/bin/python scripts/milvus_scale.py --store /tmp/scale.db --passages 100000 \
        --contexts ../shared/bench/xquad.zh.json --out out/milvus_scale.json [--with-model]

It builds the store in this process, then measures in a fresh one (an app worker's view of the store: its RSS
before and after loading the view and after the queries, per passage; dense p50/p95 and recall@10 against exact
search in row blocks; a question's store work: dense + keyword candidates, their vectors, best sentences and
the cited passages' texts). ``--measure-only`` measures a store built before.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def synthetic(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Texts, unit vectors (near 256 centres) and the encoded documents, the same for the same arguments."""
    from qa.records import Chunk, Document, EncodedDocument

    texts = [para["context"] for f in args.contexts for art in json.loads(f.read_text("utf-8"))["data"] for para in art["paragraphs"]]
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(256, args.dim)).astype(np.float32)
    per_doc = 10
    n_docs = args.passages // per_doc
    vectors = centres[rng.integers(0, len(centres), args.passages)] + rng.normal(scale=0.6, size=(args.passages, args.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    def encoded():  # type: ignore[no-untyped-def]
        for d in range(n_docs):
            paras = [texts[(d * per_doc + j) % len(texts)][:300] for j in range(per_doc)]
            text = "\n\n".join(paras)
            chunks, pos = [], 0
            for j, para in enumerate(paras):
                s = text.index(para, pos)
                chunks.append(Chunk(j, f"d{d}", j + 1, s, s + len(para), para, ((s, s + len(para)),)))
                pos = s + len(para)
            doc = Document(f"d{d}", f"d{d}.txt", f"d{d}", None, "simplified", "zh", text, f"{d:064x}")
            v = vectors[d * per_doc:(d + 1) * per_doc]
            yield EncodedDocument(doc, chunks, v, [c.sentences[0] for c in chunks], v, None)
    return texts, vectors, encoded, rng


def build(args: argparse.Namespace) -> dict:
    from qa.store.milvus import MilvusStore

    _, _, encoded, _ = synthetic(args)
    manifest = {"model_id": "synthetic", "model_name": "synthetic", "dim": args.dim, "chunking": {}, "latent_source": None,
                "latent_features": 0}
    store = MilvusStore(args.store, cache_rows=0)
    store.overwrite = True
    t = time.perf_counter()
    with store.writing():
        store.create(manifest, list(encoded()))
    build_s = time.perf_counter() - t
    store.close()
    return {"build_s": round(build_s, 1), "vector_index": store._vector_index(args.passages),
            "build_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)}


def measure(args: argparse.Namespace) -> dict:
    """In a fresh process (what an app worker holds): load the view, ask, report RSS and latencies."""
    import gc

    from qa.store.milvus import MilvusStore
    from qa.text.tokens import tokenize

    texts, vectors, _, rng = synthetic(args)
    tokenize("预热 jieba")  # its dictionary is part of every worker
    store = MilvusStore(args.store)  # the client (pymilvus, gRPC) is part of every worker, not of the view
    store.client.list_collections()
    gc.collect()
    base_rss = rss_mb()
    base_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    view = store.load()
    load_s = time.perf_counter() - t
    gc.collect()
    view_rss = rss_mb()
    view_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the high-water mark of reading the view
    qrows = rng.choice(args.passages, args.queries, replace=False)
    queries = vectors[qrows] + rng.normal(scale=0.03, size=(args.queries, args.dim)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    order = np.argsort(view.pks, kind="stable")  # pks were allocated in insertion order: synthetic row i = view row order[i]
    dense_ms, query_ms, recall = [], [], []
    for qi, q in enumerate(queries):
        t = time.perf_counter()
        hits = view.dense_search(q, 10)
        dense_ms.append((time.perf_counter() - t) * 1000)
        scores = np.concatenate([vectors[i:i + 20_000] @ q for i in range(0, args.passages, 20_000)])  # row blocks
        exact = {int(order[i]) for i in np.argpartition(-scores, 10)[:10]}
        recall.append(len(exact & set(hits)) / 10)
        # what a question asks of the store: dense and keyword candidates, their vectors, best sentences, texts
        terms = {w: 1.0 for w in tokenize(texts[int(qrows[qi]) % len(texts)][:40])[:6]}
        t = time.perf_counter()
        cands = list(dict.fromkeys([*view.dense_search(q, 50), *view.keyword_search(terms, 50)]))
        view.passage_cosines(cands, q)
        view.best_sentences(cands, q)
        cited = [view.chunks[r] for r in cands[:10]]
        _ = [view.documents[c.doc_id].text[c.start:c.end] for c in cited]
        query_ms.append((time.perf_counter() - t) * 1000)
    gc.collect()
    result = {
        "store": args.store, "passages": len(view.chunks), "documents": len(view.documents),
        "load_view_s": round(load_s, 1),
        "dense_p50_ms": round(float(np.percentile(dense_ms, 50)), 2), "dense_p95_ms": round(float(np.percentile(dense_ms, 95)), 2),
        "store_query_p50_ms": round(float(np.percentile(query_ms, 50)), 2),
        "store_query_p95_ms": round(float(np.percentile(query_ms, 95)), 2),
        "recall@10_vs_exact": round(float(np.mean(recall)), 4),
        "rss_mb_before_view": round(base_rss, 1), "rss_mb_after_view": round(view_rss, 1),  # before: imports, jieba, client, synthetic vectors "rss_mb_after_view": round(view_rss, 1),
        "rss_mb_after_queries": round(rss_mb(), 1),
        "view_bytes_per_passage": round((view_rss - base_rss) * 2**20 / max(1, len(view.chunks)), 1),
        "peak_rss_mb_before_view": round(base_peak, 0), "peak_rss_mb_after_view": round(view_peak, 0),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "synthetic_vectors_mb": round(vectors.nbytes / 2**20, 1),  # held here for exact recall, not by an app
    }
    if args.with_model:  # an app worker: this view, the question model and whole questions through the product
        from qa.assistant import Assistant
        from qa.encoder import load_encoder
        from qa.settings import Settings

        del vectors, queries  # the benchmark's own copy (exact recall), which no worker holds
        gc.collect()
        result["rss_mb_without_synthetic_vectors"] = round(rss_mb(), 1)
        settings = Settings.load(store=args.store)
        enc = load_encoder(settings)
        enc.embed_queries(["H200的带宽是多少？"])
        result["rss_mb_with_model"] = round(rss_mb(), 1)
        # real questions (the contexts' own, and English ones) over synthetic vectors: the answers mean nothing,
        # the work does (candidates, their rows, best sentences, texts)
        asked = [q["question"] for f in args.contexts for art in json.loads(f.read_text("utf-8"))["data"]
                 for para in art["paragraphs"] for q in para["qas"]]
        asked = [asked[i] for i in rng.choice(len(asked), min(args.questions, len(asked)), replace=False)]
        asked += ["What is the memory bandwidth of the H200?", "How much did the stock fall?"] * 5
        assistant = Assistant(settings, enc, store, view)
        ask_ms = []
        for q in asked:
            t = time.perf_counter()
            assistant.ask(q)
            ask_ms.append((time.perf_counter() - t) * 1000)
        gc.collect()
        result.update({"questions": len(asked), "question_p50_ms": round(float(np.percentile(ask_ms, 50)), 1),
                       "question_p95_ms": round(float(np.percentile(ask_ms, 95)), 1),
                       "rss_mb_worker_after_questions": round(rss_mb(), 1)})
    store.close()
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", required=True, help="Milvus Lite folder or http://host:port (its qa_* collections are replaced)")
    p.add_argument("--passages", type=int, default=100_000)
    p.add_argument("--contexts", nargs="+", type=Path, required=True, help="SQuAD JSON files: passage texts")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--questions", type=int, default=100, help="whole questions asked through qa.Assistant (--with-model)")
    p.add_argument("--dim", type=int, default=384)
    p.add_argument("--measure-only", action="store_true", help="the store is built: only measure")
    p.add_argument("--with-model", action="store_true", help="also load the question model and report the RSS with it")
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")  # a 1M build's progress (an hour here)
    logging.getLogger("pymilvus").setLevel(logging.WARNING)
    result = {}
    if not args.measure_only:
        result.update(build(args))
    # measured in a fresh process: the builder's memory (every vector) is not what a worker holds
    cmd = [sys.executable, __file__, "--store", args.store, "--passages", str(args.passages), "--queries", str(args.queries),
           "--dim", str(args.dim), "--questions", str(args.questions), "--measure-only", "--contexts", *map(str, args.contexts)]
    if args.measure_only and os.environ.get("QA_SCALE_CHILD"):
        result.update(measure(args))
    else:
        out = subprocess.run(cmd + (["--with-model"] if args.with_model else []), check=True, capture_output=True, text=True,
                             env={**os.environ, "QA_SCALE_CHILD": "1"})
        result.update(json.loads(out.stdout.strip().splitlines()[-1]))
    print(json.dumps(result))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
