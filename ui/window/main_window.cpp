#include "window/main_window.h"

#include "experiments/experiment_view.h"

#include "canvas/graph_scene.h"
#include "canvas/graph_view.h"
#include "dialogs/balancing_help.h"
#include "dialogs/export_dialog.h"
#include "document/counted.h"
#include "document/node_text.h"
#include "document/project_document.h"
#include "document/run_storage.h"
#include "panels/dataset_panel.h"
#include "panels/inspector_panel.h"
#include "panels/palette_panel.h"
#include "panels/problems_panel.h"
#include "panels/tasks_panel.h"
#include "training/runs_panel.h"
#include "training/training_panel.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QGraphicsItem>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>

namespace mtl::ui {

namespace {

QIcon icon(const char* name) { return QIcon(QStringLiteral(":/icons/%1.svg").arg(name)); }

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
    p.setColor(QPalette::Mid, QColor(0x5a, 0x5d, 0x63));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7a, 0x7d, 0x83));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7a, 0x7d, 0x83));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7a, 0x7d, 0x83));
    return p;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_document(new ProjectDocument(this)), m_scene(new GraphScene(m_document, this)),
      m_view(new GraphView(m_scene, this)), m_totals(new QLabel(this)), m_trainState(new QLabel(this)) {
    setObjectName("mainWindow");
    setWindowIcon(icon("app"));
    m_training = new TrainingPanel(m_document, this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName("tabs");
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_view, tr("Design"));
    m_tabs->addTab(m_training, tr("Train"));
    setCentralWidget(m_tabs);
    m_training->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    createActions();
    // The Train tab needs room: the editing docks step aside while it shows, and come back.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        static const char* const editing[] = {"layersDock", "inspectorDock", "problemsDock",
                                              "datasetDock", "tasksDock"};
        const bool training = m_tabs->widget(index) == m_training;
        // Only the page shown sets the window's minimum size: the Train tab's does not add to the
        // Design tab's side panels.
        for (QWidget* page : {static_cast<QWidget*>(m_view), static_cast<QWidget*>(m_training)}) {
            page->setSizePolicy(page == m_tabs->widget(index)
                                    ? QSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding)
                                    : QSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored));
        }
        for (const char* name : editing) {
            auto* dock = findChild<QDockWidget*>(name);
            if (dock == nullptr)
                continue;
            if (training) {
                dock->setProperty("shownInDesign", dock->isVisible());
                dock->hide();
            } else if (dock->property("shownInDesign").toBool()) {
                dock->show();
            }
        }
    });
    createDocks();
    createMenus();
    statusBar()->addPermanentWidget(m_trainState);
    statusBar()->addPermanentWidget(m_totals);
    m_trainState->setObjectName("trainState");
    m_totals->setObjectName("totals");
    // Long status texts are cut rather than widen the window (an explicit minimum width overrides
    // the text's); the whole text is the tooltip.
    for (QLabel* label : {m_trainState, m_totals})
        label->setMinimumWidth(120);

    connect(m_scene, &GraphScene::statusMessage, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
    connect(m_document, &ProjectDocument::analysisChanged, this, &MainWindow::updateStatus);
    connect(m_document, &ProjectDocument::datasetStateChanged, this, &MainWindow::updateStatus);
    connect(m_document, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ProjectDocument::changed, this, &MainWindow::updateTitle);
    connect(m_document, &ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
    for (auto signal : {&ProjectDocument::changed, &ProjectDocument::modifiedChanged}) {
        connect(m_document, signal, this, [this] {
            if (m_document->isModified() && !m_autosave.isActive())
                m_autosave.start();
        });
    }
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(5000);
    connect(&m_autosave, &QTimer::timeout, this, &MainWindow::writeRecovery);

    restoreLayout();
    updateRecentMenu();
    updateTitle();
    updateStatus();
}

MainWindow::~MainWindow() {
    // Children are destroyed in no useful order: no signal may reach a half-destroyed panel.
    m_scene->blockSignals(true);
    m_document->blockSignals(true);
    m_document->undoStack()->blockSignals(true); // its destructor announces cleanChanged
}

void MainWindow::createActions() {
    QUndoStack* undo = m_document->undoStack();
    QAction* undoAction = undo->createUndoAction(this, tr("Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    undoAction->setIcon(icon("undo"));
    undoAction->setObjectName("undo");
    QAction* redoAction = undo->createRedoAction(this, tr("Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    redoAction->setIcon(icon("redo"));
    redoAction->setObjectName("redo");
    addAction(undoAction);
    addAction(redoAction);

    m_train = new QAction(icon("train"), tr("&Train"), this);
    m_train->setObjectName("train");
    m_train->setShortcut(Qt::CTRL | Qt::Key_T);
    connect(m_train, &QAction::triggered, this, &MainWindow::train);
    connect(m_training, &TrainingPanel::trainingStateChanged, this, &MainWindow::updateStatus);
    connect(m_training, &TrainingPanel::openGraphRequested, this, [this](RunPtr run) {
        core::Project next = m_document->project();
        next.model = run->snapshot.model;
        next.training = run->snapshot.training;
        m_document->edit(tr("Open the graph of %1").arg(run->name), next);
        showDesign();
    });
    connect(m_training, &TrainingPanel::graphCreated, this, &MainWindow::showDesign);
    m_save = new QAction(icon("save"), tr("&Save"), this);
    m_save->setShortcut(QKeySequence::Save);
    connect(m_save, &QAction::triggered, this, &MainWindow::save);

    auto* tools = addToolBar(tr("Main"));
    tools->setObjectName("mainToolBar");
    tools->setIconSize(QSize(22, 22));
    // Design | Train sit at the toolbar's left edge, where the side panels coming and going
    // cannot move them (the tab widget's own bar would move with the central area).
    auto* views = new QTabBar(this);
    views->setObjectName("viewTabs");
    views->addTab(tr("Design"));
    views->addTab(tr("Train"));
    views->setDrawBase(false);
    views->setExpanding(false);
    views->setToolTip(tr("Design the network, or train it and compare runs (Ctrl+T trains)"));
    m_tabs->tabBar()->hide();
    connect(views, &QTabBar::currentChanged, m_tabs, &QTabWidget::setCurrentIndex);
    connect(m_tabs, &QTabWidget::currentChanged, views, &QTabBar::setCurrentIndex);
    tools->addWidget(views);
    tools->addSeparator();
    tools->addAction(icon("new"), tr("New"), this, &MainWindow::newFromTemplate);
    tools->addAction(icon("open"), tr("Open"), this, &MainWindow::openDialog);
    tools->addAction(m_save);
    tools->addSeparator();
    tools->addAction(undoAction);
    tools->addAction(redoAction);
    tools->addSeparator();
    tools->addAction(icon("fit"), tr("Fit to view"), m_view, &GraphView::fitToView);
    tools->addAction(icon("layout"), tr("Auto-layout"), this, [this] { tidyLayout(); });
    tools->addSeparator();
    tools->addAction(m_train);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
}

void MainWindow::createDocks() {
    m_palette = new PalettePanel(this);
    m_inspector = new InspectorPanel(m_document, this);
    m_tasks = new TasksPanel(m_document, this);
    m_problems = new ProblemsPanel(m_document, this);
    m_dataset = new DatasetPanel(m_document, this);
    auto dock = [this](QWidget* widget, const QString& title, const char* name, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    QDockWidget* palette = dock(m_palette, tr("Layers"), "layersDock", Qt::LeftDockWidgetArea);
    QDockWidget* dataset = dock(m_dataset, tr("Dataset"), "datasetDock", Qt::LeftDockWidgetArea);
    QDockWidget* inspector = dock(m_inspector, tr("Inspector"), "inspectorDock", Qt::RightDockWidgetArea);
    QDockWidget* tasks = dock(m_tasks, tr("Tasks"), "tasksDock", Qt::RightDockWidgetArea);
    QDockWidget* problems = dock(m_problems, tr("Problems"), "problemsDock", Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    // Default sizes, once the window has its size (a saved layout replaces them).
    QTimer::singleShot(0, this, [=, this] {
        if (!QSettings().contains("window/state")) {
            resizeDocks({palette, inspector}, {200, 330}, Qt::Horizontal);
            resizeDocks({palette, dataset, inspector, tasks}, {330, 260, 380, 220}, Qt::Vertical);
            resizeDocks({problems}, {110}, Qt::Vertical);
        }
    });

    connect(m_palette, &PalettePanel::addRequested, this, [this](core::NodeKind kind) {
        m_scene->addNode(kind, m_view->mapToScene(m_view->viewport()->rect().center()));
    });
    connect(m_scene, &GraphScene::currentNodeChanged, m_inspector, &InspectorPanel::showNode);
    connect(m_problems, &ProblemsPanel::nodeActivated, m_scene, &GraphScene::selectNode);
    connect(m_tasks, &TasksPanel::nodeActivated, m_scene, &GraphScene::selectNode);
    connect(m_dataset, &DatasetPanel::importCsvRequested, this, [this] { importCsv(); });
    connect(m_dataset, &DatasetPanel::builtInRequested, this, [this](BuiltInDataset which) {
        const auto answer = QMessageBox::question(
            this, tr("Use %1").arg(builtInTitle(which)),
            tr("Build a new network for this dataset's tasks?\n\nYes: a hard-shared trunk with one head per task "
               "(undoable).\nNo: keep the current network."),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Yes);
        if (answer != QMessageBox::Cancel) useBuiltInDataset(which, answer == QMessageBox::Yes);
    });
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(icon("new"), tr("&New from template…"), QKeySequence::New, this, &MainWindow::newFromTemplate);
    file->addAction(icon("open"), tr("&Open…"), QKeySequence::Open, this, &MainWindow::openDialog);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    QMenu* examples = file->addMenu(tr("Open &example"));
    examples->setObjectName("examplesMenu");
    connect(examples, &QMenu::aboutToShow, this, [this, examples] { fillExamplesMenu(examples); });
    file->addAction(tr("Open the &demo project"), this, &MainWindow::openBundledDemo);
    file->addSeparator();
    file->addAction(m_save);
    file->addAction(tr("Save &as…"), QKeySequence::SaveAs, this, [this] { saveAs(); });
    file->addSeparator();
    file->addAction(tr("&Import CSV…"), this, [this] { importCsv(); });
    file->addAction(tr("&Export model…"), Qt::CTRL | Qt::Key_E, this, &MainWindow::exportModel);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(findChild<QAction*>("undo"));
    edit->addAction(findChild<QAction*>("redo"));
    edit->addSeparator();
    edit->addAction(tr("Cu&t"), QKeySequence::Cut, m_scene, &GraphScene::cutSelection);
    edit->addAction(tr("&Copy"), QKeySequence::Copy, m_scene, &GraphScene::copySelection);
    edit->addAction(tr("&Paste"), QKeySequence::Paste, m_scene, &GraphScene::paste);
    QAction* remove = edit->addAction(tr("&Delete"), m_scene, &GraphScene::deleteSelection);
    remove->setShortcuts({QKeySequence::Delete, Qt::Key_Backspace});
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(remove);
    edit->addAction(tr("Select &all"), QKeySequence::SelectAll, this, [this] {
        for (QGraphicsItem* item : m_scene->items()) item->setSelected(true);
    });

    createViewMenu();

    QMenu* model = menuBar()->addMenu(tr("&Model"));
    model->addAction(tr("&Add layer…"), Qt::CTRL | Qt::Key_K, this, [this] { m_view->openQuickAdd(); });
    model->addAction(m_train);
    model->addSeparator();
    model->addAction(tr("A&nalyze network…"), Qt::CTRL | Qt::Key_I, this,
                     &MainWindow::showAnalysis);
    model->addAction(tr("E&xperiments…"), Qt::CTRL | Qt::SHIFT | Qt::Key_E, this,
                     &MainWindow::showExperiments);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&User guide"), QKeySequence::HelpContents, this,
                    &MainWindow::showUserGuide);
    help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    help->addAction(tr("Task &balancing methods…"), this, [this] { showBalancingHelp(this); });
    help->addAction(tr("&About MTL Workbench"), this, [this] {
        QMessageBox::about(this, tr("About MTL Workbench"),
                           tr("<b>MTL Workbench %1</b><p>Design, train and compare multi-task neural networks."
                              "<p>Licensed under the GNU GPL, version 3 or later.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::updateTitle() {
    const QString example = isExampleProject(m_document->filePath()) ? tr(" (example)") : QString();
    setWindowTitle(
        QStringLiteral("%1%2[*] — MTL Workbench").arg(m_document->displayName(), example));
    setWindowModified(m_document->isModified());
}

QString MainWindow::statusText() const { return m_totals->text() + " | " + m_trainState->text(); }

void MainWindow::updateStatus() {
    const auto& analysis = m_document->analysis();
    const int tasks = int(m_document->taskNames().size());
    m_totals->setText(
        tr("%1 · %2 · %3 parameters · %4 FLOPs/sample")
            .arg(counted(qint64(m_document->spec().nodes.size()), tr("1 node"), tr("%1 nodes")),
                 counted(tasks, tr("1 task"), tr("%1 tasks")),
                 countText(double(analysis.totalParameters)), countText(analysis.flopsPerSample)));
    m_totals->setToolTip(m_totals->text());
    const QString blocker = m_document->trainBlocker();
    const bool training = m_training->isTraining();
    m_train->setEnabled(blocker.isEmpty() && !training);
    m_train->setToolTip(blocker.isEmpty() ? tr("Train this network") : tr("Cannot train: %1").arg(blocker));
    m_trainState->setText(training ? tr("Training — see the Train tab")
                                   : blocker.isEmpty() ? tr("Ready to train") : tr("Cannot train: %1").arg(blocker));
    m_trainState->setToolTip(m_trainState->text());
    m_trainState->setStyleSheet(blocker.isEmpty() ? QString() : QStringLiteral("color: #d32f2f"));
}

void MainWindow::applyTheme(const QString& theme) {
    static const QPalette systemPalette = QApplication::palette();
    static const QString systemStyle = QApplication::style()->name();
    if (theme == "dark") {
        QApplication::setStyle(QStyleFactory::create("Fusion"));
        QApplication::setPalette(darkPalette());
    } else if (theme == "light") {
        QApplication::setStyle(QStyleFactory::create("Fusion"));
        QApplication::setPalette(QApplication::style()->standardPalette());
    } else {
        QApplication::setStyle(QStyleFactory::create(systemStyle));
        QApplication::setPalette(systemPalette);
    }
    QSettings().setValue("theme", theme);
    m_view->viewport()->update();
    m_scene->update();
}

void MainWindow::restoreLayout() {
    QSettings settings;
    const QRect screen = QGuiApplication::primaryScreen() != nullptr
                             ? QGuiApplication::primaryScreen()->availableGeometry()
                             : QRect(0, 0, 1600, 1000);
    if (!restoreGeometry(settings.value("window/geometry").toByteArray())) {
        resize(std::min(1600, screen.width() * 9 / 10), std::min(1000, screen.height() * 9 / 10));
    }
    fitOnScreen(screen);
    restoreState(settings.value("window/state").toByteArray());
    const QString theme = settings.value("theme", "system").toString();
    if (theme != "system") applyTheme(theme);
}

void MainWindow::fitOnScreen(const QRect& screen) {
    // A geometry saved on a larger screen (or grown by an earlier bug) is brought back inside.
    const QSize size(std::min(width(), screen.width()), std::min(height(), screen.height()));
    if (size != this->size())
        resize(size);
    QPoint at = pos();
    at.setX(
        std::clamp(at.x(), screen.left(), std::max(screen.left(), screen.right() - width() + 1)));
    at.setY(
        std::clamp(at.y(), screen.top(), std::max(screen.top(), screen.bottom() - height() + 1)));
    if (at != pos())
        move(at);
}

void MainWindow::train() {
    m_tabs->setCurrentWidget(m_training);
    m_training->startTraining();
}

void MainWindow::showDesign() { m_tabs->setCurrentWidget(m_view); }

void MainWindow::showTraining() { m_tabs->setCurrentWidget(m_training); }

void MainWindow::exportModel() {
    const auto selected = m_training->runsPanel()->selectedRuns();
    ExportDialog dialog(m_training->runs(), selected.empty() ? nullptr : selected.front(), m_document->projectDirectory(),
                        this);
    dialog.exec();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!std::exchange(m_shown, true)) {
        // The first time the window has its size and docks: show the graph in what is left.
        QTimer::singleShot(0, m_view, &GraphView::showGraph);
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // A run in progress stops after its step and is recorded with the project first.
    m_training->stopAndWait();
    // An experiment stops too; its finished runs are kept and it resumes from its folder.
    if (m_experimentView != nullptr)
        m_experimentView->controller()->stopAndWait();
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    QFile::remove(recoveryPath());
    QFile::remove(recoveryPath() + ".origin");
    event->accept();
}

} // namespace mtl::ui
