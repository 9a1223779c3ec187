#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plots the balancing methods' paths on the two-objective toy problem of the CAGrad and Nash-MTL
papers, from the core's own runs:

    build/bin/toy_trajectories > toy.csv
    scripts/plot-balancing-toy.py toy.csv docs/balancing-toy.png
"""
import csv
import math
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

TITLES = {"equal": "Equal weights", "mgda": "MGDA", "pcgrad": "PCGrad", "cagrad": "CAGrad (c = 0.5)",
          "nash_mtl": "Nash-MTL", "upgrad": "UPGrad", "imtl_g": "IMTL-G", "fairgrad": "FairGrad (α = 1)"}


def losses(x1, x2):
    """The toy's two losses (as tests/balancing/toy_problem.h), vectorised for the contours."""
    t2 = np.tanh(x2)
    th = np.tanh(0.5 * x2)
    c1, c2 = np.maximum(th, 0), np.maximum(-th, 0)
    out = []
    for a, centre in ((-0.5 * x1 - 3.5 + t2, 7.0), (-0.5 * x1 + 3.5 - t2, -7.0)):
        log = np.log(np.maximum(np.abs(a), 5e-6)) + 6
        square = ((x1 - centre) ** 2 + 0.1 * (x2 + 8) ** 2) / 10 - 20
        out.append(c1 * log + c2 * square)
    return out


def main():
    paths = defaultdict(lambda: defaultdict(list))
    with open(sys.argv[1]) as f:
        for row in csv.DictReader(f):
            paths[row["method"]][int(row["start"])].append((float(row["x1"]), float(row["x2"])))
    methods = [m for m in TITLES if m in paths]
    grid = np.linspace(-11, 11, 300)
    X, Y = np.meshgrid(grid, grid)
    l1, l2 = losses(X, Y)
    columns = 4
    rows = math.ceil(len(methods) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4 * columns, 4 * rows), squeeze=False)
    for ax, method in zip(axes.flat, methods):
        ax.contour(X, Y, (l1 + l2) / 2, levels=25, cmap="viridis", linewidths=0.8)
        ax.plot([-7, 7], [-8.3552, -8.3552], color="gray", linewidth=5, alpha=0.5, label="Pareto front")
        ax.plot(0, -8.3552, marker="*", markersize=12, color="k")
        for start, points in sorted(paths[method].items()):
            p = np.array(points)
            ax.plot(p[:, 0], p[:, 1], color="tab:red", linewidth=1.5)
            ax.plot(p[0, 0], p[0, 1], "o", color="k", markersize=5)
            ax.plot(p[-1, 0], p[-1, 1], "o", color="tab:red", markersize=6)
        ax.set_title(TITLES[method])
        ax.set_xlim(-11, 11)
        ax.set_ylim(-11, 11)
        ax.set_aspect("equal")
    for ax in list(axes.flat)[len(methods):]:
        ax.axis("off")
    fig.suptitle("Two-objective toy problem (CAGrad/Nash-MTL papers): Adam, lr 1e-3, 100,000 steps, "
                 "from (−8.5, 7.5), (−8.5, −5), (9, 9); contours of the average loss", fontsize=11)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=80)


if __name__ == "__main__":
    main()
