#!/usr/bin/env bash
# Install everything and run the whole test suite (real model, real FAISS index over kb/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
