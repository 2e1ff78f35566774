"""Milvus store at scale: build time, query p50/p95, app RSS and recall@10 against exact search.

Synthetic passages: real paragraph texts from SQuAD files (repeated, so BM25 has real terms) with random unit
vectors near a few hundred centres (so nearest neighbours are not trivial). Queries are noisy copies of stored
vectors. Everything goes through the product's store (qa.store.milvus.MilvusStore.create, MilvusView.dense_search
/ keyword_search), nothing re-implemented.

    .venv/bin/python scripts/milvus_scale.py --store /tmp/scale.db --passages 100000 \
        --contexts ../shared/bench/xquad.zh.json --out out/milvus_scale.json
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", required=True, help="Milvus Lite folder or http://host:port (its qa_* collections are replaced)")
    p.add_argument("--passages", type=int, default=100_000)
    p.add_argument("--contexts", nargs="+", type=Path, required=True, help="SQuAD JSON files: passage texts")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--dim", type=int, default=384)
    p.add_argument("--out", type=Path)
    args = p.parse_args()

    from qa.records import Chunk, Document, EncodedDocument
    from qa.store.milvus import MilvusStore
    from qa.text.tokens import tokenize

    texts = [para["context"] for f in args.contexts for art in json.loads(f.read_text("utf-8"))["data"] for para in art["paragraphs"]]
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(256, args.dim)).astype(np.float32)
    per_doc = 10
    n_docs = args.passages // per_doc
    vectors = centres[rng.integers(0, len(centres), args.passages)] + rng.normal(scale=0.6, size=(args.passages, args.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    encoded = []
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
        encoded.append(EncodedDocument(doc, chunks, v, [c.sentences[0] for c in chunks], v, None))
    manifest = {"model_id": "synthetic", "model_name": "synthetic", "dim": args.dim, "chunking": {}, "latent_source": None,
                "latent_features": 0}
    store = MilvusStore(args.store, cache_rows=0)
    store.overwrite = True
    t = time.perf_counter()
    with store.writing():
        store.create(manifest, encoded, np.zeros((1, args.dim), np.float32))
    build_s = time.perf_counter() - t
    del encoded
    rss_before = rss_mb()
    t = time.perf_counter()
    view = store.load()
    load_s = time.perf_counter() - t
    qrows = rng.choice(args.passages, args.queries, replace=False)
    queries = vectors[qrows] + rng.normal(scale=0.03, size=(args.queries, args.dim)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    pk_row = {int(pk): r for r, pk in enumerate(view.pks.tolist())}  # view row -> synthetic row via pk order
    order = np.asarray([pk_row[pk] for pk in sorted(pk_row)])  # pks were allocated in insertion order
    dense_ms, recall = [], []
    for q in queries:
        t = time.perf_counter()
        hits = view.dense_search(q, 10)
        dense_ms.append((time.perf_counter() - t) * 1000)
        exact = set()
        scores = np.concatenate([vectors[i:i + 50_000] @ q for i in range(0, args.passages, 50_000)])  # row blocks
        for i in np.argpartition(-scores, 10)[:10]:
            exact.add(int(order[i]))
        recall.append(len(exact & set(hits)) / 10)
    kw_ms = []
    for i in qrows[:args.queries]:
        terms = {w: 1.0 for w in tokenize(texts[int(i) % len(texts)][:40])[:6]}
        t = time.perf_counter()
        view.keyword_search(terms, 50)
        kw_ms.append((time.perf_counter() - t) * 1000)
    result = {
        "store": args.store, "passages": len(view.chunks), "documents": len(view.documents),
        "vector_index": store._vector_index(args.passages), "build_s": round(build_s, 1), "load_view_s": round(load_s, 1),
        "dense_p50_ms": round(float(np.percentile(dense_ms, 50)), 2), "dense_p95_ms": round(float(np.percentile(dense_ms, 95)), 2),
        "keyword_p50_ms": round(float(np.percentile(kw_ms, 50)), 2), "keyword_p95_ms": round(float(np.percentile(kw_ms, 95)), 2),
        "recall@10_vs_exact": round(float(np.mean(recall)), 4),
        "app_rss_mb_after_load": round(rss_mb(), 0), "app_rss_mb_before_load": round(rss_before, 0),
        "app_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }
    print(json.dumps(result))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
