# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent Python reference implementation of multi-task-learning
task-balancing methods, used by the test suite to check the C++ implementation.

Written from the papers' equations (cross-checked against the published
equations/defaults of the official code, LibMTL and TorchJD, but not copied).
numpy + scipy only.

Notation: T tasks, J is T x P (row t = g_t = grad of task t's loss w.r.t. the
shared parameters), losses has length T (NaN = task absent from the batch: its
row of J is zero, it gets weight 0, its state is untouched, and every method
works on the T' present tasks, T' replacing T everywhere).  G = J J^T.

Every method's step() returns (d, w): d is the update direction (length P),
w the effective task weights (length T) with d = J^T w (except DB-MTL).

Sub-problems are solved exactly (to ~1e-12 relative), see the solver helpers:
  * convex QPs over the simplex / the orthant: active-set ENUMERATION of all
    supports (2^T subsets, fine for small T), KKT system solved per support;
  * Nash-MTL / FairGrad: damped Newton with positivity-preserving Armijo
    backtracking, iterated to machine precision;
  * CAGrad: exact per-face closed form (see _cagrad_lambda), also enumeration.

Usage:
    import reference as R
    m = R.make("cagrad", 3, {"c": 0.4})
    d, w = m.step(J, losses, ctx)
"""

import itertools
import math

import numpy as np

FLOAT32_EPS = 1.1920929e-07

# ---------------------------------------------------------------------------
# Exact solvers
# ---------------------------------------------------------------------------


def _supports(n, min_size):
    for k in range(min_size, n + 1):
        for S in itertools.combinations(range(n), k):
            yield list(S)


def _qp_nonneg(Q, q, A=None, b=None):
    """Exact minimiser of 1/2 x^T Q x + q^T x  s.t.  A x = b, x >= 0  (Q PSD).

    Solver: enumeration of all supports S. On each support the KKT system
        [Q_SS A_S^T; A_S 0] [x_S; y] = [-q_S; b]
    is solved by least squares (minimum-norm solution when singular); a
    candidate is kept if it is consistent and primal feasible (x_S >= 0), and
    dual feasible (Q x + q + A^T y >= 0 off S). Among the kept candidates the
    one of least objective is returned.  Exact: an optimal point of minimal
    support makes its KKT system uniquely solvable on that support.
    """
    Q = np.asarray(Q, float)
    q = np.asarray(q, float)
    n = q.size
    m = 0 if A is None else A.shape[0]
    qscale = max(np.abs(Q).max() if Q.size else 0.0, np.abs(q).max() if q.size else 0.0, 1e-300)
    best = None  # (objective, x)
    fallback = None  # (dual violation, objective, x)
    for S in _supports(n, 1 if m else 0):
        k = len(S)
        K = np.zeros((k + m, k + m))
        K[:k, :k] = Q[np.ix_(S, S)]
        rhs = np.zeros(k + m)
        rhs[:k] = -q[S]
        if m:
            K[:k, k:] = A[:, S].T
            K[k:, :k] = A[:, S]
            rhs[k:] = b
        if k + m == 0:
            sol = np.zeros(0)
        else:
            sol = np.linalg.lstsq(K, rhs, rcond=None)[0]
            r = K @ sol - rhs
            if np.linalg.norm(r) > 1e-9 * (np.abs(K).max() * np.linalg.norm(sol) + np.linalg.norm(rhs) + 1e-300):
                continue
        xS = sol[:k]
        xmax = max(1.0, np.abs(xS).max()) if k else 1.0
        if k and xS.min() < -1e-10 * xmax:
            continue
        x = np.zeros(n)
        x[S] = np.maximum(xS, 0.0)
        y = sol[k:]
        mu = Q @ x + q + (A.T @ y if m else 0.0)
        off = np.setdiff1d(np.arange(n), S)
        yscale = (np.abs(A).max() * np.abs(y).max()) if m and y.size else 0.0
        viol = max(0.0, -(mu[off].min())) if off.size else 0.0
        viol /= (qscale * max(1.0, np.abs(x).max()) + yscale)
        obj = 0.5 * x @ Q @ x + q @ x
        if viol <= 1e-9:
            if best is None or obj < best[0]:
                best = (obj, x)
        elif fallback is None or viol < fallback[0]:
            fallback = (viol, obj, x)
    if best is not None:
        return best[1]
    if fallback is None:
        raise RuntimeError("_qp_nonneg: no feasible support")
    return fallback[2]


def _range_basis(J=None, G=None):
    """Orthonormal basis (columns) of the range of G = J J^T in task space.

    From the SVD of J when J is given (rank decided on singular values,
    sigma > 1e-10 sigma_max, which is precise), otherwise from eigh(G)
    (lambda > 1e-13 lambda_max)."""
    if J is not None:
        U, s, _ = np.linalg.svd(np.asarray(J, float), full_matrices=True)
        if s.size == 0 or s[0] == 0.0:
            return np.zeros((U.shape[0], 0))
        return U[:, : int(np.sum(s > 1e-10 * s[0]))]
    lam, V = np.linalg.eigh(np.asarray(G, float))
    if lam.size == 0 or lam[-1] <= 0.0:
        return np.zeros((V.shape[0], 0))
    return V[:, lam > 1e-13 * lam[-1]]


def _canonical_simplex_weights(lam_star, J=None, G=None):
    """Tie-break for simplex weights that are not unique (rank-deficient G).

    The direction J^T lam is unique, lam need not be (e.g. identical
    gradients). We return the minimum-Euclidean-norm lam of the simplex with
    J^T lam = J^T lam_star, i.e. min 1/2||lam||^2 s.t. U_r^T lam = U_r^T lam_star,
    sum lam = 1, lam >= 0 (U_r: basis of range(G)); solved by _qp_nonneg.
    Identical gradients -> uniform lam. When G is non-singular, lam = lam_star."""
    n = lam_star.size
    Ur = _range_basis(J, G)
    if Ur.shape[1] >= n:
        return lam_star
    A = np.vstack([Ur.T, np.ones((1, n))])
    b = A @ lam_star
    b[-1] = 1.0
    return _qp_nonneg(np.eye(n), np.zeros(n), A, b)


def _min_norm_simplex_full(G, J=None):
    """(lam, value): lam = argmin over the simplex of lam^T G lam, value = lam^T G lam."""
    G = np.asarray(G, float)
    n = G.shape[0]
    lam = _qp_nonneg(G, np.zeros(n), np.ones((1, n)), np.array([1.0]))
    lam = _canonical_simplex_weights(lam, J=J, G=G)
    return lam, max(float(lam @ G @ lam), 0.0)


def min_norm_simplex(G, J=None):
    """Exact minimum-norm point of the convex hull of the gradients (Sener &
    Koltun 2018, eq. of the MGDA sub-problem):  lam = argmin_{lam in simplex}
    lam^T G lam.  Exact active-set enumeration (_qp_nonneg); when the minimiser
    is not unique the minimum-norm lam is returned (_canonical_simplex_weights;
    pass J for the most precise rank decision)."""
    return _min_norm_simplex_full(G, J)[0]


def _solve_power_barrier(G, alpha, max_iter=200):
    """Exact positive solution of (G w)_t = w_t^(-1/alpha), the minimiser of
        f(w) = 1/2 w^T G w - sum_t h(w_t),  h'(w) = w^(-1/alpha)
    (h = log for alpha = 1: Nash-MTL's G a = 1/a).  f is strictly convex on
    w > 0.  Solver: Newton's method, Hessian G + diag(w^(-1/alpha-1)/alpha),
    step halved until w stays > 0, then Armijo backtracking; iterated until the
    relative residual max_t |w_t^(1/alpha) (G w)_t - 1| < 1e-14 (or stalls).
    Start: the solution for diagonal G, w_t = G_tt^(-alpha/(alpha+1)).
    The caller must have checked feasibility (0 not in the convex hull)."""
    G = np.asarray(G, float)
    p = 1.0 - 1.0 / alpha

    def f(w):
        h = np.log(w) if alpha == 1.0 else w ** p / p
        return 0.5 * w @ G @ w - h.sum()

    w = np.diag(G) ** (-alpha / (alpha + 1.0))
    fw = f(w)
    best_w, best_res, stall = w.copy(), np.inf, 0
    for _ in range(max_iter):
        hp = w ** (-1.0 / alpha)
        grad = G @ w - hp
        res = np.max(np.abs(grad / hp))
        if res < best_res:
            best_w, best_res, stall = w.copy(), res, 0
        else:
            stall += 1
        if res < 1e-14 or stall >= 6:
            break
        H = G + np.diag(hp / (alpha * w))
        step = -np.linalg.solve(H, grad)
        t = 1.0
        while np.any(w + t * step <= 0.0):
            t *= 0.5
        dec = -grad @ step
        while True:
            wn = w + t * step
            fn = f(wn)
            if fn <= fw - 1e-4 * t * dec + 1e-13 * abs(fw) or t < 1e-14:
                break
            t *= 0.5
        w, fw = wn, fn
    if best_res > 1e-8:
        raise RuntimeError("_solve_power_barrier did not converge (res=%g)" % best_res)
    return best_w


def _infeasible(G, J):
    """Nash-MTL / FairGrad feasibility rule: infeasible when
    min_{lam in simplex} ||sum lam_t g_t||^2 <= 1e-8 * max_t G_tt."""
    _, val = _min_norm_simplex_full(G, J)
    return val <= 1e-8 * np.max(np.diag(G))


def _cagrad_lambda(J, c):
    """Exact lam = argmin_{lam in simplex} F(lam),
        F(lam) = lam^T G 1/T + sqrt(phi) sqrt(lam^T G lam),  phi = c^2 ||g0||^2.

    F depends on lam only through x = J^T lam:  F = g0.x + sqrt(phi) ||x||.
    Solver (exact, by enumeration): the optimum x* is either 0 (possible only if
    0 is in the hull) or a smooth stationary point on the relative interior of
    some face conv{g_t : t in S} with affinely independent g_S.  On the affine
    hull x0 + range(M) of such a face, with P_M the orthogonal projector on
    range(M), stationarity P_M(g0 + sqrt(phi) x/||x||) = 0 has the unique
    solution  x = x_perp + ||x_perp|| / sqrt(1-||v||^2) v,  x_perp = (I-P_M) x0,
    v = -P_M g0 / sqrt(phi)  (exists iff ||v|| < 1, x_perp != 0).  Candidates
    whose barycentric lam_S is >= 0 are kept; the least F wins.  lam is then
    made canonical (minimum-norm lam giving the same x, for degenerate G).
    Returns (lam, at_zero): at_zero is True when x* = 0 (then mu = 0)."""
    K = J.shape[0]
    g0 = J.mean(axis=0)
    sphi = c * np.linalg.norm(g0)
    if sphi == 0.0:
        return np.full(K, 1.0 / K), True  # mu = 0: lam does not matter
    G = J @ J.T
    scale = math.sqrt(max(np.max(np.diag(G)), 1e-300))
    cands = []
    lam_mn, _ = _min_norm_simplex_full(G, J)
    # ||x||² from x itself: the quadratic form lamᵀ G lam carries rounding of eps·||G||, far
    # above the threshold, when 0 is inside the hull.
    val_mn = float(np.sum((J.T @ lam_mn) ** 2))
    if val_mn <= 1e-24 * scale ** 2:
        cands.append((0.0, lam_mn, True))
    for S in _supports(K, 1):
        X = J[S]
        x0 = X[0]
        if len(S) > 1:
            M = (X[1:] - x0).T
            Uq, s, _ = np.linalg.svd(M, full_matrices=False)
            if s.min() <= 1e-10 * max(s.max(), scale):
                continue  # affinely dependent vertices: covered by sub-faces
            x_perp = x0 - Uq @ (Uq.T @ x0)
            v = -(Uq @ (Uq.T @ g0)) / sphi
        else:
            x_perp, v = x0.copy(), np.zeros_like(x0)
        nv2 = v @ v
        nperp = np.linalg.norm(x_perp)
        if nv2 >= 1.0 or nperp <= 1e-12 * scale:
            continue
        x = x_perp + nperp / math.sqrt(1.0 - nv2) * v
        A = np.vstack([X.T, np.ones((1, len(S)))])
        rhs = np.concatenate([x, [1.0]])
        lamS = np.linalg.lstsq(A, rhs, rcond=None)[0]
        if np.linalg.norm(A @ lamS - rhs) > 1e-9 * (np.linalg.norm(rhs) + scale):
            continue
        if lamS.min() < -1e-10:
            continue
        lam = np.zeros(K)
        lam[S] = np.maximum(lamS, 0.0)
        lam /= lam.sum()
        xl = J.T @ lam
        cands.append((g0 @ xl + sphi * np.linalg.norm(xl), lam, False))
    F, lam, at_zero = min(cands, key=lambda c_: c_[0])  # ties: first (x = 0 first)
    return _canonical_simplex_weights(lam, J=J), at_zero


class _Adam:
    """PyTorch-style Adam (bias-corrected, optional L2 weight decay added to
    the gradient as torch.optim.Adam's weight_decay) acting element-wise on a
    vector, with ONE STEP COUNTER PER ELEMENT so that absent tasks' moments and
    counters stay untouched."""

    def __init__(self, n, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.b1, self.b2, self.eps, self.wd = beta1, beta2, eps, weight_decay
        self.m = np.zeros(n)
        self.v = np.zeros(n)
        self.k = np.zeros(n, dtype=int)

    def update(self, theta, grad, lr, mask):
        for t in np.flatnonzero(mask):
            g = grad[t] + self.wd * theta[t]
            self.k[t] += 1
            self.m[t] = self.b1 * self.m[t] + (1 - self.b1) * g
            self.v[t] = self.b2 * self.v[t] + (1 - self.b2) * g * g
            mhat = self.m[t] / (1 - self.b1 ** self.k[t])
            vhat = self.v[t] / (1 - self.b2 ** self.k[t])
            theta[t] -= lr * mhat / (math.sqrt(vhat) + self.eps)


def _softmax(x):
    e = np.exp(x - np.max(x))
    return e / e.sum()


# ---------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------


class Method:
    """Base class: step(J, losses, ctx) -> (d, w); end_epoch(mean_losses)."""

    name = ""

    def __init__(self, T, params):
        self.T = T
        self.p = params

    def end_epoch(self, mean_losses):
        pass

    @staticmethod
    def _present(losses):
        return ~np.isnan(np.asarray(losses, float))


class Static(Method):
    """Static user weights: w = ctx["user_weights"] (0 for absent tasks)."""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        w = np.where(pr, np.asarray(ctx["user_weights"], float), 0.0)
        return J.T @ w, w


class Equal(Method):
    """Equal weighting: w_t = 1."""

    def step(self, J, losses, ctx):
        w = self._present(losses).astype(float)
        return J.T @ w, w


class Uncertainty(Method):
    """Kendall, Gal & Cipolla 2018 (LibMTL form): objective
    sum_t [L_t / (2 e^{s_t}) + s_t / 2], s_t = log sigma_t^2 (init -0.5).
    w_t = 1/(2 e^{s_t}) with s before the update; then s <- Adam with
    d/ds_t = -L_t/(2 e^{s_t}) + 1/2 and learning rate lr (0 -> ctx["lr"]).
    (The paper writes 1/(2 sigma^2) for regression and 1/sigma^2 for
    classification; LibMTL's single form is used for all tasks.)"""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.log_var = np.full(T, float(params["init"]))
        self.adam = _Adam(T)

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        L = np.where(pr, losses, 0.0)
        w = np.where(pr, 0.5 * np.exp(-self.log_var), 0.0)
        d = J.T @ w
        grad = np.where(pr, -L * 0.5 * np.exp(-self.log_var) + 0.5, 0.0)
        lr = self.p["lr"] if self.p["lr"] != 0 else ctx["lr"]
        self.adam.update(self.log_var, grad, lr, pr)
        return d, w


class DWA(Method):
    """Dynamic Weight Average, Liu, Johns & Davison 2019, eq. (1)-(2):
    w_t = T exp(r_t/temp) / sum_i exp(r_i/temp), r_t = Lbar_t(e-1)/Lbar_t(e-2),
    w = 1 in the first two epochs; constant within an epoch.
    Absent tasks: softmax over the present ones times T'.  An epoch mean that
    is NaN (task absent all epoch) is not recorded; a present task with fewer
    than two recorded epoch means uses r_t = 1 (convention of this reference)."""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.epoch = 1
        self.history = [[] for _ in range(T)]

    def end_epoch(self, mean_losses):
        for t, v in enumerate(np.asarray(mean_losses, float)):
            if np.isfinite(v):
                self.history[t].append(float(v))
        self.epoch += 1

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        w = np.zeros(self.T)
        if self.epoch <= 2:
            w[pr] = 1.0
        else:
            r = np.array([self.history[t][-1] / self.history[t][-2] if len(self.history[t]) >= 2 else 1.0
                          for t in range(self.T)])
            w[pr] = pr.sum() * _softmax(r[pr] / self.p["temperature"])
        return J.T @ w, w


class RLW(Method):
    """Random Loss Weighting, Lin et al. 2022: w = softmax(z), z ~ N(0, I)
    given in ctx["z"] (softmax over the present tasks)."""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        w = np.zeros(self.T)
        w[pr] = _softmax(np.asarray(ctx["z"], float)[pr])
        return J.T @ w, w


class GLS(Method):
    """Geometric Loss Strategy, Chennupati et al. 2019: objective
    (prod_t L_t)^(1/T); w_t = dGLS/dL_t = GLS / (T L'_t), L'_t = max(L_t, 1e-8),
    GLS = exp(mean log L')."""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        Lp = np.maximum(np.asarray(losses, float)[pr], 1e-8)
        gls = math.exp(np.mean(np.log(Lp)))
        w = np.zeros(self.T)
        w[pr] = gls / (pr.sum() * Lp)
        return J.T @ w, w


class FAMO(Method):
    """Fast Adaptive Multitask Optimization, Liu et al. 2023 (Alg. 1).
    z = softmax(xi); D_t = L_t - min_loss_t + 1e-8; c = sum z_t/D_t;
    w_t = z_t / (c D_t)  (gradient of sum z log D / c, c held constant).
    Update with ctx["losses_after"]: delta_t = log D_t - log D_t^after,
    grad_xi = J_softmax^T delta = z (delta - z.delta); Adam(lr, weight decay
    gamma).  Not included (as in the brief): the official code's gradient-norm
    clipping (max_norm) of the model update."""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.logits = np.zeros(T)
        self.adam = _Adam(T, weight_decay=params["gamma"])

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        L = np.asarray(losses, float)
        mn = np.broadcast_to(np.asarray(self.p["min_losses"], float), (self.T,))
        z = _softmax(self.logits[pr])
        D = L[pr] - mn[pr] + 1e-8
        c = np.sum(z / D)
        w = np.zeros(self.T)
        w[pr] = z / (c * D)
        d = J.T @ w
        La = np.asarray(ctx["losses_after"], float)
        delta = np.log(D) - np.log(La[pr] - mn[pr] + 1e-8)
        grad = np.zeros(self.T)
        grad[pr] = z * (delta - z @ delta)
        self.adam.update(self.logits, grad, self.p["lr"], pr)
        return d, w


class GradNorm(Method):
    """GradNorm, Chen et al. 2018, eq. (1)-(2): G_t = ||w_t g_t||, Gbar = mean,
    r_t = Ltilde_t / mean Ltilde, Ltilde_t = L_t/L_t(0), target = Gbar r^alpha
    (constant); L_grad = sum |G_t - target_t|.  d uses the current weights;
    then w <- w - lr sign(G - target) ||g||, clipped >= 1e-3, renormalised to
    sum T'.  (Paper: w updated by its own optimiser on L_grad, renormalised to
    sum T; LibMTL instead parametrises w = T softmax(.) and uses epoch-0 mean
    losses for L(0) and equal weights in epoch 0.)"""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.weights = np.ones(T)
        self.initial_losses = np.full(T, np.nan)

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        L = np.asarray(losses, float)
        first = pr & np.isnan(self.initial_losses)
        self.initial_losses[first] = L[first]
        w = np.where(pr, self.weights, 0.0)
        d = J.T @ w
        n = np.linalg.norm(J[pr], axis=1)
        wp = self.weights[pr]
        Gt = wp * n
        Lt = L[pr] / self.initial_losses[pr]
        r = Lt / Lt.mean()
        target = Gt.mean() * r ** self.p["alpha"]
        wp = wp - self.p["lr"] * np.sign(Gt - target) * n
        wp = np.maximum(wp, 1e-3)
        self.weights[pr] = wp * pr.sum() / wp.sum()
        return d, w


class MGDA(Method):
    """MGDA-UB, Sener & Koltun 2018, eq. (3) / Alg. 2: lam = argmin over the
    simplex of ||sum lam_t ghat_t||^2 (exact, min_norm_simplex), ghat = g/nu,
    nu in {1, ||g||, L, L ||g||} (none | l2 | loss | loss+), nu = 0 -> 1.
    d = sum lam ghat, w = lam/nu.  (LibMTL uses an approximate Frank-Wolfe
    solver; here exact, and the minimum-norm lam when lam is not unique.)"""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        Jp = J[pr]
        L = np.asarray(losses, float)[pr]
        nrm = np.linalg.norm(Jp, axis=1)
        mode = self.p["normalization"]
        nu = {"none": np.ones_like(nrm), "l2": nrm, "loss": L, "loss+": L * nrm}[mode]
        nu = np.where(nu == 0.0, 1.0, nu)
        Jh = Jp / nu[:, None]
        lam = min_norm_simplex(Jh @ Jh.T, J=Jh)
        w = np.zeros(self.T)
        w[pr] = lam / nu
        return Jh.T @ lam, w


class PCGrad(Method):
    """PCGrad, Yu et al. 2020, Alg. 1 (summed as LibMTL does): for each i,
    g_i^PC = g_i; for j in ctx["orders"][i]: if g_i^PC.g_j < 0,
    g_i^PC -= (g_i^PC.g_j)/||g_j||^2 g_j (g_j original, skipped if zero; no
    +eps in the denominator).  d = sum_i g_i^PC; w = coefficients of d on the
    original g's.  .last_projected = [g_i^PC].  Default order if ctx has no
    "orders": range(T) for every i."""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.last_projected = None

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        orders = ctx.get("orders")
        if orders is None:
            orders = [list(range(self.T))] * self.T
        sq = np.einsum("ij,ij->i", J, J)
        proj = [np.zeros(J.shape[1]) for _ in range(self.T)]
        w = np.zeros(self.T)
        for i in range(self.T):
            if not pr[i]:
                continue
            gpc = J[i].copy()
            coef = np.zeros(self.T)
            coef[i] = 1.0
            for j in orders[i]:
                if not pr[j] or sq[j] == 0.0:
                    continue
                dot = gpc @ J[j]
                if dot < 0.0:
                    gpc -= dot / sq[j] * J[j]
                    coef[j] -= dot / sq[j]
            proj[i] = gpc
            w += coef
        self.last_projected = proj
        return np.sum(proj, axis=0), w


class CAGrad(Method):
    """CAGrad, Liu et al. 2021, dual problem eq. (after Thm 3.2):
    lam = argmin_simplex lam^T G 1/T + sqrt(phi) sqrt(lam^T G lam),
    phi = c^2 ||g0||^2; mu = sqrt(phi)/||g_lam||; d = (g0 + mu g_lam)/s,
    s = 1 + c^2 (rescale 1), 1 + c (2), 1 (0).  Exact solver _cagrad_lambda
    (LibMTL: SLSQP with +1e-8 inside the sqrt's; omitted here).
    Convention (brief): mu = 0 when g_lam = 0 (x* = 0, possible only when 0 is
    in the hull); the paper's mu is then 0/0 and d = g0/s need not be a
    maximiser of the primal problem."""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        Jp = J[pr]
        K = Jp.shape[0]
        c = self.p["c"]
        s = {0: 1.0, 1: 1.0 + c * c, 2: 1.0 + c}[int(self.p["rescale"])]
        lam, at_zero = _cagrad_lambda(Jp, c)
        g0 = Jp.mean(axis=0)
        ngl = 0.0 if at_zero else np.linalg.norm(Jp.T @ lam)
        mu = c * np.linalg.norm(g0) / ngl if ngl > 0 else 0.0
        wp = (1.0 / K + mu * lam) / s
        w = np.zeros(self.T)
        w[pr] = wp
        self.last_lambda, self.last_at_zero = lam, at_zero
        return Jp.T @ wp, w


class IMTLG(Method):
    """IMTL-G, Liu et al. 2021 (ICLR), gradient part, eq. (5)-(6):
    alpha_{2..K} = g_1 U^T (D U^T)^{-1}, alpha_1 = 1 - sum; d = sum alpha g,
    so that d.u_t is equal for all t.  Zero-gradient tasks get 0 and are left
    out.  Singular D U^T: minimum-norm least-squares solution (lstsq with
    rcond 1e-12, equal to the exact inverse when cond < 1e12); e.g. identical
    gradients give alpha = e_1.  (LibMTL's IMTL also learns loss scales: the
    IMTL-L part is not included.)"""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        nrm = np.linalg.norm(J, axis=1)
        idx = np.flatnonzero(pr & (nrm > 0.0))
        w = np.zeros(self.T)
        if idx.size == 0:
            return np.zeros(J.shape[1]), w
        g = J[idx]
        u = g / nrm[idx][:, None]
        if idx.size == 1:
            a = np.array([1.0])
        else:
            D = g[0] - g[1:]
            U = u[0] - u[1:]
            M = D @ U.T
            rhs = U @ g[0]
            a_rest = np.linalg.lstsq(M.T, rhs, rcond=1e-12)[0]
            a = np.concatenate([[1.0 - a_rest.sum()], a_rest])
        w[idx] = a
        return J.T @ w, w


class NashMTL(Method):
    """Nash-MTL, Navon et al. 2022, eq. (4)/Thm 5.1: alpha > 0 with
    G alpha = 1/alpha, the minimiser of 1/2 a^T G a - sum log a (solved exactly,
    _solve_power_barrier).  Zero-gradient tasks left out (weight 0).
    Infeasible (0 in the hull, rule in _infeasible): previous alpha (init 1).
    d = J^T alpha, then clipped to ||d|| <= max_norm (if max_norm > 0).
    (Official code/LibMTL: ~20 CCP iterations of cvxpy from the previous
    alpha, clip_grad_norm_; here the exact fixed point.)  NB: at the exact
    solution ||d||^2 = a^T G a = K, so with max_norm=1 and K>=2 the clip is
    always active."""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.alpha = np.ones(T)
        self.last_feasible = None

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        nrm = np.linalg.norm(J, axis=1)
        idx = np.flatnonzero(pr & (nrm > 0.0))
        w = np.zeros(self.T)
        if idx.size:
            Jk = J[idx]
            G = Jk @ Jk.T
            self.last_feasible = not _infeasible(G, Jk)
            if self.last_feasible:
                self.alpha[idx] = _solve_power_barrier(G, 1.0)
            w[idx] = self.alpha[idx]
        d = J.T @ w
        mn = self.p["max_norm"]
        nd = np.linalg.norm(d)
        if mn > 0 and nd > mn:
            d = d * (mn / nd)
            w = w * (mn / nd)
        return d, w


class AlignedMTL(Method):
    """Aligned-MTL, Senushkin et al. 2023, eq. (9)-(10): G = V L V^T; keep
    eigenpairs with l > l_max T' eps32; B = sqrt(l_min) V diag(l^-1/2) V^T;
    w = B 1; d = J^T w."""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        Jp = J[pr]
        G = Jp @ Jp.T
        w = np.zeros(self.T)
        if G.size == 0:
            return np.zeros(J.shape[1]), w
        lam, V = np.linalg.eigh(G)
        lmax = lam.max()
        keep = lam > lmax * G.shape[0] * FLOAT32_EPS
        if lmax <= 0.0 or not keep.any():
            return np.zeros(J.shape[1]), w
        lk, Vk = lam[keep], V[:, keep]
        B = math.sqrt(lk.min()) * (Vk * lk ** -0.5) @ Vk.T
        w[pr] = B.sum(axis=1)
        return J.T @ w, w


class UPGrad(Method):
    """UPGrad, Quinton & Rey 2024 (Jacobian descent), TorchJD defaults:
    Ghat = G / trace(G) (0 if trace < norm_eps) + reg_eps I;
    u^(i) = argmin_{u >= e_i} u^T Ghat u (Prop. 1; exact QP by enumeration,
    _qp_nonneg on v = u - e_i >= 0); w = (1/T') sum_i u^(i); d = J^T w."""

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        Jp = J[pr]
        K = Jp.shape[0]
        G = Jp @ Jp.T
        tr = np.trace(G)
        Gh = np.zeros_like(G) if tr < self.p["norm_eps"] else G / tr
        Gh = Gh + self.p["reg_eps"] * np.eye(K)
        wp = np.zeros(K)
        for i in range(K):
            v = _qp_nonneg(Gh, Gh[:, i].copy())
            u = v.copy()
            u[i] += 1.0
            wp += u
        wp /= K
        w = np.zeros(self.T)
        w[pr] = wp
        return J.T @ w, w


class FairGrad(Method):
    """FairGrad, Ban & Ji 2024, eq. (alpha-fair allocation): w > 0 with
    (G w)_t = w_t^(-1/alpha), minimiser of 1/2 w^T G w - sum h(w_t)
    (_solve_power_barrier, exact; official code: scipy least_squares from
    1/T).  Zero-gradient tasks left out; infeasible -> previous w (init 1/T).
    d = J^T w, no clipping."""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.weights = np.full(T, 1.0 / T)
        self.last_feasible = None

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        nrm = np.linalg.norm(J, axis=1)
        idx = np.flatnonzero(pr & (nrm > 0.0))
        w = np.zeros(self.T)
        if idx.size:
            Jk = J[idx]
            G = Jk @ Jk.T
            self.last_feasible = not _infeasible(G, Jk)
            if self.last_feasible:
                self.weights[idx] = _solve_power_barrier(G, float(self.p["alpha"]))
            w[idx] = self.weights[idx]
        return J.T @ w, w


class DBMTL(Method):
    """DB-MTL, Lin et al. 2023, eq. (5)-(7): h_t = g_t/(L_t+1e-8) (grad of
    log(L_t+1e-8)); buffer_t <- h_t + beta/k^beta_sigma (buffer_t - h_t)
    (EMA, buffer init 0, k = 1, 2, ...); a_t = max_i ||buffer_i|| /
    (||buffer_t|| + 1e-8); d = sum a_t buffer_t.  d is NOT J^T w in general
    (the buffers carry past gradients).  Returned w_t = a_t/(L_t+1e-8): at
    k = 1 buffer = (1 - beta) h, so the exact weights on the current gradients
    are (1 - beta) w, i.e. d = (1 - beta) J^T w at the first step."""

    def __init__(self, T, params):
        super().__init__(T, params)
        self.k = 0
        self.buffer = None

    def step(self, J, losses, ctx):
        pr = self._present(losses)
        if not pr.any():
            return np.zeros(J.shape[1]), np.zeros(self.T)
        if self.buffer is None:
            self.buffer = np.zeros((self.T, J.shape[1]))
        self.k += 1
        L = np.asarray(losses, float)
        beta_k = self.p["beta"] / self.k ** self.p["beta_sigma"]
        for t in np.flatnonzero(pr):
            h = J[t] / (L[t] + 1e-8)
            self.buffer[t] = h + beta_k * (self.buffer[t] - h)
        bn = np.linalg.norm(self.buffer, axis=1)
        a = np.zeros(self.T)
        a[pr] = bn[pr].max() / (bn[pr] + 1e-8)
        d = self.buffer.T @ a
        w = np.zeros(self.T)
        w[pr] = a[pr] / (L[pr] + 1e-8)
        return d, w


_CLASSES = {
    "static": Static,
    "equal": Equal,
    "uncertainty": Uncertainty,
    "dwa": DWA,
    "rlw": RLW,
    "gls": GLS,
    "famo": FAMO,
    "gradnorm": GradNorm,
    "mgda": MGDA,
    "pcgrad": PCGrad,
    "cagrad": CAGrad,
    "imtl_g": IMTLG,
    "nash_mtl": NashMTL,
    "aligned_mtl": AlignedMTL,
    "upgrad": UPGrad,
    "fairgrad": FairGrad,
    "db_mtl": DBMTL,
}

DEFAULTS = {
    "static": {},
    "equal": {},
    "uncertainty": {"init": -0.5, "lr": 0.0},
    "dwa": {"temperature": 2.0},
    "rlw": {},
    "gls": {},
    "famo": {"lr": 0.025, "gamma": 0.001, "min_losses": 0.0},
    "gradnorm": {"alpha": 1.5, "lr": 0.025},
    "mgda": {"normalization": "none"},
    "pcgrad": {},
    "cagrad": {"c": 0.5, "rescale": 1},
    "imtl_g": {},
    "nash_mtl": {"max_norm": 1.0},
    "aligned_mtl": {},
    "upgrad": {"norm_eps": 1e-4, "reg_eps": 1e-4},
    "fairgrad": {"alpha": 1.0},
    "db_mtl": {"beta": 0.9, "beta_sigma": 0.5},
}


def names():
    return list(_CLASSES)


def make(name, T, params=None):
    """Create method `name` for T tasks; params override DEFAULTS[name]."""
    p = dict(DEFAULTS[name])
    for k, v in (params or {}).items():
        if k not in p:
            raise KeyError("unknown parameter %r for %s" % (k, name))
        p[k] = v
    m = _CLASSES[name](T, p)
    m.name = name
    return m


# ---------------------------------------------------------------------------
# Hand-made test cases
# ---------------------------------------------------------------------------


def cases():
    """List of (name, J, losses) hand-made Jacobians, 2 and 3 tasks, P = 2..5."""
    c120, s120 = -0.5, math.sqrt(3.0) / 2.0
    a = np.array([0.6, -0.2, 0.5, 0.3])     # ||a|| = ||b|| = sqrt(0.74), a.b = -0.16
    b = np.array([0.3, 0.5, -0.6, 0.2])
    out = [
        ("orthogonal_2", np.array([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([0.8, 1.3])),
        ("orthogonal_3", np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.5, 0.0]]),
         np.array([1.2, 0.6, 2.0])),
        ("conflict120_2", np.array([[1.0, 0.0], [2.0 * c120, 2.0 * s120]]), np.array([0.9, 1.7])),
        ("conflict120_3", np.array([[1.0, 0.0, 0.0], [1.5 * c120, 1.5 * s120, 0.0], [2.0 * c120, -2.0 * s120, 0.0]]),
         np.array([1.1, 0.7, 2.3])),
        ("dominant_2", np.vstack([10.0 * a, b]), np.array([2.5, 0.3])),
        ("dominant_3", np.array([[0.4, 0.1, -0.3, 0.2, 0.5],
                                 [-2.0, 5.0, 1.0, -3.0, 4.0],  # ~10x the others' norms
                                 [0.3, -0.2, 0.5, 0.4, -0.1]]), np.array([0.5, 1.9, 1.1])),
        ("identical_3", np.tile([0.5, -1.0, 0.25, 2.0], (3, 1)), np.array([0.5, 1.5, 3.0])),
        ("zero_3", np.array([[1.0, 0.5, 0.0], [0.0, 0.0, 0.0], [-0.3, 1.0, 0.7]]), np.array([1.0, 0.4, 2.2])),
    ]
    rng = np.random.RandomState(12345)
    out.append(("random_2", rng.randn(2, 5), rng.uniform(0.5, 3.0, 2)))
    out.append(("random_3", rng.randn(3, 5), rng.uniform(0.5, 3.0, 3)))
    return out
