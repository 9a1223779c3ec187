#pragma once
// The balancing methods, one file each; makeBalancingStrategy (strategy.cpp) picks one.

#include "balancing/strategy.h"

namespace mtl::core::balancing {

std::unique_ptr<BalancingStrategy> makeStaticWeights(bool equal);
std::unique_ptr<BalancingStrategy> makeUncertainty(const BalancingSettings& settings, int tasks);
std::unique_ptr<BalancingStrategy> makeDwa(const BalancingSettings& settings, int tasks);
std::unique_ptr<BalancingStrategy> makeRlw();
std::unique_ptr<BalancingStrategy> makeGls();
std::unique_ptr<BalancingStrategy> makeFamo(const BalancingSettings& settings, int tasks);
std::unique_ptr<BalancingStrategy> makeGradNorm(const BalancingSettings& settings, int tasks);
std::unique_ptr<BalancingStrategy> makeMgda(const BalancingSettings& settings);
std::unique_ptr<BalancingStrategy> makePcGrad();
std::unique_ptr<BalancingStrategy> makeCaGrad(const BalancingSettings& settings);
std::unique_ptr<BalancingStrategy> makeImtlG();
std::unique_ptr<BalancingStrategy> makeNashMtl(const BalancingSettings& settings, int tasks);
std::unique_ptr<BalancingStrategy> makeAlignedMtl();
std::unique_ptr<BalancingStrategy> makeUpGrad(const BalancingSettings& settings);
std::unique_ptr<BalancingStrategy> makeFairGrad(const BalancingSettings& settings, int tasks);
std::unique_ptr<BalancingStrategy> makeDbMtl(const BalancingSettings& settings, int tasks,
                                             Index sharedSize);

// The permutations PCGrad projects in, one per task, drawn from rng (also for tests that need
// the same orders).
void pcgradOrders(Rng& rng, Index tasks, std::array<std::array<int, kMaxTasks>, kMaxTasks>& orders);
// RLW's normal draws, one per task.
void rlwDraws(Rng& rng, Index tasks, SmallVector& draws);

// Adam's update of a few values (the learnable weights of UW and FAMO), PyTorch's form with
// bias correction; each value keeps its own step count.
struct SmallAdam {
    explicit SmallAdam(int size)
        : m(SmallVector::Zero(size)), v(SmallVector::Zero(size)), steps(SmallVector::Zero(size)) {}
    // x_i -= lr · m̂/(√v̂ + ε) for one value.
    void update(Index i, double gradient, double lr, double& x);
    SmallVector m, v, steps;
};

} // namespace mtl::core::balancing
