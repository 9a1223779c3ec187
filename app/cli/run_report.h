#pragma once
// Training one run in the terminal and keeping it: the progress bar and epoch table while it
// trains, the final metrics after, the run's folder written by the core (the same files the app
// writes), and, for a project of the user's, the run recorded in the project file as the app
// records it.

#include "runs/run_directory.h"

#include <string>
#include <vector>

namespace mtl::cli {

// Trains and prints; returns the run (its reason says whether it diverged or was stopped).
core::RunContents trainInTerminal(const core::Project& project, core::Dataset data, bool quiet);

// Writes the run's folder and model file.
void writeRun(const core::RunContents& run, const std::string& directory);

// Where a project's runs go and whether they are recorded in it.
struct RunPlace {
    std::string projectFile; // empty: no project file (a CSV)
    std::string projectDir = ".";
    std::string base;    // folder for new runs
    bool record = false; // append each run to the project file
    std::string whyNot;  // why runs are not recorded, for people (empty when they are)
};

// `projectFile` loaded with `warnings`; `noRecord`: the user's --no-record.
RunPlace runPlace(const std::string& projectFile, const std::vector<std::string>& warnings,
                  bool noRecord, const std::string& executableDir);

// Appends the run to the project file (relative to it) and rewrites the file whole.
void recordRun(core::Project& project, const RunPlace& place, const std::string& name,
               const std::string& directory, const core::RunContents& run);

// The Δm table of a multi-task run against its baselines, as `mtl train --baselines` prints it.
void printBaselineComparison(const core::RunContents& multiTask,
                             const std::vector<const core::RunContents*>& baselines);

} // namespace mtl::cli
