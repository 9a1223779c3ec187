// Trainer: learns a related two-task problem, is deterministic, stops cleanly, and reports a
// diverging run with its last good weights.

#include "test_models.h"

#include "model/model.h"
#include "util/error.h"
#include "train/trainer.h"
#include "util/threads.h"

#include <gtest/gtest.h>

#include <cmath>
#include <atomic>
#include <thread>

using namespace mtl::core;

namespace {

struct Recorder : TrainingObserver {
    std::vector<StepRecord> steps;
    std::vector<EpochRecord> epochs;
    void onStep(const StepRecord& r) override {
        steps.push_back(r);
    }
    void onEpoch(const EpochRecord& r) override { epochs.push_back(r); }
};

Dataset relatedTasks() {
    SyntheticSettings s;
    s.samples = 1200;
    s.features = 10;
    s.latent = 6;
    s.noise = 0.05f;
    return makeSyntheticDataset(s);
}

TrainingSettings quickSettings(int epochs = 30) {
    TrainingSettings t;
    t.epochs = epochs;
    t.batchSize = 32;
    t.threads = 1;
    t.optimizer.learningRate = 3e-3f;
    return t;
}

ModelSpec relatedSpec(const DataSchema& schema, SharingMode sharing) {
    TrunkTemplate recipe;
    recipe.sharedUnits = {32, 32};
    recipe.sharing = sharing;
    recipe.tasks = {mtl::test::task("a", LossKind::MSE, {"task1"}),
                    mtl::test::task("b", LossKind::MSE, {"task2"})};
    return makeTrunkModel(recipe, schema);
}

} // namespace

TEST(Trainer, LearnsRelatedTasksWithHardAndSoftSharing) {
    const Dataset data = relatedTasks();
    for (SharingMode sharing : {SharingMode::Hard, SharingMode::Soft}) {
        SCOPED_TRACE(sharing == SharingMode::Hard ? "hard" : "soft");
        const Model model = compile(relatedSpec(data.schema, sharing), data.schema);
        Trainer trainer(model, data, quickSettings());
        const RunResult result = trainer.run();
        ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
        const EpochRecord& first = result.history.front();
        const EpochRecord& last = result.history.back();
        for (std::size_t t = 0; t < 2; ++t) {
            // Targets have variance ≈ 1–3; a model that learned them leaves a small residual.
            EXPECT_LT(last.validation.loss[t], 0.1) << "task " << t;
            EXPECT_LT(last.validation.loss[t], 0.3 * first.validation.loss[t]);
            EXPECT_GT(last.validation.metrics[t][3], 0.9); // R²
        }
    }
}

TEST(Trainer, SameSeedSameNumbers) {
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Soft), data.schema);
    TrainingSettings s = quickSettings(3);
    TrainingSettings other = s;
    other.seed = 99;
    Trainer a(model, data, s), b(model, data, s), c(model, data, other);
    const RunResult ra = a.run(), rb = b.run(), rc = c.run();
    EXPECT_EQ(a.parameters(), b.parameters());
    EXPECT_EQ(ra.history.back().validation.loss, rb.history.back().validation.loss);
    EXPECT_NE(a.parameters(), c.parameters());
}

TEST(Trainer, ReportsStepsAndEpochs) {
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    Recorder recorder;
    Trainer trainer(model, data, quickSettings(2));
    const RunResult result = trainer.run(&recorder);
    const long perEpoch = (960 + 31) / 32; // 80 % of 1200 rows train
    EXPECT_EQ(result.steps, 2 * perEpoch);
    ASSERT_EQ(recorder.steps.size(), std::size_t(2 * perEpoch));
    EXPECT_EQ(recorder.steps.back().step, 2 * perEpoch);
    EXPECT_EQ(recorder.steps.back().taskLoss.size(), 2U);
    ASSERT_EQ(recorder.epochs.size(), 2U);
    EXPECT_EQ(recorder.epochs[1].epoch, 2);
    EXPECT_EQ(recorder.epochs[1].validation.rows, 240);
}

TEST(Trainer, MissingTargetsStillTrainTheOtherTask) {
    Dataset data = relatedTasks();
    for (Index r = 0; r < data.rows(); ++r) data.targets(r, 1) = std::nanf("");
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    Trainer trainer(model, data, quickSettings(10));
    const RunResult result = trainer.run();
    ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
    EXPECT_TRUE(std::isnan(result.history.back().validation.loss[1]));
    EXPECT_LT(result.history.back().validation.loss[0], 0.2);
}

TEST(Trainer, DivergingRunStopsAndKeepsLastGoodWeights) {
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    Trainer trainer(model, data, quickSettings(5));
    // Keeps the weights at each epoch's end; corrupts one weight early in epoch 2, so that the
    // next step's loss is non-finite.
    struct Saboteur : TrainingObserver {
        Trainer* trainer = nullptr;
        Vector atEpochEnd;
        void onEpoch(const EpochRecord&) override { atEpochEnd = trainer->parameters(); }
        void onStep(const StepRecord& r) override {
            if (r.epoch == 2 && r.step % 30 == 3) {
                trainer->parameters()[0] = std::numeric_limits<float>::infinity();
            }
        }
    } saboteur;
    saboteur.trainer = &trainer;
    const RunResult result = trainer.run(&saboteur);
    EXPECT_EQ(result.reason, StopReason::Diverged);
    EXPECT_EQ(result.epochs, 1);
    EXPECT_NE(result.message.find("the loss of task 'a' became"), std::string::npos) << result.message;
    EXPECT_NE(result.message.find("(epoch 2)"), std::string::npos) << result.message;
    EXPECT_NE(result.message.find("restored to the end of epoch 1"), std::string::npos) << result.message;
    EXPECT_TRUE(trainer.parameters().allFinite());
    EXPECT_EQ(trainer.parameters(), saboteur.atEpochEnd);
}

TEST(Trainer, EarlyStoppingKeepsTheBestEpoch) {
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    TrainingSettings s = quickSettings(200);
    s.optimizer.learningRate = 0.05f; // noisy: validation stops improving early
    s.earlyStoppingPatience = 3;
    Trainer trainer(model, data, s);
    const RunResult result = trainer.run();
    ASSERT_EQ(result.reason, StopReason::EarlyStopped) << result.message;
    EXPECT_EQ(result.epochs - result.bestEpoch, 3);
    double best = 1e30;
    for (const EpochRecord& e : result.history) best = std::min(best, e.validation.total);
    EXPECT_DOUBLE_EQ(result.history[std::size_t(result.bestEpoch - 1)].validation.total, best);
    // The kept weights give the best epoch's validation loss.
    const SplitEvaluation now = trainer.evaluate(trainer.split().validation);
    EXPECT_NEAR(now.total, best, 1e-9 + 1e-6 * best);
}

TEST(Trainer, KeepingTheLastEpochSaysSo) {
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    TrainingSettings s = quickSettings(200);
    s.optimizer.learningRate = 0.05f;
    s.earlyStoppingPatience = 3;
    s.restoreBestWeights = false;
    Trainer trainer(model, data, s);
    const RunResult result = trainer.run();
    ASSERT_EQ(result.reason, StopReason::EarlyStopped) << result.message;
    EXPECT_NE(result.message.find(
                  "kept the last epoch's weights (the best validation loss was at epoch " +
                  std::to_string(result.bestEpoch) + ")"),
              std::string::npos)
        << result.message;
    // The weights are the last epoch's: its validation loss, not the best one.
    const SplitEvaluation now = trainer.evaluate(trainer.split().validation);
    EXPECT_NEAR(now.total, result.history.back().validation.total, 1e-9 + 1e-6 * now.total);
    EXPECT_GT(now.total, result.history[std::size_t(result.bestEpoch - 1)].validation.total);
}

TEST(Trainer, StopAndPauseFromAnotherThread) {
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    Trainer trainer(model, data, quickSettings(1000));
    struct Counter : TrainingObserver {
        Trainer* trainer = nullptr;
        std::atomic<long> steps{0};
        void onStep(const StepRecord& r) override {
            if (r.step == 5) trainer->setPaused(true);
            steps = r.step;
        }
    } counter;
    counter.trainer = &trainer;
    RunResult result;
    std::thread worker([&] { result = trainer.run(&counter); });
    while (counter.steps < 5) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(counter.steps, 5); // paused: no step while we waited
    trainer.setPaused(false);
    while (counter.steps < 40) std::this_thread::yield();
    trainer.requestStop();
    worker.join();
    EXPECT_EQ(result.reason, StopReason::Stopped);
    EXPECT_GE(result.steps, 40);
    EXPECT_LT(result.steps, 1000L * 30);
}

TEST(Trainer, RejectsSettingsOutOfRange) {
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    TrainingSettings s = quickSettings();
    s.optimizer.learningRate = -1.0f;
    EXPECT_THROW(Trainer(model, data, s), mtl::SettingError);
    s = quickSettings();
    s.validationFraction = 0.7f;
    s.testFraction = 0.4f;
    EXPECT_THROW(Trainer(model, data, s), mtl::SettingError);
}

TEST(Trainer, AutomaticThreadsUseOneCoreForSmallSteps) {
    EXPECT_EQ(automaticThreadCount(7e5), 1);
    EXPECT_EQ(automaticThreadCount(3e8), coreCount());
    const Dataset data = relatedTasks();
    const Model model = compile(relatedSpec(data.schema, SharingMode::Hard), data.schema);
    TrainingSettings s = quickSettings();
    s.threads = 0;
    EXPECT_EQ(Trainer(model, data, s).threads(), 1); // ~1,500 multiply-adds per sample
    s.threads = 3;
    EXPECT_EQ(Trainer(model, data, s).threads(), 3);
}
