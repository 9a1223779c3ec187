// Static weights (the user's, as set per task) and equal weights (every task 1).
#include "balancing/methods.h"

namespace mtl::core::balancing {
namespace {

class StaticWeights final : public BalancingStrategy {
public:
    explicit StaticWeights(bool equal) : m_equal(equal) {}
    void combine(const BalancingInput& in, SmallVector& weights) override {
        weights.resize(Index(in.tasks.size()));
        for (std::size_t k = 0; k < in.tasks.size(); ++k) {
            weights(Index(k)) = m_equal ? 1.0 : double(in.userWeights[std::size_t(in.tasks[k])]);
        }
    }

private:
    bool m_equal;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeStaticWeights(bool equal) {
    return std::make_unique<StaticWeights>(equal);
}

} // namespace mtl::core::balancing
