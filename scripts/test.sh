#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
# With --sanitizers it then also builds the core tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (in build-sanitize/) and runs them, and the training-controller
# tests with ThreadSanitizer (in build-tsan/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
jobs=$(nproc)

scripts/build.sh
# ONNX Runtime for the export tests (its bundled CPU library; no install scripts run).
if [ ! -d .cache/node/node_modules/onnxruntime-node ]; then
    mkdir -p .cache/node
    (cd .cache/node && npm install --ignore-scripts --no-audit --no-fund --no-save onnxruntime-node@1.30.0)
fi
(cd build && ctest --output-on-failure --parallel "$jobs")

if [ "${1:-}" = "--sanitizers" ]; then
    echo "== core tests under AddressSanitizer + UndefinedBehaviorSanitizer"
    # Debug keeps assertions on, so Eigen's EIGEN_RUNTIME_NO_MALLOC guard is active too.
    cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
        -DMTL_SANITIZE="address,undefined" -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=all" \
        -DMTL_BUILD_CLI=OFF -DMTL_BUILD_GUI=OFF >/dev/null
    cmake --build build-sanitize --parallel
    (cd build-sanitize && ctest --output-on-failure --parallel "$jobs" -L core)

    echo "== training controller tests under ThreadSanitizer"
    # Qt and libgomp are not instrumented: tests/ui/tsan.supp says what that hides, and OpenMP
    # runs one thread. Our own threads hand data over through std::mutex, which TSan sees.
    cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
        -DMTL_SANITIZE=thread -DMTL_BUILD_CLI=OFF -DMTL_BUILD_BENCH=OFF >/dev/null
    cmake --build build-tsan --parallel --target ui_training_test
    OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen \
        TSAN_OPTIONS="suppressions=$PWD/tests/ui/tsan.supp halt_on_error=1" build-tsan/bin/ui_training_test
fi
