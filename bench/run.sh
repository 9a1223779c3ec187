#!/usr/bin/env bash
# Benchmarks our core against PyTorch (Debian's python3-torch on OpenBLAS) on the workloads of
# shared/benchmarks.md, in one invocation, and prints the report (bench/compare.py).
#
# Usage: bench/run.sh [--workloads mlp-small,mlp-large,soft-small,lenet-2task] [--repetitions 3]
#                     [--seconds 3] [--balancing pcgrad,mgda_ub,nash_mtl | --no-balancing]
#                     [--scaling] [--out results.jsonl]
#   --balancing  after the workloads, mlp-small under each of these gradient-based methods
#                (parameters as for mtl-bench: nash_mtl:max_norm=1), against PyTorch doing it the
#                libraries' way (bench/pytorch_balancing.py), with the core's static mlp-small in
#                the same loop for the overhead of each method over static weights
#   --scaling    also mlp-small at batch 16…1024 and width 64…2048 (slow: about 10 minutes)
# Core and PyTorch runs alternate, each in its own process; the core at 1 and 2 threads, PyTorch
# at 1 and 2 torch threads × OpenBLAS at 1 and all cores (benchmarks.md: PyTorch's best).
set -euo pipefail
cd "$(dirname "$0")/.."
workloads=mlp-small,mlp-large,soft-small,lenet-2task
repetitions=3
seconds=3
balancing=pcgrad,mgda_ub,nash_mtl
scaling=0
out=bench/results.jsonl
while [ $# -gt 0 ]; do
    case "$1" in
    --workloads) workloads=$2; shift 2 ;;
    --repetitions) repetitions=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --balancing) balancing=$2; shift 2 ;;
    --no-balancing) balancing=""; shift ;;
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
python=/usr/bin/python3 # Debian's, where python3-torch is installed
# The methods, split at commas that start a new method (a parameter list has commas too:
# "mgda_ub:normalization=l2,nash_mtl"); each checked before anything is built or run.
methods=()
for item in ${balancing//,/ }; do
    if [[ $item == *=* && $item != *:* && ${#methods[@]} -gt 0 ]]; then
        methods[-1]+=",$item"
    else
        methods+=("$item")
    fi
done
if [ ${#methods[@]} -gt 0 ]; then
    PYTHONPATH=bench "$python" -c \
        'import sys, pytorch_balancing as b; [b.parse(m) for m in sys.argv[1:]]' "${methods[@]}"
fi
scripts/build.sh >/dev/null

bench=build/bin/mtl-bench
: >"$out"
openblas_settings=$(printf '%s\n' 1 "$(nproc)" | sort -un)
core_run() { # THREADS ARGS…
    local threads=$1; shift
    "$bench" --threads "$threads" --seconds "$seconds" "$@" | sed 's/^{/{"side": "core", /' >>"$out"
}
torch_runs() { # THREADS ARGS…: at each OpenBLAS setting
    local threads=$1; shift
    for openblas in $openblas_settings; do
        OPENBLAS_NUM_THREADS=$openblas "$python" bench/pytorch_reference.py --threads "$threads" \
            --seconds "$seconds" "$@" >>"$out"
    done
}
# The core and PyTorch on one configuration, alternating, at 1 and 2 threads.
pair() {
    for threads in 1 2; do
        core_run "$threads" "$@"
        torch_runs "$threads" "$@"
    done
}
for ((rep = 1; rep <= repetitions; rep++)); do
    echo "repetition $rep of $repetitions" >&2
    "$bench" --sgemm >>"$out"
    "$python" bench/pytorch_reference.py --sgemm --threads "$(nproc)" >>"$out"
    for w in ${workloads//,/ }; do
        pair --workload "$w"
    done
    if [ ${#methods[@]} -gt 0 ]; then
        # The core's static step in the same loop: each method's overhead over static weights.
        for threads in 1 2; do core_run "$threads" --workload mlp-small; done
        for m in "${methods[@]}"; do pair --workload mlp-small --balancing "$m"; done
    fi
done
if [ "$scaling" = 1 ]; then
    for batch in 16 32 64 256 512 1024; do pair --workload mlp-small --batch "$batch"; done
    for width in 64 128 512 1024 2048; do pair --workload mlp-small --width "$width"; done
fi
"$python" bench/compare.py "$out"
