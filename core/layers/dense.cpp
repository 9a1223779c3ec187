#include "layers/dense.h"

#include "util/matrix_product.h"

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

namespace {
// The products a Dense layer does, prepared per batch size (layers are shared; states are not).
struct DenseState final : LayerState {
    MatrixProducts products;
};
} // namespace

std::unique_ptr<LayerState> Dense::makeState(Index /*maxBatch*/) const {
    return std::make_unique<DenseState>();
}

void Dense::forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                    const ForwardContext& /*context*/) const {
    const float* w = params;                         // W: [in, out]
    const float* b = params + Index{m_in} * m_units; // b: [out]
    const Index batch = x.rows();
    MatrixProducts unprepared;
    // y = x W + b: [batch, out]
    products(state, unprepared)
        .multiply({batch, m_in, m_units, Operands::AB, false, true}, x.data(), w, y.data(), b);
}

void Dense::backward(const float* params, ConstMatrixMap x, ConstMatrixMap /*y*/, ConstMatrixMap dy,
                     MatrixMap* dx, float* dParams, LayerState* state) const {
    const Index batch = x.rows();
    MatrixProducts unprepared;
    MatrixProducts& p = products(state, unprepared);
    // dL/dW += xᵀ dy: [in, out]
    p.multiply({m_in, batch, m_units, Operands::AtB, true, false}, x.data(), dy.data(), dParams);
    addColumnSums(dy, dParams + Index{m_in} * m_units); // dL/db += Σ_rows dy
    // dL/dx += dy Wᵀ: [batch, in]
    if (dx != nullptr)
        p.multiply({batch, m_units, m_in, Operands::ABt, true, false}, dy.data(), params,
                   dx->data());
}

MatrixProducts& Dense::products(LayerState* state, MatrixProducts& unprepared) {
    // A layer used without a workspace (tests) prepares its products for the one call.
    return state != nullptr ? static_cast<DenseState*>(state)->products : unprepared;
}

} // namespace mtl::core
