"""Vector and keyword search at 1k-1M passages: latency, recall vs exact, memory and build time per backend.

    .venv/bin/python scripts/scale_bench.py --contexts ../shared/bench/xquad.zh.json \\
        ../shared/bench/cmrc2018_trial.json ../shared/bench/xquad.en.json --out out/scale.json

Corpus vectors are synthetic but shaped like real ones: each is a real e5 passage vector (from the bench
embedding cache, the project index, or ``--contexts`` embedded here), moved part-way towards one of its 20
nearest real neighbours, plus Gaussian noise with the real vectors' covariance (``--sigma``, calibrated so a
synthetic set the size of the real one has the real set's mean pairwise and nearest-neighbour cosines), then
L2-normalised. Queries are real questions embedded by the production query engine. Ground truth is exact
inner-product search over the same vectors.

Keyword corpus of the same size: each passage is 3 sentences drawn from a pool of real sentences (project
articles and ``--contexts``), tokenised once with the production tokenizer, plus 2 tail terms from a Zipf
vocabulary (names, numbers). The BM25 matrix is built for real at every size; the tokenising that a real
build also does is timed on the pool and extrapolated (reported as such), unless ``--keyword-real-max`` covers
the size. End-to-end latency runs the production functions (embed_query, dense_candidates, keyword_terms,
keyword_candidates, fuse) over these indexes, one question at a time.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.latent import PASSAGE_TERMS, load_head  # noqa: E402
from qa.records import Chunk  # noqa: E402
from qa.vectors import BACKENDS, choose_backend, make_index  # noqa: E402

DIM = 384
CACHE = ROOT / ".cache" / "scale_bench"


# ---- real material ----------------------------------------------------------------------------
def real_vectors(contexts: list[Path]) -> np.ndarray:
    """Real e5 passage/sentence vectors: bench cache, project index, and ``contexts`` (embedded and cached)."""
    parts = [np.load(f, allow_pickle=False) for f in sorted(glob.glob(str(ROOT / ".cache" / "embeddings" / "*" / "*.npy")))]
    pointer = ROOT / "index" / "CURRENT"
    if pointer.exists():
        gen = ROOT / "index" / pointer.read_text().strip()
        parts += [np.load(gen / f, allow_pickle=False) for f in ("vectors.npy", "sentence_vectors.npy") if (gen / f).exists()]
    if contexts and sum(len(p) for p in parts) < 2000:
        from qa import index as index_store
        from qa.assistant import chunk_params
        from qa.bench import CachingEmbedder, load_squad
        from qa.embed import Embedder
        from qa.settings import Settings

        embedder = CachingEmbedder(Embedder.load())
        for path in contexts:
            docs, _ = load_squad(path)
            parts.append(index_store.build(docs, embedder, chunk_params(Settings.load())).vectors)  # type: ignore[arg-type]
    X = np.concatenate([p for p in parts if p.ndim == 2 and p.shape[1] == DIM]).astype(np.float32)
    return np.unique(X, axis=0)


def real_questions(contexts: list[Path], per_file: int) -> list[str]:
    qs = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").read_text("utf-8").splitlines() if line.strip()]
    for path in contexts:
        data = json.loads(Path(path).read_text("utf-8"))
        taken = 0
        for art in data.get("data", []):
            for para in art.get("paragraphs", []):
                if para.get("qas") and taken < per_file:
                    qs.append(para["qas"][0]["question"])  # one per paragraph: spread over topics
                    taken += 1
    return list(dict.fromkeys(qs))


def embed_questions(embedder, questions: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    key = hashlib.sha256((embedder.model_id + "\x00" + "\x00".join(questions)).encode()).hexdigest()[:16]
    path = CACHE / f"queries-{key}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    vecs = np.concatenate([embedder.embed_query(questions[i : i + 64]) for i in range(0, len(questions), 64)])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


def sentence_pool(contexts: list[Path]) -> list[str]:
    from qa.bench import load_squad
    from qa.chunk import paragraph_spans, sentence_spans
    from qa.ingest import list_source_files, load_document

    texts = [load_document(p, max_bytes=5_000_000).text for p in list_source_files(ROOT / "docs_src")]
    for path in contexts:
        texts += [d.text for d in load_squad(path)[0]]
    pool = []
    for text in texts:
        for ps, pe in paragraph_spans(text):
            pool += [text[s:e] for s, e in sentence_spans(text, ps, pe) if e - s >= 8]
    return list(dict.fromkeys(pool))


# ---- synthetic corpus -------------------------------------------------------------------------
def synthetic_vectors(real: np.ndarray, n: int, *, sigma: float, seed: int = 0, batch: int = 100_000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centred = real - real.mean(0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    noise_basis = ((s / np.sqrt(len(real)))[:, None] * vt).astype(np.float32)  # N(0, cov(real)) = z @ this
    sims = real @ real.T
    np.fill_diagonal(sims, -2)
    neighbours = np.argsort(-sims, axis=1)[:, :20]
    del sims
    out = np.empty((n, real.shape[1]), np.float32)
    for a in range(0, n, batch):
        m = min(batch, n - a)
        i = rng.integers(0, len(real), m)
        j = neighbours[i, rng.integers(0, neighbours.shape[1], m)]
        lam = rng.uniform(0, 0.5, m).astype(np.float32)[:, None]
        v = real[i] + lam * (real[j] - real[i]) + sigma * (rng.standard_normal((m, len(s)), dtype=np.float32) @ noise_basis)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[a : a + m] = v
    return out


def shape_stats(vectors: np.ndarray, queries: np.ndarray) -> dict:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -2)
    top = -np.sort(-(queries @ vectors.T), axis=1)
    return {"mean_pair_cos": round(float(sims[sims > -2].mean()), 3),
            "nn_cos_p10_p50_p90": [round(float(x), 3) for x in np.percentile(sims.max(1), [10, 50, 90])],
            "query_top1_cos_p50": round(float(np.median(top[:, 0])), 3)}


class KeywordCorpus:
    """Pool sentences tokenised once; passages are random triples of them plus Zipf tail terms."""

    def __init__(self, pool: list[str]) -> None:
        from qa.keyword import tokenize

        tokenize("预热 warm-up")  # load jieba and OpenCC outside the timing
        t0 = time.perf_counter()
        self.vocab: dict[str, int] = {}
        ids: list[int] = []
        ptr = [0]
        for sentence in pool:
            ids.extend(self.vocab.setdefault(t, len(self.vocab)) for t in tokenize(sentence))
            ptr.append(len(ids))
        self.tokenize_s_per_sentence = (time.perf_counter() - t0) / max(1, len(pool))
        self.ids = np.asarray(ids, np.int32)
        self.ptr = np.asarray(ptr, np.int64)
        self.pool = pool

    def build(self, n: int, seed: int = 0):  # type: ignore[no-untyped-def]
        import scipy.sparse as sp

        from qa.keyword import KeywordIndex

        rng = np.random.default_rng(seed)
        picks = rng.integers(0, len(self.pool), (n, 3)).ravel()
        lens = self.ptr[picks + 1] - self.ptr[picks]
        starts = np.repeat(self.ptr[picks] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        rows = self.ids[starts + np.arange(int(lens.sum()))]
        cols = np.repeat(np.arange(n, dtype=np.int32), lens.reshape(n, 3).sum(1))
        del starts, picks
        n_tail = max(1000, n // 2)
        tail = len(self.vocab) + np.minimum(rng.zipf(1.3, 2 * n) - 1, n_tail - 1).astype(np.int32)
        rows = np.concatenate([rows, tail])
        cols = np.concatenate([cols, np.repeat(np.arange(n, dtype=np.int32), 2)])
        counts = sp.coo_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(self.vocab) + n_tail, n)).tocsr()
        del rows, cols
        counts.sum_duplicates()
        counts.sort_indices()
        return KeywordIndex(dict(self.vocab), counts, k1=1.5, b=0.75)


class ScaleData:
    """The parts of IndexData that retrieval touches, over synthetic passages (one sentence each)."""

    class _Chunks:
        def __init__(self, n: int) -> None:
            self.n = n

        def __len__(self) -> int:
            return self.n

        def __getitem__(self, row: int) -> Chunk:
            return Chunk(row, f"d{row}", 1, 0, 1, "x", ((0, 1),))

    def __init__(self, vectors: np.ndarray, vector_index, keyword, latent) -> None:  # type: ignore[no-untyped-def]
        self.vectors, self.vector_index, self.keyword, self.latent = vectors, vector_index, keyword, latent
        self.chunks = self._Chunks(len(vectors))

    def best_sentence_scores(self, rows: list[int], qvec: np.ndarray) -> np.ndarray:
        return self.vectors[rows] @ qvec


# ---- measuring --------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3) if values else float("nan")


def index_bytes(index) -> int:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v.faiss"
        index.save(path)
        return path.stat().st_size


def keyword_bytes(kw) -> int:  # type: ignore[no-untyped-def]
    c = kw._counts
    return int(c.data.nbytes + c.indices.nbytes + c.indptr.nbytes + kw._weights.nbytes + kw.doc_len.nbytes)


def search_stats(index, queries: np.ndarray, truth: np.ndarray, n_queries: int) -> dict:  # type: ignore[no-untyped-def]
    lat, found = [], []
    for q in queries[:n_queries]:
        t = time.perf_counter()
        _, ids = index.search(q[None, :], 50)
        lat.append((time.perf_counter() - t) * 1000)
        found.append(ids[0])
    m = len(found)
    return {"p50_ms": pct(lat, 50), "p95_ms": pct(lat, 95), "queries": m,
            "recall@10": round(float(np.mean([len(set(found[i][:10]) & set(truth[i, :10])) / 10 for i in range(m)])), 4),
            # retrieval asks for 50 candidates and re-scores them exactly, so this is the recall it gets
            "recall@10_after_rescoring_50": round(float(np.mean([len(set(found[i]) & set(truth[i, :10])) / 10 for i in range(m)])), 4)}


def build_timed(name: str, vectors: np.ndarray, **kw):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    index = BACKENDS[name](DIM, len(vectors), **kw)  # type: ignore[call-arg]
    index.add(vectors)
    return index, round(time.perf_counter() - t, 2)


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def synthetic_latent(n: int, features: int, per_row: int, seed: int = 0, batch: int = 100_000):  # type: ignore[no-untyped-def]
    """Latent terms of the stored size and shape: ``per_row`` features per passage (Zipf-skewed, as real
    activations concentrate on common features), float32 values, L2-normalised rows."""
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, features + 1) ** 0.8
    weights /= weights.sum()
    parts = []
    for start in range(0, n, batch):
        m = min(batch, n - start)
        cols = np.sort(rng.choice(features, size=(m, per_row), p=weights), axis=1)
        vals = rng.random((m, per_row), dtype=np.float32) + 0.1
        vals /= np.linalg.norm(vals, axis=1, keepdims=True)
        parts.append(sp.csr_matrix((vals.ravel(), cols.ravel(), np.arange(0, m * per_row + 1, per_row)), shape=(m, features)))
    matrix = sp.vstack(parts, format="csr")
    matrix.sum_duplicates()  # the same feature drawn twice in a row becomes one entry
    return matrix


def end_to_end(data: ScaleData, embedder, questions: list[str], n_queries: int) -> dict:  # type: ignore[no-untyped-def]
    from qa.retrieve import FusionWeights, dense_candidates, fuse, keyword_candidates, keyword_terms
    from qa.script import detect

    fusion = FusionWeights()
    stages: dict[str, list[float]] = {k: [] for k in ("embed", "vector_search", "keyword_search", "keyword_search_all", "fusion",
                                                      "retrieval", "total")}
    for question in questions[:n_queries]:
        t0 = time.perf_counter()
        language, _ = detect(question)
        qvecs, qlatent = embedder.embed_query_with_latent([question])
        qvec = qvecs[0]
        t1 = time.perf_counter()
        dense = dense_candidates(data, qvec, fusion.candidates)  # type: ignore[arg-type]
        t2 = time.perf_counter()
        weight = fusion.keyword_weight(language)
        terms = keyword_terms(data, question, language, fusion.translate)  # type: ignore[arg-type]
        keyword = keyword_candidates(data, terms, fusion.candidates) if weight > 0 else {}  # type: ignore[arg-type]
        t3 = time.perf_counter()
        fuse(data, qvec, dense, keyword, weight, fusion.sentence, qlatent, fusion.latent_weight(language))  # type: ignore[arg-type]
        t4 = time.perf_counter()
        if weight <= 0:  # the product skips keywords for this language; time them anyway for the table
            ts = time.perf_counter()
            keyword_candidates(data, terms, fusion.candidates)  # type: ignore[arg-type]
            stages["keyword_search_all"].append((time.perf_counter() - ts) * 1000 + (t3 - t2) * 1000)
        else:
            stages["keyword_search_all"].append((t3 - t2) * 1000)
        for key, a, b in (("embed", t0, t1), ("vector_search", t1, t2), ("keyword_search", t2, t3), ("fusion", t3, t4),
                          ("retrieval", t1, t4), ("total", t0, t4)):
            stages[key].append((b - a) * 1000)
    return {k: {"p50_ms": pct(v, 50), "p95_ms": pct(v, 95)} for k, v in stages.items()} | {"queries": len(stages["total"])}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated passage counts")
    p.add_argument("--contexts", nargs="*", type=Path, default=[], help="SQuAD JSON files: questions, sentences, real vectors")
    p.add_argument("--sigma", type=float, default=0.45, help="noise scale, in units of the real vectors' spread")
    p.add_argument("--queries", type=int, default=300, help="questions for latency and recall")
    p.add_argument("--flat-queries-large", type=int, default=50, help="queries for exact search at >= 500k (slow)")
    p.add_argument("--nprobe-sweep", default="16,32,64,128", help="extra nprobe values to report for ivf_sq")
    p.add_argument("--hnsw-max", type=int, default=10_000, help="also build the hnsw backend up to this size (slow to build)")
    p.add_argument("--keyword-real-max", type=int, default=10_000, help="also build KeywordIndex.build() from text up to this size")
    p.add_argument("--threads", type=int, default=0, help="FAISS threads for building (0 = all cores); search is one query at a time")
    p.add_argument("--out", type=Path, help="write the JSON result here")
    args = p.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import faiss

    from qa.embed import Embedder

    if args.threads:
        faiss.omp_set_num_threads(args.threads)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    embedder = Embedder.load()
    real = real_vectors(args.contexts)
    questions = real_questions(args.contexts, per_file=max(1, args.queries // max(1, len(args.contexts) or 1)))
    qvecs = embed_questions(embedder, questions)
    order = np.random.default_rng(0).permutation(len(questions))  # mix languages in every prefix
    questions, qvecs = [questions[i] for i in order], qvecs[order]
    log(f"{len(real)} real vectors, {len(questions)} questions")
    pool = sentence_pool(args.contexts)
    kwc = KeywordCorpus(pool)
    log(f"keyword pool: {len(pool)} sentences, {len(kwc.vocab)} terms, tokenize {kwc.tokenize_s_per_sentence * 1000:.2f} ms/sentence")

    t = time.perf_counter()
    corpus = synthetic_vectors(real, max(sizes), sigma=args.sigma)
    result: dict = {
        "setup": {"real_vectors": len(real), "questions": len(questions), "sigma": args.sigma,
                  "generate_s": round(time.perf_counter() - t, 1), "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
                  "env": {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "QA_THREADS")},
                  "shape_real": shape_stats(real, qvecs),
                  "shape_synthetic_same_size": shape_stats(synthetic_vectors(real, len(real), sigma=args.sigma, seed=7), qvecs),
                  "pool_sentences": len(pool), "pool_terms": len(kwc.vocab),
                  "tokenize_ms_per_passage": round(3 * kwc.tokenize_s_per_sentence * 1000, 3)},
        "sizes": [],
    }
    real_rate = 0.0
    for n in sizes:
        vectors = corpus[:n]
        row: dict = {"n": n, "chosen_backend": choose_backend(n)}
        nq = min(args.queries, len(questions))
        t = time.perf_counter()
        _, truth = faiss.knn(qvecs[:nq], vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
        row["ground_truth_s"] = round(time.perf_counter() - t, 1)
        log(f"n={n}: ground truth {row['ground_truth_s']} s")

        flat, build_s = build_timed("flat", vectors)
        row["flat"] = {"build_s": build_s, "bytes": index_bytes(flat)} | search_stats(
            flat, qvecs, truth, nq if n < 500_000 else min(nq, args.flat_queries_large))
        del flat
        log(f"  flat {row['flat']}")
        if n >= 2000:
            ivf, build_s = build_timed("ivf_sq", vectors)
            row["ivf_sq"] = {"build_s": build_s, "bytes": index_bytes(ivf), **ivf.describe()} | search_stats(ivf, qvecs, truth, nq)
            log(f"  ivf_sq {row['ivf_sq']}")
            sweep = {}
            default_probe = ivf._index.nprobe
            for probe in sorted({int(x) for x in args.nprobe_sweep.split(",")}):
                if probe <= ivf._index.nlist:
                    ivf._index.nprobe = probe
                    sweep[probe] = search_stats(ivf, qvecs, truth, nq)
            ivf._index.nprobe = default_probe
            row["ivf_sq_nprobe_sweep"] = sweep
            log(f"  sweep {sweep}")
        if n <= args.hnsw_max and n >= 2000:
            hnsw, build_s = build_timed("hnsw", vectors)
            row["hnsw"] = {"build_s": build_s, "bytes": index_bytes(hnsw), **hnsw.describe()} | search_stats(hnsw, qvecs, truth, nq)
            del hnsw
            log(f"  hnsw {row['hnsw']}")

        t = time.perf_counter()
        keyword = kwc.build(n)
        row["keyword"] = {"matrix_build_s": round(time.perf_counter() - t, 2), "bytes": keyword_bytes(keyword),
                          "nnz": int(keyword._counts.nnz),
                          "tokenize_s_extrapolated": round(n * 3 * kwc.tokenize_s_per_sentence, 1)}
        if n <= args.keyword_real_max:
            from qa.keyword import KeywordIndex

            rng = np.random.default_rng(1)
            texts = [" ".join(pool[i] for i in rng.integers(0, len(pool), 3)) for _ in range(n)]
            t = time.perf_counter()
            KeywordIndex.build(texts)
            row["keyword"]["real_build_s"] = round(time.perf_counter() - t, 2)
            real_rate = row["keyword"]["real_build_s"] / n  # seconds per passage of KeywordIndex.build from text
        elif real_rate:
            row["keyword"]["real_build_s_extrapolated"] = round(n * real_rate, 1)
        chosen = ivf if row["chosen_backend"] == "ivf_sq" else make_index(DIM, n, backend="flat")
        if row["chosen_backend"] == "flat":
            chosen.add(vectors)
        t = time.perf_counter()
        latent = synthetic_latent(n, load_head().features, PASSAGE_TERMS)
        row["latent"] = {"build_s_synthetic": round(time.perf_counter() - t, 2), "per_passage": PASSAGE_TERMS,
                         "bytes": int(latent.data.nbytes + latent.indices.nbytes + latent.indptr.nbytes)}
        row["end_to_end"] = end_to_end(ScaleData(vectors, chosen, keyword, latent), embedder, questions, nq)
        del latent
        row["rss_peak_mb"] = rss_mb()
        log(f"  keyword {row['keyword']}\n  e2e {row['end_to_end']}")
        result["sizes"].append(row)
        del keyword, chosen
        if n >= 2000:
            del ivf
    result["setup"]["loadavg_end"] = os.getloadavg()
    print_table(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1))
    return 0


def print_table(result: dict) -> None:
    head = f"{'passages':>9} {'backend':>7} {'build s':>8} {'index MB':>8} {'vec p50':>8} {'vec p95':>8} {'recall@10':>9} {'r@10 resc':>9} " \
           f"{'kw p50':>7} {'kw MB':>6} {'retr p50':>8} {'e2e p50':>8} {'e2e p95':>8}"
    print(head)
    for row in result["sizes"]:
        kw, e2e = row["keyword"], row["end_to_end"]
        for name in ("flat", "ivf_sq", "hnsw"):
            if name not in row:
                continue
            r = row[name]
            chosen = name == row["chosen_backend"]
            print(f"{row['n']:>9} {name + ('*' if chosen else ''):>7} {r['build_s']:>8} {r['bytes'] / 1e6:>8.0f} {r['p50_ms']:>8} {r['p95_ms']:>8} "
                  f"{r['recall@10']:>9} {r['recall@10_after_rescoring_50']:>9} "
                  + (f"{e2e['keyword_search_all']['p50_ms']:>7} {kw['bytes'] / 1e6:>6.0f} {e2e.get('retrieval', {}).get('p50_ms', '-'):>8} "
                     f"{e2e['total']['p50_ms']:>8} {e2e['total']['p95_ms']:>8}" if chosen else ""))
    print("* = the backend make_index() chooses at that size; retr = vector + keyword + fusion; e2e = embed + retr "
          "(production functions, one question at a time)")


if __name__ == "__main__":
    raise SystemExit(main())
