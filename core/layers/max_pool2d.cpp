#include "layers/max_pool2d.h"

#include "util/simd.h"

#include <algorithm>

namespace mtl::core {

using simd::kLanes;
using simd::Vec;

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

// Channels-last: every window position holds a contiguous vector of C channels, so each output
// position is the lane-wise maximum of kernel² (masked) vector loads, 16 channels at a time.
// Samples are independent (OpenMP).
void MaxPool2D::forward(const float* /*params*/, ConstMatrixMap x, MatrixMap y,
                        LayerState* /*state*/, const ForwardContext& /*context*/) const {
    const Shape in = inputShape();
    const int c = in.channels;
    const Index batch = x.rows();
    const Index* offsets = m_windowOffsets.data();
    const auto windows = static_cast<Index>(m_windowOffsets.size());
#pragma omp parallel for schedule(static) if (batch * x.cols() > 65536)
    for (Index n = 0; n < batch; ++n) {
        const float* image = x.row(n).data();
        float* out = y.row(n).data();
        for (int oy = 0; oy < m_output.height; ++oy) {
            for (int ox = 0; ox < m_output.width; ++ox) {
                const float* corner = image + (Index{oy} * m_stride * in.width + Index{ox} * m_stride) * c;
                float* best = out + (Index{oy} * m_output.width + ox) * c;
                for (int c0 = 0; c0 < c; c0 += kLanes) {
                    const int lanes = std::min(kLanes, c - c0);
                    Vec m = simd::loadFirst(corner + c0, lanes);
                    for (Index w = 1; w < windows; ++w) {
                        m = simd::max(m, simd::loadFirst(corner + offsets[w] + c0, lanes));
                    }
                    simd::storeFirst(best + c0, m, lanes);
                }
            }
        }
    }
}

// The gradient of each output goes to the first window element equal to it (the one forward
// kept: later ones win only if strictly greater). Comparing x with y again costs less than
// storing the winners' positions in forward. The loop takes one window element at a time
// across a whole output row, so consecutive read-modify-writes of dx never overlap: a load that
// overlaps a store still in flight stalls until the store completes.
void MaxPool2D::backward(const float* /*params*/, ConstMatrixMap x, ConstMatrixMap y,
                         ConstMatrixMap dy, MatrixMap* dx, float* /*dParams*/,
                         LayerState* /*state*/) const {
    if (dx == nullptr) {
        return;
    }
    const Shape in = inputShape();
    const int c = in.channels;
    const Index* offsets = m_windowOffsets.data();
    const auto windows = static_cast<Index>(m_windowOffsets.size());
    const int outWidth = m_output.width, stride = m_stride;
    const Index rowStep = Index{in.width} * c, outStep = Index{outWidth} * c;
#pragma omp parallel for schedule(static) if (dy.size() > 65536)
    for (Index n = 0; n < dy.rows(); ++n) {
        // Plain locals: the masked stores may alias anything in memory, so anything read through
        // a pointer or an object would be read again after every store.
        const float* image = x.row(n).data();
        const float* best = y.row(n).data();
        const float* gradient = dy.row(n).data();
        float* target = dx->row(n).data();
        for (int oy = 0; oy < m_output.height; ++oy) {
            const float* top = image + oy * stride * rowStep;
            float* targetTop = target + oy * stride * rowStep;
            for (Index w = 0; w < windows; ++w) {
                const Index offset = offsets[w];
                for (int ox = 0; ox < outWidth; ++ox) {
                    const Index corner = Index{ox} * stride * c, o = oy * outStep + Index{ox} * c;
                    for (int c0 = 0; c0 < c; c0 += kLanes) {
                        const int lanes = std::min(kLanes, c - c0);
                        const Vec m = simd::loadFirst(best + o + c0, lanes);
                        const float* at = top + corner + c0;
                        simd::Mask hit = simd::loadFirst(at + offset, lanes) == m;
                        for (Index earlier = 0; earlier < w; ++earlier) { // the first one wins
                            hit &= ~(simd::loadFirst(at + offsets[earlier], lanes) == m);
                        }
                        const Vec g = simd::loadFirst(gradient + o + c0, lanes);
                        float* d = targetTop + corner + offset + c0;
                        simd::storeFirst(d, simd::loadFirst(d, lanes) + (hit ? g : Vec{}), lanes);
                    }
                }
            }
        }
    }
}

} // namespace mtl::core
