#pragma once
// Flatten: an image [height, width, channels] becomes flat features in channels-last order.
// Values are copied unchanged; only the shape seen by the next layer changes.

#include "layers/layer.h"

namespace mtl::core {

class Flatten final : public Layer {
public:
    explicit Flatten(Shape input) : Layer(input) {}

    Shape outputShape() const override { return Shape::flat(inputShape().size()); }
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;
};

} // namespace mtl::core
