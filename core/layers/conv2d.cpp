#include "layers/conv2d.h"

#include <algorithm>
#include <cmath>

namespace mtl::core {
namespace {

struct Conv2DState final : LayerState {
    Matrix columns;  // im2col patches: [maxBatch · positions, patch]
    Matrix dColumns; // their gradient, same shape
};

} // namespace

Conv2D::Conv2D(Shape input, int filters, int kernel, int stride, int padding)
    : Layer(input), m_filters(filters), m_kernel(kernel), m_stride(stride), m_padding(padding),
      m_output{(input.height + 2 * padding - kernel) / stride + 1,
               (input.width + 2 * padding - kernel) / stride + 1, filters} {}

Index Conv2D::parameterCount() const { return patchSize() * m_filters + m_filters; }

void Conv2D::markWeights(std::span<std::uint8_t> isWeight) const {
    const auto weights = static_cast<std::ptrdiff_t>(patchSize() * m_filters);
    std::fill(isWeight.begin(), isWeight.begin() + weights, 1);
    std::fill(isWeight.begin() + weights, isWeight.end(), 0);
}

void Conv2D::initialize(std::span<float> params, Rng& rng) const {
    // He initialisation with fan_in = kernel² · inChannels.
    const auto weights = static_cast<std::size_t>(patchSize() * m_filters);
    std::normal_distribution<float> dist(0.0f, std::sqrt(2.0f / static_cast<float>(patchSize())));
    for (std::size_t i = 0; i < weights; ++i) params[i] = dist(rng);
    for (std::size_t i = weights; i < params.size(); ++i) params[i] = 0.0f;
}

std::unique_ptr<LayerState> Conv2D::makeState(Index maxBatch) const {
    auto state = std::make_unique<Conv2DState>();
    state->columns.resize(maxBatch * positions(), patchSize());
    state->dColumns.resize(maxBatch * positions(), patchSize());
    return state;
}

double Conv2D::multiplyAddsPerSample() const {
    return double(positions()) * double(patchSize()) * double(m_filters);
}

// For output position (oy, ox) and kernel row ky, the kernel's kx = 0…k−1 read one contiguous
// run of k · C input floats (channels-last), clipped where it crosses the padding. Samples are
// independent: OpenMP splits them (each writes its own rows).
void Conv2D::im2col(ConstMatrixMap x, MatrixMap columns) const {
    const Shape in = inputShape();
    const int c = in.channels;
    const Index batch = x.rows();
#pragma omp parallel for schedule(static) if (batch * positions() * patchSize() > 65536)
    for (Index n = 0; n < batch; ++n) {
        const float* image = x.row(n).data();
        for (int oy = 0; oy < m_output.height; ++oy) {
            for (int ox = 0; ox < m_output.width; ++ox) {
                float* patch = columns.row((n * m_output.height + oy) * m_output.width + ox).data();
                const int x0 = ox * m_stride - m_padding;
                const int first = std::max(0, -x0);                      // kx clipped on the left
                const int last = std::min(m_kernel, in.width - x0);      // … and on the right
                for (int ky = 0; ky < m_kernel; ++ky) {
                    float* out = patch + Index{ky} * m_kernel * c;
                    const int iy = oy * m_stride - m_padding + ky;
                    if (iy < 0 || iy >= in.height || first >= last) {
                        std::fill(out, out + Index{m_kernel} * c, 0.0f); // zero padding
                        continue;
                    }
                    std::fill(out, out + Index{first} * c, 0.0f);
                    const float* src = image + (Index{iy} * in.width + x0 + first) * c;
                    const Index run = Index{last - first} * c;
                    for (Index i = 0; i < run; ++i) out[Index{first} * c + i] = src[i];
                    std::fill(out + Index{last} * c, out + Index{m_kernel} * c, 0.0f);
                }
            }
        }
    }
}

void Conv2D::col2imAdd(ConstMatrixMap columns, MatrixMap dx) const {
    const Shape in = inputShape();
    const int c = in.channels;
    const Index batch = dx.rows();
#pragma omp parallel for schedule(static) if (batch * positions() * patchSize() > 65536)
    for (Index n = 0; n < batch; ++n) {
        float* image = dx.row(n).data();
        for (int oy = 0; oy < m_output.height; ++oy) {
            for (int ox = 0; ox < m_output.width; ++ox) {
                const float* patch =
                    columns.row((n * m_output.height + oy) * m_output.width + ox).data();
                const int x0 = ox * m_stride - m_padding;
                const int first = std::max(0, -x0);
                const int last = std::min(m_kernel, in.width - x0);
                if (first >= last) continue;
                for (int ky = 0; ky < m_kernel; ++ky) {
                    const int iy = oy * m_stride - m_padding + ky;
                    if (iy < 0 || iy >= in.height) continue;
                    const float* src = patch + (Index{ky} * m_kernel + first) * c;
                    float* dst = image + (Index{iy} * in.width + x0 + first) * c;
                    const Index run = Index{last - first} * c;
                    for (Index i = 0; i < run; ++i) dst[i] += src[i];
                }
            }
        }
    }
}

void Conv2D::forward(const float* params, ConstMatrixMap x, MatrixMap y, LayerState* state,
                     const ForwardContext& /*context*/) const {
    auto& s = *static_cast<Conv2DState*>(state);
    const Index rows = x.rows() * positions();
    MatrixMap columns = topRows(s.columns, rows);             // [batch · positions, patch]
    im2col(x, columns);
    const ConstMatrixMap k(params, patchSize(), m_filters);    // K: [patch, filters]
    const ConstRowVectorMap b(params + patchSize() * m_filters, m_filters);
    MatrixMap out(y.data(), rows, m_filters);                  // y as [batch · positions, filters]
    out.noalias() = columns * k;
    out.rowwise() += b;
}

void Conv2D::backward(const float* params, ConstMatrixMap /*x*/, ConstMatrixMap /*y*/,
                      ConstMatrixMap dy, MatrixMap* dx, float* dParams,
                      LayerState* state) const {
    auto& s = *static_cast<Conv2DState*>(state);
    const Index rows = dy.rows() * positions();
    const ConstMatrixMap columns = topRows(std::as_const(s.columns), rows);
    const ConstMatrixMap g(dy.data(), rows, m_filters);       // dy as [batch · positions, filters]
    MatrixMap dk(dParams, patchSize(), m_filters);
    RowVectorMap db(dParams + patchSize() * m_filters, m_filters);
    dk.noalias() += columns.transpose() * g;                   // dL/dK = colsᵀ dy
    db += g.colwise().sum();
    if (dx != nullptr) {
        const ConstMatrixMap k(params, patchSize(), m_filters);
        MatrixMap dColumns = topRows(s.dColumns, rows);
        dColumns.noalias() = g * k.transpose();                // dL/dcols = dy Kᵀ
        col2imAdd(ConstMatrixMap(dColumns.data(), rows, patchSize()), *dx);
    }
}

} // namespace mtl::core
