// Task balancing: the small solvers on problems with known answers, the properties the papers
// prove for each method (on random Jacobians of up to 12 tasks), the method table and its
// parsing, and the trainer's per-task gradients (on parameters and on the representation)
// against the plain backward pass. The methods' numbers against an independent reference:
// tests/balancing/compare_reference.py.

#include "test_models.h"

#include "balancing/methods.h"
#include "balancing/solvers.h"
#include "balancing/task_gradients.h"
#include "train/trainer.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mtl::core;
using namespace mtl::core::balancing;

namespace {

// T random gradients of length p, some conflicting.
Matrix randomJacobian(int tasks, Index p, unsigned seed) {
    Rng rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    Matrix j(tasks, p);
    for (Index i = 0; i < j.size(); ++i)
        j.data()[i] = normal(rng);
    return j;
}

SmallMatrix gramOf(const Matrix& j) {
    const Eigen::MatrixXd jd = j.cast<double>();
    return SmallMatrix(jd * jd.transpose());
}

struct Outcome {
    Eigen::VectorXd d;
    SmallVector w;
};

// One step of `method` on J (every task present), as the trainer combines it.
Outcome step(const std::string& method, const Matrix& j, unsigned seed = 3) {
    const int tasks = int(j.rows());
    auto strategy = makeBalancingStrategy(parseBalancing(method), tasks, j.cols());
    std::vector<int> present(static_cast<std::size_t>(tasks));
    for (int t = 0; t < tasks; ++t)
        present[std::size_t(t)] = t;
    SmallVector losses = SmallVector::LinSpaced(tasks, 0.5, 2.0);
    const SmallMatrix gram = gramOf(j);
    const std::vector<float> user(std::size_t(tasks), 1.0f);
    Rng rng(seed);
    BalancingInput in;
    in.tasks = present;
    in.losses = &losses;
    in.gram = &gram;
    in.userWeights = user;
    in.learningRate = 0.01f;
    in.rng = &rng;
    Outcome out;
    strategy->combine(in, out.w);
    out.d = j.cast<double>().transpose() * Eigen::VectorXd(out.w);
    return out;
}

} // namespace

TEST(BalancingSolvers, MinNormOfTwoPointsIsTheClosedForm) {
    // min over γ of ‖γ a + (1 − γ) b‖²: γ = (b·b − a·b)/‖a − b‖².
    SmallMatrix g(2, 2);
    g << 4.0, -1.0, -1.0, 1.0;
    const SmallVector lambda = minNormOnSimplex(g);
    EXPECT_NEAR(lambda(0), (1.0 + 1.0) / (4.0 + 1.0 + 2.0), 1e-12);
    EXPECT_NEAR(lambda.sum(), 1.0, 1e-12);
}

TEST(BalancingSolvers, MinNormOfOrthonormalPointsIsTheCentroid) {
    const SmallMatrix g = SmallMatrix::Identity(5, 5);
    double distance2 = 0;
    const SmallVector lambda = minNormOnSimplex(g, &distance2);
    for (Index i = 0; i < 5; ++i)
        EXPECT_NEAR(lambda(i), 0.2, 1e-12);
    EXPECT_NEAR(distance2, 0.2, 1e-12);
}

TEST(BalancingSolvers, MinNormIsOptimalOnRandomHulls) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        const int tasks = 2 + int(seed % 11);
        const SmallMatrix g = gramOf(randomJacobian(tasks, 2 + seed % 7, seed));
        double distance2 = 0;
        const SmallVector lambda = minNormOnSimplex(g, &distance2);
        // x = Jᵀλ is the nearest point iff x·g_i ≥ ‖x‖² for every vertex (Wolfe's criterion).
        const SmallVector gl = g * lambda;
        EXPECT_GE(lambda.minCoeff(), 0.0);
        EXPECT_NEAR(lambda.sum(), 1.0, 1e-12);
        EXPECT_GE(gl.minCoeff(), distance2 - 1e-9 * g.diagonal().maxCoeff()) << "seed " << seed;
    }
}

TEST(BalancingSolvers, FairWeightsSolveTheirEquation) {
    for (double alpha : {0.5, 1.0, 2.0}) {
        // Gradients with a common descent direction: all positive in the first coordinate.
        Matrix j = randomJacobian(8, 12, 7);
        j.col(0).array() = j.col(0).array().abs() + 3.0f;
        const SmallMatrix g = gramOf(j);
        SmallVector w;
        ASSERT_TRUE(fairWeights(g, alpha, w));
        const SmallVector gw = g * w;
        for (Index t = 0; t < 8; ++t)
            EXPECT_NEAR(gw(t) * std::pow(w(t), 1.0 / alpha), 1.0, 1e-9);
        // Scaling G by k scales w by k^(−α/(α+1)).
        SmallVector scaled;
        ASSERT_TRUE(fairWeights(g * 9.0, alpha, scaled));
        EXPECT_LT((scaled - w * std::pow(9.0, -alpha / (alpha + 1.0))).norm(), 1e-9 * w.norm());
    }
    // No common descent direction: three gradients at 120° sum to zero.
    SmallMatrix g(3, 3);
    g << 1.0, -0.5, -0.5, -0.5, 1.0, -0.5, -0.5, -0.5, 1.0;
    SmallVector w = SmallVector::Constant(3, 7.0);
    EXPECT_FALSE(fairWeights(g, 1.0, w));
    EXPECT_FALSE(commonDescentExists(g));
    EXPECT_EQ(w(0), 7.0);
}

TEST(BalancingSolvers, NonnegativeQpMeetsItsOptimalityConditions) {
    for (unsigned seed = 1; seed <= 10; ++seed) {
        const int n = 2 + int(seed % 9);
        const SmallMatrix q = gramOf(randomJacobian(n, n + 3, seed)); // positive definite
        const SmallVector b =
            gramOf(randomJacobian(n, n + 3, seed + 100)).col(0) - SmallVector::Constant(n, 1.0);
        const SmallVector v = nonnegativeQp(q, b);
        const SmallVector gradient = q * v + b;
        const double scale = q.diagonal().maxCoeff();
        for (Index i = 0; i < n; ++i) {
            EXPECT_GE(v(i), 0.0);
            EXPECT_GE(gradient(i), -1e-9 * scale);                         // dual feasible
            EXPECT_LE(std::abs(v(i) * gradient(i)), 1e-9 * scale * scale); // complementary
        }
    }
}

TEST(BalancingProperties, PcGradLeavesNoConflictBetweenTwoTasks) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        const Matrix j = randomJacobian(2, 6, seed);
        const Outcome o = step("pcgrad", j, seed);
        // With two tasks, d·g_t = ‖g_t‖² − (g_1·g_2)²/‖g_other‖² ≥ 0 after the projections.
        for (int t = 0; t < 2; ++t)
            EXPECT_GE(o.d.dot(j.row(t).cast<double>()), -1e-6) << seed;
        if (j.row(0).dot(j.row(1)) >= 0) {
            EXPECT_NEAR(o.w(0), 1.0, 1e-12); // no conflict: plain sum
        }
    }
}

TEST(BalancingProperties, MgdaLowersEveryTask) {
    for (const char* method : {"mgda", "mgda:normalization=l2", "mgda:normalization=loss+"}) {
        for (unsigned seed = 1; seed <= 10; ++seed) {
            const Matrix j = randomJacobian(2 + int(seed % 6), 12, seed);
            const Outcome o = step(method, j);
            for (Index t = 0; t < j.rows(); ++t)
                EXPECT_GE(o.d.dot(j.row(t).cast<double>()), -1e-9) << method;
        }
    }
}

TEST(BalancingProperties, UpGradConflictsWithNoTask) {
    for (unsigned seed = 1; seed <= 10; ++seed) {
        const Matrix j = randomJacobian(2 + int(seed % 5), 10, seed);
        const Outcome o = step("upgrad:reg_eps=0", j);
        const Eigen::VectorXd jd = j.cast<double>() * o.d; // in the dual cone: J d ≥ 0
        EXPECT_GE(jd.minCoeff(), -1e-7 * o.d.norm() * j.cast<double>().norm()) << seed;
    }
    // Gradients that agree are averaged untouched.
    Matrix agree = randomJacobian(3, 5, 4).cwiseAbs();
    const Outcome o = step("upgrad:reg_eps=0", agree);
    for (Index t = 0; t < 3; ++t)
        EXPECT_NEAR(o.w(t), 1.0 / 3.0, 1e-9);
}

TEST(BalancingProperties, CaGradWithoutARadiusIsTheMeanGradient) {
    const Matrix j = randomJacobian(4, 7, 5);
    const Outcome o = step("cagrad:c=0", j);
    for (Index t = 0; t < 4; ++t)
        EXPECT_NEAR(o.w(t), 0.25, 1e-12);
    // With a radius, the worst task's improvement rises above the mean gradient's.
    const Outcome c = step("cagrad:c=0.8,rescale=none", j);
    const Eigen::VectorXd mean = j.cast<double>().colwise().mean().transpose();
    const double worstMean = (j.cast<double>() * mean).minCoeff();
    EXPECT_GE((j.cast<double>() * c.d).minCoeff(), worstMean - 1e-9);
}

TEST(BalancingProperties, NashMtlIsTheBargainingSolution) {
    Matrix j = randomJacobian(5, 9, 11);
    j.col(0).array() = j.col(0).array().abs() + 2.0f;
    const Outcome o = step("nash_mtl:max_norm=0", j);
    const SmallVector g = gramOf(j) * o.w;
    for (Index t = 0; t < 5; ++t)
        EXPECT_NEAR(o.w(t) * g(t), 1.0, 1e-9);
    const Outcome clipped = step("nash_mtl:max_norm=0.5", j);
    EXPECT_NEAR(clipped.d.norm(), 0.5, 1e-9);
    // FairGrad with α = 1 gives the same weights, unclipped.
    const Outcome fair = step("fairgrad:alpha=1", j);
    EXPECT_LT((fair.w - o.w).norm(), 1e-9 * o.w.norm());
}

TEST(BalancingProperties, ImtlGProjectsEquallyOnEveryTask) {
    const Matrix j = randomJacobian(4, 8, 13);
    const Outcome o = step("imtl_g", j);
    const Eigen::MatrixXd jd = j.cast<double>();
    const double first = o.d.dot(jd.row(0).normalized());
    for (Index t = 1; t < 4; ++t)
        EXPECT_NEAR(o.d.dot(jd.row(t).normalized()), first, 1e-9);
    EXPECT_NEAR(o.w.sum(), 1.0, 1e-12);
}

TEST(BalancingProperties, AlignedMtlGivesEqualSingularValues) {
    // B G B = λ_min I: the aligned gradients J̃ = B J are orthogonal with equal norms.
    const Matrix j = randomJacobian(3, 6, 17);
    const Outcome o = step("aligned_mtl", j);
    // For orthogonal equal-norm gradients it is the plain sum.
    Matrix orthogonal = Matrix::Zero(3, 4);
    orthogonal(0, 0) = orthogonal(1, 1) = orthogonal(2, 2) = 2.0f;
    const Outcome plain = step("aligned_mtl", orthogonal);
    for (Index t = 0; t < 3; ++t)
        EXPECT_NEAR(plain.w(t), 1.0, 1e-9);
    EXPECT_TRUE(o.w.allFinite());
}

TEST(BalancingMethods, TableParsingAndMessages) {
    EXPECT_EQ(balancingMethods().size(), 18U);
    for (const BalancingMethod& m : balancingMethods()) {
        EXPECT_EQ(parseBalancingKind(m.name), m.kind);
        EXPECT_FALSE(m.description.empty());
        EXPECT_FALSE(m.reference.empty());
        EXPECT_EQ(formatBalancing(parseBalancing(m.name)), m.name);
    }
    const BalancingSettings c = parseBalancing("cagrad:c=0.25,rescale=1+c,space=representation");
    EXPECT_EQ(c.value("c"), 0.25);
    EXPECT_EQ(c.value("rescale"), 2.0);
    EXPECT_EQ(c.space(), GradientSpace::Representation);
    EXPECT_EQ(formatBalancing(c), "cagrad:c=0.25,rescale=1+c,space=representation");
    EXPECT_EQ(parseBalancing("mgda_ub").space(), GradientSpace::Representation);
    auto message = [](const std::string& text) {
        try {
            parseBalancing(text);
        } catch (const mtl::SettingError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message("pcgrd").rfind("no balancing method 'pcgrd' (methods: static, equal,", 0),
              0U);
    EXPECT_EQ(message("cagrad:k=1"),
              "balancing cagrad: no parameter 'k' (parameters: c, rescale, space)");
    EXPECT_EQ(message("cagrad:c=-1"), "balancing cagrad: c = -1 is out of range [0, 10]");
    EXPECT_EQ(message("cagrad:c=abc"), "balancing cagrad: c expects a number, got 'abc'");
    EXPECT_EQ(message("mgda:normalization=l3"),
              "balancing mgda: normalization must be one of none, l2, loss, loss+, got 'l3'");
    EXPECT_EQ(message("db_mtl:space=representation"),
              "balancing db_mtl: no parameter 'space' (parameters: beta, beta_sigma)");
}

namespace {

// The gradient the trainer builds for fixed weights w: through TaskGradients (in `space`), or
// through the plain weighted backward pass.
Vector combinedGradient(const Model& model, const Dataset& data, const std::vector<float>& w,
                        GradientSpace* space) {
    TrainingSettings s;
    s.batchSize = 32;
    Trainer trainer(model, data, s);
    Workspace& ws = trainer.workspace();
    const std::span<const Index> rows(trainer.split().train.data(), 32);
    loadBatch(model, trainer.data(), rows, ws);
    model.forward(trainer.parameters(), ws, 32, ForwardContext{});
    model.evaluateLosses(ws, 32, w);
    Vector gradients = Vector::Zero(model.parameterCount());
    if (space == nullptr) {
        model.backward(trainer.parameters(), ws, 32, w, model.allTasks(), false, gradients);
        // Task-specific parameters get their own task's gradient at weight 1 in the balanced
        // path; compare like with like by giving every task weight 1 there.
        return gradients;
    }
    TaskGradients tg(model, 32, *space);
    tg.compute(trainer.parameters(), ws, 32, gradients);
    SmallVector weights(Index(w.size()));
    for (std::size_t t = 0; t < w.size(); ++t)
        weights(Index(t)) = w[t];
    tg.applyWeights(weights, trainer.parameters(), ws, 32, gradients);
    return gradients;
}

} // namespace

TEST(TaskGradients, BothSpacesGiveTheBackwardPassOfTheWeightedLoss) {
    const Dataset data = mtl::test::twoTaskData(128);
    const Model model = compile(mtl::test::twoTaskTrunk(data.schema), data.schema);
    const std::vector<float> ones{1.0f, 1.0f};
    GradientSpace parameters = GradientSpace::Parameters,
                  representation = GradientSpace::Representation;
    const Vector plain = combinedGradient(model, data, ones, nullptr);
    const Vector viaParameters = combinedGradient(model, data, ones, &parameters);
    const Vector viaRepresentation = combinedGradient(model, data, ones, &representation);
    EXPECT_LT((viaParameters - plain).norm(), 1e-5f * plain.norm());
    EXPECT_LT((viaRepresentation - plain).norm(), 1e-5f * plain.norm());
    // Other weights change the shared part only: d = Σ w_t g_t there.
    const std::vector<float> w{0.3f, 1.7f};
    const Vector p = combinedGradient(model, data, w, &parameters);
    const Vector r = combinedGradient(model, data, w, &representation);
    EXPECT_LT((p - r).norm(), 1e-5f * p.norm());
    EXPECT_GT((p - viaParameters).norm(), 1e-3f * p.norm());
}

// With cross-stitch units after both soft layers every copy, and the mixing, serves both tasks.
TEST(TaskGradients, CrossStitchNetworksToo) {
    const Dataset data = mtl::test::twoTaskData(128);
    ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, SharingMode::Soft);
    spec.find("shared1")->crossStitch = true;
    spec.find("shared2")->crossStitch = true;
    const Model model = compile(spec, data.schema);
    GradientSpace parameters = GradientSpace::Parameters,
                  representation = GradientSpace::Representation;
    const std::vector<float> w{0.3f, 1.7f};
    const Vector plain = combinedGradient(model, data, {1.0f, 1.0f}, nullptr);
    const Vector viaParameters = combinedGradient(model, data, {1.0f, 1.0f}, &parameters);
    const Vector viaRepresentation = combinedGradient(model, data, {1.0f, 1.0f}, &representation);
    EXPECT_LT((viaParameters - plain).norm(), 1e-5f * plain.norm());
    EXPECT_LT((viaRepresentation - plain).norm(), 1e-5f * plain.norm());
    const Vector p = combinedGradient(model, data, w, &parameters);
    const Vector r = combinedGradient(model, data, w, &representation);
    EXPECT_LT((p - r).norm(), 1e-5f * p.norm());
    const TaskGradients tg(model, 16, GradientSpace::Parameters);
    EXPECT_EQ(tg.blocks().back().nodeId, "shared2 cross-stitch");
}

TEST(TaskGradients, SharedBlocksAreTheHardSharedLayers) {
    const Dataset data = mtl::test::twoTaskData(64);
    const Model hard = compile(mtl::test::twoTaskTrunk(data.schema), data.schema);
    const TaskGradients tg(hard, 16, GradientSpace::Parameters);
    ASSERT_EQ(tg.blocks().size(), 2U); // the two shared dense layers; heads are the tasks' own
    EXPECT_EQ(tg.blocks()[0].size, 6 * 8 + 8);
    const Model soft =
        compile(mtl::test::twoTaskTrunk(data.schema, SharingMode::Soft), data.schema);
    EXPECT_FALSE(TaskGradients(soft, 16, GradientSpace::Parameters).hasSharedPart());
}

TEST(BalancedTraining, EveryMethodLowersTheLossesAndReportsWithTheTaskWeights) {
    const Dataset data = mtl::test::twoTaskData(400);
    const Model model = compile(mtl::test::twoTaskTrunk(data.schema), data.schema);
    for (const BalancingMethod& m : balancingMethods()) {
        SCOPED_TRACE(m.name);
        TrainingSettings s;
        s.epochs = 8;
        s.batchSize = 32;
        s.optimizer.learningRate = 0.01f;
        s.balancing.kind = m.kind;
        Trainer trainer(model, data, s);
        const RunResult result = trainer.run();
        ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
        const SplitEvaluation& first = result.history.front().validation;
        const SplitEvaluation& last = result.history.back().validation;
        for (std::size_t t = 0; t < 2; ++t)
            EXPECT_LT(last.loss[t], first.loss[t] * 1.05);
        // The validation total is Σ w_t L_t with the task weights (0.7, 0.4), whatever the method.
        EXPECT_NEAR(last.total, 0.7 * last.loss[0] + 0.4 * last.loss[1], 1e-6 * last.total);
    }
}

TEST(BalancedTraining, NonFiniteWeightsStopTheRunNamingTheMethod) {
    // GLS with a loss of exactly 0 is floored, so force trouble with a huge learning rate.
    const Dataset data = mtl::test::twoTaskData(200);
    const Model model = compile(mtl::test::twoTaskTrunk(data.schema), data.schema);
    TrainingSettings s;
    s.epochs = 3;
    s.optimizer.kind = OptimizerKind::SGD;
    s.optimizer.learningRate = 1e6f;
    s.balancing = parseBalancing("nash_mtl:max_norm=0");
    Trainer trainer(model, data, s);
    const RunResult result = trainer.run();
    EXPECT_EQ(result.reason, StopReason::Diverged);
    EXPECT_NE(result.message.find("at step"), std::string::npos) << result.message;
}
