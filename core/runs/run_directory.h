#pragma once
// A run's folder, the one format the app and the command line both write and read:
//   run.mtl.json   the project snapshot it trained (graph, settings, seed)
//   metrics.csv    per epoch and task (io/metrics_csv.h)
//   steps.csv      per-step losses, weights and the balancing method's quantity
//   relations.csv  the task-relation measurements, when any were taken
//   test.csv       per task, loss and metrics on the test split with the kept weights, when the
//                  run had a test split
//   model.mtlmodel the kept weights (io/model_file.h)

#include "io/model_file.h"
#include "io/project_file.h"
#include "relations/relation_record.h"
#include "runs/run_metrics.h"

#include <memory>
#include <string>
#include <vector>

namespace mtl::core {

// One run in memory: what it trained, what it reported and the weights it kept.
struct RunContents {
    Project snapshot;         // what was trained
    std::string baselineTask; // non-empty: the single-task baseline of this task
    std::shared_ptr<const Model> model;
    std::shared_ptr<const TrainedModel> trained; // the weights kept at the end
    RunMetrics metrics;
    long totalSteps = 0;
    StopReason reason = StopReason::Completed;
    int epochs = 0;                        // completed
    std::string stopMessage;               // how it ended, for people
    std::vector<RelationRecord> relations; // measured every relationsEvery steps
    SplitEvaluation test;                  // on the test split with the kept weights; empty: none
    std::vector<LearnedCovariance> covariances; // Ω of relationship-coupled layers, the latest
    std::vector<GateUse> gates;                 // expert gates' use in the latest epoch
};

// Writes every file but the model (whose weights the training thread writes) into `directory`,
// creating it; each file is replaced whole or not at all. Throws FileError naming the file.
void writeRunDirectory(const RunContents& run, const std::string& directory);
// Writes the model file from the run's snapshot and trained weights.
void writeRunModel(const RunContents& run, const std::string& directory);
std::string stepsCsv(const RunMetrics& metrics);

// Reads a run's folder back; throws FileError naming the file that is missing or broken.
// `epochs` is the number of completed epochs the record names (it sets the steps per epoch).
RunContents readRunDirectory(const std::string& directory, int epochs);
// The run a project's record points at (a relative directory is resolved against projectDir);
// a record named "baseline <task>" of a one-head snapshot is that task's baseline.
RunContents readRecordedRun(const RunRecord& record, const std::string& projectDir);

// A run's name as a folder name: "baseline task 1" → "baseline-task-1"; only letters, digits,
// '.', '_' and '-' (a task name may hold anything).
std::string runFolderName(const std::string& runName);

} // namespace mtl::core
