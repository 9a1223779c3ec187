#!/usr/bin/env python3
"""Checks the core's soft-sharing couplings (printed by coupling_probe) against the independent
reference in reference.py: L2 to the mean, the smoothed trace norm, MTRL's closed-form Omega and
its penalty with Omega held. Usage: compare_couplings.py PATH/TO/coupling_probe"""
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402

TOLERANCE = 2e-5  # the core works in float32


def relative(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(1.0, float(np.max(np.abs(b)))))


def main():
    cases = json.loads(subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout)
    failures = []
    for case in cases:
        W = np.asarray(case["W"], dtype=np.float64).T  # d x T, columns per task
        lam = case["lambda"]
        where = f"T={case['tasks']} d={case['d']}"
        checks = []
        value, grad = ref.l2_to_mean(W, lam)
        checks += [("mean_l2 value", case["mean_l2"]["value"], value),
                   ("mean_l2 gradient", np.asarray(case["mean_l2"]["gradient"]).T, grad)]
        value, grad = ref.trace_norm_smooth(W, lam, case["trace_norm"]["epsilon"])
        checks += [("trace_norm value", case["trace_norm"]["value"], value),
                   ("trace_norm gradient", np.asarray(case["trace_norm"]["gradient"]).T, grad)]
        gram = W.T @ W
        eps = case["relationship"]["relative_epsilon"] * np.trace(gram) / W.shape[1]
        omega = ref.mtrl_omega(W, eps)
        value, grad = ref.mtrl_penalty(W, omega, lam)
        checks += [("relationship omega", case["relationship"]["omega"], omega),
                   ("relationship value", case["relationship"]["value"], value),
                   ("relationship gradient", np.asarray(case["relationship"]["gradient"]).T, grad)]
        for name, core, expected in checks:
            error = relative(core, expected)
            print(f"{where} {name}: relative error {error:.2e}")
            if not error <= TOLERANCE:
                failures.append(f"{where} {name}: {error:.2e}")
    if failures:
        sys.exit("compare_couplings: differs from the reference: " + "; ".join(failures))
    print(f"compare_couplings: {len(cases)} cases agree with the reference")


if __name__ == "__main__":
    main()
