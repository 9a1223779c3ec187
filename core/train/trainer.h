#pragma once
// Trainer: runs mini-batch training of a compiled Model on a Dataset. It owns the flat
// parameter, gradient and optimizer buffers and one Workspace, all sized at construction, so a
// training step allocates nothing. Same seed, data and thread count give the same numbers.
// requestStop() and setPaused() may be called from any thread; they take effect between steps.

#include "balancing/strategy.h"
#include "balancing/task_gradients.h"
#include "data/dataset.h"
#include "data/normalizer.h"
#include "data/split.h"
#include "model/model.h"
#include "model/workspace.h"
#include "relations/task_relations.h"
#include "train/covariances.h"
#include "train/gate_use.h"
#include "train/optimizer.h"
#include "train/records.h"
#include "train/training_settings.h"

#include <array>
#include <atomic>
#include <chrono>
#include <span>

namespace mtl::core {

// The rows a run trains, validates and tests on: a seeded split by the settings' fractions, or,
// for a dataset with a fixed test split (Dataset::testRows), that split and the rest by the
// validation fraction.
DataSplit splitData(const Dataset& data, const TrainingSettings& settings);

class Trainer {
public:
    // Splits and standardises the data (statistics from the training rows) and initialises the
    // parameters from the seed. Throws SettingError for settings out of range.
    Trainer(const Model& model, Dataset data, const TrainingSettings& settings);

    RunResult run(TrainingObserver* observer = nullptr);
    void requestStop() { m_stop = true; }
    void setPaused(bool paused) { m_paused = paused; }

    // One optimisation step on these rows of the (standardised) data, at learning rate lr.
    // Returns the batch's total loss (Σ w_t L_t with the task weights, whatever the balancing
    // method); a non-finite loss leaves the parameters untouched.
    double trainStep(std::span<const Index> rows, float lr);
    // The weights the last step used per task (the balancing method's; 0 for absent tasks).
    const std::vector<float>& stepWeights() const { return m_step.taskWeight; }
    // The per-task gradients of the last step (gradient-based methods), or null.
    const TaskGradients* taskGradients() const { return m_taskGradients.get(); }
    const BalancingStrategy& balancing() const { return *m_strategy; }
    // The last relations measured (empty blocks when the model shares nothing or they are off).
    const RelationRecord& relations() const { return m_relations; }
    SplitEvaluation evaluate(std::span<const Index> rows);

    const Model& model() const { return m_model; }
    const Dataset& data() const { return m_data; }
    const DataSplit& split() const { return m_split; }
    const Normalizer& normalizer() const { return m_normalizer; }
    const TargetScaling& targetScaling() const { return m_targetScaling; }
    const Vector& parameters() const { return m_parameters; }
    Vector& parameters() { return m_parameters; }
    const std::vector<float>& taskWeights() const { return m_weights; }
    // The threads run() uses: the setting, or the automatic choice for this model and batch.
    int threads() const;
    Workspace& workspace() { return m_workspace; }

private:
    bool waitWhilePaused() const; // false if a stop was requested
    // The balancing method's backward pass (train/balanced_step.cpp); returns false (with
    // m_failure) on non-finite weights. Measures the task relations when they are due.
    bool balancedBackward(Index batch, float lr);
    bool relationsDue() const;
    void runEpoch(int epoch, long stepsPerEpoch, long totalSteps, TrainingObserver* observer,
                  RunResult& result);
    // The epoch's steps; returns the last learning rate. Sets result.reason on stop or divergence.
    float stepThroughEpoch(int epoch, long stepsPerEpoch, long totalSteps, TrainingObserver* observer,
                           RunResult& result);
    // Evaluates the epoch, appends it to result.history and tells the observer.
    void recordEpoch(int epoch, float lr, TrainingObserver* observer, RunResult& result);

    const Model& m_model;
    TrainingSettings m_settings;
    Dataset m_data;
    DataSplit m_split;
    Normalizer m_normalizer;
    TargetScaling m_targetScaling;
    Rng m_rng;
    Vector m_parameters;
    Vector m_gradients;
    bool m_gradientsClear = true; // all zeros: fresh, or cleared by the last optimizer step
    Optimizer m_optimizer;
    Workspace m_workspace;
    std::vector<float> m_weights;
    std::vector<Index> m_order;   // this epoch's shuffled training rows
    StepRecord m_step;
    std::unique_ptr<BalancingStrategy> m_strategy;
    std::unique_ptr<TaskGradients> m_taskGradients; // gradient-based methods only
    std::array<int, kMaxTasks> m_present{};
    SmallVector m_presentLosses;
    SmallVector m_balancedWeights;
    SmallMatrix m_gram;
    std::vector<float> m_lossWeights; // per task, for a loss-based method's backward pass
    std::string m_failure;            // why the last step failed, when not a task's loss
    std::unique_ptr<TaskGradients> m_relationGradients; // loss-based methods: for the measurements
    RelationRecord m_relations;       // sized once; filled every relationsEvery steps
    bool m_relationsMeasured = false; // by the last step
    GateMeter m_gates;                // expert gates' weights over the epoch
    std::vector<double> m_epochLossSum; // per task: Σ loss·count over the epoch's batches
    std::vector<double> m_epochCount;
    std::chrono::steady_clock::time_point m_runStart;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
};

} // namespace mtl::core
