#include "layers/dropout.h"

#include <cassert>

namespace mtl::core {
namespace {

struct DropoutState final : LayerState {
    Matrix mask; // [maxBatch, features]: 0 or 1 / (1 − rate)
    bool active = false;
};

} // namespace

Dropout::Dropout(Shape input, float rate) : Layer(input), m_rate(rate) {}

std::unique_ptr<LayerState> Dropout::makeState(Index maxBatch) const {
    auto state = std::make_unique<DropoutState>();
    state->mask.resize(maxBatch, inputShape().size());
    return state;
}

void Dropout::forward(const float* /*params*/, ConstMatrixMap x, MatrixMap y, LayerState* state,
                      const ForwardContext& context) const {
    auto& s = *static_cast<DropoutState*>(state);
    s.active = context.training && m_rate > 0.0f;
    if (!s.active) {
        y = x;
        return;
    }
    assert(context.rng != nullptr);
    MatrixMap mask = topRows(s.mask, x.rows());
    const float scale = 1.0f / (1.0f - m_rate);
    // A 53-bit uniform from the run's generator: keep with probability 1 − rate.
    constexpr double kUnit = 1.0 / 9007199254740992.0;
    for (Index i = 0; i < mask.size(); ++i) {
        const double u = static_cast<double>((*context.rng)() >> 11) * kUnit;
        mask.data()[i] = u >= m_rate ? scale : 0.0f;
    }
    y.array() = x.array() * mask.array();
}

void Dropout::backward(const float* /*params*/, ConstMatrixMap /*x*/, ConstMatrixMap /*y*/,
                       ConstMatrixMap dy, MatrixMap* dx, float* /*dParams*/,
                       LayerState* state) const {
    if (dx == nullptr) {
        return;
    }
    auto& s = *static_cast<DropoutState*>(state);
    if (!s.active) {
        *dx += dy;
        return;
    }
    dx->array() += dy.array() * topRows(s.mask, dy.rows()).array();
}

} // namespace mtl::core
