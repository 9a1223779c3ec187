#include "layers/activation.h"

#include "util/thread_shares.h"
#include "util/threads.h"

#include <cmath>
#include <numbers>

namespace mtl::core {
namespace {

// GELU (exact, as PyTorch's default): x · Φ(x), Φ the standard normal CDF.
float gelu(float x) { return 0.5f * x * (1.0f + std::erf(x * std::numbers::sqrt2_v<float> / 2)); }

// d/dx [x Φ(x)] = Φ(x) + x φ(x)
float geluDerivative(float x) {
    const float cdf = 0.5f * (1.0f + std::erf(x * std::numbers::sqrt2_v<float> / 2));
    const float pdf = std::exp(-0.5f * x * x) * std::numbers::inv_sqrtpi_v<float> /
                      std::numbers::sqrt2_v<float>;
    return cdf + x * pdf;
}

} // namespace

Activation::Activation(Shape input, ActivationKind kind, float slope)
    : Layer(input), m_kind(kind), m_slope(slope) {}

// Large batches are split by rows across threads.
void Activation::forward(const float* /*params*/, ConstMatrixMap x, MatrixMap y,
                         LayerState* /*state*/, const ForwardContext& /*context*/) const {
    runOnThreads(elementwiseThreads(double(x.size())), [&] {
        const Share rows = threadShare(x.rows());
        forwardRows(x.middleRows(rows.begin, rows.size), y.middleRows(rows.begin, rows.size));
    });
}

void Activation::backward(const float* /*params*/, ConstMatrixMap x, ConstMatrixMap y,
                          ConstMatrixMap dy, MatrixMap* dx, float* /*dParams*/,
                          LayerState* /*state*/) const {
    if (dx == nullptr) {
        return;
    }
    runOnThreads(elementwiseThreads(double(x.size())), [&] {
        const Share r = threadShare(x.rows());
        auto dxRows = dx->middleRows(r.begin, r.size);
        backwardRows(x.middleRows(r.begin, r.size), y.middleRows(r.begin, r.size),
                     dy.middleRows(r.begin, r.size), dxRows);
    });
}

template <class In, class Out>
void Activation::forwardRows(const In& x, Out y) const {
    auto xa = x.array();
    switch (m_kind) {
    case ActivationKind::ReLU:
        y.array() = xa.max(0.0f);
        break;
    case ActivationKind::LeakyReLU:
        y.array() = (xa > 0.0f).select(xa, m_slope * xa);
        break;
    case ActivationKind::Tanh:
        y.array() = xa.tanh();
        break;
    case ActivationKind::Sigmoid:
        y.array() = 1.0f / (1.0f + (-xa).exp());
        break;
    case ActivationKind::GELU:
        y = x.unaryExpr([](float v) { return gelu(v); });
        break;
    }
}

template <class In, class Out>
void Activation::backwardRows(const In& x, const In& y, const In& dy, Out& dx) const {
    auto g = dy.array();
    switch (m_kind) {
    case ActivationKind::ReLU:
        dx.array() += (x.array() > 0.0f).select(g, 0.0f);
        break;
    case ActivationKind::LeakyReLU:
        dx.array() += (x.array() > 0.0f).select(g, m_slope * g);
        break;
    case ActivationKind::Tanh:
        dx.array() += g * (1.0f - y.array().square()); // tanh' = 1 − y²
        break;
    case ActivationKind::Sigmoid:
        dx.array() += g * y.array() * (1.0f - y.array()); // σ' = y (1 − y)
        break;
    case ActivationKind::GELU:
        dx.array() += g * x.unaryExpr([](float v) { return geluDerivative(v); }).array();
        break;
    }
}

} // namespace mtl::core
