"""`qa add` of a folder of N mixed files (.txt .md .docx .pdf .html, 2% broken PDFs) into a fresh index with the
real model: time, files/s and whether every file is accounted for in the summary.

    .venv/bin/python scripts/bulk_bench.py [--files 1000] [--fake]   # --fake: no model (extraction + index only)
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_add import WORDS, write_mixed_folder  # noqa: E402  (the same files the CI test makes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--fake", action="store_true", help="fake encoder: measure extraction and indexing only")
    args = parser.parse_args()
    from qa.assistant import Assistant
    from qa.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = write_mixed_folder(root / "inbox", args.files)
        settings = Settings.load(docs_dir=str(root / "docs"), index_dir=str(root / "index"))
        encoder = None
        if args.fake:
            from tests.fakes import FakeEncoder

            encoder = FakeEncoder(WORDS)
        a = Assistant.open(settings, encoder=encoder)
        started = time.perf_counter()
        report = a.add_paths([folder])
        seconds = time.perf_counter() - started
        counts = report.counts()
        print(json.dumps({"files": args.files, "encoder": "fake" if args.fake else a.encoder.name, **counts,
                          "accounted_for": counts["files"] == args.files, "seconds": round(seconds, 1),
                          "files_per_s": round(args.files / seconds, 1), "passages": len(a.view.chunks)}))


if __name__ == "__main__":
    main()
