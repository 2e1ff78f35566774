"""`qa bench calibrate`: fit the confidence curve (qa.confidence) on SQuAD-format sets and report how well it
is calibrated on questions it was not fitted on."""
from __future__ import annotations

from pathlib import Path

from ..confidence import fit, reliability
from ..records import Document
from ..settings import Settings
from .squad import SquadQuestion, load_squad, run_squad, squad_assistant


def collect(settings: Settings, docs: list[Document], qs: list[SquadQuestion], *, k: int = 5,
            progress: bool = False) -> list[list[tuple[dict, float, bool]]]:
    """Per question, its cited cards as (signals, confidence, holds the answer), the product as ``settings`` make it."""
    assistant, _ = squad_assistant(settings, docs, progress=progress)
    out = []
    for q in qs:
        cards: list[tuple[dict, float, bool]] = []
        run_squad(assistant, [q], k=k, cards=cards)
        out.append(cards)
    return out


def calibrate(settings: Settings, sets: list[tuple[Path, Path | None]], *, progress: bool = False) -> dict:
    """Fit on the even-numbered questions of every set, report calibration on the odd ones (per set), then fit
    on all questions: the weights to put in settings.confidence_weights."""
    # every set read and checked before the first is embedded: a bad or question-less last file fails at once
    loaded = {f"{c.name}" + (f" <- {q.name}" if q else ""): load_squad(c, q, require_questions=True) for c, q in sets}
    per_set = {name: collect(settings, docs, qs, progress=progress) for name, (docs, qs) in loaded.items()}
    train = [card for cards in per_set.values() for question in cards[::2] for card in question]
    held = fit([s for s, _, _ in train], [y for _, _, y in train])
    report = {}
    for name, cards in per_set.items():
        test = [card for question in cards[1::2] for card in question]
        confidences = [held.probability(s) for s, _, _ in test]
        ece, table = reliability(confidences, [y for _, _, y in test])
        report[name] = {"cards": len(test), "held_out_ece": ece, "reliability": table}
    everything = [card for cards in per_set.values() for question in cards for card in question]
    final = fit([s for s, _, _ in everything], [y for _, _, y in everything])
    return {"held_out": report, "confidence_weights": final.format(), "cards": len(everything)}
