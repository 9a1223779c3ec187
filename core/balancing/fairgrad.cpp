// FairGrad (Ban & Ji 2024): α-fair weights, (Gw)_t = w_t^(−1/α), d = Σ w_t g_t; α = 1 gives
// Nash-MTL's weights without its clipping.
#include "balancing/fair_weights.h"
#include "balancing/methods.h"

namespace mtl::core::balancing {
namespace {

class FairGrad final : public BalancingStrategy {
public:
    FairGrad(const BalancingSettings& settings, int tasks)
        : m_state(tasks, 1.0 / double(tasks)), m_alpha(settings.value("alpha")) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        m_state.solve(in, m_alpha, weights);
    }

private:
    FairWeightsState m_state;
    double m_alpha;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeFairGrad(const BalancingSettings& settings, int tasks) {
    return std::make_unique<FairGrad>(settings, tasks);
}

} // namespace mtl::core::balancing
