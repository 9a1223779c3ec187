// IMTL-G (Liu et al. 2021), the gradient part: with u_t = g_t/‖g_t‖, find d = Σ α_t g_t (Σα = 1)
// whose projections on every u_t are equal: α_{2..K} = g_1Uᵀ(DUᵀ)⁻¹ with rows D_t = g_1 − g_t,
// U_t = u_1 − u_t, α_1 = 1 − Σ_{t≥2} α_t. All from G: (g_a − g_b)·(u_c − u_e) expands into
// G_ij/n_j. Tasks with a zero gradient get weight 0; a singular DUᵀ is solved in the least-squares
// sense.
#include "balancing/methods.h"
#include "balancing/solvers.h"

#include <Eigen/SVD>

#include <array>
#include <cmath>

namespace mtl::core::balancing {
namespace {

class ImtlG final : public BalancingStrategy {
public:
    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        const SmallMatrix& g = *in.gram;
        weights = SmallVector::Zero(n);
        const NonZeroTasks nonZero = nonZeroTasks(g);
        const auto& p = nonZero.index; // tasks with a gradient
        const Index m = nonZero.count;
        if (m == 0)
            return;
        auto norm = [&](Index a) { return std::sqrt(g(p[std::size_t(a)], p[std::size_t(a)])); };
        auto dotGU = [&](Index a, Index b) {
            return g(p[std::size_t(a)], p[std::size_t(b)]) / norm(b);
        };                            // g_a·u_b
        SmallMatrix du(m - 1, m - 1); // (g_1 − g_a)·(u_1 − u_b)
        SmallVector gu(m - 1);        // g_1·(u_1 − u_b)
        for (Index a = 1; a < m; ++a) {
            gu(a - 1) = dotGU(0, 0) - dotGU(0, a);
            for (Index b = 1; b < m; ++b) {
                du(a - 1, b - 1) = dotGU(0, 0) - dotGU(0, b) - dotGU(a, 0) + dotGU(a, b);
            }
        }
        SmallVector alpha = SmallVector::Zero(m);
        if (m > 1) {
            // α_{2..K} (DUᵀ) = g_1Uᵀ, i.e. (DUᵀ)ᵀ α = (g_1Uᵀ)ᵀ.
            Eigen::JacobiSVD<SmallMatrix> svd(du.transpose(),
                                              Eigen::ComputeFullU | Eigen::ComputeFullV);
            svd.setThreshold(1e-12);
            alpha.tail(m - 1) = svd.solve(gu);
        }
        alpha(0) = 1.0 - alpha.tail(m - 1).sum();
        for (Index a = 0; a < m; ++a)
            weights(p[std::size_t(a)]) = alpha(a);
    }
};

} // namespace

std::unique_ptr<BalancingStrategy> makeImtlG() {
    return std::make_unique<ImtlG>();
}

} // namespace mtl::core::balancing
