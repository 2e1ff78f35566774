"""Crash safety of the Milvus store: SIGKILL a writer during add and delete on a shared Milvus Lite server
(tests/harness/milvus_kill.py), then every reader sees each article before or after the operation, whole,
nothing lost, and the next write works at once.

Workers use the fake encoder (no model to load): the store code under test is the product's.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from tests.harness import milvus_kill  # noqa: E402
from tests.milvus_server import milvus_server as start_milvus_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def milvus_server(tmp_path):  # type: ignore[no-untyped-def]
    with start_milvus_server(tmp_path / "data") as uri:
        yield uri


def test_kill_writer_during_add_and_delete(milvus_server, tmp_path):  # type: ignore[no-untyped-def]
    """Per operation: kills just before and just after its commit point and 1 at random (QA_MILVUS_KILL_STEPS,
    QA_MILVUS_KILL_POINTS for more; `python -m tests.harness.milvus_kill --uri URI` kills before every write call)."""
    seed = int(os.environ["QA_KILL_SEED"]) if os.environ.get("QA_KILL_SEED") else None
    lines: list[str] = []
    result = milvus_kill.run(milvus_server, tmp_path / "work", int(os.environ.get("QA_MILVUS_KILL_POINTS", 1)),
                             int(os.environ.get("QA_MILVUS_KILL_STEPS", 2)), seed, echo=lines.append)
    print("\n".join(lines))
    print(json.dumps(result["summary"], ensure_ascii=False))
    failed = [p for p in result["points"] if not p["ok"]]
    assert not failed, f"seed {result['summary']['seed']}: " + json.dumps(failed, ensure_ascii=False, indent=1)
    # the kills really landed inside writes, on both sides of the commit point
    assert result["summary"]["outcomes"].get("rolled back", 0) >= 1
    assert result["summary"]["outcomes"].get("committed", 0) + result["summary"]["outcomes"].get("no write in flight", 0) >= 1
