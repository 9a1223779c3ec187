#pragma once
// 2-D convolution on channels-last images, as im2col followed by one matrix product.
// Parameters: K [kernel·kernel·inChannels, filters] (rows ordered ky, kx, c), then b [filters].
// Output [outH, outW, filters] with outH = (H + 2·padding − kernel) / stride + 1.

#include "layers/layer.h"

namespace mtl::core {

class Conv2D final : public Layer {
public:
    Conv2D(Shape input, int filters, int kernel, int stride, int padding);

    Shape outputShape() const override { return m_output; }
    Index parameterCount() const override;
    void markWeights(std::span<std::uint8_t> isWeight) const override;
    void initialize(std::span<float> params, Rng& rng) const override;
    std::unique_ptr<LayerState> makeState(Index maxBatch) const override;
    double multiplyAddsPerSample() const override;
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;

private:
    Index patchSize() const { return Index{m_kernel} * m_kernel * inputShape().channels; }
    Index positions() const { return Index{m_output.height} * m_output.width; }
    void im2col(ConstMatrixMap x, MatrixMap columns) const;
    void col2imAdd(ConstMatrixMap columns, MatrixMap dx) const;

    int m_filters;
    int m_kernel;
    int m_stride;
    int m_padding;
    Shape m_output;
};

} // namespace mtl::core
