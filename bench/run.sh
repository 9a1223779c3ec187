#!/usr/bin/env bash
# Benchmarks our core against PyTorch (Debian's python3-torch on OpenBLAS) on the workloads of
# shared/benchmarks.md, in one invocation, and prints the report (bench/compare.py).
#
# Usage: bench/run.sh [--workloads mlp-small,mlp-large,soft-small,lenet-2task,multifashion]
#                     [--repetitions 3]
#                     [--seconds 3] [--balancing pcgrad,mgda_ub,nash_mtl | --no-balancing]
#                     [--scaling] [--out results.jsonl]
#   --balancing  after the workloads, mlp-small under each of these gradient-based methods
#                (parameters as for mtl-bench: nash_mtl:max_norm=1), against PyTorch doing it the
#                libraries' way (bench/pytorch_balancing.py), with the core's static mlp-small in
#                the same loop for the overhead of each method over static weights
#   --scaling    also mlp-small at batch 16…1024 and width 64…2048 (slow: about 10 minutes)
# multifashion is end to end: the whole MultiFashion recipe for 2 epochs as `mtl train` runs it
# (resources/examples/multifashion-recipe.mtl.json) against the same loop written in PyTorch
# (bench/pytorch_multifashion.py), each process timed from start to exit, loading included.
# Core and PyTorch runs alternate, each in its own process; the core at 1 and 2 threads, PyTorch
# at 1 and 2 torch threads × OpenBLAS at 1 and all cores × Debian's pthread and OpenMP builds of
# OpenBLAS (benchmarks.md: PyTorch's best).
set -euo pipefail
cd "$(dirname "$0")/.."
workloads=mlp-small,mlp-large,soft-small,lenet-2task,multifashion
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
for p in python3-torch python3-numpy python3-matplotlib; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
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
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# PyTorch at its best: both of Debian's OpenBLAS builds, the pthread one and the OpenMP one (which
# cannot be installed together: each is unpacked here and put first on PyTorch's library path).
multiarch=$(gcc -print-multiarch)
blas_variants=()
for variant in pthread openmp; do
    if (cd "$scratch" && apt-get download -qq "libopenblas0-$variant" >/dev/null 2>&1); then
        dpkg-deb -x "$scratch"/libopenblas0-"$variant"_*.deb "$scratch/blas"
        blas_variants+=("$variant")
    fi
done
if [ ${#blas_variants[@]} -eq 0 ]; then
    echo "note: could not download Debian's OpenBLAS builds; PyTorch runs on the installed BLAS only" >&2
    blas_variants=(installed)
fi
with_blas() { # VARIANT COMMAND…: the command with that OpenBLAS build first on the library path
    local variant=$1; shift
    if [ "$variant" = installed ]; then
        "$@"
    else
        LD_LIBRARY_PATH="$scratch/blas/usr/lib/$multiarch/openblas-$variant${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"
    fi
}
tag_blas() { sed "s/^{/{\"blas\": \"$1\", /"; }
: >"$out"
openblas_settings=$(printf '%s\n' 1 "$(nproc)" | sort -un)
core_run() { # THREADS ARGS…
    local threads=$1; shift
    "$bench" --threads "$threads" --seconds "$seconds" "$@" | sed 's/^{/{"side": "core", /' >>"$out"
}
torch_runs() { # THREADS ARGS…: at each OpenBLAS build and pool size
    local threads=$1 variant openblas; shift
    for variant in "${blas_variants[@]}"; do
        for openblas in $openblas_settings; do
            OPENBLAS_NUM_THREADS=$openblas with_blas "$variant" "$python" bench/pytorch_reference.py \
                --threads "$threads" --seconds "$seconds" "$@" | tag_blas "$variant" >>"$out"
        done
    done
}
# MultiFashion end to end: each process timed as a whole, core and PyTorch alternating.
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'; }
multifashion_run() { # THREADS
    local threads=$1 began line
    began=$(date +%s.%N)
    build/bin/mtl train resources/examples/multifashion-recipe.mtl.json --epochs 2 --threads "$threads" \
        --quiet --no-record --out "$scratch/multifashion" >/dev/null
    printf '{"side": "core", "workload": "multifashion", "threads": %s, "epochs": 2, "seconds": %s}\n' \
        "$threads" "$(since "$began")" >>"$out"
    for variant in "${blas_variants[@]}"; do
        for openblas in $openblas_settings; do
            began=$(date +%s.%N)
            line=$(OPENBLAS_NUM_THREADS=$openblas with_blas "$variant" "$python" bench/pytorch_multifashion.py \
                --epochs 2 --threads "$threads")
            echo "$line" | sed "s/\"seconds\": [0-9.e+-]*/\"seconds\": $(since "$began")/" |
                tag_blas "$variant" >>"$out"
        done
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
    for variant in "${blas_variants[@]}"; do
        with_blas "$variant" "$python" bench/pytorch_reference.py --sgemm --threads "$(nproc)" |
            tag_blas "$variant" >>"$out"
    done
    build/bin/mtl-gemm-candidates --square --workloads "" >>"$out" 2>/dev/null
    for w in ${workloads//,/ }; do
        if [ "$w" = multifashion ]; then
            for threads in 1 2; do multifashion_run "$threads"; done
        else
            pair --workload "$w"
        fi
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
