#pragma once
// A task's gate over a mixture of experts (MMoE, Ma et al. 2018; CGC, Tang et al. 2020):
// g = softmax(x_g W + b) over the E experts, y = Σ_e g_e · f_e.
//
// The layer reads one row [x_g | f_1 | … | f_E]: the gate's input (width d) followed by the E
// experts' outputs (width h each), which the model gathers for it. Output: [h], in the experts'
// shape. Parameters: W [d, E] row-major, then b [E]. Its state keeps each row's gate weights.

#include "layers/layer.h"

namespace mtl::core {

class ExpertGate final : public Layer {
public:
    // gateInput: what the gate reads; expert: each expert's output shape.
    ExpertGate(Shape gateInput, int experts, Shape expert);

    Shape outputShape() const override { return m_expert; }
    Index parameterCount() const override;
    void markWeights(std::span<std::uint8_t> isWeight) const override;
    void initialize(std::span<float> params, Rng& rng) const override;
    double multiplyAddsPerSample() const override;
    std::unique_ptr<LayerState> makeState(Index maxBatch) const override;
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;

    Shape gateInputShape() const { return m_gateInput; }
    int experts() const { return m_experts; }
    // The gate weights of the last forward pass: [batch, E] (state from makeState).
    static ConstMatrixMap weights(const LayerState& state, Index batch);

    // Width of the gathered row: d + E·h.
    static Index gatheredWidth(Shape gateInput, int experts, Shape expert);

private:
    Shape m_gateInput;
    int m_experts;
    Shape m_expert;
    Index m_d;
    Index m_h;
};

} // namespace mtl::core
