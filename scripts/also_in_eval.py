"""Measure the "also reported in" rule on labelled paragraph pairs (qa/evaluation/also_in.py).

    python scripts/also_in_eval.py --draft /tmp/candidates.jsonl      # pairs worth reading (unlabelled)
    python scripts/also_in_eval.py eval/also_in_pairs.jsonl [--json]  # precision / recall, and a settings grid
"""
from __future__ import annotations

import argparse
import json
import sys

from qa import Assistant
from qa.also_in import AlsoInRule
from qa.evaluation.also_in import GRID, evaluate, read_labels, score_pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labels", nargs="?", help="labelled pairs (jsonl)")
    ap.add_argument("--draft", help="write candidate pairs (best sentence cosine >= --min or a shared figure) to this jsonl")
    ap.add_argument("--min", type=float, default=0.92)
    ap.add_argument("--docs")
    ap.add_argument("--index")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    overrides = {k: v for k, v in (("docs_dir", args.docs), ("index_dir", args.index)) if v}
    a = Assistant.open(**overrides)
    pairs = score_pairs(a.view)
    if args.draft:
        with open(args.draft, "w", encoding="utf-8") as f:
            for p in sorted(pairs, key=lambda p: -(p["best"] or 0)):
                if (p["best"] or 0) >= args.min or p["shared_figure"]:
                    row = {k: p[k] for k in ("a", "b", "best", "shared_figure", "a_sentence", "b_sentence")}
                    f.write(json.dumps({**row, "same": None}, ensure_ascii=False) + "\n")
        return 0
    if not args.labels:
        ap.error("give a labels file or --draft")
    labels = read_labels(args.labels)
    product = evaluate(pairs, labels, AlsoInRule.from_settings(a.settings))
    grid = [evaluate(pairs, labels, AlsoInRule(c, cs)) for c, cs in GRID]
    report = {"pairs": len(pairs), "labelled": len(labels), "product": product, "grid": grid}
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        print(f"{len(pairs)} cross-document paragraph pairs, {len(labels)} labelled")
        print("product settings:", product)
        for g in grid:
            print(g)
    return 0


if __name__ == "__main__":
    sys.exit(main())
