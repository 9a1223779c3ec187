#include "train/optimizer.h"

#include <cmath>

namespace mtl::core {

Optimizer::Optimizer(const OptimizerSettings& settings, Index parameterCount)
    : m_settings(settings), m_first(Vector::Zero(parameterCount)),
      m_second(Vector::Zero(parameterCount)) {}

void Optimizer::reset() {
    m_first.setZero();
    m_second.setZero();
    m_steps = 0;
}

void Optimizer::step(Vector& parameters, const Vector& gradients, const Vector& isWeight,
                     float lr) {
    // update<false> only reads the gradient.
    update<false>(parameters, const_cast<float*>(gradients.data()), isWeight, lr);
}

void Optimizer::stepAndClear(Vector& parameters, Vector& gradients, const Vector& isWeight,
                             float lr) {
    update<true>(parameters, gradients.data(), isWeight, lr);
}

// Each rule is one branch-free pass over the flat buffers (so it vectorises), split across
// threads when the model is large enough for that to pay. The pass is memory-bound, so clearing
// the gradient in it costs almost nothing, where a pass of its own would cost a sweep.
template <bool kClear>
void Optimizer::update(Vector& parameters, float* gradients, const Vector& isWeight, float lr) {
    ++m_steps;
    const OptimizerSettings& s = m_settings;
    const Index n = parameters.size();
    float* __restrict theta = parameters.data();
    float* __restrict grad = gradients;
    const float* __restrict decayMask = isWeight.data();
    float* __restrict m = m_first.data();
    float* __restrict v = m_second.data();
    constexpr Index kParallelFrom = 1 << 15;

    switch (s.kind) {
    case OptimizerKind::SGD: {
        const float mu = s.momentum, wd = s.weightDecay;
        const float lookAhead = s.nesterov ? mu : 0.0f; // Nesterov: θ −= lr (g + μ v)
        const float plain = s.nesterov ? 1.0f : 0.0f;   // else:     θ −= lr v
#pragma omp parallel for simd schedule(static) if (n > kParallelFrom)
        for (Index i = 0; i < n; ++i) {
            const float g = grad[i] + wd * decayMask[i] * theta[i];
            if constexpr (kClear) grad[i] = 0.0f;
            m[i] = mu * m[i] + g; // v ← μ v + g
            theta[i] -= lr * (plain * g + (lookAhead + 1.0f - plain) * m[i]);
        }
        break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW: {
        const bool decoupled = s.kind == OptimizerKind::AdamW;
        const float coupledDecay = decoupled ? 0.0f : s.weightDecay;     // Adam: g += λ θ
        const float decoupledDecay = decoupled ? lr * s.weightDecay : 0.0f; // AdamW: θ −= lr λ θ
        const float b1 = s.beta1, b2 = s.beta2, eps = s.epsilon;
        const float stepSize = lr / (1.0f - std::pow(b1, float(m_steps)));
        const float rootCorrection2 = std::sqrt(1.0f - std::pow(b2, float(m_steps)));
        if (s.weightDecay == 0.0f) {
            // The common case, and memory-bound: without decay the mask need not be read.
#pragma omp parallel for simd schedule(static) if (n > kParallelFrom)
            for (Index i = 0; i < n; ++i) {
                const float g = grad[i];
                if constexpr (kClear) grad[i] = 0.0f;
                m[i] = b1 * m[i] + (1.0f - b1) * g;
                v[i] = b2 * v[i] + (1.0f - b2) * g * g;
                theta[i] -= stepSize * m[i] / (std::sqrt(v[i]) / rootCorrection2 + eps);
            }
            break;
        }
#pragma omp parallel for simd schedule(static) if (n > kParallelFrom)
        for (Index i = 0; i < n; ++i) {
            const float g = grad[i] + coupledDecay * decayMask[i] * theta[i];
            if constexpr (kClear) grad[i] = 0.0f;
            theta[i] -= decoupledDecay * decayMask[i] * theta[i];
            m[i] = b1 * m[i] + (1.0f - b1) * g;
            v[i] = b2 * v[i] + (1.0f - b2) * g * g;
            // θ ← θ − lr · m̂ / (sqrt(v̂) + ε), with m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)
            theta[i] -= stepSize * m[i] / (std::sqrt(v[i]) / rootCorrection2 + eps);
        }
        break;
    }
    case OptimizerKind::RMSprop: {
        const float a = s.alpha, wd = s.weightDecay, eps = s.epsilon;
#pragma omp parallel for simd schedule(static) if (n > kParallelFrom)
        for (Index i = 0; i < n; ++i) {
            const float g = grad[i] + wd * decayMask[i] * theta[i];
            if constexpr (kClear) grad[i] = 0.0f;
            v[i] = a * v[i] + (1.0f - a) * g * g;
            theta[i] -= lr * g / (std::sqrt(v[i]) + eps);
        }
        break;
    }
    }
}

} // namespace mtl::core
