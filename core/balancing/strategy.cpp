#include "balancing/strategy.h"

#include "balancing/methods.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace mtl::core {

std::unique_ptr<BalancingStrategy> makeBalancingStrategy(const BalancingSettings& settings,
                                                         int tasks, Index sharedSize) {
    checkBalancing(settings);
    using namespace balancing;
    switch (settings.kind) {
    case BalancingKind::Static:
        return makeStaticWeights(false);
    case BalancingKind::Equal:
        return makeStaticWeights(true);
    case BalancingKind::Uncertainty:
        return makeUncertainty(settings, tasks);
    case BalancingKind::Dwa:
        return makeDwa(settings, tasks);
    case BalancingKind::Rlw:
        return makeRlw();
    case BalancingKind::Gls:
        return makeGls();
    case BalancingKind::Famo:
        return makeFamo(settings, tasks);
    case BalancingKind::GradNorm:
        return makeGradNorm(settings, tasks);
    case BalancingKind::Mgda:
    case BalancingKind::MgdaUb:
        return makeMgda(settings);
    case BalancingKind::PcGrad:
        return makePcGrad();
    case BalancingKind::CaGrad:
        return makeCaGrad(settings);
    case BalancingKind::ImtlG:
        return makeImtlG();
    case BalancingKind::NashMtl:
        return makeNashMtl(settings, tasks);
    case BalancingKind::AlignedMtl:
        return makeAlignedMtl();
    case BalancingKind::UpGrad:
        return makeUpGrad(settings);
    case BalancingKind::FairGrad:
        return makeFairGrad(settings, tasks);
    case BalancingKind::DbMtl:
        return makeDbMtl(settings, tasks, sharedSize);
    }
    return makeStaticWeights(false);
}

namespace balancing {

void SmallAdam::update(Index i, double gradient, double lr, double& x) {
    constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;
    steps(i) += 1.0;
    m(i) = kBeta1 * m(i) + (1.0 - kBeta1) * gradient;
    v(i) = kBeta2 * v(i) + (1.0 - kBeta2) * gradient * gradient;
    const double mHat = m(i) / (1.0 - std::pow(kBeta1, steps(i)));
    const double vHat = v(i) / (1.0 - std::pow(kBeta2, steps(i)));
    x -= lr * mHat / (std::sqrt(vHat) + kEpsilon);
}

void pcgradOrders(Rng& rng, Index tasks,
                  std::array<std::array<int, kMaxTasks>, kMaxTasks>& orders) {
    for (Index i = 0; i < tasks; ++i) {
        auto& order = orders[std::size_t(i)];
        std::iota(order.begin(), order.begin() + tasks, 0);
        std::shuffle(order.begin(), order.begin() + tasks, rng);
    }
}

void rlwDraws(Rng& rng, Index tasks, SmallVector& draws) {
    std::normal_distribution<double> normal(0.0, 1.0);
    draws.resize(tasks);
    for (Index i = 0; i < tasks; ++i)
        draws(i) = normal(rng);
}

} // namespace balancing
} // namespace mtl::core
