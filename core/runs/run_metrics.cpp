#include "runs/run_metrics.h"

#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mtl::core {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kRateWindow = 2.0; // seconds
} // namespace

RunMetrics::RunMetrics(const Model& model, long stepsPerEpoch)
    : m_stepsPerEpoch(std::max(1L, stepsPerEpoch)) {
    for (const TaskInfo& task : model.tasks()) {
        m_tasks.push_back(task.name);
        int chosen = task.metrics.empty() ? -1 : 0;
        for (std::size_t m = 0; m < task.metrics.size(); ++m) {
            if (task.metrics[m] == MetricKind::R2 || task.metrics[m] == MetricKind::Accuracy)
                chosen = int(m);
        }
        m_metricIndex.push_back(chosen);
        m_metricNames.emplace_back(
            chosen < 0 ? "" : core::metricName(task.metrics[std::size_t(chosen)]));
        m_stepLoss.emplace_back();
    }
    m_stepWeight.resize(m_tasks.size());
    m_stepState.resize(m_tasks.size());
}

RunMetrics::RunMetrics(std::vector<std::string> tasks, long stepsPerEpoch)
    : m_tasks(std::move(tasks)), m_metricNames(m_tasks.size()), m_metricIndex(m_tasks.size(), -1),
      m_stepLoss(m_tasks.size()), m_stepWeight(m_tasks.size()), m_stepState(m_tasks.size()),
      m_stepsPerEpoch(std::max(1L, stepsPerEpoch)) {}

void RunMetrics::addStep(const StepRecord& step) {
    const auto x = double(step.step);
    for (std::size_t t = 0; t < m_stepLoss.size() && t < step.taskLoss.size(); ++t) {
        m_stepLoss[t].append(x, double(step.taskLoss[t]));
        // A task absent from the batch had no weight that step.
        if (!std::isfinite(step.taskLoss[t]))
            continue;
        if (t < step.taskWeight.size())
            m_stepWeight[t].append(x, double(step.taskWeight[t]));
        if (t < step.taskState.size())
            m_stepState[t].append(x, double(step.taskState[t]));
    }
    m_stepTotal.append(x, step.total);
    m_stepTime.append(x, step.seconds);
    m_lastStep = step.step;
    m_lastSeconds = step.seconds;
    m_rows += double(step.rows);
    if (step.seconds - m_windowSeconds >= kRateWindow) {
        m_rate = (m_rows - m_windowRows) / (step.seconds - m_windowSeconds);
        m_windowSeconds = step.seconds;
        m_windowRows = m_rows;
    } else if (m_rate == 0.0 && step.seconds > 0.0) {
        m_rate = m_rows / step.seconds;
    }
}

void RunMetrics::addEpoch(const EpochRecord& epoch) {
    m_epochs.push_back(epoch);
}

double RunMetrics::rowsPerSecond() const {
    return m_rate;
}

double RunMetrics::epochMetric(std::size_t epoch, std::size_t task) const {
    if (epoch >= m_epochs.size() || task >= m_metricIndex.size() || m_metricIndex[task] < 0)
        return kNaN;
    const auto& record = m_epochs[epoch];
    const SplitEvaluation& split = record.validation.empty() ? record.train : record.validation;
    if (task >= split.metrics.size())
        return kNaN;
    const auto m = std::size_t(m_metricIndex[task]);
    return m < split.metrics[task].size() ? split.metrics[task][m] : kNaN;
}

double RunMetrics::epochValidationLoss(std::size_t epoch, std::size_t task) const {
    if (epoch >= m_epochs.size())
        return kNaN;
    const auto& split = m_epochs[epoch].validation;
    return task < split.loss.size() ? split.loss[task] : kNaN;
}

double RunMetrics::secondsAt(double step) const {
    const auto& points = m_stepTime.points();
    if (points.empty())
        return step <= 0.0 ? 0.0 : m_lastSeconds;
    const auto it = std::lower_bound(points.begin(), points.end(), step,
                                     [](const SeriesPoint& p, double x) { return p.x < x; });
    if (it == points.begin())
        return it->x > 0.0 ? it->y * step / it->x : it->y;
    if (it == points.end()) {
        const SeriesPoint& last = points.back();
        return last.x < double(m_lastStep) && m_lastStep > 0
                   ? last.y +
                         (m_lastSeconds - last.y) * (step - last.x) / (double(m_lastStep) - last.x)
                   : last.y;
    }
    const SeriesPoint& a = *(it - 1);
    const SeriesPoint& b = *it;
    return a.y + (b.y - a.y) * (step - a.x) / std::max(1e-12, b.x - a.x);
}

} // namespace mtl::core
