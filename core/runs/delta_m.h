#pragma once
// Multi-task against single-task: per task, the multi-task run's metric beside its single-task
// baseline's, and the average relative difference Δm (Maninis et al. 2019):
//   Δm = (1/T) Σ_t s_t (M_mtl,t − M_single,t) / M_single,t,   s_t = +1 if higher is better, else
//   −1,
// so a positive Δm means multi-task learning helped. Accuracy for classification, RMSE for
// regression; values from the epoch whose weights each run keeps (its best validation epoch, or
// its last when set to keep the last).

#include "runs/run_directory.h"

#include <optional>
#include <string>
#include <vector>

namespace mtl::core {

struct TaskComparison {
    std::string task;
    std::string metric;
    bool higherIsBetter = true;
    double multiTask = 0.0;
    std::optional<double> singleTask; // none: no baseline for this task yet
    std::optional<double> relative;   // signed: positive = multi-task better
};

struct BaselineComparison {
    std::vector<TaskComparison> tasks;
    std::optional<double> deltaM; // only when every task has its baseline
};

// The metric value of `task` in the run's kept epoch (best validation total, else the last).
// NaN-free: none when the run has no such metric.
std::optional<double> keptMetric(const RunContents& run, const std::string& task,
                                 MetricKind metric);
MetricKind comparisonMetric(const TaskInfo& task);

// The epoch (index into metrics.epochs(), which must not be empty) whose weights the run kept.
std::size_t keptEpoch(const RunContents& run);

// `baselines`: single-task runs (RunContents::baselineTask set); the last per task is used.
BaselineComparison compareWithBaselines(const RunContents& multiTask,
                                        const std::vector<const RunContents*>& baselines);

// One task's signed relative difference s·(M − B)/|B| (positive: better than the baseline); none
// when the baseline is zero or either value is not finite.
std::optional<double> relativeDifference(double value, double baseline, bool higherIsBetter);

} // namespace mtl::core
