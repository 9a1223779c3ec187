#pragma once
// The main window: the canvas in the middle; palette, dataset, inspector, tasks and problems in
// docks whose layout is remembered; File/Edit/View/Model menus; the status bar's totals.
// File handling (open, save, recent files, autosave and crash recovery) is in
// main_window_files.cpp.

#include "document/project_templates.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <optional>

class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace mtl::ui {

class AnalysisDialog;
class ExperimentView;
class UserGuideDialog;

class CsvImportDialog;
class DatasetPanel;
class GraphScene;
class GraphView;
class InspectorPanel;
class PalettePanel;
class ProblemsPanel;
class ProjectDocument;
class TasksPanel;
class TrainingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ProjectDocument* document() const { return m_document; }
    GraphScene* scene() const { return m_scene; }
    GraphView* view() const { return m_view; }
    InspectorPanel* inspector() const { return m_inspector; }
    TasksPanel* tasksPanel() const { return m_tasks; }
    ProblemsPanel* problemsPanel() const { return m_problems; }
    DatasetPanel* datasetPanel() const { return m_dataset; }
    QAction* trainAction() const { return m_train; }
    TrainingPanel* trainingPanel() const { return m_training; }
    // Shows the Train tab and starts a run of the current project.
    void train();
    void showDesign();
    // Shrinks and moves the window to lie within `screen` (the available area).
    void fitOnScreen(const QRect& screen);
    void showTraining();
    // Auto-layout in the graph's flow, or switched to `flow`, then fit to view.
    void tidyLayout(std::optional<core::LayoutFlow> flow = std::nullopt);
    // File → Export: a run's trained model as ONNX, PyTorch or native.
    void exportModel();
    QString statusText() const;

    // Model → Analyze network, Help → User guide and Keyboard shortcuts (main_window_help.cpp).
    // Each opens its window (or raises it when open) and returns it.
    AnalysisDialog* showAnalysis();
    // The Experiments window (Model → Experiments…), made on first use.
    ExperimentView* showExperiments();
    UserGuideDialog* showUserGuide();
    QDialog* showShortcuts();
    // Every menu command with a shortcut, and the canvas's mouse and key gestures: {what, keys}.
    QList<QPair<QString, QString>> shortcutList() const;

    // File operations; each returns false when nothing was done (cancelled or failed, with a
    // message shown).
    bool openProject(const QString& path);
    void openProjectValue(const core::Project& project, const QString& path);
    bool save();
    bool saveAs(const QString& path = {});
    void openBundledDemo();
    // Asks to save unsaved changes; false when the user cancels.
    bool maybeSave();

    // The recovery file autosave writes to, and whether a previous session left one behind.
    static QString recoveryPath();
    void writeRecovery();
    bool offerRecovery();

    void useBuiltInDataset(BuiltInDataset which, bool rebuildNetwork);
    void importCsv(const QString& path = {});
    void applyCsvImport(const CsvImportDialog& dialog);

    // Message boxes are skipped (the default answer is taken) when this is set: for tests and
    // --screenshot.
    static void setNonInteractive(bool on);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createViewMenu(); // main_window_view.cpp
    void createDocks();
    void updateTitle();
    void updateStatus();
    void updateRecentMenu();
    void fillExamplesMenu(QMenu* menu);
    void addRecentFile(const QString& path);
    void newFromTemplate();
    void openDialog();
    void applyTheme(const QString& theme);
    void restoreLayout();

    ProjectDocument* m_document;
    GraphScene* m_scene;
    GraphView* m_view;
    PalettePanel* m_palette = nullptr;
    InspectorPanel* m_inspector = nullptr;
    TasksPanel* m_tasks = nullptr;
    ProblemsPanel* m_problems = nullptr;
    DatasetPanel* m_dataset = nullptr;
    TrainingPanel* m_training = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_totals;
    QLabel* m_trainState;
    QAction* m_train = nullptr;
    QAction* m_save = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QPointer<AnalysisDialog> m_analysis;
    QPointer<QDialog> m_experimentsWindow;
    ExperimentView* m_experimentView = nullptr;
    QPointer<UserGuideDialog> m_guide;
    QPointer<QDialog> m_shortcuts;
    QTimer m_autosave;
    bool m_shown = false;
};

} // namespace mtl::ui
