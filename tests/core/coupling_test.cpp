// The soft-sharing couplings (model/coupling.h): finite-difference gradients, the closed-form Ω
// against its defining properties, the special cases the papers state, and Ω learned on data
// whose task relationships are known.
#include "gradient_check.h"
#include "test_models.h"

#include "data/synthetic_relatedness.h"
#include "io/model_file.h"
#include "model/coupling.h"
#include "model/model.h"
#include "train/covariances.h"
#include "train/trainer.h"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <random>

using namespace mtl::core;

namespace {

// A group of T copies of d weights laid out one after another, with a weight mask that leaves
// every fifth entry out (a bias); λ as given.
struct Group {
    SoftGroup group;
    Vector parameters;
    Vector mask;
};

Group randomGroup(int tasks, Index d, float lambda, Coupling coupling, std::uint64_t seed) {
    Group g;
    g.group.couplingStrength = lambda;
    g.group.copySize = d;
    g.group.coupling = coupling;
    for (int t = 0; t < tasks; ++t)
        g.group.copyOffsets.push_back(Index(t) * d);
    g.parameters.resize(Index(tasks) * d);
    g.mask.resize(Index(tasks) * d);
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (Index i = 0; i < g.parameters.size(); ++i) {
        g.parameters[i] = normal(rng);
        g.mask[i] = i % d % 5 == 4 ? 0.0f : 1.0f;
    }
    return g;
}

// W = [w_1 … w_T] over the masked weights, in double, computed here without the core's helpers.
Eigen::MatrixXd columns(const Group& g) {
    const Index d = g.group.copySize;
    const auto tasks = Index(g.group.copyOffsets.size());
    Eigen::MatrixXd w(d, tasks);
    for (Index t = 0; t < tasks; ++t) {
        for (Index i = 0; i < d; ++i)
            w(i, t) = double(g.parameters[t * d + i]) * double(g.mask[i]);
    }
    return w;
}

} // namespace

TEST(Coupling, TraceNormGradientMatchesFiniteDifferences) {
    Group g = randomGroup(3, 40, 0.7f, Coupling::TraceNorm, 1);
    Vector grad = Vector::Zero(g.parameters.size());
    traceNormPenalty(g.group, g.parameters.data(), g.mask.data(), grad.data());
    mtl::test::expectGradientMatches(
        "trace norm", g.parameters.data(), g.parameters.size(), grad.data(),
        [&] { return traceNormPenalty(g.group, g.parameters.data(), g.mask.data(), nullptr); }, 120,
        1e-2f, 1e-2);
}

TEST(Coupling, TraceNormIsTheNuclearNormWithinItsSmoothing) {
    const Group g = randomGroup(4, 30, 0.5f, Coupling::TraceNorm, 2);
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(columns(g));
    const double nuclear = 0.5 * svd.singularValues().sum();
    const double smoothed = traceNormPenalty(g.group, g.parameters.data(), g.mask.data(), nullptr);
    EXPECT_GE(smoothed, nuclear - 1e-4);
    EXPECT_LE(smoothed, nuclear + 0.5 * 4 * std::sqrt(kTraceNormEpsilon) + 1e-4);
}

TEST(Coupling, RelationshipGradientMatchesFiniteDifferencesWithOmegaHeld) {
    Group g = randomGroup(3, 40, 0.3f, Coupling::Relationship, 3);
    const SmallMatrix omega = relationshipCovariance(g.group, g.parameters.data(), g.mask.data());
    const SmallMatrix inverse = omega.inverse();
    Vector grad = Vector::Zero(g.parameters.size());
    relationshipPenalty(g.group, inverse, g.parameters.data(), g.mask.data(), grad.data());
    mtl::test::expectGradientMatches(
        "relationship", g.parameters.data(), g.parameters.size(), grad.data(),
        [&] {
            return relationshipPenalty(g.group, inverse, g.parameters.data(), g.mask.data(),
                                       nullptr);
        },
        120, 1e-2f, 1e-2);
}

TEST(Coupling, ClosedFormOmegaSquaredIsTheGramMatrix) {
    // Ω = (G + εI)^½ / tr((G + εI)^½): so Ω is symmetric with trace 1, and (Ω·c)² = G + εI for
    // c = tr((G + εI)^½); ε = kRelationshipEpsilon · tr(G)/T. G computed here directly.
    const Group g = randomGroup(4, 50, 1.0f, Coupling::Relationship, 4);
    const Eigen::MatrixXd w = columns(g);
    const Eigen::MatrixXd gram = w.transpose() * w;
    const double epsilon = kRelationshipEpsilon * gram.trace() / 4.0;
    const Eigen::MatrixXd shifted = gram + epsilon * Eigen::MatrixXd::Identity(4, 4);
    const SmallMatrix omega = relationshipCovariance(g.group, g.parameters.data(), g.mask.data());
    EXPECT_NEAR(omega.trace(), 1.0, 1e-9);
    EXPECT_LT((omega - omega.transpose()).cwiseAbs().maxCoeff(), 1e-12);
    // c from the eigenvalues of the shifted Gram matrix (√ of each, summed).
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(shifted);
    const double c = eig.eigenvalues().cwiseSqrt().sum();
    const Eigen::MatrixXd root = Eigen::MatrixXd(omega) * c;
    // (G accumulates float weights in float: agreement to float precision)
    EXPECT_LT((root * root - shifted).cwiseAbs().maxCoeff() / shifted.cwiseAbs().maxCoeff(), 1e-6);
    // The minimiser over trace-1 Ω ≻ 0 of tr(W Ω⁻¹ Wᵀ) (with G + εI): no nearby trace-1 Ω does
    // better.
    auto objective = [&](const Eigen::MatrixXd& o) { return (o.inverse() * shifted).trace(); };
    const double best = objective(omega);
    std::mt19937_64 rng(9);
    std::normal_distribution<double> normal(0.0, 1e-3);
    for (int k = 0; k < 20; ++k) {
        Eigen::MatrixXd step(4, 4);
        for (Index i = 0; i < 16; ++i)
            step.data()[i] = normal(rng);
        step = (step + step.transpose()).eval();
        step -= step.trace() / 4.0 * Eigen::MatrixXd::Identity(4, 4);
        EXPECT_GE(objective(Eigen::MatrixXd(omega) + step), best - 1e-9);
    }
}

TEST(Coupling, RelationshipWithOmegaAtIOverTIsAnL2PenaltyOnEachTask) {
    const Group g = randomGroup(3, 20, 0.2f, Coupling::Relationship, 5);
    const SmallMatrix inverse = 3.0 * SmallMatrix::Identity(3, 3); // Ω = I/T
    const Eigen::MatrixXd w = columns(g);
    EXPECT_NEAR(relationshipPenalty(g.group, inverse, g.parameters.data(), g.mask.data(), nullptr),
                0.2 * 3.0 * w.squaredNorm(), 1e-4);
}

TEST(Coupling, GradientsAddIntoWhatIsThere) {
    Group g = randomGroup(2, 10, 1.0f, Coupling::TraceNorm, 6);
    Vector once = Vector::Zero(g.parameters.size());
    traceNormPenalty(g.group, g.parameters.data(), g.mask.data(), once.data());
    Vector twice = once;
    traceNormPenalty(g.group, g.parameters.data(), g.mask.data(), twice.data());
    EXPECT_LT((twice - 2.0f * once).cwiseAbs().maxCoeff(), 1e-6f);
    for (Index i = 4; i < g.parameters.size(); i += 5)
        EXPECT_EQ(once[i], 0.0f) << "a bias was coupled";
}

TEST(Coupling, ModelPenaltyGradientMatchesFiniteDifferencesForEachCoupling) {
    const Dataset data = mtl::test::twoTaskData();
    for (Coupling coupling : {Coupling::MeanL2, Coupling::TraceNorm, Coupling::Relationship}) {
        ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, SharingMode::Soft);
        for (NodeSpec& n : spec.nodes)
            n.coupling = coupling;
        const Model model = compile(spec, data.schema);
        ASSERT_FALSE(model.softGroups().empty());
        Vector params;
        Rng rng(7);
        model.initialize(params, rng);
        std::normal_distribution<float> jitter(0.0f, 0.5f);
        for (Index i = 0; i < params.size(); ++i)
            params[i] += jitter(rng);
        Relationships relationships = model.initialRelationships();
        model.updateRelationships(params, relationships, 1, true);
        Vector g = Vector::Zero(params.size());
        model.softPenalty(params, &g, &relationships);
        mtl::test::expectGradientMatches(
            "penalty", params.data(), params.size(), g.data(),
            [&] { return model.softPenalty(params, nullptr, &relationships); }, 150, 1e-2f, 1e-2);
    }
}

// Tasks y_k = β_k·x with corr(β_1, β_k) = ρ_k, each learned by its own copy of a soft-shared
// linear layer: the Ω learned from the copies says which tasks go together.
TEST(Coupling, LearnedOmegaFindsTheRelatedTasks) {
    RelatednessSettings s;
    s.samples = 3000;
    s.features = 24;
    s.rho = {0.9f, 0.0f, -0.9f};
    s.conflictingPair = false;
    s.nonlinearTerms = 0;
    s.noise = 0.05f;
    const Dataset data = makeRelatednessDataset(s);
    ModelSpec spec;
    NodeSpec input;
    input.id = "input";
    input.kind = NodeKind::Input;
    spec.nodes.push_back(input);
    NodeSpec linear;
    linear.id = "linear";
    linear.units = 1;
    linear.init = Init::Xavier;
    linear.sharing = SharingMode::Soft;
    linear.couplingStrength = 1e-4f;
    linear.coupling = Coupling::Relationship;
    spec.nodes.push_back(linear);
    spec.edges.push_back({"input", "linear"});
    for (const TargetColumn& target : data.schema.targets) {
        NodeSpec head;
        head.id = "head_" + target.name;
        head.kind = NodeKind::TaskHead;
        head.task = mtl::test::task(target.name, LossKind::MSE, {target.name});
        spec.nodes.push_back(head);
        spec.edges.push_back({"linear", head.id});
    }
    const Model model = compile(spec, data.schema);
    TrainingSettings settings;
    settings.epochs = 8;
    settings.batchSize = 64;
    settings.optimizer.kind = OptimizerKind::Adam;
    settings.optimizer.learningRate = 0.01f;
    settings.threads = 1;
    Trainer trainer(model, data, settings);
    const RunResult result = trainer.run();
    ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
    ASSERT_EQ(result.history.back().covariances.size(), 1U);
    const LearnedCovariance& c = result.history.back().covariances[0];
    ASSERT_EQ(c.tasks.size(), 4U);
    Eigen::Map<const Eigen::Matrix<double, 4, 4, Eigen::RowMajor>> omega(c.omega.data());
    auto correlation = [&](int a, int b) {
        return omega(a, b) / std::sqrt(omega(a, a) * omega(b, b));
    };
    EXPECT_GT(correlation(0, 1), 0.6) << "ρ = 0.9";
    EXPECT_LT(std::abs(correlation(0, 2)), 0.35) << "ρ = 0";
    EXPECT_LT(correlation(0, 3), -0.6) << "ρ = −0.9";
    // Ω goes with the trained model: into the file and back.
    TrainedModel trained{
        spec,
        model.schema(),
        trainer.normalizer(),
        trainer.targetScaling(),
        trainer.parameters(),
        TrainingRecord{
            "completed", result.epochs, settings, result.history.back().covariances, {}}};
    const TrainedModel back = modelFromBytes(modelToBytes(trained), "m.mtlmodel");
    ASSERT_TRUE(back.training.has_value());
    EXPECT_EQ(back.training->covariances, trained.training->covariances);
    const Relationships restored = relationshipsFrom(model, back.training->covariances);
    EXPECT_NEAR(restored.omega[0](0, 3), omega(0, 3), 1e-12);
}
