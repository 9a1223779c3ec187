#include "layers/layer_norm.h"

#include <algorithm>
#include <cmath>

namespace mtl::core {
namespace {

struct LayerNormState final : LayerState {
    Matrix normalized; // x̂: [maxBatch, features]
    Vector invStd;     // 1 / sqrt(σ² + ε): [maxBatch]
};

} // namespace

LayerNorm::LayerNorm(Shape input, float epsilon) : Layer(input), m_epsilon(epsilon) {}

void LayerNorm::initialize(std::span<float> params, Rng& /*rng*/) const {
    const auto d = static_cast<std::ptrdiff_t>(inputShape().size());
    std::fill(params.begin(), params.begin() + d, 1.0f); // γ
    std::fill(params.begin() + d, params.end(), 0.0f);   // β
}

std::unique_ptr<LayerState> LayerNorm::makeState(Index maxBatch) const {
    auto state = std::make_unique<LayerNormState>();
    state->normalized.resize(maxBatch, inputShape().size());
    state->invStd.resize(maxBatch);
    return state;
}

void LayerNorm::forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                        const ForwardContext& /*context*/) const {
    auto& s = *static_cast<LayerNormState*>(state);
    const Index d = inputShape().size();
    const ConstRowVectorMap gamma(params, d);
    const ConstRowVectorMap beta(params + d, d);
    MatrixMap xhat = topRows(s.normalized, x.rows());
    for (Index r = 0; r < x.rows(); ++r) {
        const float mean = x.row(r).mean();
        const float variance = (x.row(r).array() - mean).square().mean();
        const float invStd = 1.0f / std::sqrt(variance + m_epsilon);
        s.invStd[r] = invStd;
        xhat.row(r) = (x.row(r).array() - mean) * invStd;
        y.row(r) = xhat.row(r).cwiseProduct(gamma) + beta;
    }
}

void LayerNorm::backward(const float* params, ConstMatrixMap /*x*/, ConstMatrixMap /*y*/,
                         ConstMatrixMap dy, MatrixMap* dx, float* dParams,
                         LayerState* state) const {
    auto& s = *static_cast<LayerNormState*>(state);
    const Index d = inputShape().size();
    const ConstRowVectorMap gamma(params, d);
    RowVectorMap dGamma(dParams, d);
    RowVectorMap dBeta(dParams + d, d);
    const ConstMatrixMap xhat = topRows(std::as_const(s.normalized), dy.rows());
    for (Index r = 0; r < dy.rows(); ++r) {
        dGamma += dy.row(r).cwiseProduct(xhat.row(r)); // dL/dγ = Σ dy ⊙ x̂
        dBeta += dy.row(r);                            // dL/dβ = Σ dy
        if (dx != nullptr) {
            // dx = invStd · (g − mean(g) − x̂ · mean(g ⊙ x̂)), with g = dy ⊙ γ
            const float meanG = dy.row(r).dot(gamma) / static_cast<float>(d);
            const float meanGX =
                dy.row(r).cwiseProduct(gamma).dot(xhat.row(r)) / static_cast<float>(d);
            dx->row(r).array() += s.invStd[r] * (dy.row(r).array() * gamma.array() - meanG -
                                                 xhat.row(r).array() * meanGX);
        }
    }
}

} // namespace mtl::core
