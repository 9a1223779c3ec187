#pragma once
// One training run as the app keeps it: the core's run (snapshot, model, metrics, how it ended,
// the kept weights) plus its name, note and folder, and its state in the app. GUI thread only.

#include "runs/run_directory.h"

#include <QString>

#include <memory>

namespace mtl::ui {

struct RunData : core::RunContents {
    QString name;            // "run 3", "baseline task1", or the user's
    QString note;            // the user's
    QString directory;       // absolute: the run's folder (runs/run_directory.h)
    bool running = false;
    bool failed = false; // could not start or could not finish (message says why)
    QString message;
    std::vector<double> affinity; // [tasks × tasks] Z_{i→j}, once measured; else empty
    int affinityBatches = 0;
};

using RunPtr = std::shared_ptr<RunData>;

// The run a project's record points at (core::readRecordedRun), with its name, note and message;
// throws mtl::Error naming the file that is missing or broken.
RunPtr loadRun(const core::RunRecord& record, const std::string& projectDir);
// The record the project keeps (its directory absolute; saving makes it relative to the file).
core::RunRecord runRecord(const RunData& run);

} // namespace mtl::ui
