#pragma once
// Runs side by side: for each run its settings (dataset, sharing, tasks' losses and weights,
// optimizer, schedule, balancing, seed, …) and how it ended (epochs, time, final metrics), one
// row per setting. Rows whose values differ between the runs are marked, and per metric the best
// run. The multi-seed version with Δm tables is the experiments view; this is the single-run one.

#include "training/run_data.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace mtl::ui {

struct ComparisonRow {
    QString group;      // "Run", "Network", "Training", "Final metrics"
    QString label;      // "Learning rate", "task1 accuracy"
    QStringList values; // one per run; empty where the run has none
    bool differs = false;
    std::optional<int> best; // metric rows: the run with the best value, when they differ
};

std::vector<ComparisonRow> compareRuns(const std::vector<RunPtr>& runs);

// A dataset in a few words: a built-in dataset's title, or the CSV file's name.
QString datasetSummary(const core::DatasetSource& source);
// How a run ended, in a word: "completed", "early stop", "stopped", "diverged", "failed".
QString endedText(const RunData& run);

} // namespace mtl::ui
