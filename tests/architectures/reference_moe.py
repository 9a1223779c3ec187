# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference implementation of the gated mixture-of-experts architectures
(MMoE and CGC / PLE), written from the papers' equations.  numpy only.

Conventions (all arrays float64):
  B batch size, D input width, d expert output width, T tasks.
  x                  [B, D]   input rows
  expert outputs F   [E, B, d] (F[e] = f_e(x))
  dense+ReLU experts U [E, D, d], c [E, d]:  f_e(x) = relu(x U[e] + c[e])
  gate (W, b)        W [D, E], b [E]:  g(x) = softmax(x W + b) (row-wise)
Every backward takes the upstream gradient(s) dL/d(output) and returns the
gradients of the same L with respect to the inputs and parameters.

MMoE (Ma et al. 2018, eqs. 5-6):
    f^k(x) = sum_i g^k(x)_i f_i(x),   g^k(x) = softmax(W_gk x)
The paper's gate has no bias; b_t is an addition here (b_t = 0 is the paper).

CGC / PLE (Tang et al. 2020, eqs. 2-6):
    g^k(x) = w^k(x) S^k(x),  w^k(x) = softmax(W_g^k x),
    S^k(x) = [E_(k,1), ..., E_(k,m_k), E_(s,1), ..., E_(s,m_s)]
i.e. task k's gate mixes its own m_k experts followed by the m_s shared ones.
In PLE level j (eq. 6), task k's experts and gate read task k's output of
level j-1, the shared experts and the shared gate read the shared output of
level j-1; the shared gate mixes all experts of the level, ordered
[task 1's, ..., task T's, shared].  At the first level every input is x.
"""

import numpy as np


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------


def softmax(z):
    """Row-wise softmax, exp(z_i - max z) / sum_j exp(z_j - max z)."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_backward(g, dg):
    """dL/dz from g = softmax(z) and dL/dg:  dz_i = g_i (dg_i - sum_j g_j dg_j)."""
    return g * (dg - np.sum(g * dg, axis=-1, keepdims=True))


def experts_forward(x, U, c):
    """Dense+ReLU experts: F[e] = relu(x U[e] + c[e]).  Returns (F, pre-activations)."""
    pre = np.einsum("bi,eio->ebo", x, U) + c[:, None, :]
    return np.maximum(pre, 0.0), pre


def experts_backward(x, U, pre, dF):
    """Gradients of the dense+ReLU experts: returns (dx, dU, dc).

    dpre = dF * [pre > 0];  dU[e] = x^T dpre[e];  dc[e] = sum_b dpre[e];
    dx = sum_e dpre[e] U[e]^T.
    """
    dpre = dF * (pre > 0.0)
    dU = np.einsum("bi,ebo->eio", x, dpre)
    dc = dpre.sum(axis=1)
    dx = np.einsum("ebo,eio->bi", dpre, U)
    return dx, dU, dc


def expert_outputs(x, experts):
    """Stack expert outputs [E, B, d] from an array or a list of callables f_e(x)."""
    if callable(experts) or (isinstance(experts, (list, tuple)) and experts
                             and callable(experts[0])):
        experts = [experts] if callable(experts) else experts
        return np.stack([np.asarray(f(x), dtype=np.float64) for f in experts])
    return np.asarray(experts, dtype=np.float64)


def gated_mixture_forward(xg, W, b, F):
    """One gate over E experts:  G = softmax(xg W + b) [B, E],
    h[b] = sum_e G[b, e] F[e, b]  [B, d].  Returns (h, G)."""
    G = softmax(xg @ W + b)
    return np.einsum("be,ebo->bo", G, F), G


def gated_mixture_backward(xg, W, G, F, dh):
    """Backward of gated_mixture_forward: returns (dxg, dW, db, dF).

    dF[e, b] = G[b, e] dh[b];  dG[b, e] = <dh[b], F[e, b]>;
    dz = softmax_backward(G, dG);  dW = xg^T dz;  db = sum_b dz;  dxg = dz W^T.
    """
    dF = np.einsum("be,bo->ebo", G, dh)
    dG = np.einsum("bo,ebo->be", dh, F)
    dz = softmax_backward(G, dG)
    return dz @ W.T, xg.T @ dz, dz.sum(axis=0), dF


# ---------------------------------------------------------------------------
# MMoE
# ---------------------------------------------------------------------------


def mmoe_forward(x, experts, gates):
    """MMoE with given experts: h_t = sum_e softmax(x W_t + b_t)[e] f_e(x).

    experts: expert outputs [E, B, d] or a list of callables f_e(x) -> [B, d];
    gates: list over tasks of (W_t [D, E], b_t [E]).  Returns the list of h_t.
    """
    F = expert_outputs(x, experts)
    return [gated_mixture_forward(x, W, b, F)[0] for W, b in gates]


def mmoe_backward(x, F, gates, dH):
    """Backward of MMoE with precomputed expert outputs F [E, B, d].

    dH: list of dL/dh_t.  Returns dict with
      'F': dL/dF (sum over tasks of G_t[b, e] dh_t[b]),
      'W', 'b': lists of per-task gate gradients,
      'x': dL/dx through the gates only (F is held fixed).
    """
    F = np.asarray(F, dtype=np.float64)
    out = {"F": np.zeros_like(F), "W": [], "b": [], "x": np.zeros_like(x)}
    for (W, b), dh in zip(gates, dH):
        _, G = gated_mixture_forward(x, W, b, F)
        dx, dW, db, dF = gated_mixture_backward(x, W, G, F, dh)
        out["F"] += dF
        out["x"] += dx
        out["W"].append(dW)
        out["b"].append(db)
    return out


def mmoe_full_forward(x, p):
    """MMoE whose experts are dense+ReLU layers.

    p: dict with 'U' [E, D, d], 'c' [E, d], 'W' list of [D, E], 'b' list of [E].
    Returns (list of h_t, cache for mmoe_full_backward).
    """
    F, pre = experts_forward(x, p["U"], p["c"])
    H = mmoe_forward(x, F, list(zip(p["W"], p["b"])))
    return H, (x, F, pre)


def mmoe_full_backward(p, cache, dH):
    """Backward of mmoe_full_forward: dict of 'U', 'c', 'W', 'b', 'x', where
    dL/dx sums the gate paths and the expert paths."""
    x, F, pre = cache
    g = mmoe_backward(x, F, list(zip(p["W"], p["b"])), dH)
    dx_e, dU, dc = experts_backward(x, p["U"], pre, g["F"])
    return {"U": dU, "c": dc, "W": g["W"], "b": g["b"], "x": g["x"] + dx_e}


# ---------------------------------------------------------------------------
# CGC (one level) and PLE (stacked levels)
# ---------------------------------------------------------------------------


def cgc_mixture_forward(x, shared_F, task_F, gates):
    """CGC gating with precomputed experts, every gate reading x.

    shared_F [S, B, d]; task_F list over tasks of [m_t, B, d] (m_t may be 0);
    gates list of (W_t [D, m_t + S], b_t [m_t + S]).  Returns the list of
    h_t = sum over [task t's experts, shared experts] of gate weight * output.
    """
    return [gated_mixture_forward(x, W, b, np.concatenate([Ft, shared_F]))[0]
            for Ft, (W, b) in zip(task_F, gates)]


def cgc_level_forward(task_inputs, shared_input, p):
    """One CGC / PLE extraction level with dense+ReLU experts.

    task_inputs: list over tasks of [B, Din] (task k's experts and gate read
    task_inputs[k]); shared_input [B, Din] (shared experts and shared gate).
    p: dict with
      'Us' [S, Din, d], 'cs' [S, d]           shared experts
      'Ut', 'ct': lists of [m_k, Din, d], [m_k, d]   task-specific experts
      'W', 'b': lists of [Din, m_k + S], [m_k + S]   task gates
      'Ws', 'bs': [Din, sum_k m_k + S], [sum_k m_k + S], or None (no shared gate)
    Returns (task outputs list, shared output or None, cache).
    """
    Fs, pre_s = experts_forward(shared_input, p["Us"], p["cs"])
    Ft, pre_t, outs, Gs = [], [], [], []
    for k, xk in enumerate(task_inputs):
        F, pre = experts_forward(xk, p["Ut"][k], p["ct"][k])
        Ft.append(F)
        pre_t.append(pre)
        h, G = gated_mixture_forward(xk, p["W"][k], p["b"][k], np.concatenate([F, Fs]))
        outs.append(h)
        Gs.append(G)
    shared_out, G_sh = None, None
    if p.get("Ws") is not None:
        shared_out, G_sh = gated_mixture_forward(shared_input, p["Ws"], p["bs"],
                                                 np.concatenate(Ft + [Fs]))
    cache = (list(task_inputs), shared_input, Fs, pre_s, Ft, pre_t, Gs, G_sh)
    return outs, shared_out, cache


def cgc_level_backward(p, cache, d_outs, d_shared=None):
    """Backward of cgc_level_forward.

    d_outs: list of dL/d(task output k); d_shared: dL/d(shared output) or None.
    Returns dict with 'Us', 'cs', 'Ws', 'bs' (None without a shared gate),
    lists 'Ut', 'ct', 'W', 'b', 'task_inputs', and 'shared_input'.
    """
    xs_t, x_s, Fs, pre_s, Ft, pre_t, Gs, G_sh = cache
    dFs = np.zeros_like(Fs)
    dFt = [np.zeros_like(F) for F in Ft]
    g = {"W": [], "b": [], "Ut": [], "ct": [], "Ws": None, "bs": None,
         "task_inputs": [], "shared_input": np.zeros_like(x_s)}
    dx_t = []
    for k, xk in enumerate(xs_t):
        m = Ft[k].shape[0]
        dx, dW, db, dF = gated_mixture_backward(
            xk, p["W"][k], Gs[k], np.concatenate([Ft[k], Fs]), d_outs[k])
        dFt[k] += dF[:m]
        dFs += dF[m:]
        dx_t.append(dx)
        g["W"].append(dW)
        g["b"].append(db)
    if G_sh is not None and d_shared is not None:
        dx, g["Ws"], g["bs"], dF = gated_mixture_backward(
            x_s, p["Ws"], G_sh, np.concatenate(Ft + [Fs]), d_shared)
        g["shared_input"] += dx
        start = 0
        for k, F in enumerate(Ft):
            dFt[k] += dF[start:start + F.shape[0]]
            start += F.shape[0]
        dFs += dF[start:]
    elif G_sh is not None:
        g["Ws"], g["bs"] = np.zeros_like(p["Ws"]), np.zeros_like(p["bs"])
    for k, xk in enumerate(xs_t):
        dx, dU, dc = experts_backward(xk, p["Ut"][k], pre_t[k], dFt[k])
        g["task_inputs"].append(dx_t[k] + dx)
        g["Ut"].append(dU)
        g["ct"].append(dc)
    dx, g["Us"], g["cs"] = experts_backward(x_s, p["Us"], pre_s, dFs)
    g["shared_input"] += dx
    return g


def cgc_forward(x, p):
    """A single CGC level on x (every expert and gate reads x).  Returns
    (task outputs, shared output or None, cache)."""
    return cgc_level_forward([x] * len(p["W"]), x, p)


def cgc_backward(p, cache, d_outs, d_shared=None):
    """Backward of cgc_forward; 'x' = sum of the gradients of all inputs."""
    g = cgc_level_backward(p, cache, d_outs, d_shared)
    g["x"] = g["shared_input"] + sum(g["task_inputs"])
    return g


def ple_forward(x, levels):
    """PLE: stacked extraction levels (Tang et al. eq. 6).

    levels: list of level parameter dicts (see cgc_level_forward); every level
    but the last needs a shared gate ('Ws', 'bs'), whose output feeds the next
    level's shared experts and shared gate.  Level j's task k reads task k's
    output of level j-1.  Returns (task outputs of the last level, caches).
    """
    task_in, shared_in, caches = [x] * len(levels[0]["W"]), x, []
    for j, p in enumerate(levels):
        if j + 1 < len(levels) and p.get("Ws") is None:
            raise ValueError("PLE level %d feeds another level: it needs a shared gate" % j)
        task_in, shared_out, cache = cgc_level_forward(task_in, shared_in, p)
        shared_in = shared_out
        caches.append(cache)
    return task_in, caches


def ple_backward(levels, caches, d_outs):
    """Backward of ple_forward (chained level backwards).  Returns
    (list of per-level gradient dicts, dL/dx)."""
    grads = [None] * len(levels)
    d_task, d_shared = d_outs, None
    for j in range(len(levels) - 1, -1, -1):
        g = cgc_level_backward(levels[j], caches[j], d_task, d_shared)
        grads[j] = g
        d_task, d_shared = g["task_inputs"], g["shared_input"]
    return grads, d_shared + sum(d_task)
