#!/usr/bin/env python3
"""Checks the core's mixtures of experts (printed by moe_probe) against the independent reference
in reference_moe.py: MMoE (Ma et al. 2018) and one CGC level (Tang et al. 2020) with dense + ReLU
experts, a softmax gate per task and a dense head per task under the weighted mean squared error.
Compares the task outputs, the loss and the gradient of every parameter.
Usage: compare_moe.py PATH/TO/moe_probe"""
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_moe as ref  # noqa: E402

TOLERANCE = 2e-5  # the core works in float32


def relative(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b)) / max(1.0, float(np.max(np.abs(b)))))


def arrays(p):
    """The probe's parameters as numpy arrays in reference_moe's layout."""
    tasks = len(p["W"])
    out = {key: [np.asarray(v, dtype=np.float64) for v in p[key]] for key in ("W", "b", "V", "a")}
    out["Us"] = np.asarray(p["Us"], dtype=np.float64)
    out["cs"] = np.asarray(p["cs"], dtype=np.float64)
    out["Ut"] = [np.asarray(p["Ut"][t], dtype=np.float64) for t in range(tasks)]
    out["ct"] = [np.asarray(p["ct"][t], dtype=np.float64) for t in range(tasks)]
    return out


def heads(H, p, targets, weights):
    """Dense heads y_t = H_t V_t + a_t and L = sum_t w_t mean((y_t - target_t)^2); returns
    (outputs, loss, dL/dH_t, dL/dV_t, dL/da_t)."""
    outputs, loss, dH, dV, da = [], 0.0, [], [], []
    for t, h in enumerate(H):
        y = h @ p["V"][t] + p["a"][t]
        r = y - targets[t]
        loss += weights[t] * np.mean(r ** 2)
        dy = weights[t] * 2.0 * r / r.shape[0]
        outputs.append(y)
        dH.append(dy @ p["V"][t].T)
        dV.append(h.T @ dy)
        da.append(dy.sum(axis=0))
    return outputs, loss, dH, dV, da


def reference(case):
    x = np.asarray(case["x"], dtype=np.float64)
    targets = [np.asarray(t, dtype=np.float64) for t in case["targets"]]
    p = arrays(case["parameters"])
    if case["architecture"] == "mmoe":
        mp = {"U": p["Us"], "c": p["cs"], "W": p["W"], "b": p["b"]}
        H, cache = ref.mmoe_full_forward(x, mp)
        outputs, loss, dH, dV, da = heads(H, p, targets, case["task_weights"])
        g = ref.mmoe_full_backward(mp, cache, dH)
        grads = {"Us": g["U"], "cs": g["c"], "W": g["W"], "b": g["b"]}
    else:
        cp = {"Us": p["Us"], "cs": p["cs"], "Ut": p["Ut"], "ct": p["ct"], "W": p["W"], "b": p["b"],
              "Ws": None, "bs": None}
        H, _, cache = ref.cgc_forward(x, cp)
        outputs, loss, dH, dV, da = heads(H, p, targets, case["task_weights"])
        g = ref.cgc_backward(cp, cache, dH)
        grads = {key: g[key] for key in ("Us", "cs", "Ut", "ct", "W", "b")}
    grads["V"], grads["a"] = dV, da
    return outputs, loss, grads


def main():
    cases = json.loads(subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout)
    failures = []
    for case in cases:
        where = f"{case['architecture']} T={case['tasks']}"
        outputs, loss, grads = reference(case)
        core = arrays(case["gradient"])
        checks = [("outputs", case["outputs"], outputs), ("loss", case["loss"], loss)]
        for key in ("Us", "cs", "W", "b", "V", "a") + (("Ut", "ct") if case["architecture"] == "cgc" else ()):
            expected = grads[key]
            got = core[key]
            if isinstance(expected, list):
                for t, (c, e) in enumerate(zip(got, expected)):
                    if np.size(e) > 0:
                        checks.append((f"d{key}[{t}]", c, e))
            elif np.size(expected) > 0:
                checks.append((f"d{key}", got, expected))
        for name, got, expected in checks:
            error = relative(got, expected)
            print(f"{where} {name}: relative error {error:.2e}")
            if not error <= TOLERANCE:
                failures.append(f"{where} {name}: {error:.2e}")
    if failures:
        sys.exit("compare_moe: differs from the reference: " + "; ".join(failures))
    print(f"compare_moe: {len(cases)} cases agree with the reference")


if __name__ == "__main__":
    main()
