"""CI quality gate: run `qa eval` on the project's question sets and fail under the agreed floors.

Floors start at what the product reaches (see README) and are only ever raised.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (question file, docs folder or None for docs_src/, floors, report folder under test-output/): each set is asked
# over its own library
SETS = [
    ("questions.jsonl", None, "floors.json", "eval"),
    # short everyday articles, whose headline and lead name the subject every question names (qa.answer.order_by_answer)
    ("questions-everyday.jsonl", "everyday", "floors-everyday.json", "eval-everyday"),
]


def gate(questions: str, docs: str | None, floors_file: str, report: str) -> int:
    """Failures of one question set against its floors (printed)."""
    floors = json.loads((ROOT / "eval" / floors_file).read_text())
    name = Path(questions).stem
    cmd = [sys.executable, "-m", "qa", "eval", str(ROOT / "eval" / questions), "--json", "--out", str(ROOT / "test-output" / report)]
    if docs:
        cmd += ["--docs", str(ROOT / "eval" / docs), "--index", str(ROOT / "test-output" / f"{report}-index")]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        print(f"eval gate: `qa eval` failed on {questions}")
        return 1
    result = json.loads(out.stdout)
    failures = 0
    for key, floor in floors.items():
        scope, _, metric = key.rpartition(".")
        value = result["by_lang"][scope][metric] if scope else result[metric]
        status = "ok" if value is not None and value >= floor else "BELOW FLOOR"
        failures += status != "ok"
        print(f"eval gate: {name:26} {key:18} {value!s:>8}  floor {floor:<6} {status}")
    print(f"eval gate: {name}: {len(floors) - failures} passed, {failures} failed")
    return failures


def main() -> int:
    return 1 if sum(gate(*s) for s in SETS) else 0


if __name__ == "__main__":
    sys.exit(main())
