#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""balancing_export_test.py MTL BALANCING_PROBE EXAMPLES_DIR

The PyTorch export's task balancing (balancing.py, train.py) against the app's:
  1. trains synthetic-hard briefly with CAGrad (c=0.4) and exports it; config.json names the
     hard-shared layers' parameters;
  2. every method balancing.py implements, on the hand-made Jacobians of
     tests/balancing/reference.py (2 and 3 tasks: orthogonal, conflicting at 120°, one dominant
     norm, identical, a zero gradient, random; one task absent) and over sequences of steps for the
     methods with state: the weights w and direction d agree with balancing_probe's (the core's
     methods) to 1e-5, relative. PCGrad's orders and RLW's draws are the probe's;
  3. train.py's own step (BalancedStep) on the exported model's first batches: the weights it
     chooses and the shared parameters' gradient it sets agree with the probe's on the same
     per-task gradients;
  4. train.py runs: the project's method (it says "balancing: CAGrad (c=0.4)"), --balancing
     pcgrad, cagrad, mgda and uncertainty lower the loss in one epoch; two workers
     (--processes 2) with PCGrad end with identical weights; MGDA-UB is refused with a message
     offering --balancing equal; a parameter out of range is a usage error.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "balancing"))
from compare_reference import f32, probe, relative, sequence, single_cases  # noqa: E402

TOLERANCE = 1e-5
PY = "/usr/bin/python3"

SINGLE = {
    "static": [""], "equal": [""], "gls": [""], "rlw": [""], "pcgrad": [""], "imtl_g": [""], "aligned_mtl": [""],
    "mgda": ["normalization=none", "normalization=l2", "normalization=loss", "normalization=loss+"],
    "cagrad": ["c=0.5", "c=0", "c=1.5", "c=0.5,rescale=none", "c=0.5,rescale=1+c"],
    "nash_mtl": ["max_norm=1", "max_norm=0"], "upgrad": ["", "reg_eps=0"],
    "fairgrad": ["alpha=1", "alpha=0.5", "alpha=2"],
}
SEQUENCES = ["uncertainty", "uncertainty:lr=0.05", "dwa", "dwa:temperature=0.5", "famo", "gradnorm",
             "gradnorm:alpha=0.5", "db_mtl", "nash_mtl", "fairgrad", "pcgrad", "rlw"]


def fail(message):
    sys.exit(f"FAIL: {message}")


def run(command, cwd, expect=0):
    out = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    if out.returncode != expect:
        fail(f"{' '.join(command)} exited {out.returncode} (expected {expect}):\n{out.stdout}\n{out.stderr}")
    return out


def ours(balancing, method, tasks, steps, drawn):
    """balancing.py over the steps: [(d, w)] with w over all tasks (0 where absent)."""
    strategy = balancing.make(balancing.parse(method), tasks)
    results = []
    for s, theirs in zip(steps, drawn):
        present = [t for t in range(tasks) if not np.isnan(s["losses"][t])]
        losses = np.asarray(s["losses"], float)[present]
        jacobian = f32(s["J"])[present]
        w = np.zeros(tasks)
        if strategy.writes_direction:
            d, wp = strategy.direction(present, losses, torch.from_numpy(jacobian.astype(np.float32)))
            d = d.double().numpy()
        else:
            gram = jacobian @ jacobian.T
            wp = strategy.combine(tasks=present, losses=losses, gram=gram,
                                  user_weights=f32(s.get("user_weights", [1.0] * tasks)),
                                  lr=float(np.float32(s.get("lr", 0.001))),
                                  orders=theirs.get("orders"), draws=theirs.get("z"))
            d = jacobian.T @ wp
        w[present] = wp
        if strategy.needs_losses_after_step:
            strategy.after_step(f32(s["losses_after"]))
        if "epoch_end" in s:
            strategy.end_epoch(np.asarray(s["epoch_end"], float))
        results.append((d, w))
    return results


def compare(probe_binary, balancing, method, tasks, steps, worst, failures, label):
    drawn = probe(probe_binary, method, tasks, steps)
    for k, ((d, w), theirs) in enumerate(zip(ours(balancing, method, tasks, steps, drawn), drawn)):
        floor = 1e-2 * max(np.linalg.norm(steps[k]["J"], axis=1).max(), 1e-12)
        e_d = relative(d, theirs["d"], floor)
        e_w = relative(w, theirs["w"])
        worst[method] = (max(worst[method][0], e_d), max(worst[method][1], e_w))
        if e_d > TOLERANCE or e_w > TOLERANCE:
            failures.append(f"{method}, {label}, step {k + 1}: d {e_d:.1e}, w {e_w:.1e} "
                            f"(ours {w}, the app's {theirs['w']})")


def model_batches(package, count=3, rows=64):
    """The exported model's first batches: (x, y) pairs."""
    with np.load(os.path.join(package, "sample_data.npz")) as arrays:
        x = torch.from_numpy(arrays["inputs"].astype(np.float32))
        y = torch.from_numpy(arrays["targets"].astype(np.float32))
    return [(x[k * rows:(k + 1) * rows], y[k * rows:(k + 1) * rows]) for k in range(count)]


def compare_train_step(probe_binary, package, method, worst, failures):
    """train.py's BalancedStep on real batches against the probe given the same task gradients."""
    import model as exported
    import train
    net = exported.load(os.path.join(package, "weights.npz"))
    shared = [(n, p) for n, p in net.named_parameters() if n in exported.CONFIG["shared_parameters"]]
    step = train.BalancedStep(net, train.balancing.parse(method), 1, torch.device("cpu"), False)
    steps, captured, sums = [], [], np.zeros((2, len(exported.TASKS)))
    for k, (x, y) in enumerate(model_batches(package)):
        losses, rows = train.task_losses(net(x), y)
        jacobian = [torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, [p for _, p in shared],
                                                                            retain_graph=True)]).numpy()
                    for loss in losses]
        values = [loss.item() for loss in losses]
        sums += [[v * n for v, n in zip(values, rows)], rows]
        s = {"J": np.array(jacobian, dtype=np.float64), "losses": np.array(values), "lr": 0.001,
             "user_weights": step.user_weights, "losses_after": np.array(values)}
        if k == 1:
            s["epoch_end"] = sums[0] / sums[1]
        steps.append(s)
    drawn = probe(probe_binary, method, len(exported.TASKS), steps, seed=7)
    # train.py's step on the same batches; PCGrad's orders and RLW's draws from the probe.
    combine = getattr(step.method, "combine", None)
    for k, (x, y) in enumerate(model_batches(package)):
        def given(**kw):
            w = combine(**kw, orders=drawn[k].get("orders"), draws=drawn[k].get("z"))
            captured.append(np.asarray(w, float))
            return w
        if combine is not None:
            step.method.combine = given
        for p in net.parameters():
            p.grad = None
        step.backward(net, x, y, 0.001)
        step.after_step(x, y)
        if k == 1:
            step.end_epoch()
        d = torch.cat([p.grad.reshape(-1) for _, p in shared]).double().numpy()
        floor = 1e-2 * np.linalg.norm(steps[k]["J"], axis=1).max()
        e_d = relative(d, drawn[k]["d"], floor)
        e_w = 0.0 if step.method.writes_direction else relative(captured[-1], drawn[k]["w"])
        label = f"train.py {method}"
        worst[label] = (max(worst[label][0], e_d), max(worst[label][1], e_w))
        if e_d > TOLERANCE or e_w > TOLERANCE:
            failures.append(f"{label}, batch {k + 1}: d {e_d:.1e}, w {e_w:.1e}")


def check_methods(probe_binary, package):
    sys.path.insert(0, package)
    import balancing
    worst, failures = {}, []
    for name, variants in SINGLE.items():
        for variant in variants:
            method = name + (":" + variant if variant else "")
            worst[method] = (0.0, 0.0)
            for label, J, losses in single_cases():
                if method == "upgrad:reg_eps=0" and np.linalg.cond(J @ J.T) > 1e6:
                    continue  # the regularisation exists for these
                steps = [{"J": J, "losses": losses, "user_weights": [0.5, 0.3, 0.2][:J.shape[0]]}]
                compare(probe_binary, balancing, method, J.shape[0], steps, worst, failures, label)
    for method in SEQUENCES:
        worst.setdefault(method, (0.0, 0.0))
        for tasks in (2, 3):
            conflicting = 3 if method in ("nash_mtl", "fairgrad") and tasks == 3 else None
            compare(probe_binary, balancing, method, tasks, sequence(tasks, 8, 100 + tasks, conflicting), worst,
                    failures, f"sequence of 8, {tasks} tasks")
    for method in ["static", "equal", "uncertainty", "dwa", "rlw", "gls", "famo", "gradnorm", "mgda", "pcgrad",
                   "cagrad", "imtl_g", "nash_mtl", "aligned_mtl", "upgrad", "fairgrad", "db_mtl"]:
        worst[f"train.py {method}"] = (0.0, 0.0)
        compare_train_step(probe_binary, package, method, worst, failures)
    width = max(len(m) for m in worst)
    for method, (e_d, e_w) in worst.items():
        print(f"{method:<{width}}  worst d {e_d:.1e}  w {e_w:.1e}")
    print(f"worst over {len(worst)} methods and variants: d {max(e for e, _ in worst.values()):.1e}, "
          f"w {max(e for _, e in worst.values()):.1e} (tolerance {TOLERANCE:g})")
    for f in failures:
        print("  " + f)
    if failures:
        fail(f"{len(failures)} comparisons differ by more than {TOLERANCE:g}")


def losses_of(out):
    before = float(out.stdout.split("loss before:")[1].split()[0])
    after = float(out.stdout.split("loss after:")[1].split()[0])
    return before, after


def check_training(package):
    out = run([PY, "train.py", "--epochs", "1", "--out", "t.npz"], package)
    if "balancing: CAGrad (c=0.4)" not in out.stdout:
        fail(f"train.py did not continue the project's CAGrad (c=0.4):\n{out.stdout}")
    for method in ["", "pcgrad", "cagrad", "mgda", "uncertainty"]:
        extra = ["--balancing", method] if method else []
        out = run([PY, "train.py", "--epochs", "1", "--out", "t.npz"] + extra, package)
        before, after = losses_of(out)
        print(f"train.py {' '.join(extra) or '(the project’s cagrad:c=0.4)'}: {out.stdout.splitlines()[0]}; "
              f"loss {before:.4f} → {after:.4f}")
        if not after < before:
            fail(f"train.py {' '.join(extra)}: the loss did not fall ({before} → {after})")
    out = run([PY, "train.py", "--epochs", "1", "--processes", "2", "--balancing", "pcgrad", "--out", "d.npz"], package)
    if "largest weight difference between them: 0\n" not in out.stdout:
        fail(f"train.py --processes 2 --balancing pcgrad: the workers' weights differ:\n{out.stdout}")
    before, after = losses_of(out)
    if not after < before:
        fail(f"train.py --processes 2 --balancing pcgrad: the loss did not fall ({before} → {after})")
    print(f"train.py --processes 2 --balancing pcgrad: loss {before:.4f} → {after:.4f}, identical weights")
    out = run([PY, "train.py", "--epochs", "1", "--balancing", "mgda_ub"], package, expect=1)
    message = out.stderr.strip()
    if "cannot continue MGDA-UB (--balancing mgda_ub)" not in message or "--balancing equal" not in message \
            or len(message.splitlines()) != 1:
        fail(f"the refusal of MGDA-UB:\n{out.stderr}")
    print(f"refused: {message}")
    out = run([PY, "train.py", "--balancing", "cagrad:c=99"], package, expect=2)
    if "balancing cagrad: c = 99 is out of range [0, 10]" not in out.stderr:
        fail(f"an out-of-range parameter:\n{out.stderr}")


def main():
    mtl, probe_binary, examples = (os.path.abspath(a) for a in sys.argv[1:4])
    with tempfile.TemporaryDirectory() as work:
        run([mtl, "train", os.path.join(examples, "synthetic-hard.mtl.json"), "--epochs", "1", "--out", "run",
             "--balancing", "cagrad:c=0.4", "--quiet"], work)
        run([mtl, "export", "run/model.mtlmodel", "--format", "pytorch", "--out", "pkg"], work)
        package = os.path.join(work, "pkg")
        with open(os.path.join(package, "config.json")) as f:
            config = json.load(f)
        expected = [f"layers.{layer}.{kind}" for layer in ("shared1", "shared2") for kind in ("weight", "bias")]
        if config["shared_parameters"] != expected:
            fail(f"shared_parameters: {config['shared_parameters']}, expected {expected}")
        if config["training"]["balancing"] != {"method": "cagrad", "c": 0.4}:
            fail(f"config.json's balancing: {config['training']['balancing']}")
        check_methods(probe_binary, package)
        check_training(package)
    print("balancing export: ok")


if __name__ == "__main__":
    main()
