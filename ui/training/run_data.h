#pragma once
// One training run as the app keeps it: the project snapshot it trained (graph, settings, seed),
// the compiled model, its metrics, how it ended, and the trained weights. Lives on the GUI thread.

#include "io/model_file.h"
#include "io/project_file.h"
#include "relations/relation_record.h"
#include "training/run_metrics.h"

#include <QString>

#include <memory>

namespace mtl::ui {

struct RunData {
    QString name;            // "run 3", "baseline task1", or the user's
    QString note;            // the user's
    QString directory;       // absolute: run.mtl.json, metrics.csv, steps.csv, model.mtlmodel
    core::Project snapshot;  // what was trained
    std::string baselineTask; // non-empty: the single-task baseline of this task
    std::shared_ptr<const core::Model> model;
    RunMetrics metrics;
    long totalSteps = 0;
    bool running = false;
    bool failed = false;     // could not start or could not finish (message says why)
    core::StopReason reason = core::StopReason::Completed;
    QString message;
    int epochs = 0;
    std::shared_ptr<const core::TrainedModel> trained; // the weights kept at the end
    std::vector<core::RelationRecord> relations; // measured every relationsEvery steps
    std::vector<double> affinity;                // [tasks × tasks] Z_{i→j}, once measured; else empty
    int affinityBatches = 0;
};

using RunPtr = std::shared_ptr<RunData>;

} // namespace mtl::ui
