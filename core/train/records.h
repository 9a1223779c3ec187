#pragma once
// What a training run reports: per-step records, per-epoch records, and how it ended. Plain C++
// so the command line, the GUI and tests all observe the same trainer.

#include "relations/relation_record.h"
#include "util/tensor.h"

#include <string>
#include <vector>

namespace mtl::core {

struct StepRecord {
    long step = 0;  // counts from 1
    int epoch = 0;  // counts from 1
    float learningRate = 0.0f;
    double seconds = 0.0; // since the run started (wall clock, pauses included)
    Index rows = 0;       // in this batch
    double total = 0.0;   // Σ w_t L_t + penalty on this batch
    double penalty = 0.0; // soft-sharing penalty
    std::vector<float> taskLoss;   // NaN where the batch had no target for the task
    std::vector<float> taskWeight; // the weights this step used (the balancing method's)
    std::vector<float> taskState;  // per task, the method's own quantity (uncertainty: σ_t), or empty
};

// Loss and metrics of every task on one data split.
struct SplitEvaluation {
    std::vector<double> loss;                 // per task
    std::vector<std::vector<double>> metrics; // per task, in TaskInfo::metrics order
    double total = 0.0;                       // Σ w_t L_t
    Index rows = 0;
    bool empty() const { return rows == 0; }
};

// The task covariance Ω a relationship-coupled soft layer learned (model/coupling.h): T×T,
// row-major, over the tasks through the layer in task order.
struct LearnedCovariance {
    std::string nodeId;
    std::vector<std::string> tasks;
    std::vector<double> omega;
    bool operator==(const LearnedCovariance&) const = default;
};

// Which experts a task's expert gate used (MMoE, CGC): its mean softmax weights over the rows
// trained on in an epoch.
struct GateUse {
    std::string nodeId; // the expert gate
    std::string task;
    std::vector<std::string> experts; // each expert's last layer, in the gate's input order
    std::vector<double> weights;      // per expert; they sum to 1
    bool operator==(const GateUse&) const = default;
};

struct EpochRecord {
    int epoch = 0;
    long step = 0;
    float learningRate = 0.0f;
    double seconds = 0.0; // since the run started
    SplitEvaluation train;      // loss: running mean over the epoch; metrics: on train rows
    SplitEvaluation validation; // empty without a validation split
    std::vector<LearnedCovariance> covariances; // at the epoch's end (relationship couplings)
    std::vector<GateUse> gates;                 // over the epoch (expert gates)
};

enum class StopReason { Completed, EarlyStopped, Stopped, Diverged };

struct RunResult {
    StopReason reason = StopReason::Completed;
    std::string message; // why it stopped, for people
    int epochs = 0;      // completed epochs
    int bestEpoch = 0;   // by validation loss; 0 when there is no validation split
    long steps = 0;
    std::vector<EpochRecord> history;
    SplitEvaluation test; // empty without a test split
};

std::string_view toString(StopReason reason);
// The reason toString() named; Completed for text it never writes.
StopReason parseStopReason(std::string_view text);

class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    // Called on the training thread. Must not block for long; copy what you need.
    virtual void onStep(const StepRecord& /*record*/) {}
    virtual void onEpoch(const EpochRecord& /*record*/) {}
    // Every TrainingSettings::relationsEvery steps, after that step's onStep.
    virtual void onRelations(const RelationRecord& /*record*/) {}
};

} // namespace mtl::core
