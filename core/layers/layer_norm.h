#pragma once
// Layer normalisation (Ba et al. 2016) over each sample's features:
// y = γ ⊙ (x − μ) / sqrt(σ² + ε) + β. Parameters: γ [features] (starts at 1), β [features].

#include "layers/layer.h"

namespace mtl::core {

class LayerNorm final : public Layer {
public:
    explicit LayerNorm(Shape input, float epsilon = 1e-5f);

    Shape outputShape() const override { return inputShape(); }
    Index parameterCount() const override { return 2 * Index{inputShape().size()}; }
    void initialize(std::span<float> params, Rng& rng) const override;
    std::unique_ptr<LayerState> makeState(Index maxBatch) const override;
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;

    float epsilon() const { return m_epsilon; }

private:
    float m_epsilon;
};

} // namespace mtl::core
