// Dynamic weight average (Liu, Johns & Davison 2019): with L̄_t(e) task t's mean training loss
// in epoch e, r_t = L̄_t(e−1)/L̄_t(e−2) and w = T·softmax(r/temperature), fixed within an epoch.
// A task with fewer than two epochs of losses has r_t = 1 (so the first two epochs weigh 1).
#include "balancing/methods.h"

#include <cmath>

namespace mtl::core::balancing {
namespace {

class Dwa final : public BalancingStrategy {
public:
    Dwa(const BalancingSettings& settings, int tasks)
        : m_temperature(settings.value("temperature")), m_last(SmallVector::Zero(tasks)),
          m_before(SmallVector::Zero(tasks)), m_epochs(SmallVector::Zero(tasks)) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        weights.resize(n);
        for (Index k = 0; k < n; ++k) {
            const int t = in.tasks[std::size_t(k)];
            const double ratio = m_epochs(t) >= 2 ? m_last(t) / m_before(t) : 1.0;
            weights(k) = ratio / m_temperature;
        }
        // T'·softmax, shifted by the largest for safety.
        weights = (weights.array() - weights.maxCoeff()).exp();
        weights *= double(n) / weights.sum();
    }

    void endEpoch(std::span<const double> meanLosses) override {
        for (std::size_t t = 0; t < meanLosses.size(); ++t) {
            if (std::isnan(meanLosses[t]))
                continue;
            m_before(Index(t)) = m_last(Index(t));
            m_last(Index(t)) = meanLosses[t];
            m_epochs(Index(t)) += 1.0;
        }
    }

private:
    double m_temperature;
    SmallVector m_last, m_before, m_epochs;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeDwa(const BalancingSettings& settings, int tasks) {
    return std::make_unique<Dwa>(settings, tasks);
}

} // namespace mtl::core::balancing
