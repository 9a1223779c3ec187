#pragma once
// Max pooling over square windows of channels-last images. Backward routes each gradient to the
// window element that held the maximum (the first, where several equal it).

#include "layers/layer.h"

#include <vector>

namespace mtl::core {

class MaxPool2D final : public Layer {
public:
    MaxPool2D(Shape input, int kernel, int stride);

    Shape outputShape() const override { return m_output; }
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;

private:
    int m_kernel;
    int m_stride;
    Shape m_output;
    std::vector<Index> m_windowOffsets; // offset of each window position from its corner
};

} // namespace mtl::core
