#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""pytorch_multifashion.py [--epochs 2] [--threads T] [--fashion DIR]

The benchmark's end-to-end MultiFashion line, PyTorch side: the same recipe as
resources/examples/multifashion-recipe.mtl.json, written as a PyTorch user would write it —
read Fashion-MNIST's gzip IDX files, build MultiFashion (Sener & Koltun's MultiMNIST recipe:
each image and a random partner on a 36×36 canvas at (0, 0) and (6, 6), the brighter pixel
where they overlap, nearest-neighbour back to 28×28), standardise each pixel with the training
split's mean and std, hold out 10 % of the training images for validation and Fashion's own
test images for test, then MultiLeNet (conv 10@5×5, max-pool 2, ReLU, conv 20@5×5, max-pool 2,
ReLU, dense 50, ReLU; per task dense 50, ReLU, dense 10; initialised as the project says: He
normal for the convolutions and the dense layers before a ReLU, Glorot uniform for the outputs,
zero biases), cross-entropy with weights 0.5/0.5,
plain SGD lr 0.05, batch 256, shuffled each epoch; validation accuracy after each epoch, the
best epoch's weights kept, test accuracy at the end.

Prints one JSON line: seconds in total (process start to the test accuracy, loading included),
seconds loading, seconds per epoch, and the test accuracies (a check that it learned).
"""
import argparse
import copy
import gzip
import json
import os
import time

START = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

SIDE, CANVAS, OFFSET = 28, 36, 6


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def multifashion(images, labels, rng):
    n = len(images)
    partner = rng.integers(0, n - 1, size=n)
    partner += partner >= np.arange(n)  # any image but itself
    # Each output pixel's canvas pixel (nearest neighbour), then which image covers it there.
    source = (2 * np.arange(SIDE) + 1) * CANVAS // (2 * SIDE)
    cy, cx = np.meshgrid(source, source, indexing="ij")
    in_left = (cy < SIDE) & (cx < SIDE)
    in_right = (cy >= OFFSET) & (cx >= OFFSET) & (cy < OFFSET + SIDE) & (cx < OFFSET + SIDE)
    left_index = np.where(in_left, cy * SIDE + cx, 0).ravel()
    right_index = np.where(in_right, (cy - OFFSET) * SIDE + (cx - OFFSET), 0).ravel()
    flat = images.reshape(n, -1)
    out = np.maximum(flat[:, left_index] * in_left.ravel(), flat[partner][:, right_index] * in_right.ravel())
    return out.reshape(n, 1, SIDE, SIDE), np.stack([labels, labels[partner]], axis=1)


class MultiLeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, 5)
        self.conv2 = nn.Conv2d(10, 20, 5)
        self.shared = nn.Linear(320, 50)
        self.heads = nn.ModuleList(nn.Sequential(nn.Linear(50, 50), nn.ReLU(), nn.Linear(50, 10))
                                   for _ in range(2))
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                if isinstance(m, nn.Linear) and m.out_features == 10:  # a task's output
                    nn.init.xavier_uniform_(m.weight)
                else:
                    nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2(x), 2))
        x = F.relu(self.shared(x.flatten(1)))
        return [head(x) for head in self.heads]


def accuracy(model, x, y):
    model.eval()
    correct = np.zeros(2)
    with torch.no_grad():
        for i in range(0, len(x), 1024):
            for t, out in enumerate(model(x[i:i + 1024])):
                correct[t] += (out.argmax(1) == y[i:i + 1024, t]).sum().item()
    model.train()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--fashion", default=os.environ.get("MTL_FASHION_MNIST_DIR",
                                                        "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    def load(prefix):
        images = read_idx(os.path.join(args.fashion, prefix + "-images-idx3-ubyte.gz"))
        labels = read_idx(os.path.join(args.fashion, prefix + "-labels-idx1-ubyte.gz"))
        return multifashion(images.astype(np.float32) / 255.0, labels.astype(np.int64), rng)

    train_x, train_y = load("train")
    test_x, test_y = load("t10k")
    order = rng.permutation(len(train_x))
    n_val = len(train_x) // 10
    val, fit = order[:n_val], order[n_val:]
    flat = train_x[fit].reshape(len(fit), -1)
    mean, std = flat.mean(0), flat.std(0)
    std[std == 0] = 1.0

    def standardise(x):
        return torch.from_numpy(((x.reshape(len(x), -1) - mean) / std).reshape(x.shape).astype(np.float32))

    x_fit, y_fit = standardise(train_x[fit]), torch.from_numpy(train_y[fit])
    x_val, y_val = standardise(train_x[val]), torch.from_numpy(train_y[val])
    x_test, y_test = standardise(test_x), torch.from_numpy(test_y)
    loaded = time.perf_counter()

    model = MultiLeNet()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.05)
    best, best_state, epoch_seconds = -1.0, None, []
    for _ in range(args.epochs):
        began = time.perf_counter()
        perm = torch.randperm(len(x_fit))
        for i in range(0, len(perm), 256):
            batch = perm[i:i + 256]
            outputs = model(x_fit[batch])
            loss = sum(0.5 * F.cross_entropy(out, y_fit[batch, t]) for t, out in enumerate(outputs))
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
        score = accuracy(model, x_val, y_val).mean()
        if score > best:
            best, best_state = score, copy.deepcopy(model.state_dict())
        epoch_seconds.append(time.perf_counter() - began)
    model.load_state_dict(best_state)
    test = accuracy(model, x_test, y_test)
    print(json.dumps({"side": "pytorch", "workload": "multifashion", "threads": args.threads,
                      "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", ""),
                      "epochs": args.epochs, "seconds": time.perf_counter() - START,
                      "load_seconds": loaded - START, "epoch_seconds": epoch_seconds,
                      "test_accuracy": [round(a, 4) for a in test]}))


if __name__ == "__main__":
    main()
