// Confusion matrices: a hand-worked case, agreement with the metrics module's accuracy and macro
// F1 (computed there from the outputs, not from a matrix), and a trained model's matrix on its
// validation rows agreeing with the trainer's own validation accuracy.
#include "train/confusion.h"

#include "data/split.h"
#include "model/model.h"
#include "test_models.h"
#include "train/metrics.h"
#include "train/trainer.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mtl::core;
using mtl::test::task;

namespace {

double metric(MetricKind kind, LossKind loss, const Matrix& outputs, const Matrix& targets) {
    return computeMetric(kind, loss, ConstMatrixMap(outputs.data(), outputs.rows(), outputs.cols()),
                         ConstMatrixMap(targets.data(), targets.rows(), targets.cols()));
}

Matrix logitsPicking(const std::vector<int>& classes, Index k) {
    Matrix m = Matrix::Zero(Index(classes.size()), k);
    for (std::size_t r = 0; r < classes.size(); ++r)
        m(Index(r), classes[r]) = 2.0f;
    return m;
}

} // namespace

TEST(Confusion, HandWorkedThreeClasses) {
    // truth:     0 0 0 1 1 2 2 2 2 NaN
    // predicted: 0 0 1 1 2 2 2 0 2 1
    const std::vector<int> predicted{0, 0, 1, 1, 2, 2, 2, 0, 2, 1};
    Matrix targets(10, 1);
    targets << 0, 0, 0, 1, 1, 2, 2, 2, 2, NAN;
    TargetColumn column{"kind", {"cat", "dog", "bird"}};
    const auto all = confusionMatrices("kind", LossKind::SoftmaxCrossEntropy,
                                       logitsPicking(predicted, 3), targets, {column});
    ASSERT_EQ(all.size(), 1u);
    const ConfusionMatrix& m = all.front();
    EXPECT_EQ(m.labels, (std::vector<std::string>{"cat", "dog", "bird"}));
    const std::vector<Index> expected{2, 1, 0, //
                                      0, 1, 1, //
                                      1, 0, 3};
    EXPECT_EQ(m.counts, expected);
    EXPECT_EQ(m.total(), 9); // the missing target is left out
    EXPECT_DOUBLE_EQ(m.accuracy(), 6.0 / 9.0);
    // cat: tp 2, predicted 3, actual 3; dog: tp 1, predicted 2, actual 2; bird: tp 3, predicted 4,
    // actual 4.
    EXPECT_DOUBLE_EQ(m.scores(0).precision, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(m.scores(0).recall, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(m.scores(1).precision, 0.5);
    EXPECT_DOUBLE_EQ(m.scores(2).recall, 0.75);
    EXPECT_DOUBLE_EQ(m.scores(2).f1, 0.75);
    EXPECT_EQ(m.scores(2).support, 4);
    EXPECT_DOUBLE_EQ(m.macroF1(), (2.0 / 3.0 + 0.5 + 0.75) / 3.0);
}

TEST(Confusion, AClassNeverPredictedHasNoPrecision) {
    Matrix targets(3, 1);
    targets << 0, 1, 1;
    const auto m = confusionMatrices("t", LossKind::SoftmaxCrossEntropy,
                                     logitsPicking({0, 0, 0}, 2), targets, {})
                       .front();
    EXPECT_TRUE(std::isnan(m.scores(1).precision));
    EXPECT_DOUBLE_EQ(m.scores(1).recall, 0.0);
    EXPECT_EQ(m.labels, (std::vector<std::string>{"no", "yes"}));
}

TEST(Confusion, AgreesWithTheMetricsOnRandomOutputs) {
    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    for (const Index k : {2, 4, 7}) {
        Matrix logits(300, k), targets(300, 1);
        for (Index r = 0; r < 300; ++r) {
            for (Index c = 0; c < k; ++c)
                logits(r, c) = normal(rng);
            targets(r, 0) =
                r % 17 == 0 ? NAN : float(std::uniform_int_distribution<int>(0, int(k) - 1)(rng));
            if (r % 3 == 0 && !std::isnan(targets(r, 0)))
                logits(r, Index(targets(r, 0))) += 2.0f; // better than chance
        }
        const auto m =
            confusionMatrices("t", LossKind::SoftmaxCrossEntropy, logits, targets, {}).front();
        EXPECT_NEAR(m.accuracy(),
                    metric(MetricKind::Accuracy, LossKind::SoftmaxCrossEntropy, logits, targets),
                    1e-12);
        EXPECT_NEAR(m.macroF1(),
                    metric(MetricKind::MacroF1, LossKind::SoftmaxCrossEntropy, logits, targets),
                    1e-12);
    }
    // Binary heads: one matrix per column; the metrics module averages over the columns.
    Matrix logits(200, 3), targets(200, 3);
    for (Index r = 0; r < 200; ++r)
        for (Index c = 0; c < 3; ++c) {
            logits(r, c) = normal(rng);
            targets(r, c) = (r + c) % 11 == 0 ? NAN : float(logits(r, c) + normal(rng) > 0.3f);
        }
    const auto binary = confusionMatrices("b", LossKind::BinaryCrossEntropy, logits, targets, {});
    ASSERT_EQ(binary.size(), 3u);
    double accuracy = 0.0, f1 = 0.0;
    for (const auto& m : binary) {
        accuracy += m.accuracy() / 3.0;
        f1 += m.macroF1() / 3.0;
    }
    EXPECT_NEAR(accuracy,
                metric(MetricKind::Accuracy, LossKind::BinaryCrossEntropy, logits, targets), 1e-12);
    EXPECT_NEAR(f1, metric(MetricKind::MacroF1, LossKind::BinaryCrossEntropy, logits, targets),
                1e-12);
}

TEST(Confusion, ATrainedModelOnItsValidationRows) {
    const Dataset data = mtl::test::twoTaskData(400, true);
    TrunkTemplate recipe;
    recipe.sharedUnits = {16};
    recipe.headUnits = {8};
    recipe.tasks = {task("a", LossKind::SoftmaxCrossEntropy, {"task1"}),
                    task("b", LossKind::SoftmaxCrossEntropy, {"task2"})};
    const ModelSpec spec = makeTrunkModel(recipe, data.schema);
    const Model model = compile(spec, data.schema);
    TrainingSettings settings;
    settings.epochs = 5;
    settings.batchSize = 32;
    Trainer trainer(model, data, settings);
    trainer.run();
    const TrainedModel trained{
        spec, data.schema, trainer.normalizer(), trainer.targetScaling(), trainer.parameters(), {}};
    const auto matrices = confusionMatrices(trained, data, trainer.split().validation);
    ASSERT_EQ(matrices.size(), 2u);
    const SplitEvaluation validation = trainer.evaluate(trainer.split().validation);
    for (std::size_t t = 0; t < 2; ++t) {
        EXPECT_EQ(matrices[t].task, t == 0 ? "a" : "b");
        EXPECT_EQ(matrices[t].total(), Index(trainer.split().validation.size()));
        const auto& metrics = model.tasks()[t].metrics;
        const auto accuracy = std::size_t(
            std::find(metrics.begin(), metrics.end(), MetricKind::Accuracy) - metrics.begin());
        EXPECT_NEAR(matrices[t].accuracy(), validation.metrics[t][accuracy], 1e-9);
    }
    // The data must be the model's.
    Dataset other = data;
    other.schema.targets.front().name = "renamed";
    EXPECT_THROW(confusionMatrices(trained, other, trainer.split().validation), mtl::Error);
}
