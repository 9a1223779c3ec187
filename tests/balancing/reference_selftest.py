# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of reference.py (the Python reference implementation of the
task-balancing methods, written from the papers' equations).

Checks the reference against properties proved in the papers, against
closed-form answers on hand-made cases, against brute-force/scipy solutions
of the sub-problems, and against hand-computed steps of the stateful methods.
Plain asserts collected into a report; exit status 0 = all passed, 1 = failure.

Run:  /usr/bin/python3 tests/balancing/reference_selftest.py
"""

import math
import os
import sys
import traceback

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402

FAILS = []
NCHECK = [0]


def check(label, cond, detail=""):
    NCHECK[0] += 1
    if not cond:
        FAILS.append("%s %s" % (label, detail))


def close(a, b, rtol=1e-10, atol=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=atol)


def case(name):
    for n, J, L in R.cases():
        if n == name:
            return J.copy(), L.copy()
    raise KeyError(name)


def run(name, J, L, params=None, ctx=None):
    m = R.make(name, J.shape[0], params)
    return m.step(J, L, ctx or {})


def std_ctx(T):
    return {"lr": 0.01, "z": np.linspace(-0.7, 0.9, T), "losses_after": None,
            "user_weights": np.arange(1.0, T + 1.0), "orders": None}


def simplex_samples(T, n, seed=0):
    rng = np.random.RandomState(seed)
    return rng.dirichlet(np.ones(T), size=n)


def slsqp_simplex(fun, T, starts):
    best = np.inf
    for x0 in starts:
        r = minimize(fun, x0, method="SLSQP", bounds=[(0, 1)] * T,
                     constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1.0}],
                     options={"ftol": 1e-15, "maxiter": 500})
        best = min(best, fun(np.clip(r.x, 0, None) / np.clip(r.x, 0, None).sum()))
    return best


# ---------------------------------------------------------------------------


def test_generic():
    """Every method on every case: finite, right shapes, d = J^T w (not DB-MTL)."""
    for cname, J, L in R.cases():
        T = J.shape[0]
        for name in R.names():
            ctx = std_ctx(T)
            ctx["losses_after"] = 0.9 * L
            d, w = run(name, J, L, None, ctx)
            check("generic/%s/%s shape" % (name, cname), d.shape == (J.shape[1],) and w.shape == (T,))
            check("generic/%s/%s finite" % (name, cname), np.all(np.isfinite(d)) and np.all(np.isfinite(w)))
            if name != "db_mtl":
                check("generic/%s/%s d=J^T w" % (name, cname), close(d, J.T @ w, 1e-10, 1e-12), str((d, J.T @ w)))


def test_absent():
    """A NaN-loss task gets weight 0 and the others equal the method on the
    reduced problem (stateless methods, and fresh stateful ones)."""
    for cname, J, L in R.cases():
        if J.shape[0] != 3:
            continue
        for name in ["equal", "static", "rlw", "gls", "mgda", "pcgrad", "cagrad", "imtl_g", "nash_mtl",
                     "aligned_mtl", "upgrad", "fairgrad", "uncertainty", "gradnorm", "famo", "db_mtl", "dwa"]:
            for absent in range(3):
                keep = [t for t in range(3) if t != absent]
                J3, L3 = J.copy(), L.copy()
                J3[absent] = 0.0
                L3[absent] = np.nan
                ctx3 = std_ctx(3)
                ctx3["losses_after"] = 0.9 * L3
                ctx2 = {k: (v[keep] if isinstance(v, np.ndarray) else v) for k, v in ctx3.items()}
                ctx2["orders"] = None
                params = {"normalization": "loss+"} if name == "mgda" else None
                d3, w3 = run(name, J3, L3, params, ctx3)
                d2, w2 = run(name, J[keep], L[keep], params, ctx2)
                if name == "fairgrad" and not _fair_feasible(J[keep]):
                    continue  # fallback initial weights are 1/T with the constructed T
                check("absent/%s/%s/%d w" % (name, cname, absent),
                      w3[absent] == 0.0 and close(w3[keep], w2, 1e-9, 1e-12), str((w3, w2)))
                check("absent/%s/%s/%d d" % (name, cname, absent), close(d3, d2, 1e-9, 1e-12))


def _fair_feasible(J):
    nz = np.linalg.norm(J, axis=1) > 0
    Jk = J[nz]
    return not R._infeasible(Jk @ Jk.T, Jk)


def test_min_norm_solver():
    """min_norm_simplex is optimal: KKT (G lam)_t >= lam^T G lam, and no worse
    than SLSQP / 20000 random simplex points; 2-task closed form."""
    rng = np.random.RandomState(7)
    mats = [J for _, J, _ in R.cases()] + [rng.randn(4, 3) for _ in range(5)] + [rng.randn(4, 6) for _ in range(5)]
    for k, J in enumerate(mats):
        G = J @ J.T
        T = G.shape[0]
        lam = R.min_norm_simplex(G, J)
        val = lam @ G @ lam
        sc = np.max(np.diag(G))
        check("mn/%d simplex" % k, lam.min() >= -1e-14 and abs(lam.sum() - 1) < 1e-12)
        check("mn/%d kkt" % k, np.all(G @ lam >= val - 1e-10 * sc), str((G @ lam, val)))
        S = simplex_samples(T, 20000, k)
        check("mn/%d samples" % k, val <= np.min(np.einsum("ij,jk,ik->i", S, G, S)) + 1e-12 * sc)
        best = slsqp_simplex(lambda x: x @ G @ x, T, [np.full(T, 1.0 / T)] + list(S[:5]))
        check("mn/%d slsqp" % k, val <= best + 1e-10 * sc, str((val, best)))
        if T == 2:
            g1, g2 = J
            l1 = np.clip((g2 - g1) @ g2 / ((g1 - g2) @ (g1 - g2)), 0, 1) if np.any(g1 != g2) else 0.5
            check("mn/%d closed-form" % k, close(lam, [l1, 1 - l1], 1e-10, 1e-12), str((lam, l1)))
    # permutation invariance (exact solver, canonical tie-break)
    for cname, J, _ in R.cases():
        if J.shape[0] == 3:
            perm = [2, 0, 1]
            check("mn/%s permutation" % cname, close(R.min_norm_simplex(J[perm] @ J[perm].T, J[perm]),
                                                     R.min_norm_simplex(J @ J.T, J)[perm], 1e-10, 1e-13))
    # identical gradients: minimum-norm tie-break gives the uniform lam
    J, _ = case("identical_3")
    check("mn/identical uniform", close(R.min_norm_simplex(J @ J.T, J), np.full(3, 1 / 3)))
    check("mn/identical uniform (G only)", close(R.min_norm_simplex(J @ J.T), np.full(3, 1 / 3)))


def test_pcgrad():
    J, L = case("conflict120_2")
    m = R.make("pcgrad", 2)
    d, w = m.step(J, L, {"orders": [[0, 1], [1, 0]]})
    g1, g2 = J
    p1, p2 = m.last_projected
    check("pcgrad/projected . other >= 0", p1 @ g2 >= -1e-12 and p2 @ g1 >= -1e-12, str((p1 @ g2, p2 @ g1)))
    # closed form: g1' = g1 - (g1.g2)/|g2|^2 g2 ; g2' = g2 - (g2.g1)/|g1|^2 g1
    e1 = g1 - (g1 @ g2) / (g2 @ g2) * g2
    e2 = g2 - (g1 @ g2) / (g1 @ g1) * g1
    check("pcgrad/closed-form projections", close(p1, e1) and close(p2, e2))
    check("pcgrad/closed-form d,w", close(d, e1 + e2) and
          close(w, [1 - (g1 @ g2) / (g1 @ g1), 1 - (g1 @ g2) / (g2 @ g2)]))
    # hand numbers: g1=(1,0), g2=(-1,sqrt3): g1.g2=-1, |g2|^2=4 -> w = [1+1, 1+1/4]
    check("pcgrad/hand w", close(w, [2.0, 1.25]))
    # no conflict: d = sum g, w = 1
    for cname in ["orthogonal_2", "orthogonal_3"]:
        J, L = case(cname)
        d, w = run("pcgrad", J, L)
        check("pcgrad/no conflict %s" % cname, close(d, J.sum(0)) and close(w, np.ones(J.shape[0])))
    J = np.array([[1.0, 0.2, 0.0], [0.5, 1.0, 0.1], [0.1, 0.3, 2.0]])
    d, w = run("pcgrad", J, np.ones(3))
    check("pcgrad/no conflict positive", close(d, J.sum(0)) and close(w, np.ones(3)))
    # order matters with 3 tasks: hand-compute one projection sequence
    J, L = case("conflict120_3")
    orders = [[2, 1, 0], [0, 2, 1], [1, 0, 2]]
    m = R.make("pcgrad", 3)
    d, w = m.step(J, L, {"orders": orders})
    for i in range(3):
        g = J[i].copy()
        for j in orders[i]:
            if g @ J[j] < 0:
                g = g - (g @ J[j]) / (J[j] @ J[j]) * J[j]
        check("pcgrad/sequence %d" % i, close(m.last_projected[i], g))


def test_mgda():
    for cname, J, L in R.cases():
        for norm in ["none", "l2", "loss", "loss+"]:
            d, w = run("mgda", J, L, {"normalization": norm})
            nrm = np.linalg.norm(J, axis=1)
            nu = {"none": np.ones(len(L)), "l2": nrm, "loss": L, "loss+": L * nrm}[norm]
            nu = np.where(nu == 0, 1.0, nu)
            Jh = J / nu[:, None]
            lam = w * nu
            sc = np.max(np.sum(Jh * Jh, axis=1))
            check("mgda/%s/%s simplex" % (cname, norm), lam.min() >= -1e-14 and abs(lam.sum() - 1) < 1e-12)
            check("mgda/%s/%s optimality" % (cname, norm), np.all(Jh @ d >= d @ d - 1e-10 * sc), str(Jh @ d))
    for cname in ["conflict120_3", "zero_3"]:
        J, L = case(cname)
        d, w = run("mgda", J, L)
        check("mgda/%s zero in hull -> d=0" % cname, np.linalg.norm(d) <= 1e-12)
    # conflict120_2 by hand: g1=(1,0), g2=(-1,sqrt3): l1 = (g2-g1).g2/|g1-g2|^2 = 5/7
    J, L = case("conflict120_2")
    d, w = run("mgda", J, L)
    check("mgda/hand 120", close(w, [5 / 7, 2 / 7]))
    # orthogonal (2,0,0),(0,1,0): l = (1/4, 1/1)/(5/4) = (0.2, 0.8)
    J, L = case("orthogonal_2")
    check("mgda/hand orthogonal", close(run("mgda", J, L)[1], [0.2, 0.8]))


def test_upgrad():
    pd_cases = ["orthogonal_2", "orthogonal_3", "conflict120_2", "dominant_2", "dominant_3", "random_2", "random_3"]
    for cname in pd_cases:
        J, L = case(cname)
        d, w = run("upgrad", J, L, {"reg_eps": 0.0})
        check("upgrad/%s dual cone" % cname, np.all(J @ d >= -1e-12 * np.max(np.sum(J * J, 1))), str(J @ d))
    for cname, J, L in R.cases():
        T = J.shape[0]
        G = J @ J.T
        Gh = G / np.trace(G) + 1e-4 * np.eye(T)
        # each projection by SLSQP for comparison of the objective
        _, w = run("upgrad", J, L)
        # w = (1/T) sum u_i, recover nothing directly; check the QPs one by one
        for i in range(T):
            v = R._qp_nonneg(Gh, Gh[:, i].copy())
            u = v.copy()
            u[i] += 1
            mu = Gh @ u
            check("upgrad/%s/%d kkt" % (cname, i),
                  np.all(mu >= -1e-12) and np.all(np.abs(mu * v) <= 1e-12) and np.all(v >= 0))
            r = minimize(lambda x: x @ Gh @ x, np.ones(T) + 0.5, method="SLSQP",
                         bounds=[(1.0 if t == i else 0.0, None) for t in range(T)],
                         options={"ftol": 1e-15, "maxiter": 500})
            check("upgrad/%s/%d slsqp" % (cname, i), u @ Gh @ u <= r.fun + 1e-10)
    for cname in ["orthogonal_2", "orthogonal_3"]:
        J, L = case(cname)
        for reg in [0.0, 1e-4]:
            d, w = run("upgrad", J, L, {"reg_eps": reg})
            check("upgrad/%s non-conflicting = mean (reg %g)" % (cname, reg), close(d, J.mean(0)))
    J = np.array([[1.0, 0.2, 0.0], [0.5, 1.0, 0.1], [0.1, 0.3, 2.0]])
    check("upgrad/positive = mean", close(run("upgrad", J, np.ones(3), {"reg_eps": 0.0})[0], J.mean(0)))
    # 2 conflicting tasks, reg 0, by hand: u1 = (1, -g12/g22)... projection of g1 onto g2's half-space
    J, L = case("conflict120_2")
    g1, g2 = J
    e = 0.5 * ((g1 - (g1 @ g2) / (g2 @ g2) * g2) + (g2 - (g1 @ g2) / (g1 @ g1) * g1))
    check("upgrad/hand 2 tasks", close(run("upgrad", J, L, {"reg_eps": 0.0})[0], e))


def _cagrad_F(J, c, lam):
    g0 = J.mean(0)
    x = J.T @ lam
    return g0 @ x + c * np.linalg.norm(g0) * np.linalg.norm(x)


def test_cagrad():
    for cname, J, L in R.cases():
        d, w = run("cagrad", J, L, {"c": 0.0})
        check("cagrad/%s c=0 mean" % cname, close(d, J.mean(0)) and close(w, np.full(len(L), 1 / len(L))))
    rng = np.random.RandomState(3)
    extra = [("rand43", rng.randn(4, 3), np.ones(4)), ("rand36", rng.randn(3, 6), np.ones(3))]
    for cname, J, L in R.cases() + extra:
        T = J.shape[0]
        g0 = J.mean(0)
        for c in [0.2, 0.5, 0.9, 1.5]:
            m = R.make("cagrad", T, {"c": c, "rescale": 0})
            d, w = m.step(J, L, {})
            lam = m.last_lambda
            F = _cagrad_F(J, c, lam)
            sc = np.max(np.sum(J * J, 1))
            S = simplex_samples(T, 20000, 11)
            Fs = np.array([_cagrad_F(J, c, s) for s in S])
            check("cagrad/%s/c=%g samples" % (cname, c), F <= Fs.min() + 1e-11 * sc, str((F, Fs.min())))
            best = slsqp_simplex(lambda x: _cagrad_F(J, c, x), T, [np.full(T, 1 / T)] + list(S[:6]))
            check("cagrad/%s/c=%g slsqp" % (cname, c), F <= best + 1e-9 * sc, str((F, best)))
            # primal (paper eq. 3): d maximises min_t g_t.d over the ball |d-g0| <= c|g0|
            r = c * np.linalg.norm(g0)
            if np.linalg.norm(d - g0) > 1e-14:
                check("cagrad/%s/c=%g on ball" % (cname, c), abs(np.linalg.norm(d - g0) - r) <= 1e-10 * max(r, 1e-300))
            if m.last_at_zero:
                # x* = 0 (0 in the hull): the brief's convention mu = 0 gives d = g0, which is a
                # primal maximiser only in some cases (degenerate: the paper's mu is 0/0 there)
                check("cagrad/%s/c=%g at zero -> g0" % (cname, c), close(d, g0))
                continue
            # complementary slackness: g_t.d equal (= min) on the support of lam
            gd = J @ d
            sup = lam > 1e-9
            check("cagrad/%s/c=%g slackness" % (cname, c), np.ptp(gd[sup]) <= 1e-10 * sc and
                  np.all(gd >= gd[sup].min() - 1e-10 * sc), str((gd, lam)))
            U = rng.randn(20000, J.shape[1])
            U = g0 + r * U / np.linalg.norm(U, axis=1)[:, None] * rng.uniform(0, 1, (20000, 1)) ** (1 / J.shape[1])
            check("cagrad/%s/c=%g primal" % (cname, c), np.min(J @ d) >= np.max(np.min(U @ J.T, axis=1)) - 1e-10 * sc)
    # rescale factors
    J, L = case("random_3")
    d0, w0 = run("cagrad", J, L, {"c": 0.5, "rescale": 0})
    check("cagrad/rescale1", close(run("cagrad", J, L, {"c": 0.5, "rescale": 1})[0], d0 / 1.25))
    check("cagrad/rescale2", close(run("cagrad", J, L, {"c": 0.5, "rescale": 2})[0], d0 / 1.5))
    # orthogonal equal-norm 2 tasks by hand: lam = (1/2,1/2) (symmetry), g_lam = g0, |g0| = 1/sqrt2,
    # mu = c|g0|/|g0| = c -> d = (1 + c) g0 / (1 + c^2)
    J = np.eye(2)
    check("cagrad/hand orthogonal", close(run("cagrad", J, np.ones(2))[0], 1.5 * J.mean(0) / 1.25))


def test_nash():
    for cname, J, L in R.cases():
        nz = np.linalg.norm(J, axis=1) > 0
        Jk = J[nz]
        G = Jk @ Jk.T
        m = R.make("nash_mtl", len(L), {"max_norm": 0.0})
        d, w = m.step(J, L, {})
        if not m.last_feasible:
            check("nash/%s infeasible fallback = ones" % cname, close(w[nz], np.ones(nz.sum())))
            continue
        a = w[nz]
        check("nash/%s a (G a) = 1" % cname, close(a * (G @ a), np.ones(len(a)), 1e-12, 1e-12), str(a * (G @ a)))
        check("nash/%s zero tasks 0" % cname, np.all(w[~nz] == 0))
        for k in [10.0, 0.01]:
            _, wk = run("nash_mtl", k * J, L, {"max_norm": 0.0})
            check("nash/%s scale %g" % (cname, k), close(wk, w / k, 1e-11, 0))
        d1, w1 = run("nash_mtl", J, L)
        nd = np.linalg.norm(d)
        check("nash/%s |d|^2 = K" % cname, abs(nd ** 2 - nz.sum()) < 1e-10 * nz.sum())
        check("nash/%s clip" % cname, close(d1, d / nd) and close(w1, w / nd) if nd > 1 else close(d1, d))
    # orthogonal by hand: a_t = 1/|g_t|
    J, L = case("orthogonal_3")
    check("nash/hand orthogonal", close(run("nash_mtl", J, L, {"max_norm": 0})[1], [1.0, 0.5, 2.0]))
    # 120 deg, |g1|=1, |g2|=2, g1.g2=-1: a1(a1 - a2) = 1, a2(4 a2 - a1) = 1 -> a1 = 2 a2,
    # a = (sqrt2, 1/sqrt2); ||d||^2 = a^T G a = 2 -> clipped (max_norm 1): a/sqrt2 = (1, 1/2)
    J, L = case("conflict120_2")
    check("nash/hand 120", close(run("nash_mtl", J, L, {"max_norm": 0})[1], [math.sqrt(2), 1 / math.sqrt(2)]))
    check("nash/hand 120 clipped", close(run("nash_mtl", J, L)[1], [1.0, 0.5]))
    # infeasible after a feasible step keeps the previous alpha
    m = R.make("nash_mtl", 3, {"max_norm": 0})
    J1, L1 = case("random_3")
    _, wa = m.step(J1, L1, {})
    J2, L2 = case("conflict120_3")
    _, wb = m.step(J2, L2, {})
    check("nash/fallback previous", m.last_feasible is False and close(wa, wb))


def test_fairgrad():
    for cname, J, L in R.cases():
        nz = np.linalg.norm(J, axis=1) > 0
        Jk = J[nz]
        G = Jk @ Jk.T
        m = R.make("fairgrad", len(L))
        d, w = m.step(J, L, {})
        if not m.last_feasible:
            check("fairgrad/%s infeasible fallback 1/T" % cname, close(w[nz], np.full(nz.sum(), 1 / len(L))))
            continue
        dn, wn = run("nash_mtl", J, L, {"max_norm": 0.0})
        check("fairgrad/%s alpha=1 equals nash" % cname, close(w, wn, 1e-11, 1e-13))
        for al in [0.5, 2.0, 5.0]:
            _, wa = run("fairgrad", J, L, {"alpha": al})
            x = wa[nz]
            check("fairgrad/%s alpha=%g Gw = w^-1/a" % (cname, al),
                  close((G @ x) * x ** (1 / al), np.ones(len(x)), 1e-12, 1e-12))
    # orthogonal by hand: |g|^2 w = w^(-1/a) -> w = |g|^(-2a/(a+1)); a=2: |g|^(-4/3)
    J, L = case("orthogonal_3")
    check("fairgrad/hand orthogonal", close(run("fairgrad", J, L, {"alpha": 2.0})[1],
                                            np.array([1.0, 2.0, 0.5]) ** (-4 / 3)))


def test_imtl():
    for cname, J, L in R.cases():
        if cname == "identical_3":
            continue
        d, w = run("imtl_g", J, L)
        nz = np.linalg.norm(J, axis=1) > 0
        U = J[nz] / np.linalg.norm(J[nz], axis=1)[:, None]
        p = U @ d
        check("imtl/%s equal projections" % cname, np.max(p) - np.min(p) <= 1e-12 * max(1, np.abs(p).max()), str(p))
        check("imtl/%s sum alpha = 1" % cname, abs(w.sum() - 1) < 1e-12 and np.all(w[~nz] == 0))
    # orthogonal by hand: d.u_t = a_t |g_t| equal, sum a = 1 -> a_t ∝ 1/|g_t|
    J, L = case("orthogonal_3")
    check("imtl/hand orthogonal", close(run("imtl_g", J, L)[1], np.array([1, 0.5, 2]) / 3.5))
    J, L = case("identical_3")
    check("imtl/identical -> e_1", close(run("imtl_g", J, L)[1], [1, 0, 0]))


def test_aligned():
    # orthogonal, equal norm: B = I, w = 1, d = sum g
    J = np.array([[2.0, 0, 0, 0], [0, 0, 2.0, 0], [0, 0, 0, -2.0]])
    d, w = run("aligned_mtl", J, np.ones(3))
    check("aligned/orthogonal equal norm", close(w, np.ones(3)) and close(d, J.sum(0)))
    # orthogonal unequal norms (2,1): B = diag(1/2, 1) -> w = (1/2, 1)
    J, L = case("orthogonal_2")
    check("aligned/hand orthogonal", close(run("aligned_mtl", J, L)[1], [0.5, 1.0]))
    # property: rows of B J are orthogonal with equal norm sqrt(l_min) (full rank)
    for cname in ["conflict120_2", "dominant_2", "dominant_3", "random_2", "random_3", "orthogonal_3"]:
        J, L = case(cname)
        G = J @ J.T
        lam, V = np.linalg.eigh(G)
        B = math.sqrt(lam.min()) * (V * lam ** -0.5) @ V.T
        _, w = run("aligned_mtl", J, L)
        check("aligned/%s w = B 1" % cname, close(w, B.sum(1)))
        BJ = B @ J
        check("aligned/%s aligned rows" % cname, close(BJ @ BJ.T, lam.min() * np.eye(len(L)), 1e-9, 1e-12 * lam.max()))


def test_gls():
    for cname, J, L in R.cases():
        _, w = run("gls", J, L)
        T = len(L)
        gm = lambda x: np.prod(x) ** (1.0 / T)  # noqa: E731
        fd = np.zeros(T)
        for t in range(T):
            h = 1e-6 * L[t]
            e = np.zeros(T)
            e[t] = h
            fd[t] = (gm(L + e) - gm(L - e)) / (2 * h)
        check("gls/%s finite differences" % cname, close(w, fd, 1e-8, 0), str((w, fd)))


def test_rlw_static_equal():
    z = np.array([0.3, -1.2, 0.7])
    J, L = case("random_3")
    _, w = run("rlw", J, L, None, {"z": z})
    e = np.exp(z)
    check("rlw/softmax", close(w, e / e.sum()) and abs(w.sum() - 1) < 1e-15)
    _, w = run("static", J, L, None, {"user_weights": np.array([0.5, 2.0, 1.5])})
    check("static", close(w, [0.5, 2.0, 1.5]))
    check("equal", close(run("equal", J, L)[1], np.ones(3)))


def test_uncertainty():
    J = np.array([[1.0, 0.0], [0.0, 1.0]])
    m = R.make("uncertainty", 2)
    # step 1, lr from ctx = 0.1, L = (2, 0.5), s = -0.5: w = 1/(2 e^-0.5) = e^0.5/2
    d, w = m.step(J, np.array([2.0, 0.5]), {"lr": 0.1})
    w0 = 0.8243606353500641
    check("uw/step1 w", close(w, [w0, w0]))
    g1 = -2.0 * w0 + 0.5            # = -1.1487212707001282
    g2 = -0.5 * w0 + 0.5            # =  0.08781968232496795
    # Adam step 1: m_hat = g, v_hat = g^2 -> s -= lr g / (|g| + 1e-8)
    s1 = -0.5 - 0.1 * g1 / (abs(g1) + 1e-8)
    s2 = -0.5 - 0.1 * g2 / (abs(g2) + 1e-8)
    check("uw/step1 s", close(m.log_var, [s1, s2], 1e-13, 0), str((m.log_var, s1, s2)))
    check("uw/step1 s numbers", close(m.log_var, [-0.4000000008705, -0.5999999886131], 0, 1e-12))
    # step 2: task 2 absent, L1 = 1, lr 0.1
    d, w = m.step(J, np.array([1.0, np.nan]), {"lr": 0.1})
    wa = 0.5 * math.exp(-s1)
    check("uw/step2 w", close(w, [wa, 0.0]))
    g1b = -1.0 * wa + 0.5
    mm = 0.9 * (0.1 * g1) + 0.1 * g1b
    vv = 0.999 * (0.001 * g1 * g1) + 0.001 * g1b * g1b
    s1b = s1 - 0.1 * (mm / (1 - 0.9 ** 2)) / (math.sqrt(vv / (1 - 0.999 ** 2)) + 1e-8)
    check("uw/step2 s", close(m.log_var, [s1b, s2], 1e-13, 0))
    # step 3: task 2 present again: its own 2nd Adam step (counter not advanced by step 2), lr param 0.05
    m.p["lr"] = 0.05
    d, w = m.step(J, np.array([1.0, 0.5]), {"lr": 0.1})
    g2b = -0.5 * 0.5 * math.exp(-s2) + 0.5
    mm2 = 0.9 * (0.1 * g2) + 0.1 * g2b
    vv2 = 0.999 * (0.001 * g2 * g2) + 0.001 * g2b * g2b
    s2b = s2 - 0.05 * (mm2 / (1 - 0.9 ** 2)) / (math.sqrt(vv2 / (1 - 0.999 ** 2)) + 1e-8)
    check("uw/step3 per-task counter", abs(m.log_var[1] - s2b) < 1e-13)


def test_famo():
    J = np.array([[1.0, 0.0], [0.0, 1.0]])
    m = R.make("famo", 2)
    L = np.array([1.0, 2.0])
    La = np.array([0.5, 1.5])
    d, w = m.step(J, L, {"losses_after": La})
    D1, D2 = 1.0 + 1e-8, 2.0 + 1e-8
    # z = (1/2, 1/2); c = (1/D1 + 1/D2)/2; w_t = z_t/(c D_t) -> w = (D2, D1)/(D1 + D2) ~ (2/3, 1/3)
    check("famo/step1 w", close(w, [D2 / (D1 + D2), D1 / (D1 + D2)]) and close(w, [2 / 3, 1 / 3], 1e-7))
    dl1 = math.log(D1) - math.log(0.5 + 1e-8)   # ~ log 2
    dl2 = math.log(D2) - math.log(1.5 + 1e-8)   # ~ log 4/3
    g = (dl1 - dl2) / 4.0                       # z1 (d1 - z.d) = (d1 - d2)/4 ; grad2 = -g
    xi1 = -0.025 * g / (abs(g) + 1e-8)          # first Adam step, weight decay * 0 = 0
    check("famo/step1 logits", close(m.logits, [xi1, -xi1], 1e-13, 0) and close(m.logits, [-0.025, 0.025], 1e-6))
    # step 2
    L = np.array([0.8, 1.0])
    La = np.array([0.7, 0.9])
    d, w = m.step(J, L, {"losses_after": La})
    z1 = 1.0 / (1.0 + math.exp(-xi1 - xi1))
    z = np.array([z1, 1 - z1])
    D = L + 1e-8
    c = np.sum(z / D)
    check("famo/step2 w", close(w, z / (c * D)))
    dl = np.log(D) - np.log(La + 1e-8)
    gr = z * (dl - z @ dl)
    xi = np.array([xi1, -xi1])
    gg = gr + 0.001 * xi
    g0 = np.array([g, -g])
    mm = 0.9 * 0.1 * g0 + 0.1 * gg
    vv = 0.999 * 0.001 * g0 ** 2 + 0.001 * gg ** 2
    xi2 = xi - 0.025 * (mm / 0.19) / (np.sqrt(vv / (1 - 0.999 ** 2)) + 1e-8)
    check("famo/step2 logits", close(m.logits, xi2, 1e-12, 0))


def test_dwa():
    J = np.eye(2)
    L = np.array([1.0, 1.0])
    m = R.make("dwa", 2)
    check("dwa/epoch1", close(m.step(J, L, {})[1], [1, 1]))
    m.end_epoch(np.array([2.0, 1.0]))
    check("dwa/epoch2", close(m.step(J, L, {})[1], [1, 1]))
    m.end_epoch(np.array([1.0, 0.9]))
    # r = (0.5, 0.9); w = 2 softmax(r/2) -> w1 = 2/(1+e^0.2)
    check("dwa/epoch3", close(m.step(J, L, {})[1], [0.9003320053750442, 1.0996679946249558]))
    check("dwa/epoch3 constant", close(m.step(J, 2 * L, {})[1], [0.9003320053750442, 1.0996679946249558]))
    m.end_epoch(np.array([0.5, 0.9]))
    # r = (0.5, 1.0) -> w1 = 2/(1+e^0.25)
    check("dwa/epoch4", close(m.step(J, L, {})[1], [2 / (1 + math.exp(0.25)), 2 / (1 + math.exp(-0.25))]))
    check("dwa/epoch4 absent", close(m.step(J, np.array([np.nan, 1.0]), {})[1], [0, 1]))


def test_gradnorm():
    J = np.array([[3.0, 0.0], [0.0, 1.0]])
    m = R.make("gradnorm", 2)
    d, w = m.step(J, np.array([1.0, 2.0]), {})
    check("gradnorm/step1 w,d", close(w, [1, 1]) and close(d, [3, 1]))
    # G = (3,1), Gbar = 2, r = (1,1), target = (2,2): w = (1-0.025*3, 1+0.025*1) = (0.925, 1.025) -> *2/1.95
    w1 = np.array([0.925, 1.025]) * 2 / 1.95
    check("gradnorm/step1 update", close(m.weights, w1) and close(m.weights, [0.9487179487179487, 1.0512820512820513]))
    d, w = m.step(J, np.array([0.5, 1.8]), {})
    check("gradnorm/step2 w", close(w, w1) and close(d, [3 * w1[0], w1[1]]))
    # Ltilde = (0.5, 0.9), r = (5/7, 9/7); G = (3 w1, w1'), target = Gbar r^1.5:
    # target1 = 1.1764 < G1 = 2.846 (sign +), target2 = 2.841 > G2 = 1.051 (sign -)
    Gt = np.array([3 * w1[0], w1[1]])
    tgt = Gt.mean() * np.array([5 / 7, 9 / 7]) ** 1.5
    check("gradnorm/step2 signs", Gt[0] > tgt[0] and Gt[1] < tgt[1])
    w2 = np.array([w1[0] - 0.075, w1[1] + 0.025])
    w2 = w2 * 2 / w2.sum()
    check("gradnorm/step2 update", close(m.weights, w2))
    # clipping at 1e-3
    m = R.make("gradnorm", 2, {"lr": 1.0})
    m.step(J, np.array([1.0, 2.0]), {})
    check("gradnorm/clip", close(m.weights, np.array([1e-3, 2.0]) * 2 / 2.001))


def test_dbmtl():
    m = R.make("db_mtl", 2)
    J = np.array([[1.0, 0.0], [0.0, 2.0]])
    L = np.array([0.5, 2.0])
    d, w = m.step(J, L, {})
    h = J / (L + 1e-8)[:, None]
    b = 0.1 * h                     # k = 1: buffer = h + 0.9 (0 - h)
    nb = np.linalg.norm(b, axis=1)
    a = nb.max() / (nb + 1e-8)
    check("dbmtl/step1 d", close(d, b.T @ a) and close(d, [0.2, 0.2], 1e-6))
    check("dbmtl/step1 w", close(w, a / (L + 1e-8)) and close(w, [2.0, 1.0], 1e-6))
    check("dbmtl/step1 d = (1-beta) J^T w", close(d, 0.1 * J.T @ w))
    J2 = np.array([[0.0, 1.0], [1.0, 1.0]])
    L2 = np.array([1.0, 1.0])
    d, w = m.step(J2, L2, {})
    bk = 0.9 / math.sqrt(2.0)
    h2 = J2 / (L2 + 1e-8)[:, None]
    b2 = h2 + bk * (b - h2)
    nb = np.linalg.norm(b2, axis=1)
    a = nb.max() / (nb + 1e-8)
    check("dbmtl/step2", close(d, b2.T @ a) and close(w, a / (L2 + 1e-8)))


def main():
    tests = [test_generic, test_absent, test_min_norm_solver, test_pcgrad, test_mgda, test_upgrad, test_cagrad,
             test_nash, test_fairgrad, test_imtl, test_aligned, test_gls, test_rlw_static_equal,
             test_uncertainty, test_famo, test_dwa, test_gradnorm, test_dbmtl]
    for t in tests:
        before = len(FAILS)
        try:
            t()
        except Exception:
            FAILS.append("%s raised:\n%s" % (t.__name__, traceback.format_exc()))
        print("%-24s %s" % (t.__name__, "ok" if len(FAILS) == before else "FAIL (%d)" % (len(FAILS) - before)))
    print("%d checks, %d failures" % (NCHECK[0], len(FAILS)))
    for f in FAILS:
        print("  FAIL:", f)
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
