#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (in build-fuzz/) and runs each for a bounded time,
# starting from the bundled examples. Usage: scripts/fuzz.sh [seconds per target, default 30]
# A crash leaves its input in build-fuzz/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
scripts/install-deps.sh --tests
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTL_FUZZ=ON -DMTL_BUILD_GUI=OFF \
    -DMTL_BUILD_TESTS=OFF -DMTL_BUILD_CLI=OFF -DMTL_NATIVE=OFF >/dev/null
cmake --build build-fuzz --parallel --target csv_fuzz project_fuzz model_fuzz

corpus=build-fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus/csv" "$corpus/project" "$corpus/model"
head -c 20000 resources/examples/houses.csv >"$corpus/csv/houses.csv"
cp resources/examples/*.mtl.json "$corpus/project/"
for f in resources/examples/synthetic-*.mtl.json; do
    # Model seeds: a header byte choosing "as is" (0) or "checksummed header" (1).
    printf '\001' | cat - "$f" >"$corpus/model/$(basename "$f").header"
done

# Inputs that once crashed a reader stay in the corpus for good.
for dir in tests/fuzz/regressions/*/; do
    cp "$dir"* "$corpus/$(basename "$dir")/"
done

for target in csv project model; do
    echo "== fuzzing the $target reader for ${seconds}s"
    (cd build-fuzz && ./bin/${target}_fuzz -max_total_time="$seconds" -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 "corpus/$target" 2>&1 | tail -4)
done
