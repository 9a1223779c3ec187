// Metrics against values computed by hand.

#include "train/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mtl::core;

namespace {

double metric(MetricKind m, LossKind loss, const Matrix& out, const Matrix& target) {
    return computeMetric(m, loss, ConstMatrixMap(out.data(), out.rows(), out.cols()),
                         ConstMatrixMap(target.data(), target.rows(), target.cols()));
}

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

} // namespace

TEST(Metrics, Regression) {
    Matrix out(4, 1), target(4, 1);
    out << 1, 2, 3, 5;
    target << 1, 2, 4, 3;
    EXPECT_DOUBLE_EQ(metric(MetricKind::MSE, LossKind::MSE, out, target), (0 + 0 + 1 + 4) / 4.0);
    EXPECT_DOUBLE_EQ(metric(MetricKind::RMSE, LossKind::MSE, out, target), std::sqrt(5.0 / 4.0));
    EXPECT_DOUBLE_EQ(metric(MetricKind::MAE, LossKind::MSE, out, target), 3.0 / 4.0);
    // mean target 2.5: SS_tot = 2.25 + 0.25 + 2.25 + 0.25 = 5, SS_res = 5
    EXPECT_DOUBLE_EQ(metric(MetricKind::R2, LossKind::MSE, out, target), 0.0);
    target(3, 0) = kMissing; // leaves rows 1–3: SS_res = 1, mean 7/3
    const double ssTot = std::pow(1 - 7.0 / 3, 2) + std::pow(2 - 7.0 / 3, 2) + std::pow(4 - 7.0 / 3, 2);
    EXPECT_NEAR(metric(MetricKind::R2, LossKind::MSE, out, target), 1.0 - 1.0 / ssTot, 1e-12);
}

TEST(Metrics, SoftmaxAccuracyAndMacroF1) {
    Matrix logits(4, 3), target(4, 1);
    logits << 3, 0, 0,  // predicts 0
              0, 3, 0,  // predicts 1
              0, 3, 0,  // predicts 1
              0, 0, 3;  // predicts 2
    target << 0, 1, 2, 2;
    EXPECT_DOUBLE_EQ(metric(MetricKind::Accuracy, LossKind::SoftmaxCrossEntropy, logits, target), 0.75);
    // F1: class 0 = 1, class 1 = 2·1/(2+1+0) = 2/3, class 2 = 2·1/(2+0+1) = 2/3
    EXPECT_NEAR(metric(MetricKind::MacroF1, LossKind::SoftmaxCrossEntropy, logits, target),
                (1.0 + 2.0 / 3 + 2.0 / 3) / 3.0, 1e-12);
}

TEST(Metrics, RocAucCountsOrderedPairsAndTies) {
    Matrix scores(4, 1), labels(4, 1);
    scores << 0.1f, 0.4f, 0.35f, 0.8f;
    labels << 0, 0, 1, 1;
    // positives {0.35, 0.8} vs negatives {0.1, 0.4}: 3 of 4 pairs ordered
    EXPECT_DOUBLE_EQ(metric(MetricKind::RocAuc, LossKind::BinaryCrossEntropy, scores, labels), 0.75);
    scores << 0.5f, 0.5f, 0.5f, 0.5f;
    EXPECT_DOUBLE_EQ(metric(MetricKind::RocAuc, LossKind::BinaryCrossEntropy, scores, labels), 0.5);
    labels << 1, 1, 1, 1;
    EXPECT_TRUE(std::isnan(metric(MetricKind::RocAuc, LossKind::BinaryCrossEntropy, scores, labels)));
}

TEST(Metrics, BinaryAccuracyThresholdsLogitsAtZero) {
    Matrix logits(3, 1), labels(3, 1);
    logits << -1.0f, 2.0f, 0.5f;
    labels << 0, 1, 0;
    EXPECT_NEAR(metric(MetricKind::Accuracy, LossKind::BinaryCrossEntropy, logits, labels), 2.0 / 3, 1e-12);
}

TEST(Metrics, DirectionFlags) {
    EXPECT_TRUE(higherIsBetter(MetricKind::Accuracy));
    EXPECT_TRUE(higherIsBetter(MetricKind::R2));
    EXPECT_FALSE(higherIsBetter(MetricKind::RMSE));
    EXPECT_EQ(defaultMetrics(LossKind::SoftmaxCrossEntropy, 2).size(), 3U);
    EXPECT_EQ(defaultMetrics(LossKind::SoftmaxCrossEntropy, 5).size(), 2U);
}
