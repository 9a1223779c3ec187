#pragma once
// The experiment's pictures: for two tasks, every run's metric on task 1 against task 2 with each
// configuration's mean and the Pareto front of the means (the picture multi-task papers draw);
// and the validation curves of the runs of one configuration, overlaid.

#include "experiments/experiment_table.h"

#include <QChartView>

namespace mtl::ui {

class ExperimentScatter : public QChartView {
    Q_OBJECT
public:
    explicit ExperimentScatter(QWidget* parent = nullptr);
    // Draws the table's runs; `highlight`: a row to mark (−1: none). Shows a note for ≠ 2 tasks.
    void show(const core::ExperimentState& state, const core::ExperimentTable& table,
              int highlight);
    // The configurations on the front (row indices), as last drawn.
    const std::vector<std::size_t>& front() const { return m_front; }

private:
    std::vector<std::size_t> m_front;
};

class ExperimentCurves : public QChartView {
    Q_OBJECT
public:
    explicit ExperimentCurves(QWidget* parent = nullptr);
    // The chart metric per epoch (validation) of the row's runs, read from their folders.
    void show(const QString& directory, const core::ExperimentState& state,
              const core::ExperimentRow* row);
    int seriesCount() const;
};

} // namespace mtl::ui
