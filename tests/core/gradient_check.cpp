#include "gradient_check.h"

#include <cmath>

namespace mtl::test {

void expectGradientMatches(const std::string& what, float* x, Index size, const float* analytic,
                           const std::function<double()>& f, int maxChecks, float epsilon,
                           double tolerance) {
    const Index stride = std::max<Index>(1, size / maxChecks);
    for (Index i = 0; i < size; i += stride) {
        const float saved = x[i];
        x[i] = saved + epsilon;
        const double plus = f();
        x[i] = saved - epsilon;
        const double minus = f();
        x[i] = saved;
        const double numeric = (plus - minus) / (2.0 * double(epsilon));
        const double a = analytic[i];
        const double scale = std::max({1.0, std::abs(a), std::abs(numeric)});
        EXPECT_NEAR(a, numeric, tolerance * scale) << what << " at index " << i;
    }
}

core::Matrix inputsAwayFromZero(Index rows, Index cols, std::uint64_t seed) {
    core::Rng rng(seed);
    std::uniform_real_distribution<float> magnitude(0.1f, 1.1f);
    std::bernoulli_distribution sign(0.5);
    core::Matrix x(rows, cols);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = (sign(rng) ? 1.0f : -1.0f) * magnitude(rng);
    return x;
}

void expectLayerGradients(const core::Layer& layer, const core::Matrix& input, std::uint64_t seed) {
    using namespace core;
    const Index batch = input.rows();
    const Index out = layer.outputShape().size();
    Rng rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);

    Vector params(layer.parameterCount());
    layer.initialize(std::span(params.data(), std::size_t(params.size())), rng);
    for (Index i = 0; i < params.size(); ++i) params[i] += 0.1f * normal(rng); // biases ≠ 0, γ ≠ 1
    Matrix x = input;
    Matrix r(batch, out);
    for (Index i = 0; i < r.size(); ++i) r.data()[i] = normal(rng);

    auto state = layer.makeState(batch);
    Matrix y(batch, out);
    // Each forward draws its dropout mask from a fresh generator with the same seed.
    auto forward = [&] {
        Rng maskRng(seed + 1);
        const ForwardContext context{true, &maskRng};
        layer.forward(params.data(), ConstMatrixMap(x.data(), batch, x.cols()),
                      MatrixMap(y.data(), batch, out), state.get(), context);
    };
    auto loss = [&] {
        forward();
        return (y.cast<double>().array() * r.cast<double>().array()).sum();
    };

    forward();
    Vector dParams = Vector::Zero(params.size());
    Matrix dx = Matrix::Zero(batch, x.cols());
    MatrixMap dxMap(dx.data(), batch, x.cols());
    layer.backward(params.data(), ConstMatrixMap(x.data(), batch, x.cols()),
                   ConstMatrixMap(y.data(), batch, out), ConstMatrixMap(r.data(), batch, out),
                   &dxMap, dParams.data(), state.get());

    if (params.size() > 0) {
        expectGradientMatches("parameter", params.data(), params.size(), dParams.data(), loss);
    }
    expectGradientMatches("input", x.data(), x.size(), dx.data(), loss);
}

} // namespace mtl::test
