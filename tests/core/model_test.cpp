// Compiled models: instance expansion for hard and soft sharing, whole-model gradient checks,
// hard sharing summing the heads' gradients, and the soft-sharing penalty.

#include "gradient_check.h"
#include "model_probe.h"
#include "test_models.h"

#include "model/model.h"
#include "util/error.h"
#include "model/workspace.h"

#include <numeric>

using namespace mtl::core;
using mtl::test::Probe;
using mtl::test::twoTaskData;
using mtl::test::twoTaskTrunk;

TEST(Compile, HardTrunkHasOneCopyPerLayer) {
    const Dataset data = twoTaskData();
    const Model model = compile(twoTaskTrunk(data.schema), data.schema);
    // 2 shared (dense + act), 2 per-task hidden (dense + act) ×2, 2 outputs: 4 + 4 + 2
    EXPECT_EQ(model.instances().size(), 10U);
    EXPECT_TRUE(model.softGroups().empty());
    EXPECT_EQ(model.parameterCount(), (6 * 8 + 8) + (8 * 6 + 6) + 2 * ((6 * 5 + 5) + (5 * 1 + 1)));
    EXPECT_EQ(model.tasks()[0].outputs, 1);
    EXPECT_EQ(model.instances()[0].tasks, TaskMask{3});
}

TEST(Compile, SoftTrunkHasOneCopyPerTaskAndStartsEqual) {
    const Dataset data = twoTaskData();
    const Model model = compile(twoTaskTrunk(data.schema, SharingMode::Soft), data.schema);
    ASSERT_EQ(model.softGroups().size(), 2U);
    const SoftGroup& g = model.softGroups()[0];
    EXPECT_EQ(g.copyOffsets.size(), 2U);
    EXPECT_FLOAT_EQ(g.couplingStrength, 0.3f);
    Vector params;
    Rng rng(3);
    model.initialize(params, rng);
    EXPECT_EQ(params.segment(g.copyOffsets[0], g.copySize), params.segment(g.copyOffsets[1], g.copySize));
    EXPECT_DOUBLE_EQ(model.softPenalty(params, nullptr), 0.0);
    // Each task now has its own branch through the trunk.
    for (const Instance& inst : model.instances()) EXPECT_EQ(std::popcount(inst.tasks), 1);
}

TEST(Compile, RefusesInvalidSpecWithTheValidationMessage) {
    const Dataset data = twoTaskData();
    ModelSpec spec = twoTaskTrunk(data.schema);
    spec.find("shared1")->units = 0;
    try {
        (void)compile(spec, data.schema);
        FAIL() << "compile accepted a layer with 0 units";
    } catch (const mtl::SpecError& e) {
        EXPECT_NE(std::string(e.what()).find("node 'shared1' (units)"), std::string::npos) << e.what();
    }
}

TEST(ModelGradient, HardTrunkTwoHeads) {
    const Dataset data = twoTaskData(16);
    const Model model = compile(twoTaskTrunk(data.schema), data.schema);
    Probe probe(model, data, 16);
    Vector params;
    Rng rng(4);
    model.initialize(params, rng);
    const Vector g = probe.gradient(params, model.allTasks(), true);
    mtl::test::expectGradientMatches("parameter", params.data(), params.size(), g.data(),
                                     [&] { return probe.loss(params); }, 150, 1e-2f, 2e-2);
}

TEST(ModelGradient, SoftBlockWithPenaltyAndClassification) {
    const Dataset data = twoTaskData(16, true);
    ModelSpec spec = twoTaskTrunk(data.schema, SharingMode::Soft, LossKind::SoftmaxCrossEntropy);
    spec.find("shared1")->sharing = SharingMode::Hard; // hard block, then a soft block
    const Model model = compile(spec, data.schema);
    ASSERT_EQ(model.softGroups().size(), 1U);
    Probe probe(model, data, 16);
    Vector params;
    Rng rng(5);
    model.initialize(params, rng);
    std::normal_distribution<float> jitter(0.0f, 0.2f); // copies apart: a non-zero penalty
    for (Index i = 0; i < params.size(); ++i) params[i] += jitter(rng);
    ASSERT_GT(model.softPenalty(params, nullptr), 0.0);
    const Vector g = probe.gradient(params, model.allTasks(), true);
    mtl::test::expectGradientMatches("parameter", params.data(), params.size(), g.data(),
                                     [&] { return probe.loss(params); }, 150, 1e-2f, 2e-2);
}

TEST(SoftPenalty, GradientMatchesFiniteDifferences) {
    const Dataset data = twoTaskData();
    const Model model = compile(twoTaskTrunk(data.schema, SharingMode::Soft), data.schema);
    Vector params;
    Rng rng(6);
    model.initialize(params, rng);
    std::normal_distribution<float> jitter(0.0f, 0.5f);
    for (Index i = 0; i < params.size(); ++i) params[i] += jitter(rng);
    Vector g = Vector::Zero(params.size());
    model.softPenalty(params, &g);
    mtl::test::expectGradientMatches("penalty", params.data(), params.size(), g.data(),
                                     [&] { return model.softPenalty(params, nullptr); }, 200,
                                     1e-2f, 1e-2);
}

TEST(SoftPenalty, ValueByHand) {
    // One Dense 1→1 with two copies: weights 1 and 3 → mean 2, Σ (W_t − W̄)² = 2, λ = 0.3.
    const Dataset data = twoTaskData();
    mtl::core::TrunkTemplate recipe;
    recipe.sharedUnits = {1};
    recipe.sharing = SharingMode::Soft;
    recipe.couplingStrength = 0.3f;
    recipe.tasks = {mtl::test::task("a", LossKind::MSE, {"task1"}),
                    mtl::test::task("b", LossKind::MSE, {"task2"})};
    const Model model = compile(makeTrunkModel(recipe, data.schema), data.schema);
    Vector params = Vector::Zero(model.parameterCount());
    const SoftGroup& g = model.softGroups()[0];
    params[g.copyOffsets[0]] = 1.0f;
    params[g.copyOffsets[1]] = 3.0f;
    params[g.copyOffsets[0] + 6] = 10.0f; // a bias: not coupled
    EXPECT_NEAR(model.softPenalty(params, nullptr), 0.3 * 2.0, 1e-6);
}

TEST(HardSharing, TrunkGradientIsTheSumOfEachHeadsGradient) {
    const Dataset data = twoTaskData(16);
    const Model model = compile(twoTaskTrunk(data.schema), data.schema);
    Probe probe(model, data, 16);
    Vector params;
    Rng rng(7);
    model.initialize(params, rng);
    const Vector all = probe.gradient(params, model.allTasks(), false);
    const Vector a = probe.gradient(params, 1, false);
    const Vector b = probe.gradient(params, 2, false);
    EXPECT_TRUE(all.isApprox(a + b, 1e-5f));
    // The trunk (first layers) receives from both heads.
    const Index trunk = (6 * 8 + 8) + (8 * 6 + 6);
    EXPECT_FALSE(a.head(trunk).isZero());
    EXPECT_FALSE(b.head(trunk).isZero());
    EXPECT_GT((a.head(trunk) - b.head(trunk)).norm(), 1e-4f);
}

TEST(HardSharing, MatchesSingleHeadModelsRunSeparately) {
    const Dataset data = twoTaskData(16);
    const ModelSpec spec = twoTaskTrunk(data.schema);
    const Model model = compile(spec, data.schema);
    Vector params;
    Rng rng(8);
    model.initialize(params, rng);
    Probe probe(model, data, 16);
    const Vector both = probe.gradient(params, model.allTasks(), false);

    // Copies a layer's slice between two models by node id.
    auto slice = [](const Model& m, Vector& v, const std::string& id) {
        const int l = m.findLayer(id);
        return v.segment(m.layerCopies(l)[0], m.layer(l).parameterCount());
    };
    const std::vector<std::string> trunk{"shared1", "shared2"};
    std::vector<Vector> trunkSum;
    for (const std::string& id : trunk) trunkSum.push_back(Vector::Zero(slice(model, params, id).size()));
    for (const std::string name : {"a", "b"}) {
        const Model single = compile(singleTaskBaseline(spec, name), data.schema);
        ASSERT_EQ(single.tasks().size(), 1U);
        Vector p(single.parameterCount());
        for (int l = 0; l < single.layerCount(); ++l) {
            const std::string& id = single.layerNodeId(l);
            if (single.layer(l).parameterCount() > 0) slice(single, p, id) = slice(model, params, id);
        }
        Probe one(single, data, 16);
        Vector g = one.gradient(p, single.allTasks(), false);
        for (std::size_t i = 0; i < trunk.size(); ++i) trunkSum[i] += slice(single, g, trunk[i]);
    }
    Vector bothCopy = both;
    for (std::size_t i = 0; i < trunk.size(); ++i) {
        EXPECT_TRUE(slice(model, bothCopy, trunk[i]).isApprox(trunkSum[i], 1e-5f)) << trunk[i];
    }
}

TEST(Workspace, PartialBatchUsesTheFirstRows) {
    const Dataset data = twoTaskData(16);
    const Model model = compile(twoTaskTrunk(data.schema), data.schema);
    Vector params;
    Rng rng(9);
    model.initialize(params, rng);
    Probe full(model, data, 16);
    Probe part(model, data, 5);
    full.loss(params);
    part.loss(params);
    const Matrix fullOut = model.taskOutput(full.ws, 0, 16);
    const Matrix partOut = model.taskOutput(part.ws, 0, 5);
    EXPECT_TRUE(fullOut.topRows(5).isApprox(partOut));
}
