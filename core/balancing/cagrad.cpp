// CAGrad (Liu et al. 2021): g0 = mean gradient, φ = c²‖g0‖²; λ = argmin_{λ∈Δ} λᵀG𝟙/T + √φ·‖g_λ‖
// with g_λ = Σ λ_t g_t; μ = √φ/‖g_λ‖ (0 when g_λ = 0); d = (g0 + μ g_λ)/s, s = 1 + c² (rescale
// 1, LibMTL's default), 1 + c (2) or 1 (0). So w_t = (1/T + μλ_t)/s; c = 0 gives the mean.
#include "balancing/methods.h"

#include "balancing/solvers.h"

#include <cmath>

namespace mtl::core::balancing {
namespace {

class CaGrad final : public BalancingStrategy {
public:
    explicit CaGrad(const BalancingSettings& settings)
        : m_c(settings.value("c")), m_rescale(int(settings.value("rescale"))) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        const SmallMatrix& g = *in.gram;
        const SmallVector b = g.rowwise().sum() / double(n); // g_t · g0
        const double meanNorm = std::sqrt(std::max(0.0, b.sum() / double(n)));
        const double radius = m_c * meanNorm;
        double norm = 0.0;
        const SmallVector lambda = cagradWeights(g, b, radius, norm);
        const double mu = norm > 0.0 ? radius / norm : 0.0;
        const double scale = m_rescale == 1 ? 1.0 + m_c * m_c : m_rescale == 2 ? 1.0 + m_c : 1.0;
        weights = ((SmallVector::Constant(n, 1.0 / double(n)) + mu * lambda) / scale).eval();
    }

private:
    double m_c;
    int m_rescale;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeCaGrad(const BalancingSettings& settings) {
    return std::make_unique<CaGrad>(settings);
}

} // namespace mtl::core::balancing
