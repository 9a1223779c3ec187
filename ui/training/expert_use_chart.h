#pragma once
// Which experts each task uses, for a run whose network has expert gates (MMoE, CGC): per gate
// node, one bar per task split by the mean weight its gate gave each expert over the latest
// epoch. It follows the run live (a new epoch, new bars) and hides for networks without gates.

#include "training/run_data.h"

#include <QWidget>

class QBarCategoryAxis;
class QChartView;
class QComboBox;
class QHorizontalStackedBarSeries;
class QLabel;
class QValueAxis;

namespace mtl::ui {

class ExpertUseChart : public QWidget {
    Q_OBJECT
public:
    explicit ExpertUseChart(QWidget* parent = nullptr);

    void setRun(RunPtr run);
    void refresh();

    QChartView* view() const { return m_view; }
    QComboBox* gateChoice() const { return m_gate; }
    // The bars shown: per task (in task order, top to bottom), the weight of each expert.
    std::vector<std::vector<double>> shownWeights() const;
    QStringList shownTasks() const;
    QStringList shownExperts() const;

private:
    RunPtr m_run;
    std::vector<core::GateUse> m_shown; // what the bars show now
    QChartView* m_view;
    QLabel* m_title;
    QComboBox* m_gate;
    QHorizontalStackedBarSeries* m_series;
    QBarCategoryAxis* m_tasks;
    QValueAxis* m_weights;
};

} // namespace mtl::ui
