// DB-MTL (Lin et al. 2023). Loss scales balanced by logs: h_t = ∇log(L_t + ε) = g_t/(L_t + ε).
// Gradient magnitudes balanced: a moving average m_t ← h_t + β_k(m_t − h_t), β_k = β/k^σ at step
// k, and d = Σ_t a_t m_t with a_t = max_i ‖m_i‖/(‖m_t‖ + ε) (ε = 1e-8). d is not a combination
// of this step's gradients; the reported weights are a_t/(L_t + ε), exact on the first step
// only up to the (1 − β) of the average.
#include "balancing/methods.h"

#include <array>
#include <cmath>

namespace mtl::core::balancing {
namespace {

constexpr double kEpsilon = 1e-8;

class DbMtl final : public BalancingStrategy {
public:
    DbMtl(const BalancingSettings& settings, int tasks, Index sharedSize)
        : m_beta(settings.value("beta")), m_sigma(settings.value("beta_sigma")),
          m_average(Matrix::Zero(tasks, sharedSize)) {}

    void combine(const BalancingInput& in, SmallVector& weights) override {
        weights = SmallVector::Zero(Index(in.tasks.size())); // writeDirection gives the weights
    }

    bool writesDirection() const override { return true; }

    void writeDirection(const BalancingInput& in, const Matrix& jacobian,
                        std::span<float> direction, SmallVector& weights) override {
        ++m_step;
        const Index n = Index(in.tasks.size());
        const auto beta = float(m_beta / std::pow(double(m_step), m_sigma));
        SmallVector norms(n);
        for (Index k = 0; k < n; ++k) {
            const int t = in.tasks[std::size_t(k)];
            const auto inverseLoss = float(1.0 / ((*in.losses)(k) + kEpsilon));
            auto average = m_average.row(t);
            // m ← h + β(m − h) = βm + (1 − β)h
            average = beta * average + ((1.0f - beta) * inverseLoss) * jacobian.row(t);
            norms(k) = double(average.norm());
        }
        const double largest = norms.maxCoeff();
        Eigen::Map<RowVector> d(direction.data(), Index(direction.size()));
        d.setZero();
        weights.resize(n);
        for (Index k = 0; k < n; ++k) {
            const double scale = largest / (norms(k) + kEpsilon);
            d += float(scale) * m_average.row(in.tasks[std::size_t(k)]);
            weights(k) = scale / ((*in.losses)(k) + kEpsilon);
        }
    }

private:
    double m_beta, m_sigma;
    Matrix m_average; // [tasks, shared]
    long m_step = 0;
};

} // namespace

std::unique_ptr<BalancingStrategy> makeDbMtl(const BalancingSettings& settings, int tasks,
                                             Index sharedSize) {
    return std::make_unique<DbMtl>(settings, tasks, sharedSize);
}

} // namespace mtl::core::balancing
