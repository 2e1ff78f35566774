"""Search fusion formulas and weights on SQuAD-format benchmarks from precomputed per-question score matrices.

    .venv/bin/python scripts/fusion_sweep.py --bench ../shared/bench

Scores every (question, passage) pair once per channel — passage cosine, best-sentence cosine, BM25
(own tokens for Chinese; corpus-known tokens + CC-CEDICT translations for English) — then evaluates
many fusion formulas as array arithmetic. The chosen formula is then measured through the product
itself with scripts/ablation.py. Prints recall@1 and MRR@10 per setting and formula.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import index as index_store  # noqa: E402
from qa.assistant import chunk_params  # noqa: E402
from qa.bench import CachingEmbedder, load_squad  # noqa: E402
from qa.embed import Embedder  # noqa: E402
from qa.retrieve import keyword_terms  # noqa: E402
from qa.script import detect  # noqa: E402
from qa.settings import Settings  # noqa: E402

SETTINGS = {
    "en-zh": ("xquad.zh.json", "xquad.en.json", None, None),
    "zh-zh": ("xquad.zh.json", None, None, None),
    "hant-q": ("xquad.zh.json", None, "traditional", None),
    "cmrc": ("cmrc2018_trial.json", None, None, None),
}


def channels(bench: Path, name: str, embedder, settings):  # type: ignore[no-untyped-def]
    contexts, questions, qs, cs = SETTINGS[name]
    docs, qlist = load_squad(bench / contexts, bench / questions if questions else None, query_script=qs, corpus_script=cs)
    data = index_store.build(docs, embedder, chunk_params(settings))
    qv = embedder.embed_query([q.question for q in qlist])
    dense = qv @ data.vectors.T
    sent = np.stack([data.best_sentence_scores(list(range(len(data.chunks))), v) for v in qv])
    bm25 = np.stack([data.keyword.score_terms(keyword_terms(data, q.question, detect(q.question)[0])) for q in qlist])
    doc_of = np.array([int(c.doc_id[1:]) for c in data.chunks])
    gold = np.array([int(q.doc_id[1:]) for q in qlist])
    # English only: the question's dictionary translation embedded as a second query
    bags = []
    for q in qlist:
        terms = keyword_terms(data, q.question, detect(q.question)[0])
        bags.append(" ".join(sorted(terms, key=lambda t: -terms[t])) or q.question)
    tr = embedder.embed_query(bags) @ data.vectors.T
    return dense, sent, bm25, tr, doc_of, gold


def evaluate(scores: np.ndarray, doc_of: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    order = np.argsort(-scores, axis=1)[:, :40]
    r1 = mrr = 0.0
    for i in range(len(gold)):
        docs = list(dict.fromkeys(doc_of[order[i]]))
        if gold[i] in docs[:10]:
            rank = docs.index(gold[i]) + 1
            mrr += 1 / rank
            r1 += rank == 1
    return r1 / len(gold), mrr / len(gold)


def formulas(dense, sent, bm25, tr, fine=False):  # type: ignore[no-untyped-def]
    top = bm25.max(axis=1, keepdims=True)
    kw_max = np.divide(bm25, top, out=np.zeros_like(bm25), where=top > 0)
    if fine:
        for s in (0.3, 0.5):
            for t in (0.0, 0.2, 0.35, 0.5):
                d = (1 - s) * dense + s * sent
                d = (1 - t) * d + t * tr
                yield f"dense s={s} t={t}", d
                for w in (0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08):
                    yield f"convex-max s={s} t={t} w={w}", (1 - w) * d + w * kw_max
        return
    for s in (0.0, 0.3, 0.5, 0.7, 1.0):
        d = (1 - s) * dense + s * sent
        yield f"dense s={s}", d
        for w in (0.05, 0.1, 0.2, 0.3):
            yield f"convex-max s={s} w={w}", (1 - w) * d + w * kw_max
        # z-scores per query put both channels on one scale without trusting the top hit alone
        dz = (d - d.mean(1, keepdims=True)) / (d.std(1, keepdims=True) + 1e-9)
        kz = (bm25 - bm25.mean(1, keepdims=True)) / (bm25.std(1, keepdims=True) + 1e-9)
        for w in (0.2, 0.3, 0.4, 0.5):
            yield f"z-sum s={s} w={w}", (1 - w) * dz + w * kz
        rd = np.argsort(np.argsort(-d, axis=1), axis=1)
        rk = np.argsort(np.argsort(-bm25, axis=1), axis=1)
        rk = np.where(bm25 > 0, rk, 10**6)
        yield f"rrf60 s={s}", 1 / (60 + rd) + 1 / (60 + rk)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", type=Path, required=True)
    ap.add_argument("--settings", default=",".join(SETTINGS))
    ap.add_argument("--fine", action="store_true", help="fine grid around the best region instead of the coarse one")
    args = ap.parse_args()
    settings = Settings.load()
    embedder = CachingEmbedder(Embedder.from_settings(settings))
    for name in args.settings.split(","):
        dense, sent, bm25, tr, doc_of, gold = channels(args.bench, name, embedder, settings)
        print(f"== {name}: {len(gold)} questions; keyword-only r@1 {evaluate(bm25, doc_of, gold)[0]:.4f}", flush=True)
        for label, scores in formulas(dense, sent, bm25, tr, args.fine):
            r1, mrr = evaluate(scores, doc_of, gold)
            print(f"{name:8} {label:28} r@1 {r1:.4f} mrr {mrr:.4f}", flush=True)


if __name__ == "__main__":
    main()
