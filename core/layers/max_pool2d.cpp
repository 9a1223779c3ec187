#include "layers/max_pool2d.h"

#include <algorithm>

namespace mtl::core {
namespace {

struct MaxPoolState final : LayerState {
    // Which window position (0 … kernel² − 1) held each output's maximum.
    Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> window;
};

} // namespace

MaxPool2D::MaxPool2D(Shape input, int kernel, int stride)
    : Layer(input), m_kernel(kernel), m_stride(stride),
      m_output{(input.height - kernel) / stride + 1, (input.width - kernel) / stride + 1,
               input.channels} {
    for (int ky = 0; ky < kernel; ++ky) {
        for (int kx = 0; kx < kernel; ++kx) {
            m_windowOffsets.push_back((Index{ky} * input.width + kx) * input.channels);
        }
    }
}

std::unique_ptr<LayerState> MaxPool2D::makeState(Index maxBatch) const {
    auto state = std::make_unique<MaxPoolState>();
    state->window.resize(maxBatch, m_output.size());
    return state;
}

// Channels-last: every window position holds a contiguous vector of C channels, so maximum and
// winning position are updated across whole channel vectors with branch-free selects, which
// vectorise. Samples are independent (OpenMP).
void MaxPool2D::forward(const float* /*params*/, ConstMatrixMap x, MatrixMap y, LayerState* state,
                        const ForwardContext& /*context*/) const {
    auto& s = *static_cast<MaxPoolState*>(state);
    const Shape in = inputShape();
    const Index c = in.channels;
    const Index batch = x.rows();
    const auto windows = static_cast<std::int32_t>(m_windowOffsets.size());
#pragma omp parallel for schedule(static) if (batch * x.cols() > 65536)
    for (Index n = 0; n < batch; ++n) {
        const float* image = x.row(n).data();
        float* out = y.row(n).data();
        std::int32_t* winner = s.window.row(n).data();
        for (int oy = 0; oy < m_output.height; ++oy) {
            for (int ox = 0; ox < m_output.width; ++ox) {
                const Index o = (Index{oy} * m_output.width + ox) * c;
                float* best = out + o;
                std::int32_t* at = winner + o;
                const float* corner = image + (Index{oy} * m_stride * in.width + Index{ox} * m_stride) * c;
                std::copy(corner, corner + c, best);
                std::fill(at, at + c, 0);
                for (std::int32_t w = 1; w < windows; ++w) {
                    const float* v = corner + m_windowOffsets[std::size_t(w)];
                    for (Index ch = 0; ch < c; ++ch) {
                        const bool greater = v[ch] > best[ch];
                        best[ch] = greater ? v[ch] : best[ch];
                        at[ch] = greater ? w : at[ch];
                    }
                }
            }
        }
    }
}

void MaxPool2D::backward(const float* /*params*/, ConstMatrixMap /*x*/, ConstMatrixMap /*y*/,
                         ConstMatrixMap dy, MatrixMap* dx, float* /*dParams*/,
                         LayerState* state) const {
    if (dx == nullptr) {
        return;
    }
    auto& s = *static_cast<MaxPoolState*>(state);
    const Shape in = inputShape();
    const Index c = in.channels;
#pragma omp parallel for schedule(static) if (dy.size() > 65536)
    for (Index n = 0; n < dy.rows(); ++n) {
        const std::int32_t* winner = s.window.row(n).data();
        const float* g = dy.row(n).data();
        float* target = dx->row(n).data();
        for (int oy = 0; oy < m_output.height; ++oy) {
            for (int ox = 0; ox < m_output.width; ++ox) {
                const Index o = (Index{oy} * m_output.width + ox) * c;
                float* corner = target + (Index{oy} * m_stride * in.width + Index{ox} * m_stride) * c;
                for (Index ch = 0; ch < c; ++ch) {
                    corner[m_windowOffsets[std::size_t(winner[o + ch])] + ch] += g[o + ch];
                }
            }
        }
    }
}

} // namespace mtl::core
