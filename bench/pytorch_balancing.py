"""Gradient-based task balancing in PyTorch done the way the libraries do it (LibMTL's
weighting/abstract_weighting.py, PCGrad.py, MGDA.py, Nash_MTL.py), for pytorch_reference.py:

- per task one `torch.autograd.grad` of its unweighted loss on the shared parameters (and, in the
  same call, on its own head's parameters, which get their own task's gradient, weight 1);
  the shared ones flattened into one row of J [T, P];
- MGDA-UB instead takes each task's gradient on the shared representation (the trunk's output,
  detached and fed to every head), and after choosing the weights runs one backward of the trunk
  with the combined gradient;
- the aggregation, then `.grad` set on the shared parameters, then the optimizer's step.

Where we depart from LibMTL, it is in PyTorch's favour: Nash-MTL's weights come from a few Newton
steps in NumPy instead of cvxpy/ECOS, and with no second full backward pass of Σ α_t L_t (the
heads get their own gradient, as in our core); MGDA-UB's min-norm point is exact (every face of
the simplex) instead of LibMTL's 250-iteration Frank–Wolfe loop. MGDA-UB takes the Gram matrix
of the whole [batch × width] representation gradient, as the paper's code and our core do
(LibMTL sums it over the batch first: a different method, at the same cost).
"""
import itertools
import random

import numpy as np
import torch

# name -> {parameter: default}; the names and defaults of core/balancing/balancing_method.cpp.
METHODS = {
    "pcgrad": {},
    "mgda_ub": {"normalization": "none"},
    "nash_mtl": {"max_norm": 1.0},
}
NORMALIZATIONS = ("none", "l2", "loss", "loss+")


def parse(text):
    """"nash_mtl:max_norm=0.5" -> ("nash_mtl", {"max_norm": 0.5}), like core::parseBalancing."""
    name, _, rest = text.partition(":")
    if name not in METHODS:
        raise SystemExit(f"pytorch_reference.py: no balancing method '{name}' here "
                         f"(methods: static, {', '.join(METHODS)})")
    params = dict(METHODS[name])
    for item in filter(None, rest.split(",")):
        key, eq, value = item.partition("=")
        if not eq or key not in params:
            raise SystemExit(f"pytorch_reference.py: balancing {name}: expected one of "
                             f"{', '.join(params) or 'no parameters'} as NAME=VALUE, got '{item}'")
        if key == "normalization" and value not in NORMALIZATIONS:
            raise SystemExit(f"pytorch_reference.py: normalization must be one of "
                             f"{', '.join(NORMALIZATIONS)}, got '{value}'")
        params[key] = value if key == "normalization" else float(value)
    return name, params


def formatted(name, params):
    """The inverse of parse, defaults left out, numbers printed as C++ does: formatBalancing."""
    changed = [f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
               for k, v in params.items() if v != METHODS[name][k]]
    return name + (":" + ",".join(changed) if changed else "")


# --- aggregations: J [T, P] (torch) or G [T, T] (NumPy, float64) in, weights or direction out ---

def pcgrad_direction(grads):
    """LibMTL's PCGrad.backward: each task's gradient loses its component along every task
    gradient it conflicts with, in a random order per task; the projected gradients summed.
    grads: J [T, P]."""
    tasks = grads.shape[0]
    projected = grads.clone()
    for i in range(tasks):
        order = list(range(tasks))
        random.shuffle(order)
        for j in order:
            dot = torch.dot(projected[i], grads[j])
            if dot < 0:
                projected[i] -= dot * grads[j] / grads[j].norm().pow(2)
    return projected.sum(0)


def min_norm_on_simplex(gram):
    """argmin λᵀGλ over the simplex, exactly: on each face S the affine minimiser solves
    [G_SS 1; 1ᵀ 0][λ; μ] = [0; 1]; the best one with λ ≥ 0 is the optimum (2^T − 1 solves)."""
    n = gram.shape[0]
    best, best_value = None, np.inf
    for size in range(1, n + 1):
        for face in itertools.combinations(range(n), size):
            kkt = np.zeros((size + 1, size + 1))
            kkt[:size, :size] = gram[np.ix_(face, face)]
            kkt[:size, size] = kkt[size, :size] = 1.0
            rhs = np.zeros(size + 1)
            rhs[size] = 1.0
            try:
                solution = np.linalg.solve(kkt, rhs)[:size]
            except np.linalg.LinAlgError:
                solution = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:size]
            if solution.min() < -1e-12:
                continue
            weights = np.zeros(n)
            weights[list(face)] = np.maximum(solution, 0.0)
            weights /= weights.sum()
            value = weights @ gram @ weights
            if value < best_value:
                best, best_value = weights, value
    return best


def mgda_weights(gram, losses, normalization):
    """MGDA on normalised gradients ĝ_t = g_t/ν_t (LibMTL's _gradient_normalizers);
    d = Σ λ_t ĝ_t, so the weights on the raw gradients are λ_t/ν_t."""
    norms = np.sqrt(np.maximum(np.diag(gram), 0.0))
    nu = {"none": np.ones_like(norms), "l2": norms, "loss": losses,
          "loss+": losses * norms}[normalization]
    nu = np.where(np.isfinite(nu) & (nu != 0.0), nu, 1.0)
    return min_norm_on_simplex(gram / np.outer(nu, nu)) / nu


class NashWeights:
    """Nash-MTL's bargaining weights: α > 0 with α_t (Gα)_t = 1, i.e. the minimiser of
    ½αᵀGα − Σ log α_t, by damped Newton steps (Hessian G + diag(1/α²)) on G/s, s the largest
    diagonal entry; then α = α'/√s. Keeps the previous α when there is no solution (0 in the
    gradients' hull), as Nash-MTL keeps its previous α when the solver fails."""

    def __init__(self, tasks):
        self.previous = np.ones(tasks)

    def __call__(self, gram):
        scale = np.max(np.diag(gram))
        if not scale > 0 or np.min(np.diag(gram)) <= 0:
            return self.previous
        g = gram / scale
        x = 1.0 / np.sqrt(np.diag(g))

        def objective(v):
            return 0.5 * v @ g @ v - np.log(v).sum()

        for _ in range(50):
            gradient = g @ x - 1.0 / x
            step = -np.linalg.solve(g + np.diag(1.0 / x ** 2), gradient)
            decrement = -gradient @ step
            if decrement < 1e-16 * (1.0 + x @ x):
                self.previous = (x + step if np.min(x + step) > 0 else x) / np.sqrt(scale)
                return self.previous
            t = 1.0
            while np.min(x + t * step) <= 0 and t > 1e-12:
                t *= 0.5
            f0 = objective(x)
            while objective(x + t * step) > f0 - 1e-4 * t * decrement and t > 1e-12:
                t *= 0.5
            x = x + t * step
        return self.previous


# --- the training step ---

class BalancedStep:
    """One training step of a hard-shared model (model.shared, model.heads) under a
    gradient-based method: step(xb, yb) does the forward pass, the per-task gradients, the
    aggregation and optimizer.step()."""

    def __init__(self, model, optimizer, text):
        if model.soft:
            raise SystemExit("pytorch_reference.py: --balancing needs a hard-shared workload")
        self.name, self.params = parse(text)
        self.model, self.optimizer = model, optimizer
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.shared = list(model.shared.parameters())
        self.heads = [list(head.parameters()) for head in model.heads]
        self.tasks = len(self.heads)
        self.grads = torch.zeros(self.tasks, sum(p.numel() for p in self.shared))  # J [T, P]
        self.nash = NashWeights(self.tasks)

    def step(self, xb, yb):
        if self.name == "mgda_ub":
            self.representation_step(xb, yb)
        else:
            self.parameter_step(xb, yb)
        self.optimizer.step()

    def task_losses(self, outputs, yb):
        return [self.loss_fn(o, yb[:, t]) for t, o in enumerate(outputs)]

    def parameter_step(self, xb, yb):
        losses = self.task_losses(self.model(xb), yb)
        shared = len(self.shared)
        for t in range(self.tasks):
            grad = torch.autograd.grad(losses[t], self.shared + self.heads[t],
                                       retain_graph=t + 1 < self.tasks)
            self.grads[t] = torch.cat([g.view(-1) for g in grad[:shared]])
            for p, g in zip(self.heads[t], grad[shared:]):
                p.grad = g
        if self.name == "pcgrad":
            direction = pcgrad_direction(self.grads)
        else:
            gram = (self.grads @ self.grads.t()).double().numpy()
            alpha = torch.from_numpy(self.nash(gram)).float()
            direction = alpha @ self.grads
        begin = 0
        for p in self.shared:  # LibMTL's _reset_grad
            p.grad = direction[begin:begin + p.numel()].view_as(p)
            begin += p.numel()
        if self.name == "nash_mtl" and self.params["max_norm"] > 0:
            torch.nn.utils.clip_grad_norm_(self.shared, self.params["max_norm"])

    def representation_step(self, xb, yb):
        self.optimizer.zero_grad(set_to_none=True)  # the trunk's backward accumulates
        representation = self.model.shared(xb)  # [batch, width]
        detached = representation.detach().requires_grad_()
        losses = self.task_losses([head(detached) for head in self.model.heads], yb)
        per_task = torch.empty(self.tasks, *representation.shape)  # [T, batch, width]
        for t in range(self.tasks):
            grad = torch.autograd.grad(losses[t], [detached] + self.heads[t])
            per_task[t] = grad[0]
            for p, g in zip(self.heads[t], grad[1:]):
                p.grad = g
        flat = per_task.view(self.tasks, -1)
        gram = (flat @ flat.t()).double().numpy()
        loss_values = np.array([loss.item() for loss in losses])
        weights = mgda_weights(gram, loss_values, self.params["normalization"])
        weights = torch.from_numpy(weights).float()
        representation.backward(torch.einsum("t,t...->...", weights, per_task))
