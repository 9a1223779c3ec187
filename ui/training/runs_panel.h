#pragma once
// The runs of a project: name, sharing, epochs, how each ended and its final per-task metrics.
// Select several to overlay their curves; rename a run or note on it (in place), delete it, compare
// runs' settings side by side; re-open a run's graph in the editor; train the single-task
// baselines and compare: per task the multi-task metric beside its baseline's, and Δm.

#include "training/run_data.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;

namespace mtl::ui {

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget* parent = nullptr);

    void setRuns(const std::vector<RunPtr>& runs);
    // Runs trained on another dataset than `current` are shown greyed and left out of Δm.
    void setCurrentDataset(const core::DatasetSource& current);
    // Re-reads one run's row (epochs so far while it trains).
    void updateRun(const RunPtr& run);
    std::vector<RunPtr> selectedRuns() const;
    void selectRuns(const std::vector<int>& rows);
    // Compares a multi-task run (the selected one, else the newest) with the newest baselines.
    void showComparison();

    QTableWidget* table() const { return m_table; }
    QTableWidget* comparisonTable() const { return m_comparison; }
    QString deltaMText() const;
    QPushButton* baselinesButton() const { return m_baselines; }
    QPushButton* compareButton() const { return m_compare; }
    // Starts editing a run's name or note in place.
    void editName(int row);
    void editNote(int row);
    // The selected runs when two or more are, else all.
    std::vector<RunPtr> runsToCompare() const;

    static QString sharingSummary(const core::Project& project);
    static QString finalMetrics(const RunData& run);

signals:
    void selectionChanged(std::vector<mtl::ui::RunPtr> runs);
    void openGraphRequested(mtl::ui::RunPtr run);
    void baselinesRequested();
    void renameRequested(mtl::ui::RunPtr run, QString name);
    void noteRequested(mtl::ui::RunPtr run, QString note);
    void deleteRequested(std::vector<mtl::ui::RunPtr> runs);
    void compareRequested(std::vector<mtl::ui::RunPtr> runs);

private:
    void fillRow(int row);
    void cellEdited(QTableWidgetItem* item);
    void showMenu(const QPoint& at);
    void fitComparisonHeight();
    bool onCurrentDataset(const RunData& run) const;

    std::vector<RunPtr> m_runs;
    core::DatasetSource m_dataset;
    bool m_haveDataset = false;
    QTableWidget* m_table;
    QTableWidget* m_comparison;
    QLabel* m_deltaM;
    QPushButton* m_open;
    QPushButton* m_baselines;
    QPushButton* m_compare;
};

} // namespace mtl::ui
