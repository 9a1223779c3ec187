#pragma once
// Base interface of every layer. A layer is an immutable description (shapes, hyper-parameters);
// its parameters live in the model's flat buffer and its scratch in a LayerState owned by the
// workspace, so one layer object serves every copy and every task branch that uses it.
//
// Contract: forward writes y. backward *adds* dL/dx into dx (a shared trunk sums the gradients
// of all heads that way) and *adds* dL/dθ into dParams: a hard-shared layer may run on several
// task branches in one step, and the step clears the gradient buffer once before backward.

#include "util/shape.h"
#include "util/tensor.h"

#include <cstdint>
#include <memory>
#include <span>

namespace mtl::core {

struct ForwardContext {
    bool training = false;
    Rng* rng = nullptr; // dropout draws from it while training
};

// Per-use scratch (dropout masks, im2col buffers, convolution scratch per thread), sized once
// for the largest batch.
class LayerState {
public:
    virtual ~LayerState() = default;
};

class Layer {
public:
    explicit Layer(Shape input) : m_input(input) {}
    virtual ~Layer() = default;
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;

    Shape inputShape() const { return m_input; }
    virtual Shape outputShape() const = 0;

    virtual Index parameterCount() const { return 0; }
    // Sets isWeight[i] = 1 for parameters that are weights (decayed, soft-coupled), 0 for biases
    // and gains. The span has parameterCount() entries.
    virtual void markWeights(std::span<std::uint8_t> isWeight) const;
    virtual void initialize(std::span<float> params, Rng& rng) const;
    virtual std::unique_ptr<LayerState> makeState(Index maxBatch) const;
    // Multiply-adds per sample in the forward pass (reported as FLOPs = 2 × this).
    virtual double multiplyAddsPerSample() const { return 0.0; }

    // x: [batch, in], y: [batch, out]
    virtual void forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                         const ForwardContext& context) const = 0;
    // dy: [batch, out]; dx: [batch, in] or null when the input needs no gradient;
    // dParams: parameterCount() floats.
    virtual void backward(const float* params, ConstMatrixMap x, ConstMatrixMap y,
                          ConstMatrixMap dy, MatrixMap* dx, float* dParams,
                          LayerState* state) const = 0;

private:
    Shape m_input;
};

} // namespace mtl::core
