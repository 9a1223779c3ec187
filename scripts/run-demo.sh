#!/usr/bin/env bash
# Installs what is missing, builds, and trains the bundled demo project in the terminal.
# Usage: scripts/run-demo.sh [--soft] [more `mtl train` options, e.g. --epochs 40]
# (The desktop app is on its way; until it lands, the demo runs headless.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
project=resources/examples/synthetic-hard.mtl.json
if [ "${1:-}" = "--soft" ]; then
    project=resources/examples/synthetic-soft.mtl.json
    shift
fi
exec build/bin/mtl train "$project" "$@"
