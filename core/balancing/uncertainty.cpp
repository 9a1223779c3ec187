// Uncertainty weighting (Kendall, Gal & Cipolla 2018), in LibMTL's form for every task: the step
// minimises Σ_t L_t/(2e^{s_t}) + s_t/2 with s_t = log σ_t² learned by its own Adam, so the
// weights are w_t = 1/(2e^{s_t}) and ∂/∂s_t = −L_t/(2e^{s_t}) + 1/2.
#include "balancing/methods.h"

#include <cmath>

namespace mtl::core::balancing {
namespace {

class Uncertainty final : public BalancingStrategy {
public:
    Uncertainty(const BalancingSettings& settings, int tasks)
        : m_logVariance(SmallVector::Constant(tasks, settings.value("init"))), m_adam(tasks),
          m_lr(settings.value("lr")) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        weights.resize(n);
        const double lr = m_lr > 0.0 ? m_lr : double(in.learningRate);
        for (Index k = 0; k < n; ++k) {
            double& s = m_logVariance(in.tasks[std::size_t(k)]);
            const double precision = std::exp(-s);
            weights(k) = 0.5 * precision; // the weights of this step use s before its update
            m_adam.update(in.tasks[std::size_t(k)], -0.5 * (*in.losses)(k)*precision + 0.5, lr, s);
        }
    }

    std::string stateName() const override { return "sigma"; }
    void state(std::span<float> perTask) const override {
        for (std::size_t t = 0; t < perTask.size(); ++t)
            perTask[t] = float(std::exp(0.5 * m_logVariance(Index(t))));
    }

private:
    SmallVector m_logVariance;
    SmallAdam m_adam;
    double m_lr;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeUncertainty(const BalancingSettings& settings, int tasks) {
    return std::make_unique<Uncertainty>(settings, tasks);
}

} // namespace mtl::core::balancing
