#!/usr/bin/env python3
"""Plots mlp-small throughput against layer width and batch size, our core against PyTorch
(median over repetitions of each side's best thread setting), from bench/run.sh --scaling.

Usage: plot.py RESULTS.jsonl OUT.png"""
import sys

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from compare import best, load  # noqa: E402


def series(side, key):
    points = []
    for batch, width in sorted({(k[2], k[3]) for k in side if k[:2] == ("mlp-small", "static")}):
        if key == "width" and batch == 128:
            x = width or 256
        elif key == "batch" and width == 0:
            x = batch
        else:
            continue
        points.append((x, best(side, "mlp-small", "static", batch, width)[0]))
    return sorted(points)


def main():
    core, torch, _ = load(sys.argv[1])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, key, label in ((axes[0], "width", "width of the two shared layers (batch 128)"),
                           (axes[1], "batch", "batch size (width 256)")):
        for side, name, style in ((core, "MTL Workbench core", "o-"), (torch, "PyTorch 1.13 (OpenBLAS)", "s--")):
            points = series(side, key)
            ax.plot([p[0] for p in points], [p[1] for p in points], style, label=name)
        ax.set_xscale("log", base=2)
        ax.set_xticks([p[0] for p in points])
        ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_yscale("log")
        ax.set_xlabel(label)
        ax.set_ylabel("training samples / s")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle("mlp-small: 784 → W → W, three heads (64 → 10), Adam, 2 cores")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
