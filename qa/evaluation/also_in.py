"""Measure the "also reported in" rule (qa/also_in.py) on paragraph pairs labelled by reading
(``eval/also_in_pairs.jsonl``; `scripts/also_in_eval.py` prints the report and a settings grid).

Every pair of paragraphs of two different documents is scored as the product scores it: its sentence pairs
(cosine, figures of each) through ``AlsoInRule.same``, the product's own functions. A labelled pair has ``same``
true (the two paragraphs state the same fact) or false. Precision counts every pair the rule merges; a merged
pair that is not labelled is reported as ``unlabelled_merged`` (precision is only honest when that is 0).
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from ..also_in import AlsoInRule, read_paragraph
from ..store import StoreView

FLOOR = 0.8  # sentence pairs below this cosine are never the same under any setting measured (kept out of the file)


def score_pairs(view: StoreView) -> list[dict]:
    """Every cross-document paragraph pair: its sentence pairs above FLOOR (cosine, figures) and the closest one's texts."""
    keys = sorted({(c.doc_id, c.paragraph) for c in view.chunks})
    paras = {k: read_paragraph(view, *k) for k in keys}
    out = []
    for a, b in itertools.combinations(keys, 2):
        if a[0] == b[0]:
            continue
        pa, pb = paras[a], paras[b]
        if not pa.spans or not pb.spans:
            continue
        cos = pa.vectors @ pb.vectors.T
        pairs = sorted(((float(cos[i, j]), sorted(pa.figures[i]), sorted(pb.figures[j]), i, j)
                        for i in range(len(pa.spans)) for j in range(len(pb.spans)) if cos[i, j] >= FLOOR), reverse=True)
        shared = [p for p in pairs if set(p[1]) & set(p[2])]
        top = (shared or pairs or [None])[0]
        ta, tb = view.documents[a[0]].text, view.documents[b[0]].text
        out.append({"a": list(a), "b": list(b), "sentence_pairs": [[round(c, 4), fa, fb] for c, fa, fb, _, _ in pairs],
                    "best": round(pairs[0][0], 4) if pairs else None, "shared_figure": bool(shared),
                    "a_sentence": ta[slice(*pa.spans[top[3]])] if top else "", "b_sentence": tb[slice(*pb.spans[top[4]])] if top else ""})
    return out


def merged(pair: dict, rule: AlsoInRule) -> bool:
    return any(rule.same(c, frozenset(fa), frozenset(fb)) for c, fa, fb in pair["sentence_pairs"])


def read_labels(path: Path) -> dict[tuple[tuple[str, int], tuple[str, int]], bool]:
    labels = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[(tuple(row["a"]), tuple(row["b"]))] = bool(row["same"])
    return labels  # type: ignore[return-value]


def evaluate(pairs: list[dict], labels: dict, rule: AlsoInRule) -> dict:
    """Precision and recall of ``rule`` over the labelled pairs (and how many it merges that nobody labelled)."""
    tp = fp = fn = unlabelled = 0
    shared_same = shared_merged = 0
    for p in pairs:
        m = merged(p, rule)
        label = labels.get((tuple(p["a"]), tuple(p["b"])))
        if label is None:
            unlabelled += m
            continue
        tp += m and label
        fp += m and not label
        fn += (not m) and label
        if label and p["shared_figure"]:
            shared_same += 1
            shared_merged += m
    return {"cosine": rule.cosine, "cosine_shared": rule.cosine_shared, "merged": tp + fp, "true_merged": tp,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "recall_sharing_a_figure": round(shared_merged / shared_same, 3) if shared_same else None,
            "unlabelled_merged": unlabelled, "labelled_same": tp + fn}


GRID = [(c, cs) for c in (0.93, 0.94, 0.95, 0.96, 0.97) for cs in (0.85, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92)]
