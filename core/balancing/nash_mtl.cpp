// Nash-MTL (Navon et al. 2022): the bargaining solution α > 0 with α_t·(Gα)_t = 1, solved exactly
// (the official code runs a few convex-concave iterations towards it); d = Σ α_t g_t, then scaled
// down to max_norm when longer (the official clip of the shared gradient).
#include "balancing/fair_weights.h"
#include "balancing/methods.h"

#include <cmath>

namespace mtl::core::balancing {
namespace {

class NashMtl final : public BalancingStrategy {
public:
    NashMtl(const BalancingSettings& settings, int tasks)
        : m_state(tasks, 1.0), m_maxNorm(settings.value("max_norm")) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        m_state.solve(in, 1.0, weights);
        const double norm = std::sqrt(std::max(0.0, weights.dot(*in.gram * weights))); // ‖d‖
        if (m_maxNorm > 0.0 && norm > m_maxNorm)
            weights *= m_maxNorm / norm;
    }

private:
    FairWeightsState m_state;
    double m_maxNorm;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeNashMtl(const BalancingSettings& settings, int tasks) {
    return std::make_unique<NashMtl>(settings, tasks);
}

} // namespace mtl::core::balancing
