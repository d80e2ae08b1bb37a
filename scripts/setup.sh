#!/usr/bin/env bash
# Creates .venv/ and installs the project into it: the CPU build of PyTorch first, then
# everything pinned in pyproject.toml. Does nothing when pyproject.toml has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TORCH_SPEC=${KBBOT_TORCH_SPEC:-torch==2.13.0}
stamp=.venv/.kbbot-installed
wanted=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x .venv/bin/kbbot ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# CPU wheel first: a bare 'torch' resolved by another package would pull a CUDA build.
# Elsewhere set KBBOT_TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu".
.venv/bin/python -m pip install --quiet ${KBBOT_TORCH_PIP_ARGS:-} "$TORCH_SPEC"
.venv/bin/python -m pip install --quiet -e '.[test]'
echo "$wanted" > "$stamp"
