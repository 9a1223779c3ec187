#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
# With --sanitizers it then also builds the core tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (in build-sanitize/) and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

scripts/build.sh
(cd build && ctest --output-on-failure --parallel "$jobs")

if [ "${1:-}" = "--sanitizers" ]; then
    echo "== core tests under AddressSanitizer + UndefinedBehaviorSanitizer"
    # Debug keeps assertions on, so Eigen's EIGEN_RUNTIME_NO_MALLOC guard is active too.
    cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
        -DMTL_SANITIZE="address,undefined" -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=all" \
        -DMTL_BUILD_CLI=OFF >/dev/null
    cmake --build build-sanitize --parallel
    (cd build-sanitize && ctest --output-on-failure --parallel "$jobs" -L core)
fi
