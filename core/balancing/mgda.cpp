// MGDA (Sener & Koltun 2018): each gradient divided by a normaliser ν_t (none: 1, l2: ‖g_t‖,
// loss: L_t, loss+: L_t‖g_t‖; a zero normaliser counts as 1), then λ = the min-norm point of the
// convex hull of the ĝ_t, d = Σ λ_t ĝ_t, so w_t = λ_t/ν_t. MGDA-UB is the same on the gradients
// of the shared representation.
#include "balancing/methods.h"

#include "balancing/solvers.h"

#include <cmath>

namespace mtl::core::balancing {
namespace {

class Mgda final : public BalancingStrategy {
public:
    explicit Mgda(const BalancingSettings& settings)
        : m_normalization(int(settings.value("normalization"))) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        const SmallMatrix& g = *in.gram;
        SmallVector nu(n);
        for (Index k = 0; k < n; ++k) {
            const double norm = std::sqrt(std::max(0.0, g(k, k)));
            const double loss = (*in.losses)(k);
            nu(k) = m_normalization == 1   ? norm
                    : m_normalization == 2 ? loss
                    : m_normalization == 3 ? loss * norm
                                           : 1.0;
            if (!(nu(k) != 0.0) || !std::isfinite(nu(k)))
                nu(k) = 1.0;
        }
        const SmallVector inverse = nu.cwiseInverse();
        const SmallMatrix normalised = inverse.asDiagonal() * g * inverse.asDiagonal();
        weights = minNormOnSimplex(normalised).cwiseProduct(inverse);
    }

private:
    int m_normalization;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeMgda(const BalancingSettings& settings) {
    return std::make_unique<Mgda>(settings);
}

} // namespace mtl::core::balancing
