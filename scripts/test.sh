#!/usr/bin/env bash
# Set up (if needed) and run every test on the real model and index, then the quality gate on the question set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m pytest -q "$@"
.venv/bin/python scripts/eval_gate.py
