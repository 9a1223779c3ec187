#!/usr/bin/env bash
# Configures and builds MTL Workbench (Release) into ./build. Extra arguments go to CMake's
# configure step; MTL_TARGETS="mtl mtl-workbench" builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${MTL_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
targets=()
for t in ${MTL_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build_dir" --parallel "${targets[@]}"
