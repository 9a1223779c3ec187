#!/usr/bin/env python3
"""Reads the JSON lines of bench/run.sh (mtl-bench and pytorch_reference.py) and prints the
report of shared/benchmarks.md: per workload the median over repetitions of each side's best
thread setting, their ratio, and the core's GFLOP/s against the sgemm peak of the same run; then
mlp-small under each gradient-based balancing method against PyTorch doing it the libraries' way,
with the core's overhead over its own static-weights step in the same run; and the end-to-end
MultiFashion line: seconds per epoch, loading included, of each side's best setting.

A thread setting is the thread count for the core, and torch's thread count with OpenBLAS's pool
size and build (pthread or OpenMP) for PyTorch (lines without a pool size come from runs that
pinned OpenBLAS to one thread; without a build, from runs on the installed one).

Usage: compare.py RESULTS.jsonl"""
import json
import statistics
import sys
from collections import defaultdict

TARGETS = {"mlp-small": 3.0, "mlp-large": 1.5, "soft-small": 3.0, "lenet-2task": 2.0}  # benchmarks.md
BATCH = {"mlp-small": 128, "mlp-large": 256, "soft-small": 128, "lenet-2task": 256}  # benchmarks.md
BALANCING_TARGET = 3.0  # × PyTorch doing the same method the libraries' way
OVERHEAD_GOALS = {"pcgrad": 2.5}  # a method's step time over the static step's, on the core
END_TO_END_GOAL = 2.5  # MultiFashion, whole process per epoch: × faster than PyTorch


def load(path):
    """core, torch: {(workload, balancing, batch, width, setting): [runs]};
    sgemm: {library: [GFLOP/s]}; end_to_end: {(side, setting): [seconds per epoch]}."""
    core, torch, sgemm = defaultdict(list), defaultdict(list), defaultdict(list)
    end_to_end = defaultdict(list)
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if "sgemm" in r:
                sgemm[r["sgemm"] + (f" {r['blas']}" if "blas" in r else "")].append(r["gflops"])
            elif r.get("workload") == "square":  # mtl-gemm-candidates: every product library
                sgemm[r["library"]].append(r["gflops"])
            elif r.get("workload") == "multifashion":
                setting = (r["threads"],) if r["side"] == "core" else (
                    r["threads"], int(r.get("openblas_threads") or 1), r.get("blas", "installed"))
                end_to_end[(r["side"], setting)].append(r["seconds"] / r["epochs"])
            elif r.get("side") == "core":
                core[(r["workload"], r.get("balancing", "static"), r["batch"], r["width"],
                      (r["threads"],))].append(r)
            else:
                torch[(r["workload"], r.get("balancing", "static"), r["batch"], r["width"],
                       (r["threads"], r.get("openblas_threads", 1), r.get("blas", "installed")))].append(r)
    return core, torch, sgemm, end_to_end


def median(runs, key="samples_per_second"):
    return statistics.median(r[key] for r in runs)


def setting_name(setting):
    return f"{setting[0]} thr" + (f", OpenBLAS {setting[1]}" if len(setting) > 1 else "") + (
        f" {setting[2]}" if len(setting) > 2 and setting[2] != "installed" else "")


def best(side, workload, balancing="static", batch=None, width=None):
    """(samples/s, setting, runs) of the best thread setting's median for a configuration."""
    candidates = [(median(runs), key[4], runs) for key, runs in side.items()
                  if key[0] == workload and key[1] == balancing
                  and (batch is None or key[2] == batch) and (width is None or key[3] == width)]
    return max(candidates) if candidates else None


def verdict(met):
    return "met" if met else "NOT met"


def workload_lines(core, torch, peak):
    workloads = sorted({key[0] for key in core if key[1] == "static"},
                       key=lambda w: list(TARGETS).index(w) if w in TARGETS else 9)
    rows = []
    for w in workloads:
        batch = BATCH.get(w)
        c, t = best(core, w, "static", batch, 0), best(torch, w, "static", batch, 0)
        balanced = any(key[0] == w and key[1] != "static" for key in core)
        if not c or (not t and balanced):  # a static run only for the balancing overhead
            continue
        gflops = median(c[2], "gflops")
        ratio = c[0] / t[0] if t else float("nan")
        pytorch = f"{t[0]:,.0f} samples/s ({setting_name(t[1])})" if t else "(no run)"
        print(f"{w}: core {c[0]:,.0f} samples/s ({setting_name(c[1])}), pytorch {pytorch}, ratio {ratio:.2f}, "
              f"{gflops:.1f} GFLOP/s = {100 * gflops / peak:.0f}% of sgemm peak"
              + (f"  [target ≥ {TARGETS[w]}×: {verdict(ratio >= TARGETS[w])}]" if w in TARGETS else ""))
        rows.append((w, "static"))
    return rows


def balancing_lines(core, torch):
    """mlp-small under each gradient-based method, against PyTorch and against the core's own
    static step (each at its best thread setting)."""
    w, batch = "mlp-small", BATCH["mlp-small"]
    methods = [m for m in dict.fromkeys(key[1] for key in core if key[0] == w)  # in run order
               if m != "static"]
    static = best(core, w, "static", batch, 0)
    rows = []
    for m in methods:
        c, t = best(core, w, m, batch, 0), best(torch, w, m, batch, 0)
        ratio = c[0] / t[0] if t else float("nan")
        pytorch = (f"{t[0]:,.0f} samples/s (the libraries' way, {setting_name(t[1])})" if t
                   else "(no run)")
        met = verdict(ratio >= BALANCING_TARGET)
        line = (f"{w} + {m}: core {c[0]:,.0f} samples/s ({setting_name(c[1])}), pytorch {pytorch}, "
                f"ratio {ratio:.2f} [target ≥ {BALANCING_TARGET:g}×: {met}]")
        if static:
            # Step time under the method over the static step's, each at its best setting.
            overhead = static[0] / c[0]
            goal = OVERHEAD_GOALS.get(m.split(":")[0])
            line += f"; core overhead over static weights {overhead:.2f}×" + (
                f" [goal ≤ {goal:g}×: {verdict(overhead <= goal)}]" if goal else "")
        else:
            line += "; core overhead over static weights: no static run of mlp-small"
        print(line)
        rows.append((w, m))
    return rows


def threads_table(core, torch, rows):
    """Median samples/s at every thread setting of each side; allocations per step (the core's
    own, and apart those inside oneDNN's products: its argument tables) and peak memory of the
    core's runs."""
    core_settings = sorted({key[4] for key in core})
    torch_settings = sorted({key[4] for key in torch})
    names = ([f"core {s[0]}" for s in core_settings]
             + [f"torch {s[0]}/{s[1]}" + {"pthread": "p", "openmp": "o"}.get(s[2], "") for s in torch_settings])
    print("threads (median samples/s; torch T/B: torch T threads, OpenBLAS B threads; "
          "p, o: OpenBLAS's pthread or OpenMP build):")
    print(f"  {'configuration':<22}" + "".join(f" {n:>11}" for n in names)
          + "  allocs/step  oneDNN's  peak MB")
    for w, m in rows:
        def at(side, setting):
            runs = [r for key, rs in side.items() if key[:4] == (w, m, BATCH.get(w), 0)
                    and key[4] == setting for r in rs]
            return f" {median(runs):>11,.0f}" if runs else f" {'-':>11}"
        c = best(core, w, m, BATCH.get(w), 0)
        allocs = max(r["allocations_per_step"] for r in c[2])
        library_allocs = max(r.get("onednn_allocations_per_step", 0.0) for r in c[2])
        memory = max(r["peak_memory_mb"] for r in c[2])
        label = w if m == "static" else f"{w} + {m}"
        print(f"  {label:<22}" + "".join(at(core, s) for s in core_settings)
              + "".join(at(torch, s) for s in torch_settings)
              + f"  {allocs:>11.1f}  {library_allocs:>8.0f}  {memory:>7.0f}")


def end_to_end_line(end_to_end):
    """The whole MultiFashion recipe as each side runs it (loading, training, validation, test):
    the median seconds per epoch of each side's fastest setting."""
    def fastest(side):
        times = [(statistics.median(v), setting) for (s, setting), v in end_to_end.items() if s == side]
        return min(times) if times else None
    c, t = fastest("core"), fastest("pytorch")
    if not c or not t:
        return
    ratio = t[0] / c[0]
    print(f"multifashion (2 epochs, loading included): core {c[0]:.2f} s per epoch ({setting_name(c[1])}), "
          f"pytorch {t[0]:.2f} s per epoch ({setting_name(t[1])}), ratio {ratio:.2f}  "
          f"[goal ≥ {END_TO_END_GOAL}×: {verdict(ratio >= END_TO_END_GOAL)}]")


def scaling_table(core, torch):
    scaling = sorted({(key[2], key[3]) for key in core
                      if key[0] == "mlp-small" and key[1] == "static"})
    if len(scaling) <= 1:
        return
    print()
    print("mlp-small scaling (median samples/s, best thread setting each):")
    print(f"  {'batch':>6} {'width':>6} {'core':>10} {'pytorch':>10} {'ratio':>6}")
    for batch, width in scaling:
        c = best(core, "mlp-small", "static", batch, width)
        t = best(torch, "mlp-small", "static", batch, width)
        ratio = f"{c[0] / t[0]:.2f}" if c and t else "-"
        print(f"  {batch:>6} {width or 256:>6} {c[0]:>10,.0f} {(t[0] if t else 0):>10,.0f} {ratio:>6}")


def main():
    core, torch, sgemm, end_to_end = load(sys.argv[1])
    peaks = {name: max(values) for name, values in sgemm.items()}
    peak = max(peaks.values()) if peaks else float("nan")
    print("sgemm peak: " + ", ".join(f"{name} {value:.1f} GFLOP/s" for name, value in peaks.items())
          + f" -> peak {peak:.1f} GFLOP/s")
    rows = workload_lines(core, torch, peak)
    end_to_end_line(end_to_end)
    balanced = [key for key in core if key[0] == "mlp-small" and key[1] != "static"]
    if balanced:
        print()
        rows += balancing_lines(core, torch)
    print()
    threads_table(core, torch, rows)
    scaling_table(core, torch)


if __name__ == "__main__":
    main()
