#!/usr/bin/env bash
# Install everything, build the index when it is missing or stale, serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/kbbot serve "$@"
