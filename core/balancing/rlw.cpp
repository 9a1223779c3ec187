// Random loss weighting (Lin et al. 2022): each step w = softmax(z), z ~ N(0, I).
#include "balancing/methods.h"

namespace mtl::core::balancing {
namespace {

class Rlw final : public BalancingStrategy {
public:
    void combine(const BalancingInput& in, SmallVector& weights) override {
        rlwDraws(*in.rng, Index(in.tasks.size()), weights);
        weights = (weights.array() - weights.maxCoeff()).exp();
        weights /= weights.sum();
    }
};

} // namespace

std::unique_ptr<BalancingStrategy> makeRlw() {
    return std::make_unique<Rlw>();
}

} // namespace mtl::core::balancing
