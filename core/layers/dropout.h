#pragma once
// Inverted dropout: while training, each activation is kept with probability 1 − rate and scaled
// by 1 / (1 − rate); at inference it is the identity. The mask is drawn from the run's generator.

#include "layers/layer.h"

namespace mtl::core {

class Dropout final : public Layer {
public:
    Dropout(Shape input, float rate);

    Shape outputShape() const override { return inputShape(); }
    std::unique_ptr<LayerState> makeState(Index maxBatch) const override;
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;

private:
    float m_rate;
};

} // namespace mtl::core
