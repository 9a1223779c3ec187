#!/usr/bin/env bash
# Benchmarks our core against PyTorch (Debian's python3-torch on OpenBLAS) on the workloads of
# shared/benchmarks.md, in one invocation, and prints the report (bench/compare.py).
#
# Usage: bench/run.sh [--workloads mlp-small,mlp-large,soft-small,lenet-2task] [--repetitions 3]
#                     [--seconds 3] [--scaling] [--out results.jsonl]
#   --scaling  also mlp-small at batch 16…1024 and width 64…2048 (slow: about 10 minutes)
# Core and PyTorch runs alternate, each in its own process, each side at 1 and 2 threads.
set -euo pipefail
cd "$(dirname "$0")/.."
workloads=mlp-small,mlp-large,soft-small,lenet-2task
repetitions=3
seconds=3
scaling=0
out=bench/results.jsonl
while [ $# -gt 0 ]; do
    case "$1" in
    --workloads) workloads=$2; shift 2 ;;
    --repetitions) repetitions=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --scaling) scaling=1; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of bench/run.sh)" >&2; exit 2 ;;
    esac
done

scripts/install-deps.sh
missing=()
for p in python3-torch python3-numpy python3-matplotlib libopenblas0-pthread; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
scripts/build.sh >/dev/null

python=/usr/bin/python3 # Debian's, where python3-torch is installed
bench=build/bin/mtl-bench
: >"$out"
# One core run and one PyTorch run of a configuration, at 1 and 2 threads each.
pair() {
    for threads in 1 2; do
        "$bench" --threads "$threads" --seconds "$seconds" "$@" | sed 's/^{/{"side": "core", /' >>"$out"
        OPENBLAS_NUM_THREADS=1 "$python" bench/pytorch_reference.py --threads "$threads" \
            --seconds "$seconds" "$@" >>"$out"
    done
}
for ((rep = 1; rep <= repetitions; rep++)); do
    echo "repetition $rep of $repetitions" >&2
    "$bench" --sgemm >>"$out"
    "$python" bench/pytorch_reference.py --sgemm --threads "$(nproc)" >>"$out"
    for w in ${workloads//,/ }; do
        pair --workload "$w"
    done
done
if [ "$scaling" = 1 ]; then
    for batch in 16 32 64 256 512 1024; do pair --workload mlp-small --batch "$batch"; done
    for width in 64 128 512 1024 2048; do pair --workload mlp-small --width "$width"; done
fi
"$python" bench/compare.py "$out"
