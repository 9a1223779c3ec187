#pragma once
// What Nash-MTL and FairGrad share: solving (Gw)_t = w_t^(−1/α) over the tasks whose gradient is
// not zero, falling back to the previous step's weights when there is no solution (some convex
// combination of the gradients is zero: no step lowers every task).

#include "balancing/strategy.h"

namespace mtl::core::balancing {

class FairWeightsState {
public:
    FairWeightsState(int tasks, double initial)
        : m_previous(SmallVector::Constant(tasks, initial)) {}
    // Weights [T'] for the present tasks; zero-gradient tasks get 0.
    void solve(const BalancingInput& in, double alpha, SmallVector& weights);

private:
    SmallVector m_previous; // per task, the last solution
};

} // namespace mtl::core::balancing
