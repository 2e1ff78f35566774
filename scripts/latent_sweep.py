"""Measure the latent-term channel, split keyword weights and pseudo-relevance feedback on SQuAD-format benchmarks.

    .venv/bin/python scripts/latent_sweep.py --bench ../shared/bench [--settings en-zh,zh-zh,cmrc]

Every (question, passage) pair is scored once per channel with the product's own code (index.build,
Embedder.embed_query_with_latent, keyword_terms): passage cosine, best-sentence cosine, BM25 of the question's
own corpus-known tokens, BM25 of its CC-CEDICT translations, latent-term cosine. Formulas are then array
arithmetic. Each line also gives the two halves of the paragraphs (they come in article order, so mostly whole
articles): a setting is only worth keeping if it helps on both. The product's choice is re-measured end to
end with `qa bench squad` (see README).
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
from qa.keyword import tokenize  # noqa: E402
from qa.retrieve import FusionWeights, keyword_terms  # noqa: E402
from qa.script import detect, to_simplified  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.translate import translate_query  # noqa: E402

SETTINGS = {
    "en-zh": ("xquad.zh.json", "xquad.en.json"),
    "zh-zh": ("xquad.zh.json", None),
    "cmrc": ("cmrc2018_trial.json", None),
}


def ranks(scores: np.ndarray, doc_of: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Rank (1-based, by first passage of each paragraph) of the gold paragraph; 99 when not in the top 10."""
    order = np.argsort(-scores, axis=1)[:, :40]
    out = np.full(len(gold), 99)
    for i in range(len(gold)):
        docs = list(dict.fromkeys(doc_of[order[i]]))
        if gold[i] in docs[:10]:
            out[i] = docs.index(gold[i]) + 1
    return out


def report(label: str, r: np.ndarray, halves: list[np.ndarray]) -> None:
    def fmt(sel: np.ndarray) -> str:
        return f"{(r[sel] == 1).mean():.4f}/{np.where(r[sel] <= 10, 1 / r[sel], 0).mean():.4f}"

    print(f"{label:44} r@1/mrr {fmt(np.arange(len(r)))}   halves {fmt(halves[0])} {fmt(halves[1])}", flush=True)


def max_normalised(m: np.ndarray) -> np.ndarray:
    top = m.max(axis=1, keepdims=True)
    return np.divide(m, top, out=np.zeros_like(m), where=top > 0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", type=Path, required=True)
    ap.add_argument("--settings", default=",".join(SETTINGS))
    args = ap.parse_args()
    settings = Settings.load()
    fw = FusionWeights()
    embedder = CachingEmbedder(Embedder.from_settings(settings))
    for name in args.settings.split(","):
        contexts, questions = SETTINGS[name]
        docs, qlist = load_squad(args.bench / contexts, args.bench / questions if questions else None)
        data = index_store.build(docs, embedder, chunk_params(settings))
        qv, qlat = embedder.embed_query_with_latent([to_simplified(q.question) for q in qlist])
        vocab = data.keyword.vocab
        lang = [detect(q.question)[0] for q in qlist]
        own = max_normalised(np.stack([data.keyword.score_terms(
            {t: 1.0 for t in tokenize(q.question) if lg == "zh" or t in vocab}) for q, lg in zip(qlist, lang)]))
        translated = max_normalised(np.stack([data.keyword.score_terms(
            translate_query(q.question, vocab) if lg != "zh" else {}) for q, lg in zip(qlist, lang)]))
        combined = max_normalised(np.stack([data.keyword.score_terms(keyword_terms(data, q.question, lg)) for q, lg in zip(qlist, lang)]))
        rows = list(range(len(data.chunks)))
        dense = (1 - fw.sentence) * (qv @ data.vectors.T) + fw.sentence * np.stack([data.best_sentence_scores(rows, v) for v in qv])
        latent = (qlat @ data.latent.T).toarray() if qlat is not None else np.zeros_like(dense)
        doc_of = np.array([int(c.doc_id[1:]) for c in data.chunks])
        gold = np.array([int(q.doc_id[1:]) for q in qlist])
        half = gold * 2 // len(docs)
        halves = [np.where(half == 0)[0], np.where(half == 1)[0]]
        zh = np.array([[lg == "zh"] for lg in lang])
        w = np.where(zh, fw.zh, fw.other)
        base = (1 - w) * dense + w * combined
        print(f"== {name}: {len(gold)} questions, {len(data.chunks)} passages", flush=True)
        report("dense (passage + best sentence)", ranks(dense, doc_of, gold), halves)
        report("latent terms only", ranks(latent, doc_of, gold), halves)
        report("dense + keyword (product before latent)", ranks(base, doc_of, gold), halves)
        for g in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
            report(f"+ latent g={g}", ranks((1 - g) * base + g * latent, doc_of, gold), halves)
        if not zh.all():
            for w_own in (0.02, 0.03, 0.05, 0.08, 0.12):
                for w_tr in (0.0, 0.02, 0.03, 0.05):
                    split = (1 - w_own - w_tr) * dense + w_own * own + w_tr * translated
                    report(f"split own={w_own} tr={w_tr} + latent 0.2", ranks(0.8 * split + 0.2 * latent, doc_of, gold), halves)
        # pseudo-relevance feedback (Rocchio in embedding space) on top of the product score
        g = np.where(zh, fw.latent_zh, fw.latent_other)
        product = (1 - g) * base + g * latent
        report("product", ranks(product, doc_of, gold), halves)
        order = np.argsort(-product, axis=1)
        for m in (2, 3):
            for beta in (0.2, 0.5):
                q2 = qv + beta * data.vectors[order[:, :m]].mean(axis=1)
                q2 /= np.linalg.norm(q2, axis=1, keepdims=True)
                d2 = (1 - fw.sentence) * (q2 @ data.vectors.T) + fw.sentence * np.stack([data.best_sentence_scores(rows, v) for v in q2])
                report(f"product + rocchio m={m} beta={beta}", ranks((1 - g) * ((1 - w) * d2 + w * combined) + g * latent, doc_of, gold), halves)


if __name__ == "__main__":
    main()
