#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""compare_reference.py PROBE

Checks every balancing method of the core (through PROBE, tests/balancing/balancing_probe.cpp)
against reference.py, an implementation written from the papers' equations without our C++:
the direction d and the weights w of each step agree to 1e-5 (relative to the larger of the
two norms). Weights are compared where the problem fixes them (a well-conditioned Gram matrix,
or a method whose weights are a formula); where it does not, d must still agree and d = Jᵀw
must hold for our w.

Cases: the hand-made Jacobians of reference.cases() (orthogonal, conflicting at 120°, one
dominant norm, identical, one zero gradient, random; 2 and 3 tasks) with the published defaults
and other parameter values, one task absent from the batch, and sequences of steps for the
methods with state (uncertainty weighting, DWA, FAMO, GradNorm, Nash-MTL's fallback, DB-MTL).
"""
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

TOLERANCE = 1e-5
FORMULA_WEIGHTS = {"static", "equal", "uncertainty", "dwa", "rlw", "gls", "famo", "gradnorm", "pcgrad",
                   "aligned_mtl", "db_mtl"}


def f32(a):
    return np.asarray(np.asarray(a, dtype=np.float32), dtype=np.float64)


def probe(binary, method, tasks, steps, seed=7):
    request = {"method": method, "tasks": tasks, "seed": seed, "steps": []}
    for s in steps:
        item = {"J": s["J"].tolist(), "losses": [None if np.isnan(x) else float(x) for x in s["losses"]],
                "lr": s.get("lr", 0.001), "user_weights": s.get("user_weights", [1.0] * tasks)}
        for key in ("losses_after", "epoch_end"):
            if key in s:
                item[key] = [None if np.isnan(x) else float(x) for x in s[key]]
        request["steps"].append(item)
    out = subprocess.run([binary], input=json.dumps(request), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{method}: probe failed: {out.stderr.strip()}")
    return json.loads(out.stdout)["steps"]


def split(method):
    """"cagrad:c=0.5,rescale=1+c^2" -> ("cagrad", {"c": 0.5, "rescale": 1})"""
    name, _, rest = method.partition(":")
    params = {}
    for item in filter(None, rest.split(",")):
        key, value = item.split("=")
        if key == "rescale":
            params[key] = {"none": 0, "1+c^2": 1, "1+c": 2}[value]
        elif key == "normalization":
            params[key] = value
        else:
            params[key] = float(value)
    return name, params


def relative(a, b, floor=1e-12):
    """|a − b| relative to the larger norm, or to `floor` when both are smaller (a direction that
    should be 0 comes out as float32 rounding, ~1e-8 of the gradients)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    scale = max(np.linalg.norm(a), np.linalg.norm(b), floor)
    return float(np.linalg.norm(a - b) / scale)


def weights_fixed(name, J, losses):
    if name in FORMULA_WEIGHTS:
        return True
    present = ~np.isnan(losses)
    G = J[present] @ J[present].T
    return np.linalg.cond(G) < 1e6


def compare(binary, method, tasks, steps, label, report):
    name, params = split(method)
    ours = probe(binary, method, tasks, steps)
    ref = reference.make(name, tasks, params)
    worst_d, worst_w, failures = 0.0, 0.0, []
    for k, (s, mine) in enumerate(zip(steps, ours)):
        ctx = {"lr": s.get("lr", 0.001), "user_weights": np.asarray(s.get("user_weights", [1.0] * tasks))}
        if "losses_after" in s:
            ctx["losses_after"] = s["losses_after"]
        if "orders" in mine:
            ctx["orders"] = mine["orders"]
        if "z" in mine:
            ctx["z"] = mine["z"]
        d_ref, w_ref = ref.step(s["J"], s["losses"], ctx)
        if "epoch_end" in s:
            ref.end_epoch(np.asarray(s["epoch_end"], float))
        d, w = np.asarray(mine["d"]), np.asarray(mine["w"])
        floor = 1e-2 * max(np.linalg.norm(s["J"], axis=1).max(), 1e-12)
        e_d = relative(d, d_ref, floor)
        worst_d = max(worst_d, e_d)
        if e_d > TOLERANCE:
            failures.append(f"step {k + 1}: d differs by {e_d:.2e} (ours {d}, reference {d_ref})")
        if weights_fixed(name, s["J"], s["losses"]):
            e_w = relative(w, w_ref)
            worst_w = max(worst_w, e_w)
            if e_w > TOLERANCE:
                failures.append(f"step {k + 1}: w differs by {e_w:.2e} (ours {w}, reference {w_ref})")
        elif name != "db_mtl":
            e_c = relative(s["J"].T @ w, d, floor)
            if e_c > TOLERANCE:
                failures.append(f"step {k + 1}: our d is not Jᵀw ({e_c:.2e})")
    report.append((method, label, worst_d, worst_w, failures))


def single_cases():
    out = []
    for name, J, losses in reference.cases():
        out.append((name, f32(J), f32(losses)))
    # One task absent from the batch.
    name, J, losses = out[-1]
    J = J.copy()
    losses = losses.copy()
    J[1] = 0.0
    losses[1] = np.nan
    out.append(("random_3_absent", J, losses))
    return out


def sequence(tasks, length, seed, conflicting_step=None):
    rng = np.random.RandomState(seed)
    steps = []
    for k in range(length):
        J = f32(rng.randn(tasks, 6))
        losses = f32(rng.uniform(0.3, 2.0, tasks))
        s = {"J": J, "losses": losses, "lr": 0.01, "losses_after": f32(losses * rng.uniform(0.7, 1.05, tasks)),
             "user_weights": [0.5, 0.3, 0.2][:tasks]}
        if k % 2 == 1:
            s["epoch_end"] = f32(rng.uniform(0.3, 2.0, tasks))
        if conflicting_step is not None and k == conflicting_step:
            c, sn = -0.5, np.sqrt(3.0) / 2.0
            s["J"] = f32(np.pad(np.array([[1.0, 0.0], [c, sn], [c, -sn]]), ((0, 0), (0, 4))))
        steps.append(s)
    return steps


def main():
    binary = sys.argv[1]
    report = []
    single = {
        "static": [], "equal": [], "gls": [], "rlw": [],
        "mgda": ["normalization=none", "normalization=l2", "normalization=loss", "normalization=loss+"],
        "pcgrad": [], "cagrad": ["c=0.5", "c=0", "c=1.5", "c=0.5,rescale=none", "c=0.5,rescale=1+c"],
        "imtl_g": [], "nash_mtl": ["max_norm=1", "max_norm=0"], "aligned_mtl": [],
        "upgrad": ["reg_eps=0.0001", "reg_eps=0"], "fairgrad": ["alpha=1", "alpha=0.5", "alpha=2"],
    }
    for name, variants in single.items():
        for variant in variants or [""]:
            method = name + (":" + variant if variant else "")
            for label, J, losses in single_cases():
                if method == "upgrad:reg_eps=0" and np.linalg.cond(J @ J.T) > 1e6:
                    continue  # TorchJD's regularisation exists for these
                steps = [{"J": J, "losses": losses, "user_weights": [0.5, 0.3, 0.2][:J.shape[0]]}]
                compare(binary, method, J.shape[0], steps, label, report)
    for method in ["uncertainty", "uncertainty:lr=0.05", "dwa", "dwa:temperature=0.5", "famo", "gradnorm",
                   "gradnorm:alpha=0.5", "db_mtl", "nash_mtl", "fairgrad", "pcgrad", "rlw"]:
        for tasks in (2, 3):
            conflicting = 3 if method in ("nash_mtl", "fairgrad") and tasks == 3 else None
            compare(binary, method, tasks, sequence(tasks, 8, 100 + tasks, conflicting), f"sequence of 8, {tasks} tasks",
                    report)

    failed = [r for r in report if r[4]]
    width = max(len(r[0]) for r in report)
    for method, label, e_d, e_w, failures in report:
        status = "FAIL" if failures else "ok"
        print(f"{method:<{width}}  {label:<22}  d {e_d:.1e}  w {e_w:.1e}  {status}")
        for f in failures:
            print(f"    {f}")
    print(f"{len(report) - len(failed)} of {len(report)} comparisons agree to {TOLERANCE:g}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
