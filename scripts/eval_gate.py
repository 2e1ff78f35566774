"""CI quality gate: run `qa eval` on the project's question set and fail under the agreed floors.

Floors start at what the product reaches (see README) and are only ever raised.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = json.loads((ROOT / "eval" / "floors.json").read_text())


def main() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "qa", "eval", str(ROOT / "eval" / "questions.jsonl"), "--json", "--out", str(ROOT / "test-output" / "eval")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        print("eval gate: `qa eval` failed")
        return 1
    result = json.loads(out.stdout)
    failures = []
    for key, floor in FLOORS.items():
        scope, _, metric = key.rpartition(".")
        value = result["by_lang"][scope][metric] if scope else result[metric]
        status = "ok" if value is not None and value >= floor else "BELOW FLOOR"
        if status != "ok":
            failures.append(key)
        print(f"eval gate: {key:28} {value!s:>8}  floor {floor:<6} {status}")
    print(f"eval gate: {len(FLOORS) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
