#pragma once
// First-order optimizers over the flat parameter buffer. State (moments) is flat too, of the
// same length, so a step is one pass over contiguous memory. Update rules follow PyTorch's
// definitions so that exported training scripts continue the same trajectory.

#include "util/tensor.h"

#include <cstdint>

namespace mtl::core {

enum class OptimizerKind : std::uint8_t { SGD, Adam, AdamW, RMSprop };

struct OptimizerSettings {
    OptimizerKind kind = OptimizerKind::Adam;
    float learningRate = 1e-3f;
    float momentum = 0.9f; // SGD
    bool nesterov = false; // SGD
    float beta1 = 0.9f;    // Adam, AdamW
    float beta2 = 0.999f;  // Adam, AdamW
    float alpha = 0.99f;   // RMSprop smoothing of g²
    float epsilon = 1e-8f;
    float weightDecay = 0.0f; // L2 on weights (AdamW: decoupled)
    bool operator==(const OptimizerSettings&) const = default;
};

class Optimizer {
public:
    Optimizer(const OptimizerSettings& settings, Index parameterCount);

    // θ ← update(θ, g) at learning rate lr. isWeight: 1 where weight decay applies, else 0.
    void step(Vector& parameters, const Vector& gradients, const Vector& isWeight, float lr);
    // The same, and g ← 0 in the same pass: ready for the next backward (Model::backward with
    // gradientsAreZero), which then need not clear it in a pass of its own.
    void stepAndClear(Vector& parameters, Vector& gradients, const Vector& isWeight, float lr);
    void reset();
    long steps() const { return m_steps; }

private:
    template <bool kClear>
    void update(Vector& parameters, float* gradients, const Vector& isWeight, float lr);

    OptimizerSettings m_settings;
    Vector m_first;  // momentum / first moment
    Vector m_second; // second moment
    long m_steps = 0;
};

} // namespace mtl::core
