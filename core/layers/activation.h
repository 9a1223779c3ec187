#pragma once
// Elementwise activation functions. The function is an enum chosen once per call, never a
// string or a virtual call per element.

#include "layers/layer.h"

namespace mtl::core {

enum class ActivationKind : std::uint8_t { ReLU, LeakyReLU, Tanh, Sigmoid, GELU };

class Activation final : public Layer {
public:
    Activation(Shape input, ActivationKind kind, float slope = 0.01f);

    ActivationKind kind() const { return m_kind; }
    Shape outputShape() const override { return inputShape(); }
    void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                 const ForwardContext& context) const override;
    void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y, ConstMatrixMap dy,
                  MatrixMap* dx, float* dParams, LayerState* state) const override;

private:
    // The same for some rows (blocks of the maps), one share of the batch per thread.
    template <class In, class Out>
    void forwardRows(const In& x, Out y) const;
    template <class In, class Out>
    void backwardRows(const In& x, const In& y, const In& dy, Out& dx) const;

    ActivationKind m_kind;
    float m_slope; // LeakyReLU: y = slope · x for x < 0
};

} // namespace mtl::core
