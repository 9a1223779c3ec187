#include "runs/delta_m.h"

#include "train/metrics.h"

#include <algorithm>
#include <cmath>

namespace mtl::core {

// The epoch whose weights the run kept: the best validation total, or the last when the run was
// set to keep the last epoch's (or has no validation split); for a diverged run, its last epoch
// with finite losses.
std::size_t keptEpoch(const RunContents& run) {
    const auto& epochs = run.metrics.epochs();
    std::size_t best = epochs.size() - 1;
    if (run.reason == StopReason::Diverged) {
        // A diverged run keeps the weights of its last good epoch, whatever the setting.
        for (std::size_t e = epochs.size(); e-- > 0;) {
            const SplitEvaluation& split =
                epochs[e].validation.empty() ? epochs[e].train : epochs[e].validation;
            if (std::isfinite(split.total))
                return e;
        }
        return best;
    }
    if (!run.snapshot.training.restoreBestWeights)
        return best;
    double lowest = INFINITY;
    for (std::size_t e = 0; e < epochs.size(); ++e) {
        if (!epochs[e].validation.empty() && epochs[e].validation.total < lowest) {
            lowest = epochs[e].validation.total;
            best = e;
        }
    }
    return best;
}

MetricKind comparisonMetric(const TaskInfo& task) {
    for (MetricKind preferred : {MetricKind::Accuracy, MetricKind::RMSE}) {
        if (std::find(task.metrics.begin(), task.metrics.end(), preferred) != task.metrics.end())
            return preferred;
    }
    return task.metrics.empty() ? MetricKind::RMSE : task.metrics.front();
}

std::optional<double> keptMetric(const RunContents& run, const std::string& task,
                                 MetricKind metric) {
    if (!run.model || run.metrics.epochs().empty())
        return std::nullopt;
    const auto& tasks = run.model->tasks();
    const auto it =
        std::find_if(tasks.begin(), tasks.end(), [&](const TaskInfo& t) { return t.name == task; });
    if (it == tasks.end())
        return std::nullopt;
    const auto t = std::size_t(it - tasks.begin());
    const auto m = std::find(it->metrics.begin(), it->metrics.end(), metric);
    if (m == it->metrics.end())
        return std::nullopt;
    const EpochRecord& epoch = run.metrics.epochs()[keptEpoch(run)];
    const SplitEvaluation& split = epoch.validation.empty() ? epoch.train : epoch.validation;
    if (t >= split.metrics.size())
        return std::nullopt;
    const double value = split.metrics[t][std::size_t(m - it->metrics.begin())];
    return std::isfinite(value) ? std::optional(value) : std::nullopt;
}

std::optional<double> relativeDifference(double value, double baseline, bool higherIsBetter) {
    if (baseline == 0.0 || !std::isfinite(value) || !std::isfinite(baseline))
        return std::nullopt;
    return (higherIsBetter ? 1.0 : -1.0) * (value - baseline) / std::abs(baseline);
}

BaselineComparison compareWithBaselines(const RunContents& multiTask,
                                        const std::vector<const RunContents*>& baselines) {
    BaselineComparison result;
    if (!multiTask.model)
        return result;
    double sum = 0.0;
    bool complete = true;
    for (const TaskInfo& task : multiTask.model->tasks()) {
        TaskComparison row;
        const MetricKind metric = comparisonMetric(task);
        row.task = task.name;
        row.metric = std::string(metricName(metric));
        row.higherIsBetter = higherIsBetter(metric);
        row.multiTask = keptMetric(multiTask, task.name, metric).value_or(NAN);
        for (auto it = baselines.rbegin(); it != baselines.rend(); ++it) {
            if ((*it)->baselineTask != task.name)
                continue;
            row.singleTask = keptMetric(**it, task.name, metric);
            break;
        }
        if (row.singleTask)
            row.relative = relativeDifference(row.multiTask, *row.singleTask, row.higherIsBetter);
        if (row.relative) {
            sum += *row.relative;
        } else {
            complete = false;
        }
        result.tasks.push_back(row);
    }
    if (complete && !result.tasks.empty())
        result.deltaM = sum / double(result.tasks.size());
    return result;
}

} // namespace mtl::core
