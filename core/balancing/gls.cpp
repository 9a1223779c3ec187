// Geometric loss strategy (Chennupati et al. 2019): the step minimises (Π_t L_t)^(1/T), whose
// gradient is Σ_t w_t ∇L_t with w_t = GLS/(T·L_t) (losses floored at 1e-8).
#include "balancing/methods.h"

#include <cmath>

namespace mtl::core::balancing {
namespace {

class Gls final : public BalancingStrategy {
public:
    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        weights = in.losses->cwiseMax(1e-8);
        const double geometricMean = std::exp(weights.array().log().mean());
        weights = (geometricMean / double(n)) * weights.cwiseInverse();
    }
};

} // namespace

std::unique_ptr<BalancingStrategy> makeGls() {
    return std::make_unique<Gls>();
}

} // namespace mtl::core::balancing
