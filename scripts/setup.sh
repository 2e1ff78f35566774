#!/usr/bin/env bash
# Set up everything on a fresh machine: virtualenv, torch (CPU) first, pinned requirements, the bundled model, the index.
#   bash scripts/setup.sh          app dependencies
#   bash scripts/setup.sh --test   also test dependencies (pytest, browser for UI tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
# torch first, exactly this version: it is the CPU build; anything else pulls GBs of CUDA packages.
.venv/bin/python -m pip install -q torch==2.13.0
.venv/bin/python -m pip install -q -r requirements.txt
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -r requirements-test.txt
fi
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m qa model >/dev/null
.venv/bin/python -m qa build
