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
    ++m_steps;
    const OptimizerSettings& s = m_settings;
    const Index n = parameters.size();
    float* theta = parameters.data();
    const float* grad = gradients.data();
    const float* decayMask = isWeight.data();
    float* m = m_first.data();
    float* v = m_second.data();
    const float wd = s.weightDecay;

    switch (s.kind) {
    case OptimizerKind::SGD: {
        const float mu = s.momentum;
        for (Index i = 0; i < n; ++i) {
            const float g = grad[i] + wd * decayMask[i] * theta[i];
            m[i] = mu * m[i] + g;                                // v ← μ v + g
            theta[i] -= lr * (s.nesterov ? g + mu * m[i] : m[i]); // Nesterov looks ahead
        }
        break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW: {
        const bool decoupled = s.kind == OptimizerKind::AdamW;
        const float b1 = s.beta1, b2 = s.beta2;
        const float correction1 = 1.0f - std::pow(b1, float(m_steps));
        const float correction2 = 1.0f - std::pow(b2, float(m_steps));
        const float stepSize = lr / correction1;
        const float rootCorrection2 = std::sqrt(correction2);
        for (Index i = 0; i < n; ++i) {
            float g = grad[i];
            if (decoupled) {
                theta[i] -= lr * wd * decayMask[i] * theta[i]; // AdamW: θ ← θ − lr·λ·θ
            } else {
                g += wd * decayMask[i] * theta[i];
            }
            m[i] = b1 * m[i] + (1.0f - b1) * g;
            v[i] = b2 * v[i] + (1.0f - b2) * g * g;
            // θ ← θ − lr · m̂ / (sqrt(v̂) + ε), with m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)
            theta[i] -= stepSize * m[i] / (std::sqrt(v[i]) / rootCorrection2 + s.epsilon);
        }
        break;
    }
    case OptimizerKind::RMSprop: {
        const float a = s.alpha;
        for (Index i = 0; i < n; ++i) {
            const float g = grad[i] + wd * decayMask[i] * theta[i];
            v[i] = a * v[i] + (1.0f - a) * g * g;
            theta[i] -= lr * g / (std::sqrt(v[i]) + s.epsilon);
        }
        break;
    }
    }
}

} // namespace mtl::core
