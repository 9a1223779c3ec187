// Conv2D against a convolution written as plain loops: forward output, weight, bias and input
// gradients, for shapes that exercise every kernel block (1–3 vectors of filters, partial last
// vectors, rows of 1–8 positions, strides, padding), the im2col path of wide layers, and one and
// two threads.

#include "layers/conv2d.h"
#include "util/threads.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace mtl::core;

namespace {

struct Case {
    Shape input;
    int filters, kernel, stride, padding;
    Index batch;
};

struct Result {
    Matrix y, dx;
    Vector dParams;
};

// y[n][oy][ox][f] = b[f] + Σ x[n][oy·s − p + ky][ox·s − p + kx][c] · K[(ky·k + kx)·C + c][f]
Result reference(const Case& c, const Conv2D& layer, const Vector& params, const Matrix& x,
                 const Matrix& dy) {
    const Shape in = c.input, out = layer.outputShape();
    const Index patch = Index{c.kernel} * c.kernel * in.channels;
    Result r{Matrix::Zero(x.rows(), out.size()), Matrix::Zero(x.rows(), x.cols()),
             Vector::Zero(params.size())};
    const auto pixel = [&](int y, int xx, int ch) { return (Index{y} * in.width + xx) * in.channels + ch; };
    for (Index n = 0; n < x.rows(); ++n) {
        for (int oy = 0; oy < out.height; ++oy) {
            for (int ox = 0; ox < out.width; ++ox) {
                for (int f = 0; f < c.filters; ++f) {
                    const Index o = (Index{oy} * out.width + ox) * c.filters + f;
                    double sum = params[patch * c.filters + f];
                    r.dParams[patch * c.filters + f] += dy(n, o);
                    for (int ky = 0; ky < c.kernel; ++ky) {
                        for (int kx = 0; kx < c.kernel; ++kx) {
                            const int iy = oy * c.stride - c.padding + ky;
                            const int ix = ox * c.stride - c.padding + kx;
                            if (iy < 0 || iy >= in.height || ix < 0 || ix >= in.width) continue;
                            for (int ch = 0; ch < in.channels; ++ch) {
                                const Index e = (Index{ky} * c.kernel + kx) * in.channels + ch;
                                const float w = params[e * c.filters + f];
                                sum += double(x(n, pixel(iy, ix, ch))) * w;
                                r.dParams[e * c.filters + f] += x(n, pixel(iy, ix, ch)) * dy(n, o);
                                r.dx(n, pixel(iy, ix, ch)) += w * dy(n, o);
                            }
                        }
                    }
                    r.y(n, o) = float(sum);
                }
            }
        }
    }
    return r;
}

void expectClose(const char* what, const float* actual, const float* expected, Index size) {
    for (Index i = 0; i < size; ++i) {
        const float tolerance = 1e-4f * std::max(1.0f, std::abs(expected[i]));
        ASSERT_NEAR(actual[i], expected[i], tolerance) << what << " [" << i << "]";
    }
}

void check(const Case& c) {
    SCOPED_TRACE(testing::Message() << c.input.height << "x" << c.input.width << "x"
                                    << c.input.channels << " filters " << c.filters << " kernel "
                                    << c.kernel << " stride " << c.stride << " padding "
                                    << c.padding << " batch " << c.batch);
    const Conv2D layer(c.input, c.filters, c.kernel, c.stride, c.padding);
    Rng rng(5);
    Vector params(layer.parameterCount());
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (Index i = 0; i < params.size(); ++i) params[i] = uniform(rng);
    Matrix x(c.batch, c.input.size()), dy(c.batch, layer.outputShape().size());
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = uniform(rng);
    for (Index i = 0; i < dy.size(); ++i) dy.data()[i] = uniform(rng);
    const Result expected = reference(c, layer, params, x, dy);

    for (int threads : {1, 2}) {
        SCOPED_TRACE(threads);
        setThreadCount(threads);
        auto state = layer.makeState(c.batch);
        Matrix y(c.batch, layer.outputShape().size());
        MatrixMap yMap(y.data(), y.rows(), y.cols());
        layer.forward(params.data(), ConstMatrixMap(x.data(), x.rows(), x.cols()), yMap,
                      state.get(), {});
        expectClose("y", y.data(), expected.y.data(), y.size());

        // backward adds into dx and dParams: start both from 1.
        Matrix dx = Matrix::Ones(x.rows(), x.cols());
        Vector dParams = Vector::Ones(params.size());
        MatrixMap dxMap(dx.data(), dx.rows(), dx.cols());
        layer.backward(params.data(), ConstMatrixMap(x.data(), x.rows(), x.cols()),
                       ConstMatrixMap(y.data(), y.rows(), y.cols()),
                       ConstMatrixMap(dy.data(), dy.rows(), dy.cols()), &dxMap, dParams.data(),
                       state.get());
        const Matrix expectedDx = expected.dx.array() + 1.0f;
        const Vector expectedDParams = expected.dParams.array() + 1.0f;
        expectClose("dx", dx.data(), expectedDx.data(), dx.size());
        expectClose("dParams", dParams.data(), expectedDParams.data(), dParams.size());
    }
    setThreadCount(0);
}

} // namespace

TEST(Conv2DKernels, OneVectorOfFilters) {
    check({Shape{28, 28, 1}, 10, 5, 1, 0, 3}); // LeNet's first layer: rows of 8 + 8 + 8
    check({Shape{7, 9, 2}, 1, 3, 1, 0, 2});    // one filter; rows of 7
    check({Shape{6, 6, 3}, 16, 3, 2, 1, 2});   // a whole vector; stride 2, padding
}

TEST(Conv2DKernels, TwoAndThreeVectorsOfFilters) {
    check({Shape{12, 12, 10}, 20, 5, 1, 0, 2}); // LeNet's second layer
    check({Shape{9, 11, 3}, 17, 3, 1, 2, 2});   // one lane into the second vector
    check({Shape{8, 8, 4}, 33, 3, 3, 1, 2});    // stride 3
    check({Shape{5, 5, 5}, 48, 2, 1, 0, 2});    // widest direct layer
}

TEST(Conv2DKernels, WideLayersUseTheMatrixProduct) {
    check({Shape{6, 7, 3}, 49, 3, 1, 1, 2});
}

TEST(Conv2DKernels, ThreadsSplitLargeBatches) {
    // 40 samples × 144,000 multiply-adds: worth splitting, so the two-thread pass is parallel.
    check({Shape{28, 28, 1}, 10, 5, 1, 0, 40});
    check({Shape{12, 12, 10}, 20, 5, 1, 1, 13});
}
