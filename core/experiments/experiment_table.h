#pragma once
// An experiment's results as a paper prints them: one row per configuration (and one for the
// single-task baselines), per task the metric's mean ± standard deviation over seeds, Δm ± std
// against the baselines of the same seeds (runs/delta_m.h), the mean training time and the rank.
// Standard deviations are the sample's (n − 1); with one seed they are 0.

#include "experiments/experiment_run.h"

#include <array>
#include <string>
#include <vector>

namespace mtl::core {

struct Estimate {
    double mean = std::numeric_limits<double>::quiet_NaN();
    double std = std::numeric_limits<double>::quiet_NaN();
    int count = 0; // values it is from
};

// Mean and sample standard deviation of the finite values; count 0 (NaN mean) when none.
Estimate estimate(const std::vector<double>& values);

struct ExperimentRow {
    std::string label;
    int config = -1;               // −1: the single-task baselines
    std::vector<std::size_t> jobs; // its finished runs (indices into the state's jobs)
    std::vector<Estimate> tasks;   // per experiment task
    Estimate deltaM;               // over the seeds whose baselines are all done
    double seconds = 0.0;          // mean training time of a run
    std::vector<int> taskRank;     // per task, 1 = best mean (configurations only; 0 baselines)
    double meanRank = 0.0;         // mean of taskRank
    int rank = 0;   // overall: by Δm when every configuration has one, else by meanRank
    int failed = 0; // jobs that could not train
};

struct ExperimentTable {
    std::vector<ExperimentTask> tasks;
    std::string split; // "test", "validation", or "test and validation" when mixed
    bool rankedByDeltaM = false;
    std::vector<ExperimentRow> rows; // configurations in grid order, then the baselines
};

ExperimentTable experimentTable(const ExperimentState& state);

// The points no other point beats on both tasks (≥ on both, > on one, each in its own direction).
std::vector<std::size_t> paretoFront(const std::vector<std::array<double, 2>>& points,
                                     std::array<bool, 2> higherIsBetter);

// The table as CSV (one column per number), Markdown and LaTeX (mean ± std cells; the best
// configuration per column in bold).
std::string tableCsv(const ExperimentTable& table);
std::string tableMarkdown(const ExperimentTable& table);
std::string tableLatex(const ExperimentTable& table);

} // namespace mtl::core
