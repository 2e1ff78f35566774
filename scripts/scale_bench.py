"""Vector and keyword search at 1k-1M passages: latency, recall vs exact, memory and build time per backend.

    .venv/bin/python scripts/scale_bench.py --contexts ../shared/bench/xquad.zh.json \\
        ../shared/bench/cmrc2018_trial.json ../shared/bench/xquad.en.json --out out/scale.json

Corpus vectors are synthetic but shaped like real ones: each is a real e5 passage vector (from the bench
embedding cache, the project index, or ``--contexts`` embedded here), moved part-way towards one of its 20
nearest real neighbours, plus Gaussian noise with the real vectors' covariance (``--sigma``, calibrated so a
synthetic set the size of the real one has the real set's mean pairwise and nearest-neighbour cosines), then
L2-normalised. Queries are real questions embedded as the product embeds them (``QueryAnalyser``). Ground truth is exact
inner-product search over the same vectors.

Keyword corpus of the same size: each passage is 3 sentences drawn from a pool of real sentences (project
articles and ``--contexts``), tokenised once with the production tokenizer, plus 2 tail terms from a Zipf
vocabulary (names, numbers). The BM25 matrix is built for real at every size; the tokenising that a real
build also does is timed on the pool and extrapolated (reported as such), unless ``--keyword-real-max`` covers
the size. End-to-end latency is the product's own search path: the synthetic parts are put together as a real
store snapshot (``qa.store.snapshot.Snapshot``: one one-sentence passage per synthetic vector, grouped 1,000 to a
document) and ``Assistant.search`` runs over it, one question at a time, with its per-stage timings (detect, embed,
vector_search, keyword_search, fusion, abstain).

Large float32 products are done in row blocks (``BLOCK`` rows at a time): one big ``real @ real.T`` has crashed
OpenBLAS on the development box and the full similarity matrix with its argsort does not fit in memory.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from qa.encoder.latent import PASSAGE_TERMS
from qa.evaluation.metrics import percentiles
from qa.records import Chunk, Document
from qa.settings import Settings, is_local_store
from qa.store.vectors import BACKENDS, choose_backend, make_index

ROOT = Path(__file__).resolve().parent.parent
DIM = 384
CACHE = ROOT / ".cache" / "scale_bench"
BLOCK = 2048  # rows per float32 matrix product
PASSAGES_PER_DOCUMENT = 1000


# ---- real material ----------------------------------------------------------------------------
def real_vectors(contexts: list[Path], settings: Settings, encoder) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Real e5 passage/sentence vectors: bench cache, project index, and ``contexts`` (embedded and cached)."""
    parts = [np.load(f, allow_pickle=False) for f in sorted(glob.glob(str(ROOT / ".cache" / "embeddings" / "*" / "*.npy")))]
    pointer = ROOT / "index" / "CURRENT"
    if pointer.exists():
        gen = ROOT / "index" / pointer.read_text().strip()
        parts += [np.load(gen / f, allow_pickle=False) for f in ("vectors.npy", "sentence_vectors.npy") if (gen / f).exists()]
    if contexts and sum(len(p) for p in parts) < 2000:
        from qa.build import encode_documents
        from qa.chunk import ChunkParams
        from qa.encoder.wrappers import CachingEncoder
        from qa.evaluation.squad import load_squad

        caching = CachingEncoder(encoder, settings.cache_dir)  # the bench cache: the next run finds them above
        for path in contexts:
            docs, _ = load_squad(path)
            parts += [e.vectors for e in encode_documents(docs, caching, ChunkParams.from_settings(settings))]
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


def embed_questions(settings: Settings, encoder, questions: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Question vectors as the product makes them (``QueryAnalyser``: Simplified script, the question engine)."""
    from qa.abstain import AbstainPolicy
    from qa.assistant import clean_question
    from qa.search import QueryAnalyser, Ranking

    key = hashlib.sha256((encoder.model_id + "\x00v2\x00" + "\x00".join(questions)).encode()).hexdigest()[:16]
    path = CACHE / f"queries-{key}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    analyser = QueryAnalyser(encoder, 0, settings.cache_dir)
    ranking, policy = Ranking.from_settings(settings), AbstainPolicy.from_settings(settings)
    vecs = np.stack([analyser.analyse(clean_question(q, settings.max_question_chars), ranking, policy).vector for q in questions])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


def sentence_pool(contexts: list[Path]) -> list[str]:
    from qa.evaluation.squad import load_squad
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
def nearest(a: np.ndarray, b: np.ndarray, k: int, *, same: bool = False) -> tuple[np.ndarray, np.ndarray, float]:
    """Top-``k`` rows of ``b`` by inner product for each row of ``a`` (unordered), their scores, and the mean
    score over all pairs; ``same``: ``a`` is ``b``, a row is not its own neighbour. Computed ``BLOCK`` rows at a time."""
    k = min(k, len(b) - int(same))
    idx = np.empty((len(a), k), np.int64)
    val = np.empty((len(a), k), np.float32)
    total, pairs = 0.0, 0
    for start in range(0, len(a), BLOCK):
        sims = a[start : start + BLOCK] @ b.T
        m = len(sims)
        total += float(sims.sum(dtype=np.float64))
        pairs += sims.size
        if same:
            diag = (np.arange(m), start + np.arange(m))
            total -= float(sims[diag].sum(dtype=np.float64))
            pairs -= m
            sims[diag] = -np.inf
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        idx[start : start + m] = part
        val[start : start + m] = np.take_along_axis(sims, part, axis=1)
    return idx, val, total / max(1, pairs)


def synthetic_vectors(real: np.ndarray, n: int, *, sigma: float, seed: int = 0, batch: int = 8 * BLOCK) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centred = real - real.mean(0)
    cov = np.zeros((real.shape[1], real.shape[1]), np.float64)
    for a in range(0, len(real), BLOCK):
        cov += centred[a : a + BLOCK].T.astype(np.float64) @ centred[a : a + BLOCK]
    w, v = np.linalg.eigh(cov / len(real))
    noise_basis = (np.sqrt(np.clip(w, 0, None))[:, None] * v.T).astype(np.float32)  # N(0, cov(real)) = z @ this
    neighbours, _, _ = nearest(real, real, 20, same=True)
    out = np.empty((n, real.shape[1]), np.float32)
    for a in range(0, n, batch):
        m = min(batch, n - a)
        i = rng.integers(0, len(real), m)
        j = neighbours[i, rng.integers(0, neighbours.shape[1], m)]
        lam = rng.uniform(0, 0.5, m).astype(np.float32)[:, None]
        v = real[i] + lam * (real[j] - real[i]) + sigma * (rng.standard_normal((m, len(w)), dtype=np.float32) @ noise_basis)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[a : a + m] = v
    return out


def shape_stats(vectors: np.ndarray, queries: np.ndarray, sample: int = 5000) -> dict:
    """Mean pairwise and nearest-neighbour cosines over at most ``sample`` rows; questions' top-1 over all rows."""
    rows = vectors
    if len(vectors) > sample:
        rows = vectors[np.sort(np.random.default_rng(0).choice(len(vectors), sample, replace=False))]
    _, nn, mean_pair = nearest(rows, rows, 1, same=True)
    _, top, _ = nearest(queries, vectors, 1)
    return {"mean_pair_cos": round(mean_pair, 3), "pair_sample": len(rows),
            "nn_cos_p10_p50_p90": [round(float(x), 3) for x in np.percentile(nn[:, 0], [10, 50, 90])],
            "query_top1_cos_p50": round(float(np.median(top[:, 0])), 3)}


class KeywordCorpus:
    """Pool sentences tokenised once; passages are random triples of them plus Zipf tail terms."""

    def __init__(self, pool: list[str]) -> None:
        from qa.text.tokens import tokenize

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
        from qa.store.bm25 import KeywordIndex

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


def synthetic_snapshot(vectors: np.ndarray, vector_index, keyword, latent: sp.csr_matrix, manifest: dict):  # type: ignore[no-untyped-def]
    """A real store snapshot over the synthetic parts: passage i is one sentence, its vector is row i (passage and
    sentence vector alike); passages are grouped ``PASSAGES_PER_DOCUMENT`` to a document, joined by newlines.

    The passage texts are placeholders (``s<i>``): search reads the keyword index and vectors, never the text."""
    from qa.store.snapshot import Snapshot

    n = len(vectors)
    documents: dict[str, Document] = {}
    chunks: list[Chunk] = []
    sentence_rows: dict[tuple[str, int, int], int] = {}
    for first in range(0, n, PASSAGES_PER_DOCUMENT):
        doc_id = f"d{first // PASSAGES_PER_DOCUMENT:05d}"
        texts = [f"s{row}." for row in range(first, min(n, first + PASSAGES_PER_DOCUMENT))]
        text = "\n".join(texts)
        offset = 0
        for row, passage in enumerate(texts, first):
            span = (offset, offset + len(passage))
            chunks.append(Chunk(row, doc_id, 1, span[0], span[1], passage, (span,)))
            sentence_rows[(doc_id, *span)] = row
            offset = span[1] + 1
        documents[doc_id] = Document(doc_id, doc_id + ".txt", doc_id, None, "simplified", "zh", text,
                                     hashlib.sha256(text.encode()).hexdigest())
    manifest = {**manifest, "vector_backend": vector_index.kind, "n_chunks": n, "n_sentences": n,
                "documents": {d.doc_id: {"sha256": d.sha256, "path": d.path, "title": d.title} for d in documents.values()}}
    return Snapshot(manifest, documents, chunks, vectors, vectors, sentence_rows, vector_index, keyword, latent)


# ---- measuring --------------------------------------------------------------------------------
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
    p = percentiles(lat)
    return {"p50_ms": p["p50"], "p95_ms": p["p95"], "queries": m,
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


STAGES = ("detect", "embed", "vector_search", "keyword_search", "fusion", "abstain")


def end_to_end(assistant, questions: list[str], n_queries: int) -> dict:  # type: ignore[no-untyped-def]
    """``Assistant.search`` (k=10) per question, timed by its own Stopwatch; retrieval = vector + keyword + fusion."""
    from qa.assistant import clean_question
    from qa.search import Stopwatch

    assistant.warm_up()  # jieba, langdetect, CC-CEDICT, the question engine: not part of a question's cost
    stages: dict[str, list[float]] = {k: [] for k in (*STAGES, "retrieval", "total")}
    abstained = 0
    for question in questions[:n_queries]:
        question = clean_question(question, assistant.settings.max_question_chars)
        watch = Stopwatch()
        result = assistant.search(question, k=10, watch=watch)
        timings = watch.total()
        for stage in STAGES:
            stages[stage].append(timings.get(stage, 0.0))
        stages["retrieval"].append(sum(timings.get(s, 0.0) for s in ("vector_search", "keyword_search", "fusion")))
        stages["total"].append(timings["total"])
        abstained += assistant.policy.decide(result.query.language, result.evidence)
    return ({k: {f"{q}_ms": x for q, x in percentiles(v).items()} for k, v in stages.items()}
            | {"queries": len(stages["total"]), "abstained": abstained})


def milvus_sizes(args: argparse.Namespace) -> int:
    """Each size through scripts/milvus_scale.py (build into the store, then measure as an app worker)."""
    if not args.contexts:
        print("scale_bench --store: give --contexts (SQuAD JSON files: the passages' texts and the questions)", file=sys.stderr)
        return 2
    runs = []
    for n in sorted(int(s) for s in args.sizes.split(",")):
        cmd = [sys.executable, str(ROOT / "scripts" / "milvus_scale.py"), "--store", args.store, "--passages", str(n),
               "--queries", str(args.queries), "--with-model", "--contexts", *map(str, args.contexts)]
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)  # its progress goes to stderr
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"store": args.store, "runs": runs}, indent=1))
    return 0


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
    p.add_argument("--store", default="local", help="local (FAISS in this process, the default), or a Milvus Lite "
                   "folder / http://host:port: each size is then built into that store and measured from a fresh "
                   "process, an app worker's (scripts/milvus_scale.py); its qa_* collections are replaced")
    args = p.parse_args(argv)
    if not is_local_store(args.store):
        return milvus_sizes(args)
    from qa.process import apply_defaults

    apply_defaults()  # as the product's entry points do (offline hubs, passive OpenMP waits): before faiss loads

    import faiss

    from qa.assistant import Assistant
    from qa.build import manifest_for
    from qa.chunk import ChunkParams
    from qa.encoder import load_encoder
    from qa.store.local import LocalStore

    if args.threads:
        faiss.omp_set_num_threads(args.threads)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    settings = Settings.load()
    encoder = load_encoder(settings)
    forced_backend = None if settings.vector_backend == "auto" else settings.vector_backend
    real = real_vectors(args.contexts, settings, encoder)
    questions = real_questions(args.contexts, per_file=max(1, args.queries // max(1, len(args.contexts) or 1)))
    qvecs = embed_questions(settings, encoder, questions)
    manifest = manifest_for(encoder, ChunkParams.from_settings(settings), None)
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
        row: dict = {"n": n, "chosen_backend": forced_backend or choose_backend(n, settings.vector_approx_threshold)}
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
            from qa.store.bm25 import KeywordIndex

            rng = np.random.default_rng(1)
            texts = [" ".join(pool[i] for i in rng.integers(0, len(pool), 3)) for _ in range(n)]
            t = time.perf_counter()
            KeywordIndex.build(texts)
            row["keyword"]["real_build_s"] = round(time.perf_counter() - t, 2)
            real_rate = row["keyword"]["real_build_s"] / n  # seconds per passage of KeywordIndex.build from text
        elif real_rate:
            row["keyword"]["real_build_s_extrapolated"] = round(n * real_rate, 1)
        if row["chosen_backend"] == "ivf_sq" and n >= 2000:
            chosen = ivf
        else:
            chosen = make_index(DIM, n, backend=row["chosen_backend"])
            chosen.add(vectors)
        t = time.perf_counter()
        if encoder.latent_features:
            latent = synthetic_latent(n, encoder.latent_features, PASSAGE_TERMS)
        else:
            latent = sp.csr_matrix((n, 0), dtype=np.float32)
        row["latent"] = {"build_s_synthetic": round(time.perf_counter() - t, 2), "per_passage": PASSAGE_TERMS,
                         "bytes": int(latent.data.nbytes + latent.indices.nbytes + latent.indptr.nbytes)}
        t = time.perf_counter()
        snapshot = synthetic_snapshot(vectors, chosen, keyword, latent, manifest)
        row["snapshot_s"] = round(time.perf_counter() - t, 2)
        assistant = Assistant(settings.replace(query_cache_size=0), encoder, LocalStore(None), snapshot)
        row["end_to_end"] = end_to_end(assistant, questions, nq)
        del assistant, snapshot, latent
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
                  + (f"{e2e['keyword_search']['p50_ms']:>7} {kw['bytes'] / 1e6:>6.0f} {e2e['retrieval']['p50_ms']:>8} "
                     f"{e2e['total']['p50_ms']:>8} {e2e['total']['p95_ms']:>8}" if chosen else ""))
    print("* = the backend the product's settings choose at that size; retr = vector + keyword + fusion; "
          "e2e = Assistant.search, one question at a time")
    print()
    stages = (*STAGES, "retrieval", "total")
    print(f"{'passages':>9} {'backend':>7} " + " ".join(f"{s:>15}" for s in stages) + "   (p50 / p95 ms)")
    for row in result["sizes"]:
        cells = [f"{row['end_to_end'][s]['p50_ms']} / {row['end_to_end'][s]['p95_ms']}" for s in stages]
        print(f"{row['n']:>9} {row['chosen_backend']:>7} " + " ".join(f"{c:>15}" for c in cells))


if __name__ == "__main__":
    raise SystemExit(main())
