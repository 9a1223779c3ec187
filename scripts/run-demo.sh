#!/usr/bin/env bash
# Installs what is missing, builds, and opens MTL Workbench on the bundled demo project.
# Usage: scripts/run-demo.sh              the desktop app
#        scripts/run-demo.sh --headless [--soft] [more `mtl train` options, e.g. --epochs 40]
#                                         trains the demo in the terminal instead
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
MTL_TARGETS="mtl mtl-workbench" scripts/build.sh # the tests are built by scripts/test.sh

if [ "${1:-}" != "--headless" ]; then
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec build/bin/mtl-workbench "$@"
    fi
    echo "No display found: training the demo in the terminal instead (scripts/run-demo.sh --headless)."
else
    shift
fi
project=resources/examples/synthetic-hard.mtl.json
if [ "${1:-}" = "--soft" ]; then
    project=resources/examples/synthetic-soft.mtl.json
    shift
fi
exec build/bin/mtl train "$project" "$@"
