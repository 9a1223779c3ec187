#!/usr/bin/env python3
"""Reads the JSON lines of bench/run.sh (mtl-bench and pytorch_reference.py) and prints the
report of shared/benchmarks.md: per workload the median over repetitions of each side's best
thread setting, their ratio, and the core's GFLOP/s against the sgemm peak of the same run.

Usage: compare.py RESULTS.jsonl [--markdown]"""
import json
import statistics
import sys
from collections import defaultdict

TARGETS = {"mlp-small": 3.0, "mlp-large": 1.5, "soft-small": 3.0, "lenet-2task": 1.5}
BATCH = {"mlp-small": 128, "mlp-large": 256, "soft-small": 128, "lenet-2task": 256}  # benchmarks.md


def load(path):
    core, torch, sgemm = defaultdict(list), defaultdict(list), defaultdict(list)
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if "sgemm" in r:
                sgemm[r["sgemm"]].append(r["gflops"])
            else:
                side = core if r.get("side") == "core" else torch
                side[(r["workload"], r["threads"], r["batch"], r["width"])].append(r)
    return core, torch, sgemm


def median(runs, key="samples_per_second"):
    return statistics.median(r[key] for r in runs)


def best(side, workload, batch=None, width=None):
    """(samples/s, threads, runs) of the best thread setting's median for a workload."""
    candidates = [(median(runs), key[1], runs) for key, runs in side.items()
                  if key[0] == workload and (batch is None or key[2] == batch)
                  and (width is None or key[3] == width)]
    return max(candidates) if candidates else None


def main():
    core, torch, sgemm = load(sys.argv[1])
    peaks = {name: max(values) for name, values in sgemm.items()}
    peak = max(peaks.values()) if peaks else float("nan")
    print("sgemm peak: " + ", ".join(f"{name} {value:.1f} GFLOP/s" for name, value in peaks.items())
          + f" -> peak {peak:.1f} GFLOP/s")
    workloads = sorted({key[0] for key in core}, key=lambda w: list(TARGETS).index(w) if w in TARGETS else 9)
    rows = []
    for w in workloads:
        batch = BATCH.get(w)
        c, t = best(core, w, batch, 0), best(torch, w, batch, 0)
        if not c:
            continue
        gflops = median(c[2], "gflops")
        ratio = c[0] / t[0] if t else float("nan")
        pytorch = f"{t[0]:,.0f} samples/s ({t[1]} thr)" if t else "(no run)"
        print(f"{w}: core {c[0]:,.0f} samples/s ({c[1]} thr), pytorch {pytorch}, ratio {ratio:.2f}, "
              f"{gflops:.1f} GFLOP/s = {100 * gflops / peak:.0f}% of sgemm peak"
              + (f"  [target ≥ {TARGETS[w]}×: {'met' if ratio >= TARGETS[w] else 'NOT met'}]" if w in TARGETS else ""))
        rows.append((w, c, t))
    print()
    print("threads (median samples/s):")
    print(f"  {'workload':<12} {'core 1':>9} {'core 2':>9} {'torch 1':>9} {'torch 2':>9}  allocs/step  peak MB")
    for w, c, _ in rows:
        def at(side, threads):
            runs = [r for key, rs in side.items() if key[0] == w and key[1] == threads and key[3] == 0
                    and key[2] == BATCH.get(w) for r in rs]
            return f"{median(runs):>9,.0f}" if runs else f"{'-':>9}"
        allocs = max(r["allocations_per_step"] for r in c[2])
        memory = max(r["peak_memory_mb"] for r in c[2])
        print(f"  {w:<12} {at(core, 1)} {at(core, 2)} {at(torch, 1)} {at(torch, 2)}  {allocs:>11.1f}  {memory:>7.0f}")
    scaling = sorted({(key[2], key[3]) for key in core if key[0] == "mlp-small"})
    if len(scaling) > 1:
        print()
        print("mlp-small scaling (median samples/s, best thread setting each):")
        print(f"  {'batch':>6} {'width':>6} {'core':>10} {'pytorch':>10} {'ratio':>6}")
        for batch, width in scaling:
            c, t = best(core, "mlp-small", batch, width), best(torch, "mlp-small", batch, width)
            ratio = f"{c[0] / t[0]:.2f}" if c and t else "-"
            print(f"  {batch:>6} {width or 256:>6} {c[0]:>10,.0f} {(t[0] if t else 0):>10,.0f} {ratio:>6}")


if __name__ == "__main__":
    main()
