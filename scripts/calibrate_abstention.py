"""Abstention evidence on a question set and the best thresholds under "refuse no answerable question".

    .venv/bin/python scripts/calibrate_abstention.py eval/questions.jsonl

Prints, per language group (Chinese / other), each unanswerable question's evidence and the
(margin, dense-floor, latent-floor) triples that refuse the fewest answerable questions while catching the
most unanswerable ones. The chosen values live in qa/abstain.py (AbstainPolicy); pick them with some room
below the lowest answerable question, not at it (a new paraphrase should not fall just under a floor).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.assistant import Assistant  # noqa: E402
from qa.evaluate import load_questions  # noqa: E402


def main() -> None:
    qs = load_questions(Path(sys.argv[1]))
    a = Assistant.open()
    rows = []
    for q in qs:
        r = a.ask(q.question, k=5)
        ev = r.evidence
        forced = bool(ev["unknown_codes"]) or ev["shared_terms"] == 0
        rows.append((q, r.language == "zh", ev["best_dense"], ev["best_dense"] - ev["background"], forced, ev["best_latent"] or 0.0))
    for zh in (True, False):
        sel = [x for x in rows if x[1] == zh]
        ans = [x for x in sel if x[0].answerable]
        una = [x for x in sel if not x[0].answerable]
        print(f"== {'zh' if zh else 'other'}: {len(ans)} answerable, {len(una)} unanswerable")
        print("answerable margin percentiles 1/5/50:", np.percentile([x[3] for x in ans], [1, 5, 50]).round(4),
              " dense:", np.percentile([x[2] for x in ans], [1, 5, 50]).round(4),
              " latent min/5/50:", np.percentile([x[5] for x in ans], [0, 5, 50]).round(4))
        for x in una:
            print(f"   {x[0].id:14} dense {x[2]:.4f} margin {x[3]:+.4f} latent {x[5]:.4f} forced {x[4]}  {x[0].question[:50]}")
        grid = []
        for m in np.arange(-0.05, 0.03, 0.005):
            for f in np.arange(0.74, 0.90, 0.005):
                for lf in np.arange(0.10, 0.30, 0.01):
                    def abstains(x):  # type: ignore[no-untyped-def]
                        return x[4] or x[3] < m or x[2] < f or x[5] < lf
                    grid.append((sum(map(abstains, ans)), -sum(map(abstains, una)), round(float(m), 4), round(float(f), 3), round(float(lf), 2)))
        grid.sort()
        for refused, caught, m, f, lf in grid[:5]:
            print(f"   margin<{m:+.4f} or dense<{f:.3f} or latent<{lf:.2f}: refuses {refused}/{len(ans)}, abstains on {-caught}/{len(una)}")


if __name__ == "__main__":
    main()
