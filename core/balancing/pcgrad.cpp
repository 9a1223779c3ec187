// PCGrad (Yu et al. 2020), summed as LibMTL does. For each task i, g_i^PC starts as g_i; for j
// in a random order of all tasks, if g_i^PC·g_j < 0 it loses its component along g_j:
// g_i^PC ← g_i^PC − (g_i^PC·g_j)/‖g_j‖²·g_j (g_j the original gradient). d = Σ_i g_i^PC. Each
// g_i^PC is kept as coefficients over the original gradients, so the dot products come from G
// and the weights are the coefficients' column sums.
#include "balancing/methods.h"

namespace mtl::core::balancing {
namespace {

class PcGrad final : public BalancingStrategy {
public:
    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        const SmallMatrix& g = *in.gram;
        pcgradOrders(*in.rng, n, m_orders);
        SmallMatrix c = SmallMatrix::Identity(n, n); // row i: g_i^PC = Σ_k c_ik g_k
        for (Index i = 0; i < n; ++i) {
            for (Index step = 0; step < n; ++step) {
                const int j = m_orders[std::size_t(i)][std::size_t(step)];
                if (g(j, j) <= 0.0)
                    continue;
                const double dot = c.row(i).dot(g.col(j)); // g_i^PC · g_j
                if (dot < 0.0)
                    c(i, j) -= dot / g(j, j);
            }
        }
        weights = c.colwise().sum().transpose();
    }

private:
    std::array<std::array<int, kMaxTasks>, kMaxTasks> m_orders{};
};

} // namespace

std::unique_ptr<BalancingStrategy> makePcGrad() {
    return std::make_unique<PcGrad>();
}

} // namespace mtl::core::balancing
