#pragma once
// Everything a run reports, as the app's charts and the experiments keep it: per-step losses per
// task and the weighted total (bounded memory, see BoundedSeries), the weights the balancing method
// gave each task per step (and its own per-task quantity, such as uncertainty weighting's σ),
// per-epoch train and validation losses and each task's chart metric (R² for regression, accuracy
// for classification), and events such as a non-finite loss. No Qt here.

#include "model/model.h"
#include "runs/bounded_series.h"
#include "train/records.h"

#include <string>
#include <vector>

namespace mtl::core {

struct RunEvent {
    long step = 0;
    double seconds = 0.0;
    std::string text;
};

class RunMetrics {
public:
    RunMetrics() = default;
    // Task names and, per task, the metric the charts show and its index in TaskInfo::metrics.
    explicit RunMetrics(const Model& model, long stepsPerEpoch = 1);
    // Losses only (no chart metric): for tools that feed records without a model.
    RunMetrics(std::vector<std::string> tasks, long stepsPerEpoch);

    void addStep(const StepRecord& step);
    void addEpoch(const EpochRecord& epoch);
    void addEvent(RunEvent event) { m_events.push_back(std::move(event)); }

    std::size_t taskCount() const { return m_tasks.size(); }
    const std::vector<std::string>& tasks() const { return m_tasks; }
    const std::string& metricName(std::size_t task) const { return m_metricNames[task]; }
    const BoundedSeries& stepLoss(std::size_t task) const { return m_stepLoss[task]; }
    const BoundedSeries& stepTotal() const { return m_stepTotal; }
    // The weight task t had in each step it was present in.
    const BoundedSeries& stepWeight(std::size_t task) const { return m_stepWeight[task]; }
    // The balancing method's per-task quantity ("sigma" for uncertainty weighting), if any.
    const std::string& stateName() const { return m_stateName; }
    void setStateName(std::string name) { m_stateName = std::move(name); }
    const BoundedSeries& stepState(std::size_t task) const { return m_stepState[task]; }
    const std::vector<EpochRecord>& epochs() const { return m_epochs; }
    const std::vector<RunEvent>& events() const { return m_events; }
    // The chart metric of a task in an epoch: on the validation split, or on the training rows
    // when there is none. NaN when unknown.
    double epochMetric(std::size_t epoch, std::size_t task) const;
    double epochValidationLoss(std::size_t epoch, std::size_t task) const;

    long stepsPerEpoch() const { return m_stepsPerEpoch; }
    long lastStep() const { return m_lastStep; }
    double lastSeconds() const { return m_lastSeconds; }
    double rowsPerSecond() const; // over the last few seconds
    // Seconds since the start at a (fractional) step, interpolated from the steps seen.
    double secondsAt(double step) const;

private:
    std::vector<std::string> m_tasks;
    std::vector<std::string> m_metricNames;
    std::vector<int> m_metricIndex;
    std::vector<BoundedSeries> m_stepLoss;
    std::vector<BoundedSeries> m_stepWeight;
    std::vector<BoundedSeries> m_stepState;
    std::string m_stateName;
    BoundedSeries m_stepTotal;
    BoundedSeries m_stepTime{4096}; // x: step, y: seconds
    std::vector<EpochRecord> m_epochs;
    std::vector<RunEvent> m_events;
    long m_stepsPerEpoch = 1;
    long m_lastStep = 0;
    double m_lastSeconds = 0.0;
    // For the rate: rows and time at the start of a sliding window.
    double m_windowSeconds = 0.0;
    double m_windowRows = 0.0;
    double m_rows = 0.0;
    double m_rate = 0.0;
};

} // namespace mtl::core
