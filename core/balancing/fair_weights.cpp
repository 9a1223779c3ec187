#include "balancing/fair_weights.h"

#include "balancing/solvers.h"

#include <array>

namespace mtl::core::balancing {

void FairWeightsState::solve(const BalancingInput& in, double alpha, SmallVector& weights) {
    const Index n = Index(in.tasks.size());
    const SmallMatrix& g = *in.gram;
    weights = SmallVector::Zero(n);
    std::array<Index, kMaxTasks> p{};
    Index m = 0;
    for (Index k = 0; k < n; ++k) {
        if (g(k, k) > 0.0)
            p[std::size_t(m++)] = k;
    }
    if (m == 0)
        return;
    SmallMatrix sub(m, m);
    for (Index a = 0; a < m; ++a) {
        for (Index b = 0; b < m; ++b)
            sub(a, b) = g(p[std::size_t(a)], p[std::size_t(b)]);
    }
    SmallVector w(m);
    const bool solved = fairWeights(sub, alpha, w);
    for (Index a = 0; a < m; ++a) {
        const int task = in.tasks[std::size_t(p[std::size_t(a)])];
        if (solved)
            m_previous(task) = w(a);
        weights(p[std::size_t(a)]) = m_previous(task);
    }
}

} // namespace mtl::core::balancing
