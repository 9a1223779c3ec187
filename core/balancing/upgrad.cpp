// UPGrad (Quinton & Rey 2024, TorchJD's defaults): Ĝ = G/trace(G) (0 when the trace is below
// norm_eps) + reg_eps·I; for each task i, u_i = argmin_{u ≥ e_i} uᵀĜu — Jᵀu_i is g_i projected
// onto the dual cone {x : Jx ≥ 0} — and w = (1/T) Σ_i u_i. Writing u = e_i + v, v ≥ 0:
// minimise ½vᵀĜv + (Ĝe_i)ᵀv.
#include "balancing/methods.h"

#include "balancing/solvers.h"

namespace mtl::core::balancing {
namespace {

class UpGrad final : public BalancingStrategy {
public:
    explicit UpGrad(const BalancingSettings& settings)
        : m_normEps(settings.value("norm_eps")), m_regEps(settings.value("reg_eps")) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        const double trace = in.gram->trace();
        SmallMatrix g = trace < m_normEps ? SmallMatrix::Zero(n, n) : SmallMatrix(*in.gram / trace);
        g.diagonal().array() += m_regEps;
        weights = SmallVector::Zero(n);
        for (Index i = 0; i < n; ++i) {
            weights += nonnegativeQp(g, g.col(i));
            weights(i) += 1.0;
        }
        weights /= double(n);
    }

private:
    double m_normEps, m_regEps;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeUpGrad(const BalancingSettings& settings) {
    return std::make_unique<UpGrad>(settings);
}

} // namespace mtl::core::balancing
