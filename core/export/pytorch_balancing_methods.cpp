// The methods' part of balancing.py (pytorch_balancing_script.cpp writes the head: the table,
// parsing, make()). One class per core/balancing/*.cpp file, same arithmetic in the same order.
#include "export/pytorch_export.h"

namespace mtl::core {

const char* pytorchBalancingMethodsScript() {
    return R"PY(

def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


class _Adam:
    """Adam on a few values, PyTorch's form with bias correction, one step count per value (an
    absent task's moments stand still)."""

    def __init__(self, size):
        self.m, self.v, self.steps = np.zeros(size), np.zeros(size), np.zeros(size)

    def update(self, i, gradient, lr, x):
        """x[i] −= lr · m̂/(√v̂ + ε)."""
        self.steps[i] += 1.0
        self.m[i] = 0.9 * self.m[i] + 0.1 * gradient
        self.v[i] = 0.999 * self.v[i] + (1.0 - 0.999) * gradient * gradient
        m_hat = self.m[i] / (1.0 - 0.9 ** self.steps[i])
        v_hat = self.v[i] / (1.0 - 0.999 ** self.steps[i])
        x[i] -= lr * m_hat / (math.sqrt(v_hat) + 1e-8)


class Method:
    """combine() gives the weights [T'] of the present tasks (`tasks`: their indices; `losses`
    [T']; `gram` [T', T'] for gradient methods; `user_weights` [T]; `lr`: this step's learning
    rate). PCGrad and RLW draw from self.rng unless given `orders` (per task, the task indices
    in projection order) or `draws` (per task, the normal draw), as the app's balancing_probe
    prints them."""

    needs_losses_after_step = False  # FAMO: after_step(losses_after [T], NaN where absent)
    writes_direction = False         # DB-MTL: direction() instead of combine()
    restarts = ""                    # state the app learned that starts afresh here

    def __init__(self, choice, tasks):
        self.choice, self.tasks, self.rng = choice, tasks, None
        self.family = choice.info["family"]
        self.title = choice.title

    def after_step(self, losses_after):
        pass

    def end_epoch(self, mean_losses):
        """DWA: each task's mean training loss over the epoch (NaN: none)."""


class Static(Method):
    def combine(self, tasks, losses, gram=None, user_weights=None, **_):
        equal = self.choice.name == "equal"
        return np.array([1.0 if equal else float(user_weights[t]) for t in tasks])


class Uncertainty(Method):
    """w_t = 1/(2e^{s_t}) with s_t = log σ_t², learned by Adam on ∂/∂s_t = −L_t/(2e^{s_t}) + ½."""

    def __init__(self, choice, tasks):
        super().__init__(choice, tasks)
        self.log_variance = np.full(tasks, choice["init"])
        self.adam = _Adam(tasks)
        self.restarts = f"log σ² starts again from init = {choice['init']:g} (the trained σ is not exported)"

    def combine(self, tasks, losses, lr=0.0, **_):
        lr = self.choice["lr"] if self.choice["lr"] > 0.0 else lr
        weights = np.zeros(len(tasks))
        for k, t in enumerate(tasks):
            precision = math.exp(-self.log_variance[t])
            weights[k] = 0.5 * precision  # this step's weight uses s before its update
            self.adam.update(t, -0.5 * losses[k] * precision + 0.5, lr, self.log_variance)
        return weights


class Dwa(Method):
    """w = T'·softmax(r/temperature), r_t = L̄_t(e−1)/L̄_t(e−2) (1 before two epochs)."""

    def __init__(self, choice, tasks):
        super().__init__(choice, tasks)
        self.last, self.before, self.epochs = np.zeros(tasks), np.zeros(tasks), np.zeros(tasks)
        self.restarts = "the epochs' mean losses start afresh (the first two epochs weigh 1)"

    def combine(self, tasks, losses, **_):
        ratio = np.array([self.last[t] / self.before[t] if self.epochs[t] >= 2 else 1.0 for t in tasks])
        return len(tasks) * _softmax(ratio / self.choice["temperature"])

    def end_epoch(self, mean_losses):
        for t, value in enumerate(mean_losses):
            if not math.isnan(value):
                self.before[t], self.last[t] = self.last[t], value
                self.epochs[t] += 1.0


class Rlw(Method):
    """w = softmax(z), z ~ N(0, I)."""

    def combine(self, tasks, losses, draws=None, **_):
        z = np.array([draws[t] for t in tasks]) if draws is not None else self.rng.standard_normal(len(tasks))
        return _softmax(z)


class Gls(Method):
    """The gradient of (Π L_t)^(1/T'): w_t = GLS/(T'·L_t), losses floored at 1e-8."""

    def combine(self, tasks, losses, **_):
        floored = np.maximum(np.asarray(losses, dtype=np.float64), 1e-8)
        return math.exp(np.log(floored).mean()) / len(tasks) / floored


class Famo(Method):
    """z = softmax(ξ), w_t = z_t/(c·(L_t + ε)), c = Σ z_t/(L_t + ε); after the step ξ moves by Adam
    along z_i(δ_i − Σ_j z_j δ_j) + γξ, δ_t = log(L_t + ε) − log(L'_t + ε)."""

    needs_losses_after_step = True

    def __init__(self, choice, tasks):
        super().__init__(choice, tasks)
        self.logits, self.adam = np.zeros(tasks), _Adam(tasks)
        self.present, self.z, self.losses_before = [], np.zeros(0), np.zeros(0)
        self.restarts = "the weight logits start again from 0"

    def combine(self, tasks, losses, **_):
        self.present = list(tasks)
        self.z = _softmax(self.logits[self.present])
        self.losses_before = np.asarray(losses, dtype=np.float64)
        d = self.losses_before + 1e-8
        c = (self.z / d).sum()
        return self.z / (c * d)

    def after_step(self, losses_after):
        delta = np.array([math.log(before + 1e-8) - math.log(losses_after[t] + 1e-8)
                          if math.isfinite(losses_after[t]) else 0.0
                          for before, t in zip(self.losses_before, self.present)])
        mean = self.z @ delta
        for k, t in enumerate(self.present):
            gradient = self.z[k] * (delta[k] - mean) + self.choice["gamma"] * self.logits[t]
            self.adam.update(t, gradient, self.choice["lr"], self.logits)


class GradNorm(Method):
    """G_t = w_t‖g_t‖ towards Ḡ·r_t^α: w_t −= lr·sign(G_t − target_t)·‖g_t‖, floored at 1e-3,
    rescaled to sum T'; the step uses the weights before their update."""

    def __init__(self, choice, tasks):
        super().__init__(choice, tasks)
        self.weights, self.initial_loss = np.ones(tasks), np.full(tasks, -1.0)
        self.restarts = "the weights start again from 1 and the first losses are this run's"

    def combine(self, tasks, losses, gram, **_):
        for k, t in enumerate(tasks):
            if self.initial_loss[t] < 0.0:
                self.initial_loss[t] = losses[k]
        weights = self.weights[tasks].copy()
        norms = np.sqrt(np.maximum(0.0, np.diag(gram)))
        relative = np.array([losses[k] / self.initial_loss[t] for k, t in enumerate(tasks)])
        scaled = weights * norms
        mean_norm, mean_relative = scaled.mean(), relative.mean()
        total = 0.0
        for k, t in enumerate(tasks):
            target = mean_norm * (relative[k] / mean_relative) ** self.choice["alpha"]
            sign = 1.0 if scaled[k] > target else -1.0 if scaled[k] < target else 0.0
            self.weights[t] = max(1e-3, self.weights[t] - self.choice["lr"] * sign * norms[k])
            total += self.weights[t]
        self.weights[tasks] *= len(tasks) / total
        return weights


class Mgda(Method):
    """λ = the min-norm point of the hull of ĝ_t = g_t/ν_t (ν: 1, ‖g_t‖, L_t or L_t‖g_t‖; 0 → 1);
    w_t = λ_t/ν_t."""

    def combine(self, tasks, losses, gram, **_):
        mode = int(self.choice["normalization"])
        nu = np.ones(len(tasks))
        for k in range(len(tasks)):
            norm = math.sqrt(max(0.0, gram[k, k]))
            nu[k] = [1.0, norm, losses[k], losses[k] * norm][mode]
            if not (nu[k] != 0.0 and math.isfinite(nu[k])):
                nu[k] = 1.0
        inverse = 1.0 / nu
        return min_norm_on_simplex(inverse[:, None] * gram * inverse[None, :])[0] * inverse


class PcGrad(Method):
    """For each task i, g_i^PC loses its component along every g_j (in a random order) it
    conflicts with; d = Σ_i g_i^PC, kept as coefficients over the original gradients."""

    def combine(self, tasks, losses, gram, orders=None, **_):
        n = len(tasks)
        if orders is not None:
            position = {t: k for k, t in enumerate(tasks)}
            order = [[position[t] for t in orders[task]] for task in tasks]
        else:
            order = [self.rng.permutation(n) for _ in range(n)]
        c = np.eye(n)  # row i: g_i^PC = Σ_k c_ik g_k
        for i in range(n):
            for j in order[i]:
                if gram[j, j] <= 0.0:
                    continue
                dot = c[i] @ gram[:, j]  # g_i^PC · g_j
                if dot < 0.0:
                    c[i, j] -= dot / gram[j, j]
        return c.sum(axis=0)


class CaGrad(Method):
    """λ = argmin_Δ λᵀG𝟙/T + c‖g0‖·‖g_λ‖, μ = c‖g0‖/‖g_λ‖ (0 when g_λ = 0),
    w = (1/T + μλ)/s, s = 1 (rescale none), 1 + c² or 1 + c."""

    def combine(self, tasks, losses, gram, **_):
        n, c = len(tasks), self.choice["c"]
        b = gram.sum(axis=1) / n  # g_t · g0
        radius = c * math.sqrt(max(0.0, b.sum() / n))
        lam, norm = cagrad_weights(gram, b, radius)
        mu = radius / norm if norm > 0.0 else 0.0
        scale = [1.0, 1.0 + c * c, 1.0 + c][int(self.choice["rescale"])]
        return (1.0 / n + mu * lam) / scale


class ImtlG(Method):
    """d = Σ α_t g_t (Σα = 1) with equal projections on the unit gradients: α_{2..K} solves
    (DUᵀ)ᵀα = (g_1Uᵀ)ᵀ (least squares when singular); zero gradients get 0."""

    def combine(self, tasks, losses, gram, **_):
        weights = np.zeros(len(tasks))
        p = [k for k in range(len(tasks)) if gram[k, k] > 0.0]
        if not p:
            return weights
        g = gram[np.ix_(p, p)]
        norm = np.sqrt(np.diag(g))
        gu = g / norm[None, :]  # gu[a, b] = g_a · u_b
        m = len(p)
        alpha = np.zeros(m)
        if m > 1:
            du = np.array([[gu[0, 0] - gu[0, b] - gu[a, 0] + gu[a, b] for b in range(1, m)] for a in range(1, m)])
            rhs = np.array([gu[0, 0] - gu[0, a] for a in range(1, m)])
            alpha[1:] = np.linalg.lstsq(du.T, rhs, rcond=1e-12)[0]
        alpha[0] = 1.0 - alpha[1:].sum()
        weights[p] = alpha
        return weights


class _FairWeights:
    """Nash-MTL's and FairGrad's (Gw)_t = w_t^(−1/α) over the nonzero gradients; the previous
    solution when there is none."""

    def __init__(self, tasks, initial):
        self.previous = np.full(tasks, initial)

    def solve(self, tasks, gram, alpha):
        weights = np.zeros(len(tasks))
        p = [k for k in range(len(tasks)) if gram[k, k] > 0.0]
        if not p:
            return weights
        w = fair_weights(gram[np.ix_(p, p)], alpha)
        for a, k in enumerate(p):
            if w is not None:
                self.previous[tasks[k]] = w[a]
            weights[k] = self.previous[tasks[k]]
        return weights


class NashMtl(Method):
    def __init__(self, choice, tasks):
        super().__init__(choice, tasks)
        self.state = _FairWeights(tasks, 1.0)
        self.restarts = "the fallback weights (for a step no direction improves every task in) start again from 1"

    def combine(self, tasks, losses, gram, **_):
        weights = self.state.solve(tasks, gram, 1.0)
        norm = math.sqrt(max(0.0, weights @ gram @ weights))  # ‖d‖, clipped to max_norm
        if self.choice["max_norm"] > 0.0 and norm > self.choice["max_norm"]:
            weights = weights * (self.choice["max_norm"] / norm)
        return weights


class FairGrad(Method):
    def __init__(self, choice, tasks):
        super().__init__(choice, tasks)
        self.state = _FairWeights(tasks, 1.0 / tasks)
        self.restarts = "the fallback weights (for a step no direction improves every task in) start again from 1/T"

    def combine(self, tasks, losses, gram, **_):
        return self.state.solve(tasks, gram, self.choice["alpha"])


class AlignedMtl(Method):
    """w = B𝟙, B = √λ_min·VΛ^(−1/2)Vᵀ over the eigenvalues above λ_max·T'·ε_float32."""

    def combine(self, tasks, losses, gram, **_):
        n = len(tasks)
        values, vectors = np.linalg.eigh(gram)  # ascending
        tolerance = values.max() * n * 1.1920929e-07
        above = values[values > tolerance]
        smallest = above[0] if above.size else 0.0
        if not smallest > 0.0:
            return np.ones(n)
        weights = np.zeros(n)
        for i in range(n):
            if values[i] > tolerance:
                weights += vectors[:, i] * (math.sqrt(smallest / values[i]) * vectors[:, i].sum())
        return weights


class UpGrad(Method):
    """Ĝ = G/trace (0 below norm_eps) + reg_eps·I; w = (1/T') Σ_i (e_i + argmin_{v≥0} ½vᵀĜv + (Ĝe_i)ᵀv)."""

    def combine(self, tasks, losses, gram, **_):
        n = len(tasks)
        trace = np.trace(gram)
        g = np.zeros((n, n)) if trace < self.choice["norm_eps"] else gram / trace
        g = g + self.choice["reg_eps"] * np.eye(n)
        weights = np.zeros(n)
        for i in range(n):
            weights += nonnegative_qp(g, g[:, i])
            weights[i] += 1.0
        return weights / n


class DbMtl(Method):
    """m_t ← β_k m_t + (1 − β_k) g_t/(L_t + ε), β_k = β/k^σ; d = Σ_t a_t m_t with
    a_t = max_i ‖m_i‖/(‖m_t‖ + ε). Float32 like the app; reported weights a_t/(L_t + ε)."""

    writes_direction = True

    def __init__(self, choice, tasks):
        super().__init__(choice, tasks)
        self.average, self.step = None, 0
        self.restarts = "the gradients' moving averages start afresh"

    def direction(self, tasks, losses, jacobian):
        """d [shared] and the weights [T'] from J [T', shared] (a float32 tensor)."""
        self.step += 1
        if self.average is None:
            self.average = torch.zeros((self.tasks, jacobian.shape[1]), dtype=torch.float32, device=jacobian.device)
        beta = float(np.float32(self.choice["beta"] / self.step ** self.choice["beta_sigma"]))
        norms = np.zeros(len(tasks))
        for k, t in enumerate(tasks):
            inverse_loss = float(np.float32(1.0 / (losses[k] + 1e-8)))
            scale = float(np.float32(1.0 - beta) * np.float32(inverse_loss))
            self.average[t] = beta * self.average[t] + scale * jacobian[k]
            norms[k] = float(torch.linalg.norm(self.average[t]))
        largest = norms.max()
        d = torch.zeros(jacobian.shape[1], dtype=torch.float32, device=jacobian.device)
        weights = np.zeros(len(tasks))
        for k, t in enumerate(tasks):
            scale = largest / (norms[k] + 1e-8)
            d += float(np.float32(scale)) * self.average[t]
            weights[k] = scale / (losses[k] + 1e-8)
        return d, weights


_CLASSES = {"static": Static, "equal": Static, "uncertainty": Uncertainty, "dwa": Dwa, "rlw": Rlw, "gls": Gls,
            "famo": Famo, "gradnorm": GradNorm, "mgda": Mgda, "pcgrad": PcGrad, "cagrad": CaGrad,
            "imtl_g": ImtlG, "nash_mtl": NashMtl, "aligned_mtl": AlignedMtl, "upgrad": UpGrad,
            "fairgrad": FairGrad, "db_mtl": DbMtl}
)PY";
}

} // namespace mtl::core
