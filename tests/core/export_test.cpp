// The export plan (what ONNX and PyTorch exports are built from), refusals, and the .npy format.
// The exports themselves are checked by ONNX Runtime and PyTorch in tests/export/.
#include "test_models.h"

#include "export/export_plan.h"
#include "export/npz_writer.h"
#include "export/onnx_export.h"
#include "train/trainer.h"
#include "util/error.h"

#include <gtest/gtest.h>

using namespace mtl::core;

namespace {

TrainedModel trainedModel(SharingMode sharing, LossKind loss = LossKind::MSE) {
    const Dataset data = mtl::test::twoTaskData(64, loss == LossKind::SoftmaxCrossEntropy);
    const ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, sharing, loss);
    const Model model = compile(spec, data.schema);
    TrainingSettings settings;
    settings.epochs = 1;
    settings.threads = 1;
    Trainer trainer(model, data, settings);
    const RunResult result = trainer.run();
    return {spec,
            data.schema,
            trainer.normalizer(),
            trainer.targetScaling(),
            trainer.parameters(),
            TrainingRecord{std::string(toString(result.reason)), result.epochs, settings, {}, {}}};
}

std::string exportError(const TrainedModel& trained, const std::vector<std::string>& tasks = {}) {
    try {
        const Model model = compile(trained.spec, trained.schema);
        (void)makeExportPlan(model, trained, tasks);
    } catch (const mtl::ExportError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(ExportPlan, RefusesDivergedAndUntrainedModels) {
    TrainedModel trained = trainedModel(SharingMode::Hard);
    EXPECT_EQ(exportError(trained), "");
    trained.training->status = "diverged";
    EXPECT_NE(exportError(trained).find("this model's run diverged"), std::string::npos);
    trained.training->status = "stopped";
    trained.training->epochs = 0;
    EXPECT_EQ(exportError(trained), "this model was never trained (0 epochs completed)");
    trained.training.reset(); // a file from before runs were recorded: nothing to refuse on
    EXPECT_EQ(exportError(trained), "");
    EXPECT_EQ(exportError(trained, {"c"}), "no task 'c' in this model (tasks: a, b)");
}

TEST(ExportPlan, SoftSharingGivesEachTaskItsCopy) {
    const TrainedModel trained = trainedModel(SharingMode::Soft);
    const Model model = compile(trained.spec, trained.schema);
    const ExportPlan plan = makeExportPlan(model, trained);
    ASSERT_EQ(plan.tasks.size(), 2u);
    std::vector<std::string> names;
    for (const PlanStep& step : plan.steps) {
        if (step.node->kind == NodeKind::Dense) names.push_back(plan.copyName(step, model));
        ASSERT_LT(step.input, int(&step - plan.steps.data())); // reads an earlier step
    }
    // The soft-shared trunk layer appears once per task, under the task's name.
    EXPECT_NE(std::find(names.begin(), names.end(), "shared1_a"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "shared1_b"), names.end());
    // Each copy's parameters are its own slice.
    std::set<Index> offsets;
    for (const PlanStep& step : plan.steps) offsets.insert(step.parameterOffset);
    EXPECT_GE(offsets.size(), 4u);
}

TEST(ExportPlan, OneTaskKeepsOnlyItsLayers) {
    const TrainedModel trained = trainedModel(SharingMode::Hard);
    const Model model = compile(trained.spec, trained.schema);
    const ExportPlan all = makeExportPlan(model, trained);
    const ExportPlan one = makeExportPlan(model, trained, {"b"});
    ASSERT_EQ(one.tasks.size(), 1u);
    EXPECT_EQ(one.tasks[0].name, "b");
    EXPECT_LT(one.steps.size(), all.steps.size());
    for (const PlanStep& step : one.steps) EXPECT_NE(step.node->id.rfind("a_", 0), 0u) << step.node->id;
    EXPECT_EQ(onnxOutputNames(trained, {{"b"}}), std::vector<std::string>{"b"});
}

TEST(ExportPlan, ClassificationOutputsAreLogitsAndProbabilities) {
    const TrainedModel trained = trainedModel(SharingMode::Hard, LossKind::SoftmaxCrossEntropy);
    EXPECT_EQ(onnxOutputNames(trained), (std::vector<std::string>{"a_logits", "a_probabilities", "b_logits", "b_probabilities"}));
    EXPECT_GT(exportOnnx(trained).size(), 1000u);
}

// Each task's expert gate is its own module, also when a cross-stitch unit after the gate makes
// every gate instance serve both tasks.
TEST(ExportPlan, EachTasksGateHasItsOwnName) {
    const Dataset data = mtl::test::twoTaskData(64);
    const ModelSpec spec =
        mtl::test::mixtureOfExperts({SharingMode::Hard, SharingMode::Hard}, true, true);
    const Model model = compile(spec, data.schema);
    Vector params;
    Rng rng(1);
    model.initialize(params, rng);
    TrainingSettings settings;
    const TrainedModel trained{
        spec, model.schema(), {}, {}, params, TrainingRecord{"completed", 1, settings, {}, {}}};
    const ExportPlan plan = makeExportPlan(model, trained);
    std::vector<std::string> names;
    for (const PlanStep& step : plan.steps) {
        if (step.node->kind == NodeKind::ExpertGate)
            names.push_back(plan.copyName(step, model));
    }
    EXPECT_EQ(names, (std::vector<std::string>{"gate_a", "gate_b"}));
}

TEST(Npy, HeaderIsPaddedAndNamesTheShape) {
    const std::string two = npyBytes({"x", {2, 3}, std::vector<float>(6, 1.0f)});
    ASSERT_EQ(two.substr(0, 6), "\x93NUMPY");
    const auto headerLength = std::size_t(std::uint8_t(two[8])) | std::size_t(std::uint8_t(two[9])) << 8;
    EXPECT_EQ((10 + headerLength) % 64, 0u);
    EXPECT_NE(two.find("'shape': (2, 3)"), std::string::npos);
    EXPECT_EQ(two.size(), 10 + headerLength + 6 * sizeof(float));
    EXPECT_NE(npyBytes({"v", {5}, std::vector<float>(5)}).find("'shape': (5,)"), std::string::npos);
    const std::string zip = npzBytes({{"a", {1}, {1.0f}}, {"b", {2}, {2.0f, 3.0f}}});
    EXPECT_EQ(zip.substr(0, 4), std::string("PK\x03\x04", 4));
    EXPECT_NE(zip.find("a.npy"), std::string::npos);
    EXPECT_NE(zip.find("b.npy"), std::string::npos);
}
