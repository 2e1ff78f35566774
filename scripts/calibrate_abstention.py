"""Abstention evidence on a question set and the best thresholds under "refuse no answerable question".

    .venv/bin/python scripts/calibrate_abstention.py eval/questions.jsonl

Prints, per language group (Chinese / other), each unanswerable question's evidence and the
(margin, dense-floor) pairs that refuse the fewest answerable questions while catching the most
unanswerable ones. The chosen values live in qa/abstain.py (AbstainPolicy).
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
        rows.append((q, r.language == "zh", ev["best_dense"], ev["best_dense"] - ev["background"], forced))
    for zh in (True, False):
        sel = [x for x in rows if x[1] == zh]
        ans = [x for x in sel if x[0].answerable]
        una = [x for x in sel if not x[0].answerable]
        print(f"== {'zh' if zh else 'other'}: {len(ans)} answerable, {len(una)} unanswerable")
        print("answerable margin percentiles 1/5/50:", np.percentile([x[3] for x in ans], [1, 5, 50]).round(4),
              " dense:", np.percentile([x[2] for x in ans], [1, 5, 50]).round(4))
        for x in una:
            print(f"   {x[0].id:14} dense {x[2]:.4f} margin {x[3]:+.4f} forced {x[4]}  {x[0].question[:50]}")
        grid = []
        for m in np.arange(-0.03, 0.03, 0.0025):
            for f in np.arange(0.74, 0.89, 0.01):
                def abstains(x):  # type: ignore[no-untyped-def]
                    return x[4] or x[3] < m or x[2] < f
                grid.append((sum(map(abstains, ans)), -sum(map(abstains, una)), round(float(m), 4), round(float(f), 2)))
        grid.sort()
        for refused, caught, m, f in grid[:5]:
            print(f"   margin<{m:+.4f} or dense<{f:.2f}: refuses {refused}/{len(ans)}, abstains on {-caught}/{len(una)}")


if __name__ == "__main__":
    main()
