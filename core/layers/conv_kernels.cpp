#include "layers/conv_kernels.h"

#include "util/simd.h"

#include <algorithm>
#include <array>
#include <utility>

namespace mtl::core::conv {
namespace {

using simd::kLanes;
using simd::Vec;

// Register blocks: output positions per forward block, kernel entries per weight-gradient block
// (by vectors of filters: accumulators stay within 24 of AVX-512's 32 registers), output
// positions and vectors of a window row per input-gradient block.
constexpr int kPositionsPerBlock = 8;
constexpr std::array<int, 3> kEntriesPerBlock{24, 12, 8};
constexpr int kRowVectorsPerBlock = 4;
constexpr int kRowPositionsPerBlock = 4;

// R neighbouring output positions × V vectors of filters.
template <int V, int R>
void forwardBlock(const Geometry& g, const float* window, const float* kpad, const float* bpad,
                  float* out) {
    const Index row = g.rowFloats(), run = g.runFloats();
    const Index step = Index{g.stride} * g.channels; // from one window to the next
    Vec acc[R][V];
    for (int v = 0; v < V; ++v) {
        const Vec b = simd::load(bpad + v * kLanes);
        for (int r = 0; r < R; ++r) acc[r][v] = b;
    }
    const float* w = kpad;
    for (int ky = 0; ky < g.kernel; ++ky) {
        const float* src = window + ky * row;
        for (Index j = 0; j < run; ++j, w += V * kLanes) {
            Vec wv[V];
            for (int v = 0; v < V; ++v) wv[v] = simd::load(w + v * kLanes);
            for (int r = 0; r < R; ++r) {
                const float x = src[r * step + j];
                for (int v = 0; v < V; ++v) acc[r][v] += wv[v] * x;
            }
        }
    }
    const int lastLanes = g.filters - (V - 1) * kLanes;
    for (int r = 0; r < R; ++r) {
        float* o = out + Index{r} * g.filters;
        for (int v = 0; v + 1 < V; ++v) simd::store(o + v * kLanes, acc[r][v]);
        simd::storeFirst(o + (V - 1) * kLanes, acc[r][V - 1], lastLanes);
    }
}

// NE kernel entries × V vectors of filters, summed over every output position.
template <int V, int NE>
void weightBlock(const Geometry& g, const Index* offsets, const float* image, const float* gpad,
                 float* dk) {
    const Index row = g.rowFloats(), step = Index{g.stride} * g.channels;
    constexpr Index kStride = Index{V} * kLanes;
    Vec acc[NE][V];
    Index offset[NE];
    for (int e = 0; e < NE; ++e) {
        offset[e] = offsets[e];
        for (int v = 0; v < V; ++v) acc[e][v] = simd::load(dk + e * kStride + v * kLanes);
    }
    const float* gp = gpad;
    for (int oy = 0; oy < g.outHeight; ++oy) {
        const float* base = image + oy * g.stride * row;
        for (int ox = 0; ox < g.outWidth; ++ox, base += step, gp += kStride) {
            Vec gv[V];
            for (int v = 0; v < V; ++v) gv[v] = simd::load(gp + v * kLanes);
            for (int e = 0; e < NE; ++e) {
                const float x = base[offset[e]];
                for (int v = 0; v < V; ++v) acc[e][v] += gv[v] * x;
            }
        }
    }
    for (int e = 0; e < NE; ++e) {
        for (int v = 0; v < V; ++v) simd::store(dk + e * kStride + v * kLanes, acc[e][v]);
    }
}

// One window row's gradient for R neighbouring output positions (windows `step` floats apart),
// U vectors of the row: dst_r[j] += Σ_f dy_r[f] · kt[f][j]. The positions share each load of kt.
template <int U, int R>
void inputRowBlock(const float* dy, int filters, const float* kt, Index paddedRun, float* dst,
                   Index step, int lastLanes) {
    Vec acc[R][U] = {};
    for (int f = 0; f < filters; ++f) {
        Vec k[U];
        for (int u = 0; u < U; ++u) k[u] = simd::load(kt + f * paddedRun + u * kLanes);
        for (int r = 0; r < R; ++r) {
            const float gf = dy[r * filters + f];
            for (int u = 0; u < U; ++u) acc[r][u] += k[u] * gf;
        }
    }
    for (int r = 0; r < R; ++r) { // one after the other: neighbouring windows overlap
        float* d = dst + r * step;
        for (int u = 0; u + 1 < U; ++u) {
            simd::store(d + u * kLanes, simd::load(d + u * kLanes) + acc[r][u]);
        }
        float* last = d + (U - 1) * kLanes;
        simd::storeFirst(last, simd::loadFirst(last, lastLanes) + acc[r][U - 1], lastLanes);
    }
}

// Tables of the instantiations, indexed [V − 1][block size − 1].
using ForwardKernel = void (*)(const Geometry&, const float*, const float*, const float*, float*);
using WeightKernel = void (*)(const Geometry&, const Index*, const float*, const float*, float*);
using RowKernel = void (*)(const float*, int, const float*, Index, float*, Index, int);

template <int V, std::size_t... R>
constexpr std::array<ForwardKernel, sizeof...(R)> forwardRow(std::index_sequence<R...>) {
    return {&forwardBlock<V, int(R) + 1>...};
}
template <int V, std::size_t... E>
constexpr std::array<WeightKernel, 24> weightRow(std::index_sequence<E...>) {
    std::array<WeightKernel, 24> row{};
    ((row[E] = &weightBlock<V, int(E) + 1>), ...);
    return row;
}
template <int R, std::size_t... U>
constexpr std::array<RowKernel, sizeof...(U)> rowKernels(std::index_sequence<U...>) {
    return {&inputRowBlock<int(U) + 1, R>...};
}

constexpr auto kPositions = std::make_index_sequence<kPositionsPerBlock>{};
constexpr std::array<std::array<ForwardKernel, kPositionsPerBlock>, 3> kForward{
    forwardRow<1>(kPositions), forwardRow<2>(kPositions), forwardRow<3>(kPositions)};
constexpr std::array<std::array<WeightKernel, 24>, 3> kWeight{
    weightRow<1>(std::make_index_sequence<kEntriesPerBlock[0]>{}),
    weightRow<2>(std::make_index_sequence<kEntriesPerBlock[1]>{}),
    weightRow<3>(std::make_index_sequence<kEntriesPerBlock[2]>{})};
constexpr auto kRowVectors = std::make_index_sequence<kRowVectorsPerBlock>{};
constexpr std::array<std::array<RowKernel, kRowVectorsPerBlock>, kRowPositionsPerBlock> kRow{
    rowKernels<1>(kRowVectors), rowKernels<2>(kRowVectors), rowKernels<3>(kRowVectors),
    rowKernels<4>(kRowVectors)};

} // namespace

Index Geometry::paddedRun() const { return simd::roundUpToLanes(runFloats()); }
int Geometry::vectors() const { return (filters + kLanes - 1) / kLanes; }
Index Geometry::paddedFilters() const { return Index{vectors()} * kLanes; }

std::vector<Index> entryOffsets(const Geometry& g) {
    std::vector<Index> offsets;
    offsets.reserve(std::size_t(g.patch()));
    for (int ky = 0; ky < g.kernel; ++ky) {
        for (Index j = 0; j < g.runFloats(); ++j) offsets.push_back(ky * g.rowFloats() + j);
    }
    return offsets;
}

const float* padImage(const Geometry& g, const float* x, float* padded) {
    if (g.padding == 0) return x;
    const Index run = Index{g.width} * g.channels;
    for (int y = 0; y < g.height; ++y) {
        const float* src = x + y * run;
        std::copy(src, src + run, padded + (Index{y} + g.padding) * g.rowFloats() +
                                      Index{g.padding} * g.channels);
    }
    return padded;
}

void forwardSample(const Geometry& g, const float* image, const float* kpad, const float* bpad,
                   float* y) {
    const ForwardKernel* kernels = kForward[std::size_t(g.vectors() - 1)].data();
    const Index step = Index{g.stride} * g.channels;
    for (int oy = 0; oy < g.outHeight; ++oy) {
        const float* top = image + oy * g.stride * g.rowFloats();
        float* out = y + Index{oy} * g.outWidth * g.filters;
        for (int ox = 0; ox < g.outWidth; ox += kPositionsPerBlock) {
            const int r = std::min(kPositionsPerBlock, g.outWidth - ox);
            kernels[r - 1](g, top + ox * step, kpad, bpad, out + Index{ox} * g.filters);
        }
    }
}

void weightGradientSample(const Geometry& g, const Index* offsets, const float* image,
                          const float* gpad, float* dk, float* db) {
    const int vectors = g.vectors();
    const WeightKernel* kernels = kWeight[std::size_t(vectors - 1)].data();
    const Index patch = g.patch(), width = g.paddedFilters();
    // Blocks as even as possible, none wider than the registers allow.
    const Index most = kEntriesPerBlock[std::size_t(vectors - 1)];
    const Index blocks = (patch + most - 1) / most;
    for (Index b = 0, e = 0; b < blocks; ++b) {
        const Index end = patch * (b + 1) / blocks;
        kernels[end - e - 1](g, offsets + e, image, gpad, dk + e * width);
        e = end;
    }
    for (int v = 0; v < vectors; ++v) {
        Vec sum{};
        for (Index p = 0; p < g.positions(); ++p) sum += simd::load(gpad + p * width + v * kLanes);
        simd::store(db + v * kLanes, simd::load(db + v * kLanes) + sum);
    }
}

void inputGradientSample(const Geometry& g, const float* dy, const float* kt, float* dImage) {
    const Index row = g.rowFloats(), step = Index{g.stride} * g.channels;
    const Index paddedRun = g.paddedRun();
    const int vectors = int(paddedRun / kLanes);
    const int lastLanes = int(g.runFloats() - paddedRun + kLanes);
    for (int oy = 0; oy < g.outHeight; ++oy) {
        for (int ox = 0; ox < g.outWidth; ox += kRowPositionsPerBlock) {
            const int r = std::min(kRowPositionsPerBlock, g.outWidth - ox);
            const float* gp = dy + (Index{oy} * g.outWidth + ox) * g.filters;
            float* window = dImage + oy * g.stride * row + ox * step;
            for (int ky = 0; ky < g.kernel; ++ky) {
                const float* k = kt + Index{ky} * g.filters * paddedRun;
                for (int u = 0; u < vectors; u += kRowVectorsPerBlock) {
                    const int n = std::min(kRowVectorsPerBlock, vectors - u);
                    const int lanes = u + n == vectors ? lastLanes : kLanes;
                    kRow[std::size_t(r - 1)][std::size_t(n - 1)](
                        gp, g.filters, k + u * kLanes, paddedRun, window + ky * row + u * kLanes,
                        step, lanes);
                }
            }
        }
    }
}

void padFilters(const Geometry& g, const float* dy, float* gpad) {
    // Locals, not g's fields: a vector store may alias anything, so those would be read again.
    const Index width = g.paddedFilters(), positions = g.positions();
    const int filters = g.filters;
    for (Index p = 0; p < positions; ++p) {
        const float* src = dy + p * filters;
        float* dst = gpad + p * width;
        for (int f = 0; f < filters; f += kLanes) {
            simd::store(dst + f, simd::loadFirst(src + f, std::min(kLanes, filters - f)));
        }
    }
}

} // namespace mtl::core::conv
