"""Short load test of the shared Milvus store (scripts/milvus_load.py): 2 app processes x 3 clients x 10 s
against one Milvus Lite server on loopback, an upload and a delete every 4 s, fake encoder (no model).
The full run (2 x 10 x 60 s, the real model) is the script's default; docs/scale.md has its numbers."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

ROOT = Path(__file__).resolve().parent.parent


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("milvus_load", ROOT / "scripts" / "milvus_load.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


# ~60 s of starting processes: with the rest of the suite CI would pass its 15-minute budget. The cross-process
# parts it rests on (two app processes on one server, uploads seen by the other, deletes never cited) run by
# default in tests/test_milvus.py; this is the same load loop the script runs for docs/scale.md's table.
@pytest.mark.slow
def test_two_processes_under_load_with_uploads_and_deletes():
    report = _script().run_load(processes=2, clients=3, seconds=10, interval=4, fake=True, timeout=20)
    print(json.dumps(report, ensure_ascii=False))
    assert report["errors"] == 0, report["error_samples"]
    assert report["deleted_citations"] == 0, report["deleted_citation_samples"]
    assert report["uploads"] >= 2 and report["deletes"] >= 1  # writes happened while questions ran
    assert report["asked_after_delete"] >= 1  # and deleted articles were asked about: the check had reach
    assert report["questions"] >= 20
