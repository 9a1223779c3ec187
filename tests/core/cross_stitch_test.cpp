// Cross-stitch units (Misra et al. 2016) after soft-shared layers: the whole model's gradient
// (the mixing matrices included) by finite differences, the paper's initialisation, and the
// special case that the identity matrix gives independent towers.
#include "gradient_check.h"
#include "model_probe.h"
#include "test_models.h"

#include "model/model.h"
#include "model/validate.h"
#include "train/trainer.h"
#include "util/error.h"

#include <random>

using namespace mtl::core;
using mtl::test::Probe;

namespace {

ModelSpec stitched(const DataSchema& schema, bool stitch = true) {
    ModelSpec spec = mtl::test::twoTaskTrunk(schema, SharingMode::Soft);
    for (NodeSpec& n : spec.nodes) {
        if (n.sharing == SharingMode::Soft)
            n.crossStitch = stitch;
    }
    return spec;
}

} // namespace

TEST(CrossStitch, UnitsFollowEachSoftLayerAndStartNearIdentity) {
    const Dataset data = mtl::test::twoTaskData();
    const Model model = compile(stitched(data.schema), data.schema);
    const Model plain = compile(stitched(data.schema, false), data.schema);
    ASSERT_EQ(model.crossStitches().size(), 2U); // shared1 and shared2
    EXPECT_EQ(model.parameterCount(), plain.parameterCount() + 2 * 4);
    const CrossStitchUnit& unit = model.crossStitches()[0];
    EXPECT_EQ(unit.instances.size(), 2U);
    for (int k : unit.instances)
        EXPECT_EQ(model.instances()[std::size_t(k)].tasks, TaskMask{3});
    Vector params;
    Rng rng(1);
    model.initialize(params, rng);
    EXPECT_FLOAT_EQ(params[unit.parameterOffset + 0], 0.9f); // 0.9 own, 0.1 other: rows sum to 1
    EXPECT_FLOAT_EQ(params[unit.parameterOffset + 1], 0.1f);
    EXPECT_FLOAT_EQ(params[unit.parameterOffset + 2], 0.1f);
    EXPECT_FLOAT_EQ(params[unit.parameterOffset + 3], 0.9f);
    EXPECT_EQ(model.weightMask()[unit.parameterOffset], 0.0f)
        << "the mixing is neither decayed nor coupled";
}

TEST(CrossStitch, GradientMatchesFiniteDifferences) {
    const Dataset data = mtl::test::twoTaskData();
    const Model model = compile(stitched(data.schema), data.schema);
    Probe probe(model, data, 16);
    Vector params;
    Rng rng(2);
    model.initialize(params, rng);
    std::normal_distribution<float> jitter(0.0f, 0.2f); // copies and mixing apart
    for (Index i = 0; i < params.size(); ++i)
        params[i] += jitter(rng);
    const Vector g = probe.gradient(params, model.allTasks(), true);
    mtl::test::expectGradientMatches(
        "parameter", params.data(), params.size(), g.data(), [&] { return probe.loss(params); },
        200, 1e-2f, 2e-2);
    // The mixing matrices' entries, all of them.
    for (const CrossStitchUnit& unit : model.crossStitches()) {
        mtl::test::expectGradientMatches(
            "mixing", params.data() + unit.parameterOffset, 4, g.data() + unit.parameterOffset,
            [&] { return probe.loss(params); }, 4, 1e-2f, 2e-2);
    }
    // One task's own gradient as well (balancing and relations take them one by one).
    const Vector ga = probe.gradient(params, TaskMask{1}, false);
    std::vector<float> onlyA{probe.weights[0], 0.0f};
    auto lossA = [&] {
        model.forward(params, probe.ws, probe.batch, {});
        return model.evaluateLosses(probe.ws, probe.batch, onlyA);
    };
    mtl::test::expectGradientMatches("task a", params.data(), params.size(), ga.data(), lossA, 150,
                                     1e-2f, 2e-2);
}

TEST(CrossStitch, IdentityMixingIsIndependentTowers) {
    const Dataset data = mtl::test::twoTaskData();
    const Model model = compile(stitched(data.schema), data.schema);
    const Model towers = compile(stitched(data.schema, false), data.schema);
    Vector params;
    Rng rng(3);
    model.initialize(params, rng);
    std::normal_distribution<float> jitter(0.0f, 0.3f);
    for (Index i = 0; i < params.size(); ++i)
        params[i] += jitter(rng);
    // The towers' parameters are the stitched model's without the mixing matrices.
    Vector towerParams(towers.parameterCount());
    Index at = 0;
    std::vector<bool> mixing(std::size_t(params.size()), false);
    for (const CrossStitchUnit& unit : model.crossStitches()) {
        for (Index i = 0; i < 4; ++i) {
            mixing[std::size_t(unit.parameterOffset + i)] = true;
            params[unit.parameterOffset + i] = i == 0 || i == 3 ? 1.0f : 0.0f;
        }
    }
    for (Index i = 0; i < params.size(); ++i) {
        if (!mixing[std::size_t(i)])
            towerParams[at++] = params[i];
    }
    ASSERT_EQ(at, towerParams.size());
    Probe stitchedProbe(model, data, 16);
    Probe towerProbe(towers, data, 16);
    EXPECT_NEAR(stitchedProbe.loss(params), towerProbe.loss(towerParams), 1e-6);
    for (int t = 0; t < 2; ++t) {
        const Matrix a = model.taskOutput(stitchedProbe.ws, t, 16);
        const Matrix b = towers.taskOutput(towerProbe.ws, t, 16);
        EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-6f);
    }
}

TEST(CrossStitch, NeedsSoftSharing) {
    const Dataset data = mtl::test::twoTaskData();
    ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, SharingMode::Hard);
    spec.find("shared1")->crossStitch = true;
    bool flagged = false;
    for (const SpecIssue& issue : validate(spec, data.schema))
        flagged |= issue.nodeId == "shared1" && issue.property == "crossStitch" &&
                   issue.severity == Severity::Error;
    EXPECT_TRUE(flagged);
}

TEST(CrossStitch, TrainsWithLossWeightingAndGradientMethods) {
    const Dataset data = mtl::test::twoTaskData(256);
    const Model model = compile(stitched(data.schema), data.schema);
    for (const char* method : {"uncertainty", "pcgrad", "mgda"}) {
        SCOPED_TRACE(method);
        TrainingSettings settings;
        settings.epochs = 6;
        settings.batchSize = 32;
        settings.threads = 1;
        settings.relationsEvery = 2; // the measurements run on a stitched model too
        settings.balancing.kind = *parseBalancingKind(method);
        Trainer trainer(model, data, settings);
        const Vector before = trainer.parameters();
        const RunResult result = trainer.run();
        ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
        EXPECT_LT(result.history.back().train.total, result.history.front().train.total);
        const CrossStitchUnit& unit = model.crossStitches()[0];
        EXPECT_NE(trainer.parameters()[unit.parameterOffset + 1], before[unit.parameterOffset + 1])
            << "the mixing learned";
    }
}
