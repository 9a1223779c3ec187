#include "layers/dense.h"

#include "util/thread_shares.h"
#include "util/threads.h"

#include <cmath>

namespace mtl::core {

Dense::Dense(Shape input, int units, Init init)
    : Layer(input), m_in(input.size()), m_units(units), m_init(init) {}

Index Dense::parameterCount() const { return Index{m_in} * m_units + m_units; }

void Dense::markWeights(std::span<std::uint8_t> isWeight) const {
    const auto weights = static_cast<std::size_t>(m_in) * static_cast<std::size_t>(m_units);
    std::fill(isWeight.begin(), isWeight.begin() + static_cast<std::ptrdiff_t>(weights), 1);
    std::fill(isWeight.begin() + static_cast<std::ptrdiff_t>(weights), isWeight.end(), 0);
}

void Dense::initialize(std::span<float> params, Rng& rng) const {
    const auto weights = static_cast<std::size_t>(m_in) * static_cast<std::size_t>(m_units);
    if (m_init == Init::He) {
        // He et al. 2015: N(0, 2 / fan_in), for ReLU-family activations.
        std::normal_distribution<float> dist(0.0f, std::sqrt(2.0f / static_cast<float>(m_in)));
        for (std::size_t i = 0; i < weights; ++i) params[i] = dist(rng);
    } else {
        // Glorot & Bengio 2010: U(±sqrt(6 / (fan_in + fan_out))).
        const float limit = std::sqrt(6.0f / static_cast<float>(m_in + m_units));
        std::uniform_real_distribution<float> dist(-limit, limit);
        for (std::size_t i = 0; i < weights; ++i) params[i] = dist(rng);
    }
    for (std::size_t i = weights; i < params.size(); ++i) params[i] = 0.0f;
}

double Dense::multiplyAddsPerSample() const { return double(m_in) * double(m_units); }

void Dense::forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* /*state*/,
                    const ForwardContext& /*context*/) const {
    const ConstMatrixMap w(params, m_in, m_units);                   // W: [in, out]
    const ConstRowVectorMap b(params + Index{m_in} * m_units, m_units); // b: [out]
    const auto share = [&] {
        const ProductShare done = shareOfProduct(y, x, w, false);     // y = x W: [batch, out]
        const Share s = done.share;
        if (done.rows) y.middleRows(s.begin, s.size).rowwise() += b;
        else y.middleCols(s.begin, s.size).rowwise() += b.segment(s.begin, s.size);
    };
    runOnThreads(productThreads(double(x.rows()) * multiplyAddsPerSample()), share);
}

void Dense::backward(const float* params, ConstMatrixMap x, ConstMatrixMap /*y*/,
                     ConstMatrixMap dy, MatrixMap* dx, float* dParams,
                     LayerState* /*state*/) const {
    MatrixMap dw(dParams, m_in, m_units);
    RowVectorMap db(dParams + Index{m_in} * m_units, m_units);
    const ConstMatrixMap w(params, m_in, m_units);
    const auto share = [&] { // three results, no two threads writing the same floats
        shareOfProduct(dw, x.transpose(), dy, true);                  // dL/dW = xᵀ dy: [in, out]
        const Share units = threadShare(m_units);
        db.segment(units.begin, units.size) += dy.middleCols(units.begin, units.size).colwise().sum();
        if (dx != nullptr) shareOfProduct(*dx, dy, w.transpose(), true); // dL/dx = dy Wᵀ: [batch, in]
    };
    runOnThreads(productThreads(double(x.rows()) * multiplyAddsPerSample()), share);
}

} // namespace mtl::core
