"""`qa eval`: answer hit@k, MRR, abstention and latency of the Assistant over a JSONL question set."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BadRequest
from ..text.script import normalize_for_match
from .metrics import contains_answer, first_rank, hit_rate, mrr, percentiles

if TYPE_CHECKING:
    from ..assistant import Assistant

LANGS = ("en", "zh-hans", "zh-hant")
FIELDS = {"id", "lang", "question", "answers"}
MAX_RANK = 10


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    question: str
    answers: tuple[str, ...]

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class Outcome:
    """What happened to one question: rank of the first passage holding an answer (None = none among the passages
    asked for: the top 10, or the top k for a larger k)."""

    question: Question
    rank: int | None
    abstained: bool
    latency_ms: float
    cited: tuple[str, ...] = ()


def load_questions(path: Path) -> list[Question]:
    """Read a question set: one JSON object per line with id, lang, question, answers (other fields, such as a
    note or a source, are carried along unread).

    Raises:
        BadRequest: the file cannot be read, or a line is not valid JSON or has wrong fields (the message names the line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # an editor's BOM is not part of the first line's JSON
    except UnicodeDecodeError as e:
        raise BadRequest(f"{path}: not UTF-8 text ({e}); save it as UTF-8: a JSONL file, one question per line "
                         "(format: eval/README.md)") from e
    except OSError as e:
        raise BadRequest(f"{path}: cannot read the question file ({e.strerror or e}); check the path: a UTF-8 JSONL "
                         "file, one question per line (format: eval/README.md)") from e
    questions: list[Question] = []
    first_seen: dict[str, int] = {}  # id -> line it first appeared on
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise BadRequest(f"{path}:{n}: not valid JSON ({e}){_whole_file_hint(text)}") from e
        fault = _fault(obj)
        if fault and n == 1 and (isinstance(obj, list) or isinstance(obj, dict) and "data" in obj):
            fault += _whole_file_hint(text)
        if fault is None and str(obj["id"]) in first_seen:
            fault = f"id {str(obj['id'])!r} is already used on line {first_seen[str(obj['id'])]}; ids must be unique"
        if fault:
            raise BadRequest(f"{path}:{n}: {fault}")
        first_seen[str(obj["id"])] = n
        questions.append(Question(str(obj["id"]), obj["lang"], obj["question"], tuple(obj["answers"])))
    if not questions:  # else every metric is "-" and the run looks like it passed
        raise BadRequest(f"{path}: no questions in the file; expected one JSON object per line (format: eval/README.md)")
    return questions


def _whole_file_hint(text: str) -> str:
    """What a file that is one JSON document (not one question per line) is, for the error: "" when it is not."""
    try:
        root = json.loads(text)
    except ValueError:
        return ""
    if isinstance(root, dict) and "data" in root:
        return ("; this looks like a SQuAD-format JSON file: `qa bench squad FILE` reads those, `qa eval` reads JSONL "
                "(one question object per line)")
    if isinstance(root, list):
        return "; the file is one JSON array: `qa eval` reads JSONL, one question object per line, no brackets"
    return "; the file is one JSON document: `qa eval` reads JSONL, one question object per line"


def _fault(obj: object) -> str | None:
    """What is wrong with one line's object as a question, None when nothing is."""
    if not isinstance(obj, dict) or not FIELDS <= set(obj):
        got = sorted(obj) if isinstance(obj, dict) else type(obj).__name__
        return f"a question needs the fields {sorted(FIELDS)} (others are ignored), got {got}"
    if obj["lang"] not in LANGS:
        return f"lang must be one of {LANGS}, got {obj['lang']!r}"
    if not isinstance(obj["question"], str) or not obj["question"].strip():
        return f"question must be a non-empty string, got {obj['question']!r}"
    if not isinstance(obj["answers"], list):
        return f"answers must be a list of strings ([] when the articles cannot answer), got {type(obj['answers']).__name__} {obj['answers']!r}"
    for i, answer in enumerate(obj["answers"]):
        if not isinstance(answer, str):  # [["Daniel Okafor"]] was matched as its repr and never found
            return f"answers[{i}] must be a string, got {type(answer).__name__} {answer!r}"
        if not normalize_for_match(answer):  # an empty needle is never matched: the question could only miss
            return f"answers[{i}] is empty or blank ({answer!r}); give the answer text, or [] when the articles cannot answer"
    return None


def run(assistant: Assistant, questions: list[Question], *, k: int = 5) -> list[Outcome]:
    """Ask every question (``k`` passages, at least 10) and find the first passage holding an answer.

    Raises:
        BadRequest: the library holds no documents (a misspelt --docs reported hit@1 0.0 and abstention recall 1.0).
    """
    if not assistant.documents():
        raise BadRequest(f"the library at {assistant.settings.index_location} (docs folder "
                         f"{assistant.settings.docs_dir}) holds no documents: nothing to evaluate; point --docs at "
                         "the articles the questions are about, or add them with `qa add`")
    outcomes = []
    for q in questions:
        t0 = time.perf_counter()
        ans = assistant.ask(q.question, k=max(k, MAX_RANK))
        ms = (time.perf_counter() - t0) * 1000
        # up to k, not 10, for a k over 10: else hit@20 was hit@10 (mrr@10 and the curve stop at 10 themselves)
        rank = first_rank((p.text for p in ans.passages), lambda t: contains_answer(t, q.answers), max(k, MAX_RANK)) if q.answerable else None
        outcomes.append(Outcome(q, rank, ans.abstained, ms, tuple(p.text for p in ans.passages[:3])))
    return outcomes


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def metrics(outcomes: list[Outcome], *, k: int = 5, by_lang: bool = True) -> dict:
    """Metrics over outcomes. An abstention on an answerable question is a miss at every k (the user got no answer).

    >>> q = Question("a", "en", "?", ("x",))
    >>> metrics([Outcome(q, 2, False, 1.0)], by_lang=False)["mrr@10"]
    0.5
    """
    answerable = [o for o in outcomes if o.question.answerable]
    unanswerable = [o for o in outcomes if not o.question.answerable]
    answered = [o for o in answerable if not o.abstained]
    ranks = [o.rank for o in answered]  # an abstention counts as a miss: the denominator is every answerable one
    abstained = [o for o in outcomes if o.abstained]
    lat = percentiles([o.latency_ms for o in outcomes] or [0.0])
    out: dict = {f"hit@{c}": hit_rate(ranks, c, len(answerable)) for c in sorted({1, 3, 5, k})}
    out.update({
        "mrr@10": mrr(ranks, MAX_RANK, len(answerable)),
        "abstain_precision": _ratio(sum(1 for o in abstained if not o.question.answerable), len(abstained)),
        "abstain_recall": _ratio(sum(1 for o in unanswerable if o.abstained), len(unanswerable)),
        "answered": _ratio(len(answered), len(answerable)),
        "p50_ms": lat["p50"],
        "p95_ms": lat["p95"],
        "n": len(outcomes),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
    })
    if by_lang:
        out["by_lang"] = {
            lang: metrics([o for o in outcomes if o.question.lang == lang], k=k, by_lang=False)
            for lang in LANGS if any(o.question.lang == lang for o in outcomes)
        }
    return out


def print_table(result: dict) -> str:
    """The metrics as a plain-text table, one row per scope (all, then each language)."""
    cols = [c for c in result if c.startswith("hit@")] + ["mrr@10", "answered", "abstain_precision", "abstain_recall", "p50_ms", "p95_ms", "n"]
    lines = ["scope    " + " ".join(f"{c:>10}" for c in cols)]
    for name, m in [("all", result), *result.get("by_lang", {}).items()]:
        lines.append(f"{name:8} " + " ".join(f"{'-' if m.get(c) is None else m.get(c):>10}" for c in cols))
    return "\n".join(lines)


def hit_curve(outcomes: list[Outcome], lang: str | None = None) -> list[float]:
    sel = [o for o in outcomes if o.question.answerable and (lang is None or o.question.lang == lang)]
    ranks = [None if o.abstained else o.rank for o in sel]
    return [hit_rate(ranks, c) or 0.0 for c in range(1, MAX_RANK + 1)]


def is_failure(o: Outcome, k: int) -> bool:
    if o.question.answerable:
        return o.abstained or o.rank is None or o.rank > k
    return not o.abstained


def write_report(outcomes: list[Outcome], result: dict, out_dir: Path, *, k: int = 5, title: str = "qa eval") -> list[Path]:
    """Write report.md (metrics, every failed question and every one answered below the first card, with what was
    cited) and hit_at_k.png (curve per language)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"# {title}", "", f"{time.strftime('%Y-%m-%d %H:%M')} · {result['n']} questions · k={k}", "",
             "| scope | hit@1 | hit@3 | hit@5 | mrr@10 | answered | abstain P | abstain R | p50 ms | p95 ms | n |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    rows = [("all", result)] + list(result.get("by_lang", {}).items())
    for name, m in rows:
        lines.append(f"| {name} | " + " | ".join("-" if m.get(c) is None else str(m.get(c)) for c in
                     ("hit@1", "hit@3", "hit@5", "mrr@10", "answered", "abstain_precision", "abstain_recall", "p50_ms", "p95_ms", "n")) + " |")
    failed = [o for o in outcomes if is_failure(o, k)]
    # found, but not first: what hit@1 misses and a reader meets as a first card without the answer
    later = [o for o in outcomes if o.question.answerable and not o.abstained and o.rank and 1 < o.rank <= k]
    for heading, group in ((f"Failed questions ({len(failed)})", failed), (f"Answer not in the first card ({len(later)})", later)):
        lines += ["", f"## {heading}", ""]
        for o in group:
            q = o.question
            why = ("answered, should abstain" if not q.answerable else "abstained" if o.abstained else
                   f"answer at rank {o.rank}" if o.rank else "answer not in top 10")
            lines.append(f"### {q.id} ({q.lang}): {q.question}")
            lines.append(f"- expected: {', '.join(q.answers) or '(no answer: abstain)'} — {why}")
            for i, text in enumerate(o.cited, 1):
                lines.append(f"- cited {i}: {text.replace(chr(10), ' ')[:160]}")
            lines.append("")
    report = out_dir / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    (out_dir / "metrics.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return [report, out_dir / "metrics.json", _plot(outcomes, out_dir / "hit_at_k.png")]


def _plot(outcomes: list[Outcome], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ks = list(range(1, MAX_RANK + 1))
    for lang in (None, *LANGS):
        if lang and not any(o.question.lang == lang for o in outcomes):
            continue
        ax.plot(ks, hit_curve(outcomes, lang), marker="o", label=lang or "all", linewidth=2 if lang is None else 1)
    ax.set_xlabel("k (passages cited)")
    ax.set_ylabel("answer hit@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ks)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("Answer hit@k per question language")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
