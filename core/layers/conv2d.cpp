#include "layers/conv2d.h"

#include "util/matrix_product.h"
#include "util/thread_shares.h"
#include "util/threads.h"

#include <algorithm>
#include <cmath>
#include <omp.h>

namespace mtl::core {

// Scratch of one thread of the direct kernels, for one sample at a time.
struct ConvThreadScratch {
    std::vector<float> image;  // the padded input image (border zero); empty without padding
    std::vector<float> dImage; // its gradient; empty without padding
    std::vector<float> gpad;   // dy of one sample, [positions, paddedFilters]
    std::vector<float> dk, db; // this thread's share of the weight and bias gradients
};

struct Conv2DState final : LayerState {
    // im2col + matrix product (wide layers)
    Matrix columns;  // im2col patches: [maxBatch · positions, patch]
    Matrix dColumns; // their gradient, same shape
    // direct kernels (few filters)
    std::vector<float> kpad, bpad; // K and b padded to whole vectors of filters
    std::vector<float> kt;         // K transposed by window row, for the input gradient
    std::vector<ConvThreadScratch> threads;
    MatrixProducts products; // im2col's, prepared per batch size
};

Conv2D::Conv2D(Shape input, int filters, int kernel, int stride, int padding)
    : Layer(input), m_filters(filters), m_kernel(kernel), m_stride(stride), m_padding(padding),
      m_output{(input.height + 2 * padding - kernel) / stride + 1,
               (input.width + 2 * padding - kernel) / stride + 1, filters},
      m_geometry{input.height, input.width, input.channels, filters, kernel, stride, padding,
                 m_output.height, m_output.width},
      m_entryOffsets(conv::entryOffsets(m_geometry)) {}

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
    if (!direct()) {
        state->columns.resize(maxBatch * positions(), patchSize());
        state->dColumns.resize(maxBatch * positions(), patchSize());
        return state;
    }
    const conv::Geometry& g = m_geometry;
    const auto floats = [](Index n) { return std::size_t(n); };
    state->kpad.resize(floats(g.patch() * g.paddedFilters()));
    state->bpad.resize(floats(g.paddedFilters()));
    state->kt.resize(floats(Index{g.kernel} * g.filters * g.paddedRun()));
    state->threads.resize(std::size_t(std::max(omp_get_max_threads(), coreCount())));
    const Index padded = g.padding > 0 ? g.imageFloats() : 0; // without padding: x and dx
    for (ConvThreadScratch& t : state->threads) {
        t.image.assign(floats(padded), 0.0f);
        t.dImage.assign(floats(padded), 0.0f);
        t.gpad.assign(floats(g.positions() * g.paddedFilters()), 0.0f);
        t.dk.assign(state->kpad.size(), 0.0f);
        t.db.assign(state->bpad.size(), 0.0f);
    }
    return state;
}

double Conv2D::multiplyAddsPerSample() const {
    return double(positions()) * double(patchSize()) * double(m_filters);
}

// For output position (oy, ox) and kernel row ky, the kernel's kx = 0…k−1 read one contiguous
// run of k · C input floats (channels-last), clipped where it crosses the padding. Samples are
// independent: OpenMP splits them (each writes its own rows).
void Conv2D::im2col(ConstMatrixMap x, MatrixMap columns, int threads) const {
    const Shape in = inputShape();
    const int c = in.channels;
    const Index batch = x.rows();
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
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

void Conv2D::col2imAdd(ConstMatrixMap columns, MatrixMap dx, int threads) const {
    const Shape in = inputShape();
    const int c = in.channels;
    const Index batch = dx.rows();
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
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
    if (direct()) {
        forwardDirect(params, x, y, s);
        return;
    }
    const Index rows = x.rows() * positions();
    MatrixMap columns = topRows(s.columns, rows); // [batch · positions, patch]
    im2col(x, columns, productThreads(double(x.rows()) * multiplyAddsPerSample()));
    // y as [batch · positions, filters] = columns K + b, K: [patch, filters]
    s.products.multiply({rows, patchSize(), m_filters, Operands::AB, false, true}, columns.data(),
                        params, y.data(), params + patchSize() * m_filters);
}

void Conv2D::backward(const float* params, ConstMatrixMap x, ConstMatrixMap /*y*/,
                      ConstMatrixMap dy, MatrixMap* dx, float* dParams,
                      LayerState* state) const {
    auto& s = *static_cast<Conv2DState*>(state);
    if (direct()) {
        backwardDirect(params, x, dy, dx, dParams, s);
        return;
    }
    const Index rows = dy.rows() * positions();
    const float* columns = s.columns.data();
    // dL/dK += columnsᵀ dy, dy as [batch · positions, filters]
    s.products.multiply({patchSize(), rows, m_filters, Operands::AtB, true, false}, columns,
                        dy.data(), dParams);
    addColumnSums(ConstMatrixMap(dy.data(), rows, m_filters), dParams + patchSize() * m_filters);
    if (dx == nullptr)
        return;
    // dL/dcolumns = dy Kᵀ, then back onto the image
    MatrixMap dColumns = topRows(s.dColumns, rows);
    s.products.multiply({rows, m_filters, patchSize(), Operands::ABt, false, false}, dy.data(),
                        params, dColumns.data());
    col2imAdd(ConstMatrixMap(dColumns.data(), rows, patchSize()), *dx,
              productThreads(double(dy.rows()) * multiplyAddsPerSample()));
}

// Samples are split into one contiguous range per thread (the same split for a given thread
// count, so results repeat exactly); each thread works on its own scratch.
int Conv2D::directThreads(const Conv2DState& s, Index batch) const {
    const int threads = productThreads(double(batch) * multiplyAddsPerSample());
    return int(std::min<Index>({threads, Index(s.threads.size()), batch}));
}

void Conv2D::forwardDirect(const float* params, ConstMatrixMap x, MatrixMap y,
                           Conv2DState& s) const {
    const conv::Geometry& g = m_geometry;
    const Index width = g.paddedFilters();
    for (Index e = 0; e < g.patch(); ++e) {
        std::copy_n(params + e * m_filters, m_filters, s.kpad.data() + e * width);
    }
    std::copy_n(params + g.patch() * m_filters, m_filters, s.bpad.data());
    runOnThreads(directThreads(s, x.rows()), [&] {
        ConvThreadScratch& scratch = s.threads[std::size_t(omp_get_thread_num())];
        const Share samples = threadShare(x.rows());
        for (Index i = samples.begin; i < samples.begin + samples.size; ++i) {
            const float* image = conv::padImage(g, x.row(i).data(), scratch.image.data());
            conv::forwardSample(g, image, s.kpad.data(), s.bpad.data(), y.row(i).data());
        }
    });
}

void Conv2D::backwardDirect(const float* params, ConstMatrixMap x, ConstMatrixMap dy,
                            MatrixMap* dx, float* dParams, Conv2DState& s) const {
    const conv::Geometry& g = m_geometry;
    const Index width = g.paddedFilters(), paddedRun = g.paddedRun();
    if (dx != nullptr) { // kt[ky][f][j] = K[ky · run + j][f]
        for (int ky = 0; ky < g.kernel; ++ky) {
            for (int f = 0; f < m_filters; ++f) {
                float* row = s.kt.data() + (Index{ky} * m_filters + f) * paddedRun;
                for (Index j = 0; j < g.runFloats(); ++j) {
                    row[j] = params[(ky * g.runFloats() + j) * m_filters + f];
                }
            }
        }
    }
    const int threads = directThreads(s, dy.rows());
    for (int t = 0; t < threads; ++t) { // zeroed here: a nested region may run on fewer threads
        std::fill(s.threads[std::size_t(t)].dk.begin(), s.threads[std::size_t(t)].dk.end(), 0.0f);
        std::fill(s.threads[std::size_t(t)].db.begin(), s.threads[std::size_t(t)].db.end(), 0.0f);
    }
    runOnThreads(threads, [&] {
        ConvThreadScratch& scratch = s.threads[std::size_t(omp_get_thread_num())];
        const Share samples = threadShare(dy.rows());
        for (Index i = samples.begin; i < samples.begin + samples.size; ++i) {
            const float* image = conv::padImage(g, x.row(i).data(), scratch.image.data());
            const float* gi = dy.row(i).data();
            conv::padFilters(g, gi, scratch.gpad.data());
            conv::weightGradientSample(g, m_entryOffsets.data(), image, scratch.gpad.data(),
                                       scratch.dk.data(), scratch.db.data());
            if (dx != nullptr) inputGradient(gi, s.kt.data(), scratch, dx->row(i).data());
        }
    });
    // The threads' shares, added in thread order.
    for (int t = 0; t < threads; ++t) {
        const ConvThreadScratch& scratch = s.threads[std::size_t(t)];
        for (Index e = 0; e < g.patch(); ++e) {
            for (int f = 0; f < m_filters; ++f) {
                dParams[e * m_filters + f] += scratch.dk[std::size_t(e * width + f)];
            }
        }
        for (int f = 0; f < m_filters; ++f) {
            dParams[g.patch() * m_filters + f] += scratch.db[std::size_t(f)];
        }
    }
}

// Without padding the kernel adds straight into dx; with it, into the padded scratch image,
// whose interior is then added into dx.
void Conv2D::inputGradient(const float* dy, const float* kt, ConvThreadScratch& scratch,
                           float* dx) const {
    const conv::Geometry& g = m_geometry;
    if (g.padding == 0) {
        conv::inputGradientSample(g, dy, kt, dx);
        return;
    }
    std::fill(scratch.dImage.begin(), scratch.dImage.end(), 0.0f);
    conv::inputGradientSample(g, dy, kt, scratch.dImage.data());
    const Index run = Index{g.width} * g.channels;
    for (int row = 0; row < g.height; ++row) {
        const float* src = scratch.dImage.data() + (Index{row} + g.padding) * g.rowFloats() +
                           Index{g.padding} * g.channels;
        float* dst = dx + row * run;
        for (Index i = 0; i < run; ++i) dst[i] += src[i];
    }
}

} // namespace mtl::core
