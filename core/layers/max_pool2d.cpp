#include "layers/max_pool2d.h"

#include <limits>

namespace mtl::core {
namespace {

struct MaxPoolState final : LayerState {
    Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> argmax;
};

} // namespace

MaxPool2D::MaxPool2D(Shape input, int kernel, int stride)
    : Layer(input), m_kernel(kernel), m_stride(stride),
      m_output{(input.height - kernel) / stride + 1, (input.width - kernel) / stride + 1,
               input.channels} {}

std::unique_ptr<LayerState> MaxPool2D::makeState(Index maxBatch) const {
    auto state = std::make_unique<MaxPoolState>();
    state->argmax.resize(maxBatch, m_output.size());
    return state;
}

void MaxPool2D::forward(const float* /*params*/, ConstMatrixMap x, MatrixMap y, LayerState* state,
                        const ForwardContext& /*context*/) const {
    auto& s = *static_cast<MaxPoolState*>(state);
    const Shape in = inputShape();
    const int c = in.channels;
    for (Index n = 0; n < x.rows(); ++n) {
        const float* image = x.row(n).data();
        float* out = y.row(n).data();
        std::int32_t* arg = s.argmax.row(n).data();
        for (int oy = 0; oy < m_output.height; ++oy) {
            for (int ox = 0; ox < m_output.width; ++ox) {
                for (int ch = 0; ch < c; ++ch) {
                    float best = -std::numeric_limits<float>::infinity();
                    std::int32_t bestAt = 0;
                    for (int ky = 0; ky < m_kernel; ++ky) {
                        for (int kx = 0; kx < m_kernel; ++kx) {
                            const int iy = oy * m_stride + ky;
                            const int ix = ox * m_stride + kx;
                            const std::int32_t at = (iy * in.width + ix) * c + ch;
                            if (image[at] > best) {
                                best = image[at];
                                bestAt = at;
                            }
                        }
                    }
                    const int o = (oy * m_output.width + ox) * c + ch;
                    out[o] = best;
                    arg[o] = bestAt;
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
    for (Index n = 0; n < dy.rows(); ++n) {
        float* target = dx->row(n).data();
        for (Index o = 0; o < dy.cols(); ++o) {
            target[s.argmax(n, o)] += dy(n, o);
        }
    }
}

} // namespace mtl::core
