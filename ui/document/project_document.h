#pragma once
// ProjectDocument: the open project as the editor sees it. A core::Project is the truth; this
// wraps it with id-based signals, an undo stack, the dataset (loaded off the GUI thread) and the
// core's analysis of the model (validation issues, shapes, parameter counts), redone after every
// change. Every edit goes through edit()/editSpec(), which push one named undoable command.

#include "io/project_file.h"
#include "model/graph_index.h"
#include "model/validate.h"

#include <QColor>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUndoStack>

#include <functional>

#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace mtl::ui {

enum class DataState { Loading, Ready, Failed };

struct LoadedDataset {
    std::shared_ptr<const core::Dataset> dataset;
    std::string error;
};

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    explicit ProjectDocument(QObject* parent = nullptr);
    ~ProjectDocument() override;

    const core::Project& project() const { return m_project; }
    const core::ModelSpec& spec() const { return m_project.model; }
    QUndoStack* undoStack() { return &m_undo; }

    // Replaces the whole document (a new or opened file): clears the undo history.
    void load(core::Project project, const QString& filePath);
    QString filePath() const { return m_filePath; }
    void setFilePath(const QString& filePath);
    // The project as a file at filePath stores it: a CSV beside or below it by a relative path.
    core::Project projectForSaving(const QString& filePath) const;
    QString projectDirectory() const;
    // Edits not saved, or runs finished since the last save.
    bool isModified() const {
        return !m_undo.isClean() || !m_unsavedRuns.isEmpty() || m_runsEdited;
    }
    void markSaved();
    int unsavedRunCount() const { return int(m_unsavedRuns.size()); }
    // Deletes the folders of the runs finished since the last save and brings back saved runs
    // deleted since (the user chose Discard).
    void discardUnsavedRuns();
    // Before saving to `filePath`: runs kept in the user's data folder (of an untitled project or
    // an example) move beside the file, when runs may live there. Returns what could not move.
    QStringList gatherRuns(const QString& filePath);
    QString displayName() const;

    // One undoable command named `text`. Edits with the same non-empty mergeKey in a row merge
    // into one command (dragging a node, typing in a field).
    void edit(const QString& text, const core::Project& next, const QString& mergeKey = {});
    void editSpec(const QString& text, const core::ModelSpec& next, const QString& mergeKey = {});
    // Records a finished run (its directory absolute) with the project: history, not an undoable
    // edit. The project counts as modified until it is saved; the file changes only on Save.
    void appendRun(const core::RunRecord& run);
    // An experiment defined on the project (its directory absolute); a change Save writes
    // (document/project_experiments.cpp).
    void appendExperiment(const core::ExperimentRecord& experiment);
    // The folder for a new experiment's runs (beside the project's runs).
    QString newExperimentDirectory(const QString& name) const;
    // Renames a run or sets its note (the run found by its absolute directory); Save writes it.
    // Returns false when no run has that directory.
    bool editRun(const QString& directory, const std::function<void(core::RunRecord&)>& edit);
    // Forgets a run and deletes its folder: at once for a run trained since the last save; for a
    // run the saved file lists, on Save (Discard puts it back, so the file never names a missing
    // folder). Save writes the shorter list.
    bool deleteRun(const QString& directory, QString* error = nullptr);
    // Sets the document to `next` (its runs excepted) and says what changed. Used by the commands.
    void apply(const core::Project& next);

    DataState dataState() const { return m_dataState; }
    QString dataMessage() const { return m_dataMessage; }
    std::shared_ptr<const core::Dataset> dataset() const { return m_dataset; }
    // Waits for the dataset (tests and the command line).
    bool waitForDataset(int timeoutMs = 60000);

    const core::SpecAnalysis& analysis() const { return m_analysis; }
    const core::GraphIndex& graph() const { return m_graph; }
    std::vector<core::SpecIssue> issuesOf(const std::string& nodeId) const;
    // Why Train is unavailable, or empty when the project can be trained.
    QString trainBlocker() const;

    std::vector<std::string> taskNames() const;
    QColor taskColour(const std::string& taskName) const;
    static QColor taskColour(int taskIndex);
    // Task names whose branch runs through this node.
    std::vector<std::string> tasksThrough(const std::string& nodeId) const;

signals:
    void nodeAdded(const QString& id);
    void nodeRemoved(const QString& id);
    void nodeChanged(const QString& id);
    void nodeMoved(const QString& id);
    void edgeAdded(const QString& from, const QString& to);
    void edgeRemoved(const QString& from, const QString& to);
    void documentReset();
    void changed();
    void analysisChanged();
    void datasetStateChanged();
    void filePathChanged();
    void runsChanged();
    void experimentsChanged();
    void modifiedChanged();
    // A run's folder moved (gatherRuns): from, to (absolute).
    void runMoved(const QString& from, const QString& to);

private:
    void emitSpecDiff(const core::ModelSpec& before, const core::ModelSpec& after);
    // Datasets load on plain threads (the GUI polls for the result, so the loading thread never
    // calls into Qt); a newer load supersedes an older one, which finishes unobserved.
    struct PendingLoad {
        std::thread thread;
        std::mutex mutex;
        std::optional<LoadedDataset> result;
    };
    void startLoadingDataset();
    void pollLoads();
    void reanalyze();

    core::Project m_project;
    QString m_filePath;
    QUndoStack m_undo;
    QStringList m_unsavedRuns; // their directories
    bool m_runsEdited = false; // a saved run renamed, noted or deleted since the last save
    // Saved runs deleted since the last save: their folders wait beside where they were.
    struct ParkedRun {
        core::RunRecord record;
        QString directory; // where it was (absolute)
        QString parked;    // where it waits
        std::size_t index; // its place in the list
    };
    std::vector<ParkedRun> m_parked;
    DataState m_dataState = DataState::Loading;
    QString m_dataMessage;
    std::shared_ptr<const core::Dataset> m_dataset;
    std::vector<std::shared_ptr<PendingLoad>> m_loads; // the newest last
    QTimer m_loadPoll;
    core::SpecAnalysis m_analysis;
    core::GraphIndex m_graph;
};

} // namespace mtl::ui
