#include "balancing/fair_weights.h"

#include "balancing/solvers.h"

#include <array>

namespace mtl::core::balancing {

void FairWeightsState::solve(const BalancingInput& in, double alpha, SmallVector& weights) {
    const Index n = Index(in.tasks.size());
    weights = SmallVector::Zero(n);
    const NonZeroTasks p = nonZeroTasks(*in.gram);
    const Index m = p.count;
    if (m == 0)
        return;
    SmallVector w(m);
    const bool solved = fairWeights(p.gram, alpha, w);
    for (Index a = 0; a < m; ++a) {
        const int task = in.tasks[std::size_t(p.index[std::size_t(a)])];
        if (solved)
            m_previous(task) = w(a);
        weights(p.index[std::size_t(a)]) = m_previous(task);
    }
}

} // namespace mtl::core::balancing
