"""Abstention evidence on a question set and the best thresholds under "refuse no answerable question".

    .venv/bin/python scripts/calibrate_abstention.py eval/questions.jsonl

Prints, per language group (Chinese / other), each unanswerable question's evidence and the
(margin, dense-floor, latent-floor) triples that refuse the fewest answerable questions while catching the
most unanswerable ones. The chosen values are settings abstain_margin_*, abstain_dense_*, abstain_latent_*
(qa/settings.py, read by qa/abstain.py AbstainPolicy); pick them with some room below the lowest answerable
question, not at it (a new paraphrase should not fall just under a floor).

Every number comes from the product: the evidence is ``Assistant.search``'s, and each candidate triple is
decided by ``AbstainPolicy.from_settings(settings with that triple).decide``. A latent floor above 0 makes the
product compute latent terms for the question (off otherwise), so the questions are searched once per latent
floor of the grid, with that floor set; a question without latent terms keeps ``best_latent`` None.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from qa.abstain import AbstainPolicy, Evidence
from qa.assistant import Assistant, clean_question
from qa.evaluation.questions import load_questions

MARGINS = [round(float(m), 4) for m in np.arange(-0.05, 0.03, 0.005)]
DENSE_FLOORS = [round(float(f), 3) for f in np.arange(0.74, 0.90, 0.005)]
LATENT_FLOORS = [0.0] + [round(float(lf), 2) for lf in np.arange(0.10, 0.30, 0.01)]  # 0 = no latent floor


def fmt(x: float | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("questions", type=Path, help="JSONL question set (id, lang, question, answers), e.g. eval/questions.jsonl")
    qs = load_questions(p.parse_args().questions)
    a = Assistant.open()
    a.queries.cache_size = max(a.queries.cache_size, 2 * len(qs) + 16)  # each question embedded with and without latent terms
    # evidence[lf][i]: question i searched by the product with latent floor lf (both languages)
    evidence: dict[float, list[Evidence]] = {}
    languages: list[str] = []
    for lf in LATENT_FLOORS:
        searcher = a.with_settings(abstain_latent_zh=lf, abstain_latent_other=lf)
        evs = []
        for q in qs:
            result = searcher.search(clean_question(q.question, a.settings.max_question_chars), k=5)
            evs.append(result.evidence)
            if lf == LATENT_FLOORS[0]:
                languages.append(result.query.language)
        evidence[lf] = evs
    # what the report shows: the evidence with latent terms computed (dense scores do not depend on the floor)
    shown = evidence[max(LATENT_FLOORS)]
    for zh in (True, False):
        idx = [i for i, lang in enumerate(languages) if (lang == "zh") == zh]
        ans = [i for i in idx if qs[i].answerable]
        una = [i for i in idx if not qs[i].answerable]
        print(f"== {'zh' if zh else 'other'}: {len(ans)} answerable, {len(una)} unanswerable")
        if not idx:
            continue
        margins = [shown[i].margin for i in ans]
        dense = [shown[i].best_dense for i in ans]
        latent = [shown[i].best_latent for i in ans if shown[i].best_latent is not None]
        print("answerable margin percentiles 1/5/50:", np.percentile(margins, [1, 5, 50]).round(4) if ans else "-",
              " dense:", np.percentile(dense, [1, 5, 50]).round(4) if ans else "-",
              " latent min/5/50:", np.percentile(latent, [0, 5, 50]).round(4) if latent else "- (no latent terms)")
        for i in una:
            ev, q = shown[i], qs[i]
            forced = bool(ev.unknown_codes) or ev.shared_terms == 0
            print(f"   {q.id:14} dense {ev.best_dense:.4f} margin {ev.margin:+.4f} latent {fmt(ev.best_latent, '.4f')} "
                  f"forced {forced}  {q.question[:50]}")
        grid = []
        for lf in LATENT_FLOORS:
            evs = evidence[lf]
            for m in MARGINS:
                for f in DENSE_FLOORS:
                    changes = ({"abstain_margin_zh": m, "abstain_dense_zh": f, "abstain_latent_zh": lf} if zh else
                               {"abstain_margin_other": m, "abstain_dense_other": f, "abstain_latent_other": lf})
                    policy = AbstainPolicy.from_settings(a.settings.replace(**changes))
                    refused = sum(policy.decide(languages[i], evs[i]) for i in ans)
                    caught = sum(policy.decide(languages[i], evs[i]) for i in una)
                    grid.append((refused, -caught, m, f, lf))
        grid.sort()
        for refused, caught, m, f, lf in grid[:5]:
            print(f"   margin<{m:+.4f} or dense<{f:.3f} or latent<{lf:.2f}: refuses {refused}/{len(ans)}, abstains on {-caught}/{len(una)}")


if __name__ == "__main__":
    main()
