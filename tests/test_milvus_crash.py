"""Crash safety of the Milvus store: SIGKILL a writer during add and delete on a shared Milvus Lite server
(tests/harness/milvus_kill.py), then every reader sees each article before or after the operation, whole,
nothing lost, and the next write works at once.

Workers use the fake encoder (no model to load): the store code under test is the product's.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from tests.harness import milvus_kill  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def milvus_server(tmp_path):  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve-store", "--data-dir", str(tmp_path / "data"), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, "milvus-lite server exited"
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


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
