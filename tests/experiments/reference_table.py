#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference for the multi-task experiment results table.

Usage: reference_table.py EXPERIMENT_DIR   (compare EXPERIMENT_DIR/table.csv)
       reference_table.py --self-test
Recomputes the table from EXPERIMENT_DIR/experiment.json (per-task mean and
sample std, delta_m after Maninis et al. 2019, mean seconds, competition rank)
and compares it with table.csv.  Exit 0 = agree, 1 = disagreement,
2 = missing/malformed input.  Standard library only.
"""
import csv, json, math, os, sys, tempfile

NAN = float("nan")
TOL = 1e-9
BASELINE_LABEL = "single-task baselines"


class Malformed(Exception):
    """A missing or malformed input file (the message names the file)."""


def check(value, kind, where):
    ok = {"bool": isinstance(value, bool),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "num": isinstance(value, (int, float)) and not isinstance(value, bool),
          "str": isinstance(value, str), "list": isinstance(value, list),
          "dict": isinstance(value, dict)}[kind]
    if not ok:
        raise Malformed(f"{where}: expected {kind}, got {value!r}")
    return value


def need(obj, key, kind, where):
    if key not in obj:
        raise Malformed(f"{where}: missing key '{key}'")
    return check(obj[key], kind, f"{where}.{key}")


def load_experiment(path):
    """Return (tasks, jobs); tasks = [(name, metric, higher_is_better)], jobs =
    dicts {kind: 'config'|'baseline', index: config index or task index, seed,
    counted, seconds, metrics (NaN for null)}."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise Malformed(f"{path}: cannot read JSON ({e})")
    check(data, "dict", path)
    need(data, "spec", "dict", path)  # not needed for the table itself
    tasks = []
    for i, t in enumerate(need(data, "tasks", "list", path)):
        w = f"{path}: tasks[{i}]"
        check(t, "dict", w)
        tasks.append((need(t, "name", "str", w), need(t, "metric", "str", w),
                      need(t, "higher_is_better", "bool", w)))
    if not tasks:
        raise Malformed(f"{path}: 'tasks' is empty")
    names = [t[0] for t in tasks]
    jobs = []
    for i, j in enumerate(need(data, "jobs", "list", path)):
        w = f"{path}: jobs[{i}]"
        check(j, "dict", w)
        job = {"seed": need(j, "seed", "int", w), "seconds": 0.0, "metrics": None}
        if "config" in j:
            job["kind"], job["index"] = "config", need(j, "config", "int", w)
            if job["index"] < 0:
                raise Malformed(f"{w}: negative config index")
        elif "baseline_task" in j:
            task = need(j, "baseline_task", "str", w)
            if task not in names:
                raise Malformed(f"{w}: unknown baseline_task {task!r}")
            job["kind"], job["index"] = "baseline", names.index(task)
        else:
            raise Malformed(f"{w}: has neither 'config' nor 'baseline_task'")
        res = need(j, "result", "dict", w)
        # Only finished runs without an error count; everything else is ignored.
        job["counted"] = need(res, "done", "bool", w + ".result") and "error" not in res
        if job["counted"]:
            job["seconds"] = float(need(res, "seconds", "num", w + ".result"))
            metrics = need(res, "metrics", "list", w + ".result")
            if len(metrics) != len(tasks):
                raise Malformed(f"{w}.result.metrics: {len(metrics)} values for {len(tasks)} tasks")
            for k, m in enumerate(metrics):
                if m is not None:
                    check(m, "num", f"{w}.result.metrics[{k}]")
            job["metrics"] = [NAN if m is None else float(m) for m in metrics]
        jobs.append(job)
    return tasks, jobs


def mean_std(values):
    """Mean and sample std (divide by n-1); std 0 when n == 1; NaN, NaN when n == 0."""
    n = len(values)
    if n == 0:
        return NAN, NAN
    m = math.fsum(values) / n
    return m, 0.0 if n == 1 else math.sqrt(math.fsum((v - m) ** 2 for v in values) / (n - 1))


def competition_ranks(scores, higher_is_better):
    """rank = 1 + number of strictly better scores; NaN is worse than any number
    and ties with NaN."""
    def better(a, b):  # is a strictly better than b?
        if math.isnan(a) or math.isnan(b):
            return not math.isnan(a) and math.isnan(b)
        return a > b if higher_is_better else a < b
    return [1 + sum(better(o, s) for o in scores) for s in scores]


def compute_table(tasks, jobs):
    """Return [(label, values)], values in CSV column order after 'configuration':
    runs, (mean, std) per task, delta_m_mean, delta_m_std, seconds, rank."""
    T = len(tasks)
    sign = [1.0 if hib else -1.0 for _, _, hib in tasks]
    counted = [j for j in jobs if j["counted"]]
    # b[(seed, t)]: own-task value of the counted baseline job of task t, seed s.
    base = {}
    for j in counted:
        if j["kind"] == "baseline" and not math.isnan(j["metrics"][j["index"]]):
            base.setdefault((j["seed"], j["index"]), j["metrics"][j["index"]])

    def delta_m(job):
        """(1/T) sum_t sign_t (m_t - b_t)/|b_t|, or None if any term is undefined."""
        total = 0.0
        for t in range(T):
            m, b = job["metrics"][t], base.get((job["seed"], t), NAN)
            if math.isnan(m) or math.isnan(b) or b == 0:
                return None
            total += sign[t] * (m - b) / abs(b)
        return total / T

    def mean_seconds(group):  # 0 when the group is empty
        return math.fsum(j["seconds"] for j in group) / len(group) if group else 0.0
    table = []
    for c in sorted({j["index"] for j in jobs if j["kind"] == "config"}):
        mine = [j for j in counted if j["kind"] == "config" and j["index"] == c]
        vals = [len(mine)]
        for t in range(T):
            vals += mean_std([j["metrics"][t] for j in mine if not math.isnan(j["metrics"][t])])
        vals += mean_std([d for d in map(delta_m, mine) if d is not None])
        vals += [mean_seconds(mine), None]  # rank filled in below
        table.append((f"config {c}", vals))

    # Rank configurations: by delta_m_mean if all are finite, else by mean rank.
    dms = [v[1 + 2 * T] for _, v in table]
    if all(math.isfinite(d) for d in dms):
        ranks = competition_ranks(dms, True)
    else:
        per_task = [competition_ranks([v[1 + 2 * t] for _, v in table], tasks[t][2])
                    for t in range(T)]
        avg = [sum(p[i] for p in per_task) / T for i in range(len(table))]
        ranks = competition_ranks(avg, False)
    for (_, vals), r in zip(table, ranks):
        vals[-1] = r

    if any(j["kind"] == "baseline" for j in jobs):
        mine = [j for j in counted if j["kind"] == "baseline"]
        vals = [len(mine)]
        for t in range(T):
            vals += mean_std([j["metrics"][t] for j in mine
                              if j["index"] == t and not math.isnan(j["metrics"][t])])
        vals += [0.0, 0.0, mean_seconds(mine), NAN]  # no rank for baselines
        table.append((BASELINE_LABEL, vals))
    return table


def header(tasks):
    cols = ["configuration", "runs"]
    for name, metric, _ in tasks:
        cols += [f"{name}_{metric}_mean", f"{name}_{metric}_std"]
    return cols + ["delta_m_mean", "delta_m_std", "seconds", "rank"]


def fmt(v):
    return "" if isinstance(v, float) and math.isnan(v) else repr(v)


def read_csv(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = [r for r in csv.reader(f) if r]  # skip blank lines
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise Malformed(f"{path}: cannot read CSV ({e})")
    if not rows:
        raise Malformed(f"{path}: empty file (no header)")
    return rows[0], rows[1:]


def agree(expected, found):
    """Empty field = NaN; otherwise numbers agree within rel/abs tolerance 1e-9."""
    found = found.strip()
    if math.isnan(expected):
        return found == ""
    try:
        return math.isclose(expected, float(found), rel_tol=TOL, abs_tol=TOL)
    except ValueError:  # empty or non-numeric text where a number is expected
        return False


def compare(tasks, table, found_header, found_rows):
    """Return a list of (row, column, expected, found) disagreements."""
    cols = header(tasks)
    if found_header != cols:
        return [("header", "columns", ",".join(cols), ",".join(found_header))]
    problems = []
    if len(found_rows) != len(table):
        problems.append(("table", "number of rows", len(table), len(found_rows)))
    for i, ((label, vals), got) in enumerate(zip(table, found_rows)):
        row = f"row {i + 1} ({label})"
        if len(got) != len(cols):
            problems.append((row, "number of fields", len(cols), len(got)))
            continue
        if label == BASELINE_LABEL and got[0] != BASELINE_LABEL:  # config labels unchecked
            problems.append((row, "configuration", BASELINE_LABEL, got[0]))
        for col, e, f in zip(cols[1:], vals, got[1:]):
            if not agree(float(e), f):
                problems.append((row, col, fmt(e) or "(empty)", f or "(empty)"))
    return problems


def write_csv(path, tasks, table):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header(tasks))
        for label, vals in table:
            w.writerow([label] + [fmt(v) for v in vals])


def self_test():
    tasks = [{"name": "acc", "metric": "accuracy", "higher_is_better": True},
             {"name": "err", "metric": "rmse", "higher_is_better": False}]
    jobs = [{"name": n, "folder": n, "seed": seed, **which,
             "result": {"done": True, "seconds": sec, "epochs": 3, "reason": "max_epochs",
                        "split": "test", "metrics": m}}
            for n, seed, m, sec, which in [
                ("base-acc-s1", 1, [0.80, None], 5.0, {"baseline_task": "acc"}),
                ("base-err-s1", 1, [None, 0.50], 7.0, {"baseline_task": "err"}),
                ("base-acc-s2", 2, [0.60, None], 5.0, {"baseline_task": "acc"}),
                ("base-err-s2", 2, [None, 0.40], 7.0, {"baseline_task": "err"}),
                ("c0-s1", 1, [0.84, 0.45], 10.0, {"config": 0}), ("c0-s2", 2, [0.57, 0.44], 20.0, {"config": 0}),
                ("c1-s1", 1, [0.80, 0.55], 30.0, {"config": 1}), ("c1-s2", 2, [0.63, 0.40], 30.0, {"config": 1})]]
    # A failed run and an unfinished run: both must be ignored entirely.
    jobs.append({"name": "c1-s3", "folder": "c1-s3", "seed": 3, "config": 1,
                 "result": {"done": True, "error": "diverged"}})
    jobs.append({"name": "c0-s3", "folder": "c0-s3", "seed": 3, "config": 0, "result": {"done": False}})
    spec = {"methods": ["m"], "sharing": ["hard"], "learning_rates": [0.1, 0.01], "batch_sizes": [8],
            "seeds": 2, "baselines": True, "epochs": 3, "name": "self-test"}
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "experiment.json"), "w", encoding="utf-8") as f:
            json.dump({"spec": spec, "tasks": tasks, "jobs": jobs}, f)
        t, j = load_experiment(os.path.join(d, "experiment.json"))
        table = compute_table(t, j)
        r2 = math.sqrt(2)
        # Columns: runs, acc mean, acc std, err mean, err std, dm mean, dm std, seconds, rank.
        # config0: acc (0.84+0.57)/2 = 0.705, std 0.27/sqrt2; err (0.45+0.44)/2 = 0.445, std 0.01/sqrt2.
        #   dm seed1 = (+0.04/0.80 + 0.05/0.50)/2 = (0.05+0.10)/2 = +0.075
        #   dm seed2 = (-0.03/0.60 - 0.04/0.40)/2 = (-0.05-0.10)/2 = -0.075 -> mean 0, std 0.15/sqrt2
        # config1: acc 0.715, std 0.17/sqrt2; err 0.475, std 0.15/sqrt2.
        #   dm seed1 = (0 - 0.05/0.50)/2 = -0.05; seed2 = (0.03/0.60 - 0)/2 = +0.025
        #   -> mean -0.0125, std 0.075/sqrt2; rank 2 since -0.0125 < 0.
        # baselines: 4 runs; acc 0.70, std 0.20/sqrt2; err 0.45, std 0.10/sqrt2; seconds 6.
        want = [("config 0", [2, 0.705, 0.27 / r2, 0.445, 0.01 / r2, 0.0, 0.15 / r2, 15.0, 1]),
                ("config 1", [2, 0.715, 0.17 / r2, 0.475, 0.15 / r2, -0.0125, 0.075 / r2, 30.0, 2]),
                (BASELINE_LABEL, [4, 0.70, 0.20 / r2, 0.45, 0.10 / r2, 0.0, 0.0, 6.0, NAN])]
        assert [l for l, _ in table] == [l for l, _ in want], table
        for (label, got), (_, exp) in zip(table, want):
            for k, (g, e) in enumerate(zip(got, exp)):
                assert (math.isnan(g) and math.isnan(e)) or math.isclose(g, e, abs_tol=1e-12), (label, k, g, e)
        # Without baselines no delta_m exists -> mean rank: acc ranks (c0 2, c1 1),
        # err ranks (c0 1, c1 2), both average 1.5 -> tie, both rank 1; no baseline row.
        nob = compute_table(t, [x for x in j if x["kind"] == "config"])
        assert [v[-1] for _, v in nob] == [1, 1] and len(nob) == 2, nob
        assert competition_ranks([0.5, NAN, 0.5, 0.7], True) == [2, 4, 2, 1]
        # Round trip through CSV: agreement, then exactly one detected disagreement.
        path = os.path.join(d, "table.csv")
        write_csv(path, t, table)
        assert compare(t, table, *read_csv(path)) == []
        hdr, rows = read_csv(path)
        rows[1][6] = "-0.0126"
        assert len(compare(t, table, hdr, rows)) == 1
    print("self-test passed")
    return 0


def main(argv):
    if len(argv) != 2:
        print("usage: reference_table.py EXPERIMENT_DIR | --self-test", file=sys.stderr)
        return 2
    if argv[1] == "--self-test":
        return self_test()
    try:
        tasks, jobs = load_experiment(os.path.join(argv[1], "experiment.json"))
        found_header, found_rows = read_csv(os.path.join(argv[1], "table.csv"))
    except Malformed as e:
        print(f"reference table: error: {e}", file=sys.stderr)
        return 2
    table = compute_table(tasks, jobs)
    problems = compare(tasks, table, found_header, found_rows)
    for row, col, exp, got in problems:
        print(f"disagreement: {row}, column {col}: expected {exp}, found {got}")
    if not problems:
        print(f"reference table: {len(table)} rows agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
