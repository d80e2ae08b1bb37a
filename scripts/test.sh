#!/usr/bin/env bash
# Install everything and run the whole test suite (real model, real FAISS index over kb/,
# the real Flask app, and a real headless Chromium for the browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
  # Debian's Chromium; Playwright drives it by path (never 'playwright install').
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
exec .venv/bin/python -m pytest "$@"
