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
# The package itself (pyproject.toml), editable and without its dependencies (pinned above): puts the `qa`
# command in .venv/bin and lets tests/ and scripts/ `import qa` from anywhere. --no-build-isolation builds with
# the venv's own setuptools (nothing fetched for the build); it needs >= 70.1 (older ones also need `wheel`, and
# Python 3.11's venv brings 65.5), so bring it up first where it is missing or older.
if ! .venv/bin/python -c 'import sys, setuptools; v = tuple(int(x) for x in setuptools.__version__.split(".")[:2]); sys.exit(v < (70, 1))' 2>/dev/null; then
  .venv/bin/python -m pip install -q "setuptools==84.2.1"
fi
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -r requirements-test.txt
  # Browser tests (tests/test_browser.py): Playwright drives Debian's Chromium; CJK needs a font. Never
  # `playwright install`: it downloads a browser build of its own. Skipped when both are already there.
  if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null || { echo "setup.sh --test: installing chromium needs root (apt-get)" >&2; exit 1; }
      SUDO=sudo
    fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei >/dev/null
  fi
fi
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m qa model >/dev/null
.venv/bin/python -m qa build
