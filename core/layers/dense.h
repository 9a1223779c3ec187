#pragma once
// Fully connected layer: y = x W + b. Accepts any input shape as flat features.
// Parameters: W [in, out] row-major, then b [out].

#include "layers/layer.h"

namespace mtl::core {

class MatrixProducts;

enum class Init : std::uint8_t { He, Xavier };

class Dense final : public Layer {
public:
    Dense(Shape input, int units, Init init);

    Shape outputShape() const override { return Shape::flat(m_units); }
    Index parameterCount() const override;
    void markWeights(std::span<std::uint8_t> isWeight) const override;
    void initialize(std::span<float> params, Rng& rng) const override;
    double multiplyAddsPerSample() const override;
    std::unique_ptr<LayerState> makeState(Index maxBatch) const override;
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;

private:
    static MatrixProducts& products(LayerState* state, MatrixProducts& unprepared);

    int m_in;
    int m_units;
    Init m_init;
};

} // namespace mtl::core
