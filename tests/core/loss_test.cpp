// Losses: values against hand computation, finite-difference gradients, missing targets.

#include "gradient_check.h"

#include "train/loss.h"

#include <cmath>
#include <limits>

using namespace mtl::core;

namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

double lossOf(LossKind kind, const Matrix& out, const Matrix& target, float delta = 1.0f) {
    return evaluateLoss(kind, delta, ConstMatrixMap(out.data(), out.rows(), out.cols()),
                        ConstMatrixMap(target.data(), target.rows(), target.cols()))
        .sum;
}

void expectLossGradient(LossKind kind, Matrix out, const Matrix& target) {
    Matrix grad = Matrix::Zero(out.rows(), out.cols());
    addLossGradient(kind, 1.0f, ConstMatrixMap(out.data(), out.rows(), out.cols()),
                    ConstMatrixMap(target.data(), target.rows(), target.cols()), 1.0f,
                    MatrixMap(grad.data(), grad.rows(), grad.cols()));
    mtl::test::expectGradientMatches(
        "loss", out.data(), out.size(), grad.data(), [&] { return lossOf(kind, out, target); },
        80, 1e-3f, 1e-2);
}

} // namespace

TEST(Loss, ValuesByHand) {
    Matrix out(2, 1), target(2, 1);
    out << 1.0f, -2.0f;
    target << 0.0f, 1.0f;
    EXPECT_DOUBLE_EQ(lossOf(LossKind::MSE, out, target), 1.0 + 9.0);
    EXPECT_DOUBLE_EQ(lossOf(LossKind::MAE, out, target), 1.0 + 3.0);
    EXPECT_DOUBLE_EQ(lossOf(LossKind::Huber, out, target), 0.5 + (3.0 - 0.5));
    // BCE with logits: −[t log σ(z) + (1 − t) log(1 − σ(z))]
    const double bce = -std::log(1.0 - 1.0 / (1.0 + std::exp(-1.0))) -
                       std::log(1.0 / (1.0 + std::exp(2.0)));
    EXPECT_NEAR(lossOf(LossKind::BinaryCrossEntropy, out, target), bce, 1e-6);
}

TEST(Loss, SoftmaxCrossEntropyByHand) {
    Matrix out(1, 3), target(1, 1);
    out << 1.0f, 2.0f, 3.0f;
    target << 2.0f;
    const double expected = -std::log(std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0)));
    EXPECT_NEAR(lossOf(LossKind::SoftmaxCrossEntropy, out, target), expected, 1e-6);
}

TEST(Loss, SoftmaxIsStableForHugeLogits) {
    Matrix out(1, 2), target(1, 1);
    out << 1000.0f, -1000.0f;
    target << 1.0f;
    EXPECT_NEAR(lossOf(LossKind::SoftmaxCrossEntropy, out, target), 2000.0, 1e-3);
}

TEST(LossGradient, Regression) {
    const Matrix out = mtl::test::inputsAwayFromZero(5, 3, 1);
    const Matrix target = mtl::test::inputsAwayFromZero(5, 3, 2) * 2.0f;
    expectLossGradient(LossKind::MSE, out, target);
    expectLossGradient(LossKind::MAE, out, target);
    expectLossGradient(LossKind::Huber, out, target);
}

TEST(LossGradient, BinaryCrossEntropy) {
    Matrix target(4, 2);
    target << 0, 1, 1, 1, 0, 0, 1, 0;
    expectLossGradient(LossKind::BinaryCrossEntropy, mtl::test::inputsAwayFromZero(4, 2, 3), target);
}

TEST(LossGradient, SoftmaxCrossEntropy) {
    Matrix target(4, 1);
    target << 0, 3, 1, 2;
    expectLossGradient(LossKind::SoftmaxCrossEntropy, mtl::test::inputsAwayFromZero(4, 4, 4), target);
}

TEST(Loss, MissingTargetsAreLeftOut) {
    Matrix out(3, 1), target(3, 1);
    out << 1.0f, 5.0f, 2.0f;
    target << 0.0f, kMissing, 0.0f;
    const LossValue value = evaluateLoss(LossKind::MSE, 1.0f, ConstMatrixMap(out.data(), 3, 1),
                                         ConstMatrixMap(target.data(), 3, 1));
    EXPECT_EQ(value.count, 2);
    EXPECT_DOUBLE_EQ(value.mean(), (1.0 + 4.0) / 2.0);
    Matrix grad = Matrix::Zero(3, 1);
    addLossGradient(LossKind::MSE, 1.0f, ConstMatrixMap(out.data(), 3, 1),
                    ConstMatrixMap(target.data(), 3, 1), 1.0f, MatrixMap(grad.data(), 3, 1));
    EXPECT_EQ(grad(1, 0), 0.0f);
    EXPECT_EQ(grad(0, 0), 2.0f);

    Matrix logits(2, 3), classes(2, 1);
    logits.setOnes();
    classes << kMissing, 1.0f;
    const LossValue ce = evaluateLoss(LossKind::SoftmaxCrossEntropy, 1.0f,
                                      ConstMatrixMap(logits.data(), 2, 3),
                                      ConstMatrixMap(classes.data(), 2, 1));
    EXPECT_EQ(ce.count, 1);
    EXPECT_NEAR(ce.mean(), std::log(3.0), 1e-6);
}

TEST(Loss, AllMissingGivesNaNMean) {
    Matrix out = Matrix::Ones(2, 1), target = Matrix::Constant(2, 1, kMissing);
    const LossValue value = evaluateLoss(LossKind::MSE, 1.0f, ConstMatrixMap(out.data(), 2, 1),
                                         ConstMatrixMap(target.data(), 2, 1));
    EXPECT_EQ(value.count, 0);
    EXPECT_TRUE(std::isnan(value.mean()));
}
