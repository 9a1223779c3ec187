#pragma once
// 2-D convolution on channels-last images. Up to conv::kMaxFilters filters it runs direct
// kernels (layers/conv_kernels.h) on one contiguous range of samples per thread; wider layers run
// as im2col followed by one matrix product.
// Parameters: K [kernel·kernel·inChannels, filters] (rows ordered ky, kx, c), then b [filters].
// Output [outH, outW, filters] with outH = (H + 2·padding − kernel) / stride + 1.

#include "layers/conv_kernels.h"
#include "layers/layer.h"

#include <vector>

namespace mtl::core {

struct Conv2DState;
struct ConvThreadScratch;

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
    void im2col(ConstMatrixMap x, MatrixMap columns, int threads) const;
    void col2imAdd(ConstMatrixMap columns, MatrixMap dx, int threads) const;

    bool direct() const { return m_filters <= conv::kMaxFilters; }
    int directThreads(const Conv2DState& s, Index batch) const;
    void forwardDirect(const float* params, ConstMatrixMap x, MatrixMap y, Conv2DState& s) const;
    void backwardDirect(const float* params, ConstMatrixMap x, ConstMatrixMap dy, MatrixMap* dx,
                        float* dParams, Conv2DState& s) const;
    void inputGradient(const float* dy, const float* kt, ConvThreadScratch& scratch,
                       float* dx) const;

    int m_filters;
    int m_kernel;
    int m_stride;
    int m_padding;
    Shape m_output;
    conv::Geometry m_geometry;
    std::vector<Index> m_entryOffsets; // of each kernel entry within its window (padded image)
};

} // namespace mtl::core
