# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference implementation of multi-task-learning architectures
and soft-sharing penalties, written from the papers' equations.  numpy only.

Contents
  * cross-stitch units (Misra et al. 2016): cross_stitch_forward/backward,
    cross_stitch_init;
  * MMoE and CGC / PLE: in reference_moe.py, re-exported here;
  * couplings between per-task copies of a layer's weights, stacked as the
    columns of W = [w_1 ... w_T] (d x T):
      l2_to_mean          lambda sum_t ||w_t - mean||^2
      trace_norm(_smooth) lambda ||W||_*  (Yang & Hospedales 2017)
      mtrl_penalty        lambda tr(W Omega^-1 W^T)  (Zhang & Yeung 2010)
      mtrl_omega          the closed-form Omega update;
  * numerical_gradient: central finite differences.

All computations are in float64.  Matrix square roots use a symmetric
eigendecomposition (numpy.linalg.eigh), negative round-off eigenvalues of a
PSD matrix being clipped to 0.

Usage:
    import reference as R
    Y = R.cross_stitch_forward(R.cross_stitch_init(3), X)
"""

import numpy as np

from reference_moe import *  # noqa: F401,F403  (MMoE, CGC / PLE)

# ---------------------------------------------------------------------------
# Cross-stitch units
# ---------------------------------------------------------------------------


def cross_stitch_init(T, same=0.9, other=0.1):
    """Initial T x T mixing matrix: `same` on the diagonal, `other` elsewhere,
    each row then divided by its sum, i.e.
        A[s, s] = 0.9 / (0.9 + 0.1 (T - 1)),  A[s, t] = 0.1 / (0.9 + 0.1 (T - 1)).
    For T = 2 this is the paper's (alpha_S, alpha_D) = (0.9, 0.1)."""
    A = np.full((T, T), float(other))
    np.fill_diagonal(A, float(same))
    return A / A.sum(axis=1, keepdims=True)


def cross_stitch_forward(A, X):
    """Cross-stitch unit (Misra et al. 2016, eq. 1, generalised to T tasks):
        y_s = sum_t A[s, t] x_t.
    X: T task activations, a list of [B, F] arrays or one [T, B, F] array
    (any trailing shape).  Returns Y with the shape of np.stack(X)."""
    X = np.asarray(X, dtype=np.float64)
    return np.tensordot(A, X, axes=(1, 0))


def cross_stitch_backward(A, X, dY):
    """Gradients of a cross-stitch unit (Misra et al. 2016, eq. 2):
        dL/dx_t = sum_s A[s, t] dL/dy_s          (dX = A^T dY)
        dL/dA[s, t] = <dL/dy_s, x_t>             (summed over batch, features)
    Returns (dX, dA)."""
    X = np.asarray(X, dtype=np.float64)
    dY = np.asarray(dY, dtype=np.float64)
    dX = np.tensordot(A.T, dY, axes=(1, 0))
    dA = np.tensordot(dY.reshape(dY.shape[0], -1), X.reshape(X.shape[0], -1),
                      axes=(1, 1))
    return dX, dA


# ---------------------------------------------------------------------------
# Symmetric matrix functions
# ---------------------------------------------------------------------------


def sym_power(M, power):
    """M^power for a symmetric PSD matrix M via M = Q diag(e) Q^T:
    Q diag(max(e, 0)^power) Q^T.  Negative powers need M positive definite."""
    M = np.asarray(M, dtype=np.float64)
    e, Q = np.linalg.eigh(0.5 * (M + M.T))
    e = np.maximum(e, 0.0)
    if power < 0 and e.min() <= 0.0:
        raise np.linalg.LinAlgError("negative power of a singular matrix")
    return (Q * e ** power) @ Q.T


def sym_sqrt(M):
    """Principal square root of a symmetric PSD matrix."""
    return sym_power(M, 0.5)


def sym_inv_sqrt(M):
    """M^{-1/2} of a symmetric positive-definite matrix."""
    return sym_power(M, -0.5)


# ---------------------------------------------------------------------------
# Soft-sharing couplings; W is d x T, column t = task t's flattened weights
# ---------------------------------------------------------------------------


def stack_columns(ws):
    """W = [w_1 ... w_T] (d x T) from per-task weight arrays (each flattened)."""
    return np.stack([np.asarray(w, dtype=np.float64).ravel() for w in ws], axis=1)


def l2_to_mean(W, lam):
    """L2 coupling to the mean:  P = lam sum_t ||w_t - wbar||^2,
    wbar = (1/T) sum_t w_t.  Gradient dP/dw_t = 2 lam (w_t - wbar) (the
    term through wbar vanishes because sum_t (w_t - wbar) = 0).
    Returns (P, dP/dW)."""
    W = np.asarray(W, dtype=np.float64)
    D = W - W.mean(axis=1, keepdims=True)
    return lam * float(np.sum(D * D)), 2.0 * lam * D


def trace_norm(W, lam):
    """Trace (nuclear) norm (Yang & Hospedales 2017):  P = lam ||W||_* =
    lam sum_i sigma_i(W) = lam tr((W^T W)^{1/2}).
    With the thin SVD W = U S V^T, the gradient lam U V^T is returned; it is
    the gradient wherever W has full rank min(d, T) and one subgradient
    otherwise (the norm is not differentiable at rank deficiency).
    Returns (P, dP/dW)."""
    W = np.asarray(W, dtype=np.float64)
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    return lam * float(s.sum()), lam * (U @ Vt)


def trace_norm_smooth(W, lam, eps):
    """Smoothed trace norm:  P_eps = lam tr((W^T W + eps I)^{1/2})
                                   = lam sum_{i=1..T} sqrt(lambda_i(W^T W) + eps),
    differentiable for eps > 0 with gradient
        dP_eps/dW = lam W (W^T W + eps I)^{-1/2}
    (from d tr(M^{1/2}) = 1/2 tr(M^{-1/2} dM), dM = dW^T W + W^T dW).
    Since sqrt(s^2) <= sqrt(s^2 + eps) <= sqrt(s^2) + sqrt(eps),
        lam ||W||_* <= P_eps <= lam (||W||_* + T sqrt(eps)),
    so P_eps decreases to the exact lam ||W||_* as eps -> 0.
    Returns (P_eps, dP_eps/dW)."""
    W = np.asarray(W, dtype=np.float64)
    M = W.T @ W + eps * np.eye(W.shape[1])
    return lam * float(np.trace(sym_sqrt(M))), lam * (W @ sym_inv_sqrt(M))


def mtrl_penalty(W, Omega, lam):
    """Multi-task relationship learning penalty (Zhang & Yeung 2010):
        P = lam tr(W Omega^{-1} W^T),   Omega the T x T task covariance.
    The paper's term is (lambda_2 / 2) tr(W Omega^{-1} W^T), so lam here is
    the paper's lambda_2 / 2.  With Omega held fixed and symmetric,
        dP/dW = lam W (Omega^{-1} + Omega^{-T}) = 2 lam W Omega^{-1}.
    Returns (P, dP/dW)."""
    W = np.asarray(W, dtype=np.float64)
    Oi = np.linalg.inv(np.asarray(Omega, dtype=np.float64))
    Oi = 0.5 * (Oi + Oi.T)
    return lam * float(np.trace(W @ Oi @ W.T)), 2.0 * lam * (W @ Oi)


def mtrl_omega(W, eps=0.0):
    """Closed-form Omega step of MTRL (Zhang & Yeung 2010): the minimiser of
    tr(W Omega^{-1} W^T) = tr(Omega^{-1} W^T W) over Omega > 0, tr Omega = 1,
        Omega = (W^T W)^{1/2} / tr((W^T W)^{1/2}),
    the minimum being (tr (W^T W)^{1/2})^2 = ||W||_*^2 (Cauchy-Schwarz).
    With a stabiliser eps > 0 (keeps Omega invertible when W^T W is singular):
        Omega = (W^T W + eps I)^{1/2} / tr((W^T W + eps I)^{1/2}).
    The result is symmetric, positive semi-definite (definite for eps > 0)
    and has trace 1."""
    W = np.asarray(W, dtype=np.float64)
    R = sym_sqrt(W.T @ W + eps * np.eye(W.shape[1]))
    R = 0.5 * (R + R.T)
    return R / np.trace(R)


def correlation(Omega):
    """Task correlations C[i, j] = Omega[i, j] / sqrt(Omega[i, i] Omega[j, j])."""
    s = np.sqrt(np.diag(Omega))
    return Omega / np.outer(s, s)


# ---------------------------------------------------------------------------
# Finite differences
# ---------------------------------------------------------------------------


def numerical_gradient(f, x, h=1e-6):
    """Central finite-difference gradient of a scalar function:
        g[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h).
    x is a float64 ndarray perturbed IN PLACE (entry by entry, restored
    afterwards) and passed to f, so f may also be a closure reading x (e.g. a
    parameter inside a dict) and ignoring its argument.  Returns g (shape of x).
    The truncation error is O(h^2); in float64 with h = 1e-6 the result is
    typically accurate to ~1e-9 relative for smooth f."""
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        raise TypeError("numerical_gradient needs a float64 ndarray (perturbed in place)")
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous (it is perturbed in place)")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = float(f(x))
        flat[i] = old - h
        fm = float(f(x))
        flat[i] = old
        gflat[i] = (fp - fm) / (2.0 * h)
    return g


def gradient_error(analytic, numeric):
    """max |analytic - numeric| / max(1, max |numeric|)."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        return np.inf
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n)) / max(1.0, float(np.max(np.abs(n)))))
