#pragma once
// The Train tab: Train / Pause / Stop, a progress bar with epoch, step, samples/s and time
// left, the training settings, the runs, and the charts. Training uses a snapshot of the
// project; editing meanwhile does not reach the run, and the tab says the graph has changed.
// Every finished run is recorded with the project (its files beside it, in mtl-runs/).

#include "training/run_data.h"

#include <QWidget>

#include <deque>

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace mtl::ui {

class ChartPanel;
class ProjectDocument;
class RunsPanel;
class SettingsForm;
class BalancingForm;
class WeightsChart;
class ExpertUseChart;
class RelationsView;
class ConfusionView;
class TrainingController;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(ProjectDocument* document, QWidget* parent = nullptr);
    ~TrainingPanel() override;

    // Starts a run of the current project; null (with the reason shown) when it cannot.
    RunPtr startTraining();
    // Queues one single-task run per task of the current project, then compares.
    void trainBaselines();
    // Stops a run in progress and waits until it is recorded (closing the window).
    void stopAndWait();
    bool isTraining() const;

    TrainingController* controller() const { return m_controller; }
    ChartPanel* charts() const { return m_charts; }
    WeightsChart* weightsChart() const { return m_weights; }
    ExpertUseChart* expertUseChart() const { return m_experts; }
    RelationsView* relationsView() const { return m_relations; }
    ConfusionView* confusionView() const { return m_confusion; }
    QTabWidget* views() const { return m_views; }
    BalancingForm* balancingForm() const { return m_balancing; }
    RunsPanel* runsPanel() const { return m_runsPanel; }
    SettingsForm* settings() const { return m_settings; }
    const std::vector<RunPtr>& runs() const { return m_runs; }
    QString statusText() const;
    QString progressText() const;
    bool graphChangedShown() const;

    // Run management (the runs list's menu; training_panel_runs.cpp). Renaming and notes mark the
    // project modified; deleting asks first, then deletes the run's folder.
    bool renameRun(const RunPtr& run, const QString& name);
    void setRunNote(const RunPtr& run, const QString& note);
    void deleteRuns(const std::vector<RunPtr>& runs);
    // Opens the side-by-side table of the runs' settings and final metrics.
    void compareRuns(const std::vector<RunPtr>& runs);

signals:
    void trainingStateChanged(bool running);
    void openGraphRequested(mtl::ui::RunPtr run);
    // A new graph was put into the editor (from a task grouping): show it.
    void graphCreated();

private:
    RunPtr startRun(const core::Project& project, const QString& name, const std::string& baselineTask);
    QString newRunDirectory(const QString& stem) const;
    QString whereRunsGo() const; // a sentence for the status line
    void showRuns(const std::vector<RunPtr>& runs); // in the charts, weights and relations
    void clearProgress();
    void datasetMayHaveChanged();
    void loadRuns();
    void connectRunManagement();
    // Names and notes from the document's records; runs it no longer lists leave.
    void syncRunsWithDocument();
    void progressed(const RunPtr& run);
    void finished(const RunPtr& run);
    void updateControls();
    void updateGraphChanged();
    void setStatus(const QString& text, bool error);

    ProjectDocument* m_document;
    TrainingController* m_controller;
    ChartPanel* m_charts;
    RunsPanel* m_runsPanel;
    SettingsForm* m_settings;
    BalancingForm* m_balancing;
    WeightsChart* m_weights;
    ExpertUseChart* m_experts;
    RelationsView* m_relations;
    ConfusionView* m_confusion;
    QTabWidget* m_views;
    QPushButton* m_train;
    QPushButton* m_pause;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    QLabel* m_status;
    QLabel* m_graphChanged;
    std::vector<RunPtr> m_runs;
    struct Queued {
        core::Project project;
        QString name;
        std::string task;
    };
    std::deque<Queued> m_queue;
    std::size_t m_shownEpochs = 0; // of the run in progress, last shown in the runs list
};

} // namespace mtl::ui
