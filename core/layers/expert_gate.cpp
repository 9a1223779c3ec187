#include "layers/expert_gate.h"

#include <cmath>

namespace mtl::core {
namespace {

struct GateState final : LayerState {
    Matrix gates;    // [maxBatch, E]: softmax(x_g W + b)
    Matrix gradient; // [maxBatch, E]: scratch for dL/dz
};

} // namespace

ExpertGate::ExpertGate(Shape gateInput, int experts, Shape expert)
    : Layer(Shape::flat(int(gatheredWidth(gateInput, experts, expert)))), m_gateInput(gateInput),
      m_experts(experts), m_expert(expert), m_d(gateInput.size()), m_h(expert.size()) {}

Index ExpertGate::gatheredWidth(Shape gateInput, int experts, Shape expert) {
    return gateInput.size() + Index{experts} * expert.size();
}

Index ExpertGate::parameterCount() const {
    return m_d * m_experts + m_experts;
}

void ExpertGate::markWeights(std::span<std::uint8_t> isWeight) const {
    const auto weights = static_cast<std::ptrdiff_t>(m_d * m_experts);
    std::fill(isWeight.begin(), isWeight.begin() + weights, 1);
    std::fill(isWeight.begin() + weights, isWeight.end(), 0);
}

// W ~ U(±1/√d) (a linear layer's usual start), b = 0: the gates begin near uniform and differ
// between tasks from the first step.
void ExpertGate::initialize(std::span<float> params, Rng& rng) const {
    const float limit = 1.0f / std::sqrt(float(m_d));
    std::uniform_real_distribution<float> dist(-limit, limit);
    const auto weights = static_cast<std::size_t>(m_d * m_experts);
    for (std::size_t i = 0; i < params.size(); ++i)
        params[i] = i < weights ? dist(rng) : 0.0f;
}

double ExpertGate::multiplyAddsPerSample() const {
    return double(m_d) * m_experts + double(m_experts) * double(m_h);
}

std::unique_ptr<LayerState> ExpertGate::makeState(Index maxBatch) const {
    auto state = std::make_unique<GateState>();
    state->gates.resize(maxBatch, m_experts);
    state->gradient.resize(maxBatch, m_experts);
    return state;
}

ConstMatrixMap ExpertGate::weights(const LayerState& state, Index batch) {
    return topRows(static_cast<const GateState&>(state).gates, batch);
}

void ExpertGate::forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                         const ForwardContext& /*context*/) const {
    const Index batch = x.rows();
    const ConstMatrixMap w(params, m_d, m_experts);
    const ConstRowVectorMap b(params + m_d * m_experts, m_experts);
    GateState local;
    if (state == nullptr) {
        local.gates.resize(batch, m_experts);
        local.gradient.resize(batch, m_experts);
    }
    auto& s = state != nullptr ? static_cast<GateState&>(*state) : local;
    MatrixMap g = topRows(s.gates, batch);
    // Row by row: E (the experts) is small, and a blocked product of these shapes would want
    // buffers past the stack's limit on wide inputs (a heap allocation per step).
    for (Index r = 0; r < batch; ++r) {
        auto row = g.row(r);
        row.noalias() = x.row(r).head(m_d) * w;
        row += b;
        row.array() = (row.array() - row.maxCoeff()).exp();
        row /= row.sum();
    }
    y.setZero();
    for (Index e = 0; e < m_experts; ++e)
        y.array() += x.middleCols(m_d + e * m_h, m_h).array().colwise() * g.col(e).array();
}

void ExpertGate::backward(const float* params, ConstMatrixMap x, ConstMatrixMap /*y*/,
                          ConstMatrixMap dy, MatrixMap* dx, float* dParams,
                          LayerState* state) const {
    const Index batch = x.rows();
    GateState local;
    if (state == nullptr) {
        // Without a workspace (tests): the gate weights again.
        local.gates.resize(batch, m_experts);
        local.gradient.resize(batch, m_experts);
        Matrix y(batch, m_h);
        forward(params, x, MatrixMap(y.data(), batch, m_h), &local, {});
    }
    auto& s = state != nullptr ? static_cast<GateState&>(*state) : local;
    const ConstMatrixMap g = topRows(std::as_const(s.gates), batch);
    MatrixMap dz = topRows(s.gradient, batch);
    // dL/dg_e = <dy, f_e> per row; dz = g ⊙ (dg − <g, dg>).
    for (Index e = 0; e < m_experts; ++e)
        dz.col(e) = (dy.array() * x.middleCols(m_d + e * m_h, m_h).array()).rowwise().sum();
    for (Index r = 0; r < batch; ++r) {
        const float mean = dz.row(r).dot(g.row(r));
        dz.row(r).array() = g.row(r).array() * (dz.row(r).array() - mean);
    }
    // dW += x_gᵀ dz and db += Σ dz, a row at a time (see forward).
    MatrixMap dw(dParams, m_d, m_experts);
    RowVectorMap db(dParams + m_d * m_experts, m_experts);
    for (Index r = 0; r < batch; ++r) {
        dw.noalias() += x.row(r).head(m_d).transpose() * dz.row(r);
        db += dz.row(r);
    }
    if (dx == nullptr)
        return;
    const ConstMatrixMap w(params, m_d, m_experts);
    for (Index r = 0; r < batch; ++r)
        dx->row(r).head(m_d).noalias() += dz.row(r) * w.transpose();
    // dL/df_e = g_e · dy.
    for (Index e = 0; e < m_experts; ++e)
        dx->middleCols(m_d + e * m_h, m_h).array() += dy.array().colwise() * g.col(e).array();
}

} // namespace mtl::core
