// Optimizer updates against PyTorch's definitions written out by hand; schedules.

#include "train/optimizer.h"
#include "train/schedule.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mtl::core;

namespace {

Vector vec(std::initializer_list<float> values) {
    Vector v(static_cast<Index>(values.size()));
    Index i = 0;
    for (float x : values) v[i++] = x;
    return v;
}

} // namespace

TEST(Optimizer, SgdWithMomentumAndNesterov) {
    OptimizerSettings s;
    s.kind = OptimizerKind::SGD;
    s.momentum = 0.5f;
    Optimizer plain(s, 1);
    Vector theta = vec({1.0f}), g = vec({2.0f}), mask = vec({1.0f});
    plain.step(theta, g, mask, 0.1f); // v = 2, θ = 1 − 0.2
    EXPECT_FLOAT_EQ(theta[0], 0.8f);
    plain.step(theta, g, mask, 0.1f); // v = 0.5·2 + 2 = 3, θ = 0.8 − 0.3
    EXPECT_FLOAT_EQ(theta[0], 0.5f);

    s.nesterov = true;
    Optimizer nesterov(s, 1);
    theta = vec({1.0f});
    nesterov.step(theta, g, mask, 0.1f); // v = 2, θ −= 0.1 (2 + 0.5·2)
    EXPECT_FLOAT_EQ(theta[0], 0.7f);
}

TEST(Optimizer, AdamFirstStepMovesByLearningRate) {
    OptimizerSettings s; // Adam
    Optimizer adam(s, 2);
    Vector theta = vec({1.0f, -1.0f}), g = vec({0.3f, -5.0f}), mask = vec({1.0f, 1.0f});
    adam.step(theta, g, mask, 0.01f); // bias-corrected: m̂ = g, v̂ = g², step = lr·sign(g)
    EXPECT_NEAR(theta[0], 0.99f, 1e-6);
    EXPECT_NEAR(theta[1], -0.99f, 1e-6);
}

TEST(Optimizer, AdamSecondStepByHand) {
    OptimizerSettings s;
    Optimizer adam(s, 1);
    Vector theta = vec({0.0f}), mask = vec({1.0f});
    adam.step(theta, vec({1.0f}), mask, 0.1f);
    adam.step(theta, vec({0.5f}), mask, 0.1f);
    const double m = 0.9 * 0.1 + 0.1 * 0.5, v = 0.999 * 0.001 + 0.001 * 0.25;
    const double mHat = m / (1 - 0.81), vHat = v / (1 - 0.999 * 0.999);
    EXPECT_NEAR(theta[0], -0.1 - 0.1 * mHat / (std::sqrt(vHat) + 1e-8), 1e-6);
}

TEST(Optimizer, WeightDecayOnlyOnWeights) {
    OptimizerSettings s;
    s.kind = OptimizerKind::AdamW;
    s.weightDecay = 0.5f;
    Optimizer adamw(s, 2);
    Vector theta = vec({2.0f, 2.0f}), g = vec({0.0f, 0.0f}), mask = vec({1.0f, 0.0f});
    adamw.step(theta, g, mask, 0.1f); // decoupled: θ −= lr·λ·θ on the weight only
    EXPECT_FLOAT_EQ(theta[0], 2.0f - 0.1f * 0.5f * 2.0f);
    EXPECT_FLOAT_EQ(theta[1], 2.0f);
}

TEST(Optimizer, RmsProp) {
    OptimizerSettings s;
    s.kind = OptimizerKind::RMSprop;
    Optimizer rms(s, 1);
    Vector theta = vec({1.0f}), mask = vec({1.0f});
    rms.step(theta, vec({2.0f}), mask, 0.01f); // v = 0.01·4, θ −= 0.01·2/sqrt(0.04)
    EXPECT_NEAR(theta[0], 1.0f - 0.01f * 2.0f / 0.2f, 1e-6);
}

TEST(Schedule, WarmupStepAndCosine) {
    ScheduleSettings s;
    s.warmupSteps = 4;
    EXPECT_FLOAT_EQ(learningRateAt(s, 1.0f, 0, 10, 100), 0.25f);
    EXPECT_FLOAT_EQ(learningRateAt(s, 1.0f, 3, 10, 100), 1.0f);
    EXPECT_FLOAT_EQ(learningRateAt(s, 1.0f, 50, 10, 100), 1.0f);

    s = {};
    s.kind = ScheduleKind::Step;
    s.stepEpochs = 2;
    s.gamma = 0.5f;
    EXPECT_FLOAT_EQ(learningRateAt(s, 1.0f, 19, 10, 100), 1.0f);
    EXPECT_FLOAT_EQ(learningRateAt(s, 1.0f, 20, 10, 100), 0.5f);
    EXPECT_FLOAT_EQ(learningRateAt(s, 1.0f, 45, 10, 100), 0.25f);

    s = {};
    s.kind = ScheduleKind::Cosine;
    s.minLearningRate = 0.1f;
    EXPECT_FLOAT_EQ(learningRateAt(s, 1.0f, 0, 10, 100), 1.0f);
    EXPECT_NEAR(learningRateAt(s, 1.0f, 50, 10, 100), 0.55f, 1e-6);
    EXPECT_NEAR(learningRateAt(s, 1.0f, 100, 10, 100), 0.1f, 1e-6);
}

// The trainer's form: the same update as step(), and the gradient left at zero for the next
// backward — for every rule, with and without weight decay (the two Adam loops).
TEST(Optimizer, StepAndClearUpdatesLikeStepAndClearsTheGradient) {
    for (OptimizerKind kind : {OptimizerKind::SGD, OptimizerKind::Adam, OptimizerKind::AdamW,
                               OptimizerKind::RMSprop}) {
        for (float decay : {0.0f, 0.1f}) {
            SCOPED_TRACE(testing::Message() << int(kind) << " decay " << decay);
            OptimizerSettings s;
            s.kind = kind;
            s.weightDecay = decay;
            Optimizer reading(s, 3), clearing(s, 3);
            Vector a = vec({1.0f, -2.0f, 0.5f}), b = a, mask = vec({1.0f, 0.0f, 1.0f});
            for (int step = 0; step < 2; ++step) {
                const Vector g = vec({0.3f, -1.5f, 2.0f + float(step)});
                Vector consumed = g;
                reading.step(a, g, mask, 0.05f);
                clearing.stepAndClear(b, consumed, mask, 0.05f);
                EXPECT_EQ(a, b);
                EXPECT_TRUE(consumed.isZero());
            }
        }
    }
}
