"""Ablation of retrieval components on SQuAD-format benchmarks: each setting x each fusion configuration.

    .venv/bin/python scripts/ablation.py --bench ../shared/bench [--settings en-zh,zh-zh] [--limit N]

Documents are embedded once per setting (cached on disk); questions once per setting; then every
configuration re-ranks with the product's own Assistant.ask, so the numbers are the product's numbers.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import index as index_store  # noqa: E402
from qa.assistant import Assistant, chunk_params  # noqa: E402
from qa.bench import CachingEmbedder, load_squad, run_squad  # noqa: E402
from qa.embed import Embedder  # noqa: E402
from qa.retrieve import FusionWeights  # noqa: E402
from qa.settings import Settings  # noqa: E402

SETTINGS = {
    "en-zh": ("xquad.zh.json", "xquad.en.json", None, None),
    "zh-zh": ("xquad.zh.json", None, None, None),
    "hant-q/hans-corpus": ("xquad.zh.json", None, "traditional", None),
    "hans-q/hant-corpus": ("xquad.zh.json", None, None, "traditional"),
    "cmrc": ("cmrc2018_trial.json", None, None, None),
    "en-q/hant-corpus": ("xquad.zh.json", "xquad.en.json", None, "traditional"),
}

NO_LATENT = dict(latent_zh=0.0, latent_other=0.0)
CONFIGS = {
    "dense passage": dict(zh=0.0, other=0.0, sentence=0.0, **NO_LATENT),
    "+ best sentence": dict(zh=0.0, other=0.0, sentence=0.5, **NO_LATENT),
    "+ keyword (no dictionary)": dict(translate=False, **NO_LATENT),
    "+ CC-CEDICT for English": dict(NO_LATENT),
    "product (+ latent terms)": {},
    "product without keyword": dict(zh=0.0, other=0.0),
    "latent terms only": dict(zh=0.0, other=0.0, sentence=0.0, latent_zh=1.0, latent_other=1.0),
    "keyword only": dict(zh=1.0, other=1.0, sentence=0.0, **NO_LATENT),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", type=Path, required=True)
    ap.add_argument("--settings", default=",".join(SETTINGS))
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--extra", action="append", default=[], help='extra config as JSON, e.g. {"zh":0.4}')
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    settings = Settings.load()
    embedder = CachingEmbedder(Embedder.from_settings(settings))
    configs = {name: CONFIGS[name] for name in args.configs.split(",") if name}
    configs.update({e: json.loads(e) for e in args.extra})
    rows = []
    for name in args.settings.split(","):
        contexts, questions, qs, cs = SETTINGS[name]
        docs, qlist = load_squad(args.bench / contexts, args.bench / questions if questions else None, query_script=qs, corpus_script=cs)
        qlist = qlist[: args.limit] if args.limit else qlist
        data = index_store.build(docs, embedder, chunk_params(settings))  # type: ignore[arg-type]
        assistant = Assistant(settings, embedder, data)  # type: ignore[arg-type]
        assistant.query_cache_size = len(qlist) + 10
        for cname, cfg in configs.items():
            assistant.fusion = FusionWeights(**cfg)
            m = run_squad(assistant, qlist, k=10)
            rows.append((name, cname, m))
            print(f"{name:20} {cname:24} r@1 {m['recall@1']:.4f} r@5 {m['recall@5']:.4f} mrr {m['mrr@10']:.4f} "
                  f"ans@1 {m['answer_hit@1']:.4f} p50 {m['p50_ms']:.1f}ms", flush=True)
    print(json.dumps([{"setting": s, "config": c, **m} for s, c, m in rows], ensure_ascii=False))


if __name__ == "__main__":
    main()
