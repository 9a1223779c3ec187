// GradNorm (Chen et al. 2018) on the shared gradients. Learnable weights w (start 1); with
// n_t = ‖g_t‖, G_t = w_t·n_t, Ḡ = mean G_t, L̃_t = L_t/L_t(0) (L_t(0): the task's first loss),
// r_t = L̃_t/mean L̃, the target Ḡ·r_t^α is held constant and w descends Σ_t |G_t − target_t|:
// w_t ← w_t − lr·sign(G_t − target_t)·n_t, floored at 1e-3, then rescaled to sum to T. The step
// uses the weights before their update.
#include "balancing/methods.h"

#include <cmath>

namespace mtl::core::balancing {
namespace {

class GradNorm final : public BalancingStrategy {
public:
    GradNorm(const BalancingSettings& settings, int tasks)
        : m_weights(SmallVector::Ones(tasks)), m_initialLoss(SmallVector::Constant(tasks, -1.0)),
          m_alpha(settings.value("alpha")), m_lr(settings.value("lr")) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        const SmallMatrix& g = *in.gram;
        SmallVector norms(n), relative(n);
        weights.resize(n);
        for (Index k = 0; k < n; ++k) {
            const int t = in.tasks[std::size_t(k)];
            if (m_initialLoss(t) < 0.0)
                m_initialLoss(t) = (*in.losses)(k);
            weights(k) = m_weights(t);
            norms(k) = std::sqrt(std::max(0.0, g(k, k)));
            relative(k) = (*in.losses)(k) / m_initialLoss(t);
        }
        const SmallVector scaled = weights.cwiseProduct(norms); // G_t
        const double meanNorm = scaled.mean();
        const double meanRelative = relative.mean();
        double sum = 0.0;
        for (Index k = 0; k < n; ++k) {
            const int t = in.tasks[std::size_t(k)];
            const double target = meanNorm * std::pow(relative(k) / meanRelative, m_alpha);
            const double sign = scaled(k) > target ? 1.0 : scaled(k) < target ? -1.0 : 0.0;
            m_weights(t) = std::max(1e-3, m_weights(t) - m_lr * sign * norms(k));
            sum += m_weights(t);
        }
        for (Index k = 0; k < n; ++k)
            m_weights(in.tasks[std::size_t(k)]) *= double(n) / sum;
    }

private:
    SmallVector m_weights, m_initialLoss;
    double m_alpha, m_lr;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeGradNorm(const BalancingSettings& settings, int tasks) {
    return std::make_unique<GradNorm>(settings, tasks);
}

} // namespace mtl::core::balancing
