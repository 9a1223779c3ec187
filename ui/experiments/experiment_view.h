#pragma once
// The Experiments window: the project's experiments, the one chosen running (progress, time left,
// pause, stop) or resumable, its results table (sortable, cells coloured by rank, export as CSV,
// Markdown and LaTeX), the task-against-task scatter with the Pareto front, and the curves of the
// runs of the selected row.

#include "experiments/experiment_charts.h"
#include "experiments/experiment_controller.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace mtl::ui {

class ProjectDocument;

class ExperimentView : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentView(ProjectDocument* document, QWidget* parent = nullptr);

    ExperimentController* controller() const { return m_controller; }
    QTableWidget* table() const { return m_table; }
    ExperimentScatter* scatter() const { return m_scatter; }
    ExperimentCurves* curves() const { return m_curves; }
    QLabel* statusLabel() const { return m_status; }
    QPushButton* runButton() const { return m_run; }
    QComboBox* experimentBox() const { return m_experiments; }
    // The shown experiment's table (what the export buttons write).
    const core::ExperimentTable& results() const { return m_results; }
    QString shownDirectory() const;

public slots:
    // Opens the dialog, records the experiment in the project and starts it.
    void newExperiment();
    // Starts or resumes the shown experiment.
    void runShown();
    void exportTable(const QString& format); // "csv", "markdown", "latex": to a file the user picks
    void copyMarkdown();

private:
    void reloadList();
    void showExperiment();
    void refreshResults();
    void fillTable();
    void updateStatus();
    void selectRow();
    std::shared_ptr<const core::Dataset> datasetFor(const core::Project& project, QString* error);

    ProjectDocument* m_document;
    ExperimentController* m_controller;
    core::ExperimentState m_state; // of the shown experiment
    core::ExperimentTable m_results;
    QComboBox* m_experiments;
    QPushButton* m_new;
    QPushButton* m_run;
    QPushButton* m_pause;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTableWidget* m_table;
    ExperimentScatter* m_scatter;
    ExperimentCurves* m_curves;
};

} // namespace mtl::ui
