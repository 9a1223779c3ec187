// Finite-difference gradient checks for every layer, and the add-into-dx contract.

#include "gradient_check.h"

#include "layers/activation.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/expert_gate.h"
#include "layers/flatten.h"
#include "layers/layer_norm.h"
#include "layers/max_pool2d.h"

#include <algorithm>
#include <numeric>

using namespace mtl::core;
using mtl::test::expectLayerGradients;
using mtl::test::inputsAwayFromZero;

TEST(LayerGradient, Dense) {
    expectLayerGradients(Dense(Shape::flat(7), 5, Init::He), inputsAwayFromZero(4, 7, 1));
    expectLayerGradients(Dense(Shape::flat(3), 9, Init::Xavier), inputsAwayFromZero(6, 3, 2));
}

TEST(LayerGradient, Activations) {
    for (ActivationKind kind : {ActivationKind::ReLU, ActivationKind::LeakyReLU, ActivationKind::Tanh,
                                ActivationKind::Sigmoid, ActivationKind::GELU}) {
        SCOPED_TRACE(static_cast<int>(kind));
        expectLayerGradients(Activation(Shape::flat(6), kind, 0.1f), inputsAwayFromZero(5, 6, 3));
    }
}

TEST(LayerGradient, ExpertGate) {
    // The gathered row [x_g (5) | f_1 | f_2 | f_3 (4 each)]: the gate's input and every expert get
    // a gradient, as do W and b.
    const ExpertGate gate(Shape::flat(5), 3, Shape::flat(4));
    EXPECT_EQ(gate.inputShape().size(), 5 + 3 * 4);
    EXPECT_EQ(gate.parameterCount(), 5 * 3 + 3);
    expectLayerGradients(gate, inputsAwayFromZero(6, 17, 12));
    // One expert: the gate is 1 and passes it through.
    expectLayerGradients(ExpertGate(Shape::flat(2), 1, Shape::flat(3)),
                         inputsAwayFromZero(3, 5, 13));
}

TEST(LayerGradient, Dropout) {
    expectLayerGradients(Dropout(Shape::flat(8), 0.4f), inputsAwayFromZero(5, 8, 4));
}

TEST(LayerGradient, LayerNorm) {
    expectLayerGradients(LayerNorm(Shape::flat(6)), inputsAwayFromZero(4, 6, 5));
}

TEST(LayerGradient, Flatten) {
    expectLayerGradients(Flatten(Shape{3, 3, 2}), inputsAwayFromZero(2, 18, 6));
}

TEST(LayerGradient, Conv2DWithStrideAndPadding) {
    expectLayerGradients(Conv2D(Shape{5, 6, 2}, 3, 3, 1, 0), inputsAwayFromZero(2, 60, 7));
    expectLayerGradients(Conv2D(Shape{6, 6, 2}, 4, 3, 2, 1), inputsAwayFromZero(3, 72, 8));
}

namespace {

// Distinct values 0.05 apart in random order, so a perturbation of 0.01 never changes which one
// of a pooling window is largest.
Matrix distinctValues(Index rows, Index cols, std::uint64_t seed) {
    Matrix x(rows, cols);
    std::vector<float> values(static_cast<std::size_t>(x.size()));
    std::iota(values.begin(), values.end(), 0.0f);
    Rng rng(seed);
    std::shuffle(values.begin(), values.end(), rng);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = 0.05f * values[std::size_t(i)] - 1.0f;
    return x;
}

} // namespace

TEST(LayerGradient, MaxPool2D) {
    const Shape in{4, 6, 2};
    expectLayerGradients(MaxPool2D(in, 2, 2), distinctValues(2, in.size(), 9));
}

TEST(LayerGradient, MaxPool2DOverManyChannels) {
    // 20 channels: a whole vector of 16 and a partial one; overlapping windows (stride 1).
    const Shape in{3, 4, 20};
    expectLayerGradients(MaxPool2D(in, 2, 1), distinctValues(2, in.size(), 10));
}

TEST(LayerContract, MaxPoolGivesATiedMaximumsGradientToItsFirstElement) {
    const MaxPool2D pool(Shape{2, 2, 3}, 2, 2); // one window of 4 positions, 3 channels
    // channel 0: all equal; channel 1: positions 1 and 3 tie; channel 2: position 2 alone
    Matrix x(1, 12);
    x << 5, 1, 0, 5, 7, 0, 5, 1, 9, 5, 7, 0;
    Matrix y(1, 3), dy(1, 3), dx = Matrix::Zero(1, 12);
    dy << 1, 2, 3;
    MatrixMap yMap(y.data(), 1, 3), dxMap(dx.data(), 1, 12);
    pool.forward(nullptr, ConstMatrixMap(x.data(), 1, 12), yMap, nullptr, {});
    EXPECT_EQ(y, (Matrix(1, 3) << 5, 7, 9).finished());
    pool.backward(nullptr, ConstMatrixMap(x.data(), 1, 12), ConstMatrixMap(y.data(), 1, 3),
                  ConstMatrixMap(dy.data(), 1, 3), &dxMap, nullptr, nullptr);
    EXPECT_EQ(dx, (Matrix(1, 12) << 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0).finished());
}

TEST(LayerContract, BackwardAddsIntoInputGradient) {
    const Dense dense(Shape::flat(3), 2, Init::He);
    Rng rng(1);
    Vector params(dense.parameterCount());
    dense.initialize(std::span(params.data(), std::size_t(params.size())), rng);
    Matrix x = inputsAwayFromZero(2, 3, 2), y(2, 2), dy = Matrix::Ones(2, 2);
    dense.forward(params.data(), ConstMatrixMap(x.data(), 2, 3), MatrixMap(y.data(), 2, 2),
                  nullptr, {});
    Matrix fresh = Matrix::Zero(2, 3), preset = Matrix::Constant(2, 3, 5.0f);
    Vector g1 = Vector::Zero(params.size()), g2 = Vector::Zero(params.size());
    MatrixMap freshMap(fresh.data(), 2, 3), presetMap(preset.data(), 2, 3);
    dense.backward(params.data(), ConstMatrixMap(x.data(), 2, 3), ConstMatrixMap(y.data(), 2, 2),
                   ConstMatrixMap(dy.data(), 2, 2), &freshMap, g1.data(), nullptr);
    dense.backward(params.data(), ConstMatrixMap(x.data(), 2, 3), ConstMatrixMap(y.data(), 2, 2),
                   ConstMatrixMap(dy.data(), 2, 2), &presetMap, g2.data(), nullptr);
    EXPECT_TRUE(preset.isApprox(fresh + Matrix::Constant(2, 3, 5.0f)));
    EXPECT_FALSE(fresh.isZero());
}

TEST(LayerShapes, ConvAndPoolOutputShapes) {
    EXPECT_EQ(Conv2D(Shape{28, 28, 1}, 10, 5, 1, 0).outputShape(), (Shape{24, 24, 10}));
    EXPECT_EQ(Conv2D(Shape{28, 28, 1}, 4, 3, 2, 1).outputShape(), (Shape{14, 14, 4}));
    EXPECT_EQ(MaxPool2D(Shape{24, 24, 10}, 2, 2).outputShape(), (Shape{12, 12, 10}));
    EXPECT_EQ(Flatten(Shape{4, 4, 20}).outputShape(), Shape::flat(320));
}

TEST(LayerBehaviour, DropoutIsIdentityAtInference) {
    const Dropout dropout(Shape::flat(10), 0.5f);
    auto state = dropout.makeState(3);
    const Matrix x = inputsAwayFromZero(3, 10, 3);
    Matrix y(3, 10);
    dropout.forward(nullptr, ConstMatrixMap(x.data(), 3, 10), MatrixMap(y.data(), 3, 10),
                    state.get(), ForwardContext{false, nullptr});
    EXPECT_EQ(y, x);
}

TEST(LayerBehaviour, DropoutKeepsExpectedFraction) {
    const Dropout dropout(Shape::flat(1000), 0.3f);
    auto state = dropout.makeState(10);
    const Matrix x = Matrix::Ones(10, 1000);
    Matrix y(10, 1000);
    Rng rng(5);
    dropout.forward(nullptr, ConstMatrixMap(x.data(), 10, 1000), MatrixMap(y.data(), 10, 1000),
                    state.get(), ForwardContext{true, &rng});
    const double kept = (y.array() > 0.0f).cast<double>().mean();
    EXPECT_NEAR(kept, 0.7, 0.02);
    EXPECT_NEAR(y.mean(), 1.0, 0.03); // inverted dropout preserves the mean
}
