// Model files: save → load → predict gives the same outputs; damaged files are refused with a
// message naming the file and the fault.

#include "test_models.h"

#include "io/model_file.h"
#include "predict/predictor.h"
#include "train/trainer.h"
#include "util/error.h"

#include <gtest/gtest.h>

using namespace mtl::core;

namespace {

// A briefly trained two-task model with soft sharing and its training data.
struct Trained {
    Dataset data = mtl::test::twoTaskData(300, true);
    TrainedModel model;

    Trained() {
        const ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, SharingMode::Soft,
                                                       LossKind::SoftmaxCrossEntropy);
        const Model compiled = compile(spec, data.schema);
        TrainingSettings s;
        s.epochs = 2;
        s.threads = 1;
        Trainer trainer(compiled, data, s);
        const RunResult result = trainer.run();
        model = {spec,
                 data.schema,
                 trainer.normalizer(),
                 trainer.targetScaling(),
                 trainer.parameters(),
                 TrainingRecord{std::string(toString(result.reason)), result.epochs, s, {}, {}}};
    }
};

std::string errorFor(const std::string& bytes) {
    try {
        (void)modelFromBytes(bytes, "m.mtlmodel");
    } catch (const mtl::Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted a damaged model";
    return "";
}

} // namespace

TEST(ModelFile, RoundTripPredictsTheSame) {
    Trained t;
    const std::string bytes = modelToBytes(t.model);
    const TrainedModel loaded = modelFromBytes(bytes, "m.mtlmodel");
    EXPECT_EQ(loaded.spec, t.model.spec);
    EXPECT_EQ(loaded.schema, t.model.schema);
    EXPECT_EQ(loaded.parameters, t.model.parameters);
    EXPECT_EQ(loaded.normalizer.mean, t.model.normalizer.mean);
    ASSERT_TRUE(loaded.training.has_value());
    EXPECT_EQ(loaded.training->status, "completed");
    EXPECT_EQ(loaded.training->epochs, 2);
    EXPECT_EQ(loaded.training->settings, t.model.training->settings);
    EXPECT_EQ(modelToBytes(loaded), bytes);

    Predictor before(t.model), after(loaded, 7); // a different batch size on purpose
    const auto a = before.predict(t.data.inputs);
    const auto b = after.predict(t.data.inputs);
    ASSERT_EQ(a.size(), 2U);
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].rows(), 300);
        EXPECT_TRUE(a[i].isApprox(b[i], 1e-6f));
    }
    const Matrix p = probabilities(LossKind::SoftmaxCrossEntropy, a[0]);
    EXPECT_NEAR(p.row(0).sum(), 1.0f, 1e-6f);
}

TEST(ModelFile, DamagedWeightsFailTheChecksum) {
    std::string bytes = modelToBytes(Trained().model);
    bytes[bytes.size() - 5] ^= 0x40;
    EXPECT_NE(errorFor(bytes).find("m.mtlmodel: checksum mismatch"), std::string::npos);
}

TEST(ModelFile, TruncatedFile) {
    const std::string bytes = modelToBytes(Trained().model);
    EXPECT_NE(errorFor(bytes.substr(0, bytes.size() - 100)).find("m.mtlmodel: the file is truncated"),
              std::string::npos);
}

TEST(ModelFile, NotAModelFile) {
    EXPECT_EQ(errorFor("{\"format_version\": 1}"),
              "m.mtlmodel: not an MTL Workbench model file (it does not start with \"MTLMODEL\")");
    EXPECT_EQ(errorFor(""), "m.mtlmodel: not an MTL Workbench model file (it does not start with \"MTLMODEL\")");
    EXPECT_EQ(errorFor("MTLMODEL 7\n"), "m.mtlmodel: model format version 7; this program reads 1 to 1");
    EXPECT_EQ(errorFor("MTLMODEL 1\nabc\n"),
              "m.mtlmodel: line 2: expected \"<header bytes> <weight bytes> <checksum>\"");
}

TEST(ModelFile, HeaderThatDisagreesWithTheWeights) {
    // A well-formed file (valid checksum) whose header claims more parameters than it stores.
    TrainedModel m = Trained().model;
    m.parameters.conservativeResize(m.parameters.size() - 1);
    EXPECT_NE(errorFor(modelToBytes(m)).find("parameters but the file stores"), std::string::npos);
}

TEST(Predictor, RejectsInputsOfTheWrongWidth) {
    Predictor p(Trained().model);
    EXPECT_THROW(p.predict(Matrix::Zero(3, 2)), mtl::Error);
}

TEST(ModelFile, RegressionTargetsComeBackInTheirOwnUnits) {
    Dataset data = mtl::test::twoTaskData(400);
    data.targets.col(0) = (data.targets.col(0).array() * 1000.0f + 5000.0f).matrix(); // prices
    const ModelSpec spec = mtl::test::twoTaskTrunk(data.schema);
    const Model compiled = compile(spec, data.schema);
    TrainingSettings s;
    s.epochs = 30;
    s.threads = 1;
    Trainer trainer(compiled, data, s);
    const RunResult result = trainer.run();
    ASSERT_FALSE(trainer.targetScaling().isIdentity());
    EXPECT_NEAR(trainer.targetScaling().mean[0], 5000.0f, 300.0f);
    // Validation loss is in standard units; R² and RMSE are in the column's own.
    const SplitEvaluation& v = result.history.back().validation;
    EXPECT_LT(v.loss[0], 1.0);
    EXPECT_GT(v.metrics[0][3], 0.5);  // R²
    EXPECT_GT(v.metrics[0][1], 10.0); // RMSE in "price" units, far above the standard-unit loss

    const TrainedModel saved{spec, data.schema, trainer.normalizer(), trainer.targetScaling(),
                             trainer.parameters(), std::nullopt}; // as files written before the record
    const TrainedModel loaded = modelFromBytes(modelToBytes(saved), "m.mtlmodel");
    EXPECT_EQ(loaded.targetScaling.mean, saved.targetScaling.mean);
    EXPECT_EQ(loaded.targetScaling.scale, saved.targetScaling.scale);
    const std::vector<Matrix> predicted = Predictor(loaded).predict(data.inputs);
    EXPECT_NEAR(predicted[0].mean(), data.targets.col(0).mean(), 300.0f);
    EXPECT_NEAR(predicted[1].mean(), data.targets.col(1).mean(), 1.0f); // untouched scale
}
