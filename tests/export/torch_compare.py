"""python3 torch_compare.py EXPORT_DIR REFERENCE.json [--train]

Loads the exported PyTorch package (model.py + weights.npz), predicts the reference inputs and
compares with the core's outputs: largest relative error |torch − core| / max(|core|, 1) ≤ 1e-4
(logits and probabilities, or regression values in the column's units), and the soft-sharing
penalty of the weights with the core's. With --train, also runs
train.py for one epoch on the exported sample data and checks that its loss falls, then
the same with two DistributedDataParallel workers (train.py --processes 2), which must end with
identical weights.
"""
import json
import math
import subprocess
import sys

import numpy as np
import torch


def main():
    directory, reference_path = sys.argv[1], sys.argv[2]
    sys.path.insert(0, directory)
    import model as exported  # noqa: E402 (the export's model.py)

    with open(reference_path) as f:
        reference = json.load(f)
    inputs = torch.tensor([[math.nan if v is None else v for v in row] for row in reference["inputs"]],
                          dtype=torch.float32)
    net = exported.load()
    net.eval()
    with torch.no_grad():
        logits = net(inputs)
        predicted = net.predict(inputs)
    worst = 0.0
    for task in exported.TASKS:
        name = task["name"]
        if task["loss"] in ("cross_entropy", "binary_cross_entropy"):
            pairs = [(logits[name], name + "_logits"), (predicted[name], name + "_probabilities")]
        else:
            pairs = [(predicted[name], name)]
        for got, key in pairs:
            want = np.array(reference["outputs"][key], dtype=np.float64)
            error = np.abs(got.numpy().astype(np.float64) - want) / np.maximum(np.abs(want), 1.0)
            worst = max(worst, float(error.max()))
    with torch.no_grad():
        penalty = float(net.penalty())
    penalty_error = abs(penalty - reference["penalty"]) / max(abs(reference["penalty"]), 1e-12)
    if reference["penalty"] == 0.0:
        penalty_error = abs(penalty)
    print(f"{len(exported.TASKS)} tasks, {len(inputs)} rows: largest relative error {worst:.2e}; "
          f"penalty {penalty:.6g} (core {reference['penalty']:.6g})")
    if not penalty_error <= 1e-4:
        sys.exit(f"torch_compare: penalty {penalty} differs from the core's {reference['penalty']}")
    if not worst <= 1e-4:
        sys.exit(f"torch_compare: largest relative error {worst} exceeds 1e-4")

    if "--train" in sys.argv:
        out = subprocess.run([sys.executable, "train.py", "--epochs", "1", "--out", "trained.npz"],
                             cwd=directory, capture_output=True, text=True)
        print(out.stdout.strip())
        if out.returncode != 0:
            sys.exit(f"torch_compare: train.py failed:\n{out.stderr}")
        before = float(out.stdout.split("loss before:")[1].split()[0])
        after = float(out.stdout.split("loss after:")[1].split()[0])
        if not after < before:
            sys.exit(f"torch_compare: train.py's loss did not fall ({before} → {after})")
        exported.load(f"{directory}/trained.npz")  # what it wrote loads back

        # Two local workers with DistributedDataParallel: both end with the same weights, the loss
        # falls, and DDP has nothing to warn about.
        out = subprocess.run([sys.executable, "train.py", "--epochs", "1", "--processes", "2", "--out", "ddp.npz"],
                             cwd=directory, capture_output=True, text=True, timeout=300)
        print(out.stdout.strip().splitlines()[-2])
        if out.returncode != 0:
            sys.exit(f"torch_compare: train.py --processes 2 failed:\n{out.stderr}")
        if "Grad strides do not match" in out.stderr:
            sys.exit(f"torch_compare: DistributedDataParallel warned about gradient strides:\n{out.stderr}")
        difference = float(out.stdout.split("largest weight difference between them:")[1].split()[0])
        before = float(out.stdout.split("loss before:")[1].split()[0])
        after = float(out.stdout.split("loss after:")[1].split()[0])
        if difference != 0.0:
            sys.exit(f"torch_compare: the two workers' weights differ by up to {difference}")
        if not after < before:
            sys.exit(f"torch_compare: train.py --processes 2: the loss did not fall ({before} → {after})")
        exported.load(f"{directory}/ddp.npz")


if __name__ == "__main__":
    main()
