# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of reference.py / reference_moe.py (the reference implementation of
the multi-task architectures and soft-sharing penalties).

Checks every backward/gradient against central finite differences, the special
cases in which an architecture reduces to a simpler one, the properties proved
in the papers, and the task relationships MTRL recovers on weights built with
known relationships.  float64, fixed seeds, small sizes.
Prints "ok: <what>" per passed check; exit status 0 = all passed, 1 = failure.

Run:  /usr/bin/python3 tests/architectures/reference_selftest.py
"""

import os
import sys
import traceback

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402

GRAD_TOL = 1e-7  # finite differences with h = 1e-6 agree to ~1e-9 here
PASSED = [0]
FAILS = []


def check(what, cond, detail=""):
    if cond:
        PASSED[0] += 1
        print("ok: " + what)
    else:
        FAILS.append(what)
        print("FAIL: %s %s" % (what, detail))


def grad_check(what, analytic, f, x, h=1e-6):
    """Compare an analytic gradient with numerical_gradient(f, x, h)."""
    err = R.gradient_error(analytic, R.numerical_gradient(f, x, h))
    check("%s matches finite differences (rel. err %.1e)" % (what, err),
          err < GRAD_TOL, "error %.3e > %.0e" % (err, GRAD_TOL))


def close(a, b, tol=1e-12):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


def dot_loss(outs, Rs):
    """L = sum_k <R_k, out_k>, so dL/d(out_k) = R_k."""
    return sum(float(np.sum(o * r)) for o, r in zip(outs, Rs))


# ---------------------------------------------------------------------------


def test_cross_stitch():
    rng = np.random.RandomState(1)
    T, B, F = 3, 4, 5
    X = rng.randn(T, B, F)
    A = rng.randn(T, T)
    dY = rng.randn(T, B, F)
    dX, dA = R.cross_stitch_backward(A, X, dY)
    loss = lambda _: float(np.sum(dY * R.cross_stitch_forward(A, X)))  # noqa: E731
    grad_check("cross-stitch dL/dx_t", dX, loss, X)
    grad_check("cross-stitch dL/dA", dA, loss, A)
    Y = R.cross_stitch_forward(A, X)
    check("cross-stitch y_s = sum_t A[s,t] x_t (list input, explicit sum)",
          close(R.cross_stitch_forward(A, list(X)), Y)
          and close(Y[1], sum(A[1, t] * X[t] for t in range(T))))
    check("cross-stitch with A = identity gives independent towers (y_t = x_t)",
          np.array_equal(R.cross_stitch_forward(np.eye(T), X), X))
    ok = True
    for T in range(1, 7):
        A0 = R.cross_stitch_init(T)
        z = 0.9 + 0.1 * (T - 1)
        expect = np.full((T, T), 0.1 / z)
        np.fill_diagonal(expect, 0.9 / z)
        ok = ok and close(A0.sum(axis=1), np.ones(T)) and close(A0, expect)
    check("cross-stitch initial matrix: rows sum to 1, A[s,s] = 0.9/(0.9+0.1(T-1)) "
          "(T = 1..6)", ok and close(R.cross_stitch_init(2), [[0.9, 0.1], [0.1, 0.9]]))


def mmoe_params(rng, D, d, E, T):
    return {"U": rng.randn(E, D, d), "c": rng.randn(E, d),
            "W": [rng.randn(D, E) for _ in range(T)], "b": [rng.randn(E) for _ in range(T)]}


def test_mmoe():
    rng = np.random.RandomState(2)
    B, D, d, E, T = 4, 3, 2, 3, 2
    x = rng.randn(B, D)
    F = rng.randn(E, B, d)
    gates = [(rng.randn(D, E), rng.randn(E)) for _ in range(T)]
    dH = [rng.randn(B, d) for _ in range(T)]
    g = R.mmoe_backward(x, F, gates, dH)
    loss = lambda _: dot_loss(R.mmoe_forward(x, F, gates), dH)  # noqa: E731
    grad_check("MMoE dL/d(expert outputs)", g["F"], loss, F)
    for t in range(T):
        grad_check("MMoE dL/dW_%d (gate weights)" % (t + 1), g["W"][t], loss, gates[t][0])
        grad_check("MMoE dL/db_%d (gate biases)" % (t + 1), g["b"][t], loss, gates[t][1])
    grad_check("MMoE dL/dx through the gates (experts given)", g["x"], loss, x)

    p = mmoe_params(rng, D, d, E, T)
    H, cache = R.mmoe_full_forward(x, p)
    g = R.mmoe_full_backward(p, cache, dH)
    loss = lambda _: dot_loss(R.mmoe_full_forward(x, p)[0], dH)  # noqa: E731
    grad_check("MMoE (dense+ReLU experts) dL/dU", g["U"], loss, p["U"])
    grad_check("MMoE (dense+ReLU experts) dL/dc", g["c"], loss, p["c"])
    for t in range(T):
        grad_check("MMoE (dense+ReLU experts) dL/dW_%d" % (t + 1), g["W"][t], loss, p["W"][t])
        grad_check("MMoE (dense+ReLU experts) dL/db_%d" % (t + 1), g["b"][t], loss, p["b"][t])
    grad_check("MMoE (dense+ReLU experts) dL/dx through gates and experts", g["x"], loss, x)

    fs = [(lambda U, c: (lambda z: np.maximum(z @ U + c, 0.0)))(p["U"][e], p["c"][e])
          for e in range(E)]
    Hc = R.mmoe_forward(x, fs, list(zip(p["W"], p["b"])))
    G0 = R.softmax(x @ p["W"][0] + p["b"][0])
    h0 = sum(G0[:, e:e + 1] * fs[e](x) for e in range(E))
    check("MMoE with callable experts equals the dense+ReLU version and the explicit sum",
          all(close(a, b) for a, b in zip(Hc, H)) and close(H[0], h0)
          and close(G0.sum(axis=1), np.ones(B)))

    p1 = mmoe_params(rng, D, d, 1, 3)
    H1, cache1 = R.mmoe_full_forward(x, p1)
    F1 = cache1[1][0]
    gates1 = [(rng.randn(D, 1) * 10, rng.randn(1) * 10) for _ in range(3)]
    check("MMoE with one expert equals hard sharing (h_t = that expert's output, any gates)",
          all(close(h, F1, 0.0) for h in H1)
          and all(close(h, F1, 0.0) for h in R.mmoe_forward(x, F1[None], gates1)))


def cgc_params(rng, Din, d, S, m, shared_gate=True):
    T = len(m)
    p = {"Us": rng.randn(S, Din, d), "cs": rng.randn(S, d),
         "Ut": [rng.randn(mk, Din, d) for mk in m], "ct": [rng.randn(mk, d) for mk in m],
         "W": [rng.randn(Din, mk + S) for mk in m], "b": [rng.randn(mk + S) for mk in m],
         "Ws": None, "bs": None}
    if shared_gate:
        p["Ws"], p["bs"] = rng.randn(Din, sum(m) + S), rng.randn(sum(m) + S)
    assert len(p["W"]) == T
    return p


def param_arrays(p):
    """(name, array) for every parameter array of a level (skipping empty ones)."""
    out = []
    for key in ("Us", "cs", "Ws", "bs"):
        if p.get(key) is not None:
            out.append((key, None, p[key]))
    for key in ("Ut", "ct", "W", "b"):
        for k, a in enumerate(p[key]):
            if a.size:
                out.append((key, k, a))
    return out


def test_cgc():
    rng = np.random.RandomState(3)
    B, Din, d, S, m = 3, 3, 2, 2, [1, 2]
    T = len(m)
    p = cgc_params(rng, Din, d, S, m)
    xt = [rng.randn(B, Din) for _ in range(T)]
    xs = rng.randn(B, Din)
    Rt = [rng.randn(B, d) for _ in range(T)]
    Rsh = rng.randn(B, d)

    def loss(_):
        outs, sh, _c = R.cgc_level_forward(xt, xs, p)
        return dot_loss(outs, Rt) + float(np.sum(sh * Rsh))

    _, _, cache = R.cgc_level_forward(xt, xs, p)
    g = R.cgc_level_backward(p, cache, Rt, Rsh)
    ok, worst = True, 0.0
    for key, k, a in param_arrays(p):
        an = g[key] if k is None else g[key][k]
        err = R.gradient_error(an, R.numerical_gradient(loss, a))
        worst = max(worst, err)
        ok = ok and err < GRAD_TOL
    check("CGC level: dL/d(every expert and gate parameter, shared gate included) "
          "matches finite differences (worst rel. err %.1e)" % worst, ok)
    for k in range(T):
        grad_check("CGC level dL/d(task %d input)" % (k + 1), g["task_inputs"][k], loss, xt[k])
    grad_check("CGC level dL/d(shared input)", g["shared_input"], loss, xs)

    x = rng.randn(B, Din)
    _, _, cache = R.cgc_forward(x, p)
    gx = R.cgc_backward(p, cache, Rt, Rsh)["x"]
    grad_check("CGC on one input dL/dx (all gates and experts)", gx,
               lambda _: dot_loss(R.cgc_forward(x, p)[0], Rt)
               + float(np.sum(R.cgc_forward(x, p)[1] * Rsh)), x)

    # Hand-written task 1 output: gate over [task 1's expert, shared experts].
    Fs = np.maximum(np.einsum("bi,eio->ebo", x, p["Us"]) + p["cs"][:, None], 0)
    F1 = np.maximum(np.einsum("bi,eio->ebo", x, p["Ut"][0]) + p["ct"][0][:, None], 0)
    G1 = R.softmax(x @ p["W"][0] + p["b"][0])
    h1 = G1[:, :1] * F1[0] + sum(G1[:, 1 + s:2 + s] * Fs[s] for s in range(S))
    check("CGC task gate mixes [own experts, shared experts] (explicit sum)",
          close(R.cgc_forward(x, p)[0][0], h1))

    # Two-level PLE stack.
    levels = [cgc_params(rng, Din, d, S, m), cgc_params(rng, d, d, S, m, shared_gate=False)]
    outs, caches = R.ple_forward(x, levels)
    t1, s1, _c = R.cgc_forward(x, levels[0])
    t2, _n, _c = R.cgc_level_forward(t1, s1, levels[1])
    check("PLE two levels: level 2 reads level 1's task and shared outputs",
          all(close(a, b) for a, b in zip(outs, t2)))
    grads, dx = R.ple_backward(levels, caches, Rt)
    ple_loss = lambda _: dot_loss(R.ple_forward(x, levels)[0], Rt)  # noqa: E731
    grad_check("PLE two levels dL/dx", dx, ple_loss, x)
    grad_check("PLE two levels dL/d(level-1 shared gate)", grads[0]["Ws"], ple_loss,
               levels[0]["Ws"])
    grad_check("PLE two levels dL/d(level-1 shared experts)", grads[0]["Us"], ple_loss,
               levels[0]["Us"])

    # No task-specific experts: CGC is MMoE over the shared experts.
    p0 = cgc_params(rng, Din, d, 3, [0, 0, 0], shared_gate=False)
    mm = {"U": p0["Us"], "c": p0["cs"], "W": p0["W"], "b": p0["b"]}
    H_m, cache_m = R.mmoe_full_forward(x, mm)
    Fsh = cache_m[1]
    H_c = R.cgc_forward(x, p0)[0]
    H_g = R.cgc_mixture_forward(x, Fsh, [Fsh[:0]] * 3, list(zip(p0["W"], p0["b"])))
    check("CGC with no task-specific experts equals MMoE over the shared experts",
          all(close(a, b) and close(a, c) for a, b, c in zip(H_m, H_c, H_g)))


def test_couplings():
    rng = np.random.RandomState(4)
    d, T, lam = 6, 4, 0.7
    W = rng.randn(d, T)
    grad_check("L2-to-mean coupling gradient 2 lam (w_t - wbar)", R.l2_to_mean(W, lam)[1],
               lambda _: R.l2_to_mean(W, lam)[0], W)
    wbar = W.mean(axis=1)
    check("L2-to-mean value = lam sum_t ||w_t - wbar||^2",
          close(R.l2_to_mean(W, lam)[0], lam * sum(np.sum((W[:, t] - wbar) ** 2)
                                                  for t in range(T))))
    grad_check("trace norm gradient lam U V^T (full rank)", R.trace_norm(W, lam)[1],
               lambda _: R.trace_norm(W, lam)[0], W)
    grad_check("smoothed trace norm gradient lam W (W^T W + eps I)^-1/2 (eps = 1e-3)",
               R.trace_norm_smooth(W, lam, 1e-3)[1],
               lambda _: R.trace_norm_smooth(W, lam, 1e-3)[0], W)
    # Rank 2: the exact norm is not differentiable there.  The eigenvalues near
    # eps carry round-off ~1e-16 ||W^T W|| / sqrt(eps), hence a larger step h.
    Wl = rng.randn(d, 2) @ rng.randn(2, T)
    grad_check("smoothed trace norm gradient at a rank-deficient W (eps = 1e-2)",
               R.trace_norm_smooth(Wl, lam, 1e-2)[1],
               lambda _: R.trace_norm_smooth(Wl, lam, 1e-2)[0], Wl, h=1e-5)
    M = rng.randn(T, T)
    Om = M @ M.T + 0.5 * np.eye(T)
    Om /= np.trace(Om)
    grad_check("MTRL gradient 2 lam W Omega^-1 (Omega fixed)", R.mtrl_penalty(W, Om, lam)[1],
               lambda _: R.mtrl_penalty(W, Om, lam)[0], W)
    # At Omega = Omega*(W) the fixed-Omega gradient is that of the minimum ||W||_*^2.
    Os = R.mtrl_omega(W)
    grad_check("MTRL gradient at the closed-form Omega = gradient of ||W||_*^2 (envelope)",
               R.mtrl_penalty(W, Os, 1.0)[1],
               lambda _: R.trace_norm(W, 1.0)[0] ** 2, W)

    check("MTRL with Omega = I/T equals lam T sum_t ||w_t||^2",
          close(R.mtrl_penalty(W, np.eye(T) / T, lam)[0], lam * T * np.sum(W * W)))
    Q, _ = np.linalg.qr(rng.randn(d, T))
    Wo = Q * np.array([0.5, 1.0, 2.0, 3.5])
    check("trace norm of orthogonal columns equals sum_t ||w_t||",
          close(R.trace_norm(Wo, lam)[0], lam * np.sum(np.linalg.norm(Wo, axis=0))))
    for name, Wx in (("full-rank", W), ("rank-2", Wl)):
        exact = R.trace_norm(Wx, lam)[0]
        gaps = [R.trace_norm_smooth(Wx, lam, e)[0] - exact for e in (1e-2, 1e-4, 1e-6)]
        bounds = [lam * T * np.sqrt(e) for e in (1e-2, 1e-4, 1e-6)]
        check("smoothed trace norm -> exact as eps = 1e-2, 1e-4, 1e-6 (%s W; gaps %s)"
              % (name, ", ".join("%.1e" % g for g in gaps)),
              all(-1e-12 <= g <= b + 1e-12 for g, b in zip(gaps, bounds))
              and gaps[0] > gaps[1] > gaps[2])


def random_trace_one_pd(rng, T):
    M = rng.randn(T, T) * rng.uniform(0.1, 3.0, size=T)
    O = M @ M.T + 1e-3 * np.eye(T)
    return O / np.trace(O)


def test_mtrl_properties():
    rng = np.random.RandomState(5)
    d, T = 8, 4
    W = rng.randn(d, T) * np.array([1.0, 0.3, 2.0, 0.7])
    W[:, 1] += 0.8 * W[:, 0]
    Os = R.mtrl_omega(W)
    best = R.mtrl_penalty(W, Os, 1.0)[0]
    vals = [R.mtrl_penalty(W, random_trace_one_pd(rng, T), 1.0)[0] for _ in range(200)]
    near = []
    for _ in range(200):
        P = rng.randn(T, T)
        O = Os + 1e-3 * (P + P.T)
        O /= np.trace(O)
        if np.linalg.eigvalsh(O).min() > 0:
            near.append(R.mtrl_penalty(W, O, 1.0)[0])
    check("closed-form Omega minimises tr(W Omega^-1 W^T) over PD, trace-1 Omega "
          "(200 random + %d nearby Omega; smallest margin %.1e)"
          % (len(near), min(vals + near) - best),
          min(vals + near) >= best * (1 - 1e-12) and len(near) > 150)
    nuc = np.linalg.svd(W, compute_uv=False).sum()
    check("the minimum equals (tr (W^T W)^1/2)^2 = ||W||_*^2",
          close(best, np.trace(R.sym_sqrt(W.T @ W)) ** 2, 1e-10)
          and close(best, nuc ** 2, 1e-10))
    ok = True
    Wl = rng.randn(d, 2) @ rng.randn(2, T)
    for Wx, eps in ((W, 0.0), (W, 1e-3), (Wl, 0.0), (Wl, 1e-3)):
        O = R.mtrl_omega(Wx, eps)
        ok = ok and np.array_equal(O, O.T) and close(np.trace(O), 1.0)
        ok = ok and np.linalg.eigvalsh(O).min() >= (-1e-12 if eps == 0 else 0.0)
    check("Omega from the update is symmetric, PSD (PD with eps > 0), trace 1 "
          "(full-rank and rank-2 W)", ok)
    Oe = R.mtrl_omega(W, 1e-3)
    R0 = R.sym_sqrt(W.T @ W + 1e-3 * np.eye(T))
    check("stabilised update = (W^T W + eps I)^1/2 / tr(...) and (W^T W)^1/2 "
          "squares back to W^T W",
          close(Oe, R0 / np.trace(R0)) and close(R0 @ R0, W.T @ W + 1e-3 * np.eye(T), 1e-10))


def test_mtrl_relationships():
    """Known relationships.  d = 200; z1, n2, n3, z4 i.i.d. N(0, I_d) (seed 6);
    w1 = z1, w2 = z1 + 0.1 n2 (nearly equal), w3 = -z1 + 0.1 n3 (nearly -w1),
    w4 = z4 (independent).  Omega = closed-form update of W = [w1 w2 w3 w4]."""
    rng = np.random.RandomState(6)
    d = 200
    z1, n2, n3, z4 = (rng.randn(d) for _ in range(4))
    W = np.stack([z1, z1 + 0.1 * n2, -z1 + 0.1 * n3, z4], axis=1)
    for eps in (0.0, 1e-4):
        C = R.correlation(R.mtrl_omega(W, eps))
        indep = max(abs(C[i, 3]) for i in range(3))
        check("MTRL Omega (eps = %g) on known relationships: corr(1,2) = %.2f > 0.8, "
              "corr(1,3) = %.2f < -0.8, max |corr(i,4)| = %.2f < 0.3"
              % (eps, C[0, 1], C[0, 2], indep),
              C[0, 1] > 0.8 and C[0, 2] < -0.8 and indep < 0.3 and C[1, 2] < -0.8)


def main():
    for test in (test_cross_stitch, test_mmoe, test_cgc, test_couplings,
                 test_mtrl_properties, test_mtrl_relationships):
        try:
            test()
        except Exception:  # a crash is a failure of that group, the others still run
            FAILS.append(test.__name__ + " raised")
            print("FAIL: %s raised:\n%s" % (test.__name__, traceback.format_exc()))
    if FAILS:
        print("%d of %d checks FAILED:" % (len(FAILS), len(FAILS) + PASSED[0]))
        for f in FAILS:
            print("  " + f)
        return 1
    print("all %d checks passed" % PASSED[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
