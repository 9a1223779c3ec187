// FAMO (Liu et al. 2023). Weight logits ξ, z = softmax(ξ); the step minimises
// Σ_t z_t log(L_t + ε)/c with c = Σ_t z_t/(L_t + ε) held constant, so w_t = z_t/(c·(L_t + ε)).
// After the step, with δ_t = log(L_t + ε) − log(L'_t + ε) (L': the same batch's losses after
// the step), ξ moves by Adam along the vector-Jacobian product of softmax with δ,
// ∂_i = z_i(δ_i − Σ_j z_j δ_j), plus weight decay γξ. ε = 1e-8, minimum losses 0.
#include "balancing/methods.h"

#include <array>
#include <cmath>

namespace mtl::core::balancing {
namespace {

constexpr double kEpsilon = 1e-8;

class Famo final : public BalancingStrategy {
public:
    Famo(const BalancingSettings& settings, int tasks)
        : m_logits(SmallVector::Zero(tasks)), m_adam(tasks), m_lr(settings.value("lr")),
          m_gamma(settings.value("gamma")) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        m_present = n;
        SmallVector z(n);
        for (Index k = 0; k < n; ++k) {
            m_tasks[std::size_t(k)] = in.tasks[std::size_t(k)];
            z(k) = m_logits(in.tasks[std::size_t(k)]);
        }
        z = (z.array() - z.maxCoeff()).exp();
        z /= z.sum();
        m_z = z;
        m_lossesBefore = *in.losses;
        const SmallVector d = in.losses->array() + kEpsilon;
        const double c = (z.array() / d.array()).sum();
        weights = (z.array() / (c * d.array())).matrix();
    }

    bool needsLossesAfterStep() const override { return true; }

    void afterStep(std::span<const float> lossesAfter) override {
        SmallVector delta(m_present);
        for (Index k = 0; k < m_present; ++k) {
            const float after = lossesAfter[std::size_t(m_tasks[std::size_t(k)])];
            delta(k) = std::isfinite(after) ? std::log(m_lossesBefore(k) + kEpsilon) -
                                                  std::log(double(after) + kEpsilon)
                                            : 0.0;
        }
        const double mean = m_z.dot(delta);
        for (Index k = 0; k < m_present; ++k) {
            const int t = m_tasks[std::size_t(k)];
            const double gradient = m_z(k) * (delta(k) - mean) + m_gamma * m_logits(t);
            m_adam.update(t, gradient, m_lr, m_logits(t));
        }
    }

private:
    SmallVector m_logits;
    SmallAdam m_adam;
    double m_lr, m_gamma;
    SmallVector m_z, m_lossesBefore;
    std::array<int, kMaxTasks> m_tasks{};
    Index m_present = 0;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeFamo(const BalancingSettings& settings, int tasks) {
    return std::make_unique<Famo>(settings, tasks);
}

} // namespace mtl::core::balancing
