#pragma once
// A run's folder: run.mtl.json (the project snapshot: graph, settings, seed), metrics.csv (per
// epoch and task), steps.csv (per-step losses at the resolution the app kept) and model.mtlmodel
// (the weights). Written when a run ends; read back when a project lists its runs.

#include "io/project_file.h"
#include "training/run_data.h"

namespace mtl::ui {

// Writes the snapshot, metrics and steps (the model file is written by the training thread).
// Throws mtl::Error naming the file.
void writeRunFiles(const RunData& run);
std::string stepsCsv(const RunMetrics& metrics);

// The run a project's record points at; throws mtl::Error naming the file that is missing or
// broken. `projectDir` resolves a relative directory.
RunPtr loadRun(const core::RunRecord& record, const std::string& projectDir);

// The record the project keeps (its directory absolute; saving makes it relative to the file).
core::RunRecord runRecord(const RunData& run);

} // namespace mtl::ui
