#!/usr/bin/env python3
"""PyTorch reference runs of the workloads in shared/benchmarks.md, measured the same way as
mtl-bench: training steps only (forward, backward, Adam lr 1e-3), random inputs and labels in
memory, task weights 0.5/0.3/0.2 (two tasks 0.5/0.5), softmax cross-entropy with 10 classes,
at least 10 warm-up steps, then at least --seconds of steps. Prints one JSON object per line.

With --balancing (pcgrad, mgda_ub, nash_mtl, parameters as for mtl-bench) a hard-shared workload
trains under that method, done the way LibMTL does it (bench/pytorch_balancing.py).

Usage: pytorch_reference.py --workload NAME --threads T [--seconds S] [--width W] [--batch B]
                            [--balancing NAME[:params]]
       pytorch_reference.py --sgemm --threads T
Debian's torch calls OpenBLAS for its products: bench/run.sh runs every configuration with
OPENBLAS_NUM_THREADS at 1 and at all cores (benchmarks.md), and each line names the setting."""
import argparse
import json
import os
import time

import torch
from torch import nn

import pytorch_balancing

CLASSES = 10
SAMPLES = 4096


def trunk_and_heads(width, head, soft, tasks):
    def trunk():
        return nn.Sequential(nn.Linear(784, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU())

    shared = nn.ModuleList([trunk() for _ in range(tasks)]) if soft else trunk()
    heads = nn.ModuleList([nn.Sequential(nn.Linear(width, head), nn.ReLU(), nn.Linear(head, CLASSES))
                           for _ in range(tasks)])
    return shared, heads


class MultiTask(nn.Module):
    def __init__(self, name, width):
        super().__init__()
        self.soft = name == "soft-small"
        if name == "lenet-2task":
            self.shared = nn.Sequential(
                nn.Conv2d(1, 10, 5), nn.MaxPool2d(2), nn.ReLU(),
                nn.Conv2d(10, 20, 5), nn.MaxPool2d(2), nn.ReLU(),
                nn.Flatten(), nn.Linear(320, 50), nn.ReLU())
            self.heads = nn.ModuleList([nn.Sequential(nn.Linear(50, 50), nn.ReLU(), nn.Linear(50, CLASSES))
                                        for _ in range(2)])
        else:
            large = name == "mlp-large"
            self.shared, self.heads = trunk_and_heads(width or (1024 if large else 256),
                                                      256 if large else 64, self.soft, 3)

    def forward(self, x):
        if self.soft:
            return [head(trunk(x)) for trunk, head in zip(self.shared, self.heads)]
        h = self.shared(x)
        return [head(h) for head in self.heads]

    def penalty(self, strength=1e-3):
        """λ Σ_t ‖W_t − W̄‖² over the weight matrices of the soft-shared trunk."""
        if not self.soft:
            return 0.0
        total = 0.0
        for layer in (0, 2):
            weights = torch.stack([trunk[layer].weight for trunk in self.shared])
            total = total + strength * ((weights - weights.mean(0)) ** 2).sum()
        return total


def measure(name, threads, seconds, width, batch, balancing):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = MultiTask(name, width)
    tasks = len(model.heads)
    weights = [0.5, 0.5] if tasks == 2 else [0.5, 0.3, 0.2]
    batch = batch or (256 if name in ("mlp-large", "lenet-2task") else 128)
    shape = (SAMPLES, 1, 28, 28) if name == "lenet-2task" else (SAMPLES, 784)
    x = torch.randn(shape)
    y = torch.randint(0, CLASSES, (SAMPLES, tasks))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batches = SAMPLES // batch
    balanced = (pytorch_balancing.BalancedStep(model, optimizer, balancing)
                if balancing != "static" else None)

    def step(i):
        b = i % batches
        xb, yb = x[b * batch:(b + 1) * batch], y[b * batch:(b + 1) * batch]
        if balanced:
            balanced.step(xb, yb)
            return
        optimizer.zero_grad(set_to_none=True)
        outputs = model(xb)
        loss = sum(w * loss_fn(o, yb[:, t]) for t, (w, o) in enumerate(zip(weights, outputs)))
        loss = loss + model.penalty()
        loss.backward()
        optimizer.step()

    for i in range(20):
        step(i)
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or steps < 20:
        step(steps)
        steps += 1
    elapsed = time.perf_counter() - start
    label = (pytorch_balancing.formatted(*pytorch_balancing.parse(balancing)) if balanced
             else "static")
    print(json.dumps({"workload": name, "balancing": label, "threads": threads,
                      "openblas_threads": openblas_threads(), "batch": batch, "width": width or 0,
                      "samples_per_second": round(steps * batch / elapsed, 1), "steps": steps}))


def openblas_threads():
    """OpenBLAS's pool size as the environment sets it (unset: OpenBLAS takes all cores)."""
    value = os.environ.get("OPENBLAS_NUM_THREADS", "")
    return int(value) if value.isdigit() else os.cpu_count()


def sgemm(threads):
    torch.set_num_threads(threads)
    best, best_size = 0.0, 0
    for n in (512, 1024, 1536, 2048):
        a, b = torch.randn(n, n), torch.randn(n, n)
        torch.mm(a, b)
        runs, start = 0, time.perf_counter()
        while time.perf_counter() - start < 1.0 or runs < 3:
            torch.mm(a, b)
            runs += 1
        gflops = 2 * n ** 3 * runs / (time.perf_counter() - start) / 1e9
        if gflops > best:
            best, best_size = gflops, n
    print(json.dumps({"sgemm": "openblas (torch.mm)", "threads": threads, "gflops": round(best, 1),
                      "size": best_size, "openblas_threads": openblas_threads()}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload")
    parser.add_argument("--sgemm", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--width", type=int, default=0)
    parser.add_argument("--batch", type=int, default=0)
    parser.add_argument("--balancing", default="static")
    args = parser.parse_args()
    if args.sgemm:
        sgemm(args.threads)
    else:
        measure(args.workload, args.threads, args.seconds, args.width, args.batch, args.balancing)
