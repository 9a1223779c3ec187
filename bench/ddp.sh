#!/usr/bin/env bash
# Scaling past one process is the exported PyTorch package's job: this measures its train.py on
# MultiFashion (the recipe of resources/examples/multifashion-recipe.mtl.json) with one process
# and with N processes (DistributedDataParallel over gloo, --processes N), on this machine.
#
# Usage: bench/ddp.sh [--epochs 2] [--processes "1 2"]
# Trains the recipe for one epoch with mtl (for a model to export), exports it for PyTorch,
# writes all 60,000 MultiFashion training images as train.py's --data, then times train.py
# (whole process, loading included) at each process count and prints one JSON line for each.
# The batch over all processes stays the recipe's 256 (each of N workers takes 256 / N rows).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=2
processes="1 $(nproc)"
while [ $# -gt 0 ]; do
    case "$1" in
    --epochs) epochs=$2; shift 2 ;;
    --processes) processes=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of bench/ddp.sh)" >&2; exit 2 ;;
    esac
done
python=/usr/bin/python3 # Debian's, where python3-torch is installed
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
MTL_TARGETS=mtl scripts/build.sh >/dev/null
build/bin/mtl train resources/examples/multifashion-recipe.mtl.json --epochs 1 --quiet --no-record \
    --out "$scratch/run" >/dev/null
build/bin/mtl export "$scratch/run/model.mtlmodel" --format pytorch --out "$scratch/package" >/dev/null
# The training images as MultiFashion, raw pixels in [0, 1] (train.py standardises as the model does).
PYTHONPATH=bench "$python" - "$scratch/data.npz" <<'EOF'
import os, sys
import numpy as np
import pytorch_multifashion as mf
folder = os.environ.get("MTL_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
images = mf.read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
labels = mf.read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz")).astype(np.int64)
x, y = mf.multifashion(images, labels, np.random.default_rng(1))
np.savez(sys.argv[1], inputs=x.reshape(len(x), -1), targets=y.astype(np.float32))
EOF
for n in $processes; do
    began=$(date +%s.%N)
    "$python" "$scratch/package/train.py" --data "$scratch/data.npz" --epochs "$epochs" --batch-size $((256 / n)) \
        --processes "$n" --out "$scratch/trained-$n.npz" >"$scratch/log-$n" 2>&1 ||
        { cat "$scratch/log-$n" >&2; exit 1; }
    seconds=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    printf '{"processes": %s, "epochs": %s, "rows": 60000, "seconds": %s, "seconds_per_epoch": %s}\n' \
        "$n" "$epochs" "$seconds" "$(awk -v s="$seconds" -v e="$epochs" 'BEGIN { printf "%.2f", s / e }')"
    tail -n 3 "$scratch/log-$n" | sed 's/^/  /' >&2
done
