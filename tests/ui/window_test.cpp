// The window as a user meets it: it stays on the screen whatever the readouts say, a restored
// geometry larger than the screen is clamped, runs of examples and untitled projects go to the
// user's data folder and the project changes only on Save, and nothing from an earlier run or
// project stays on screen after New, Open or Import.
#include "ui_test_support.h"

#include "canvas/node_item.h"
#include "dialogs/csv_import_dialog.h"
#include "document/run_storage.h"
#include "panels/dataset_panel.h"
#include "training/chart_panel.h"
#include "training/runs_panel.h"
#include "training/training_controller.h"
#include "training/training_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QGraphicsItem>
#include <QMenu>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

class WindowTest : public QObject {
    Q_OBJECT
private slots:
    void init() {
        QSettings().clear();
        // Runs of untitled projects and examples from earlier test runs (the test-mode data
        // folder).
        QStandardPaths::setTestModeEnabled(true);
        QDir(userRunsRoot()).removeRecursively();
    }
    void longReadoutsDoNotWidenTheWindow();
    void aSelectedNodeDoesNotWidenTheWindow();
    void aRestoredGeometryLargerThanTheScreenIsClamped();
    void anExampleStaysAsItCameAndItsRunsFollowTheSavedCopy();
    void discardDeletesTheRunsTrainedSinceTheLastSave();
    void nothingOfAnEarlierRunOrProjectStaysOnScreen();
    void theRunsListCountsEpochsWhileARunTrains();
};

namespace {

// Long task names, as people write them, and a short run whose readout the chart shows on hover.
void trainWithLongTaskNames(MainWindow& window) {
    core::Project project = window.document()->project();
    for (core::NodeSpec& n : project.model.nodes) {
        if (n.kind == core::NodeKind::TaskHead)
            n.task.name += "_with_a_rather_long_descriptive_name";
    }
    project.training.epochs = 2;
    window.document()->edit("long names", project);
    window.train();
    QVERIFY(window.trainingPanel()->controller()->waitForFinished());
    window.trainingPanel()->charts()->hoverAt(40.0);
    QVERIFY(window.trainingPanel()->charts()->readout().contains("rather_long"));
    QApplication::processEvents();
}

QString sizeText(QSize s) {
    return QString("%1×%2").arg(s.width()).arg(s.height());
}

} // namespace

void WindowTest::longReadoutsDoNotWidenTheWindow() {
    auto window = demoWindow();
    trainWithLongTaskNames(*window);
    // Fits a 1024×768 screen with room for a panel and the title bar.
    QVERIFY2(window->minimumSizeHint().width() <= 1024,
             qPrintable(sizeText(window->minimumSizeHint())));
    QVERIFY2(window->minimumSizeHint().height() <= 700,
             qPrintable(sizeText(window->minimumSizeHint())));
}

void WindowTest::aSelectedNodeDoesNotWidenTheWindow() {
    auto window = demoWindow();
    trainWithLongTaskNames(*window);
    window->showDesign();
    GraphScene* scene = window->scene();
    scene->clearSelection();
    NodeItem* head = nullptr;
    for (QGraphicsItem* item : scene->items()) {
        auto* node = dynamic_cast<NodeItem*>(item);
        if (node && window->document()->spec().find(node->id().toStdString())->kind ==
                        core::NodeKind::TaskHead)
            head = node;
    }
    QVERIFY(head);
    head->setSelected(true);
    QApplication::processEvents();
    QVERIFY2(window->minimumSizeHint().width() <= 1024,
             qPrintable(sizeText(window->minimumSizeHint())));
    QVERIFY2(window->minimumSizeHint().height() <= 700,
             qPrintable(sizeText(window->minimumSizeHint())));
}

void WindowTest::aRestoredGeometryLargerThanTheScreenIsClamped() {
    {
        MainWindow::setNonInteractive(true);
        MainWindow big;
        big.show();
        big.setGeometry(-300, -200, 4000, 3000);
        big.close(); // saves the layout
    }
    MainWindow::setNonInteractive(true);
    MainWindow window;
    window.show();
    const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
    // Within the screen, unless its minimum size is larger than a small test screen.
    QVERIFY2(window.width() <= std::max(screen.width(), window.minimumSizeHint().width()),
             qPrintable(QString::number(window.width())));
    QVERIFY2(window.height() <= std::max(screen.height(), window.minimumSizeHint().height()),
             qPrintable(QString::number(window.height())));
    QVERIFY(window.x() >= screen.left() && window.y() >= screen.top());
}

namespace {

QByteArray fileHash(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void trainOneEpoch(MainWindow& window) {
    core::Project project = window.document()->project();
    project.training.epochs = 1;
    window.document()->edit("one epoch", project);
    window.train();
    QVERIFY(window.trainingPanel()->controller()->waitForFinished());
}

} // namespace

void WindowTest::anExampleStaysAsItCameAndItsRunsFollowTheSavedCopy() {
    const QString example = QStringLiteral(MTL_EXAMPLES_DIR) + "/synthetic-hard.mtl.json";
    const QByteArray before = fileHash(example);
    QVERIFY(!before.isEmpty());
    QVERIFY(isExampleProject(example));
    auto window = demoWindow();
    // File → Open example lists the bundled examples by name.
    auto* examples = window->findChild<QMenu*>("examplesMenu");
    QVERIFY(examples);
    emit examples->aboutToShow();
    QStringList titles;
    for (QAction* action : examples->actions())
        titles << action->text();
    QVERIFY2(titles.contains("Synthetic related tasks — hard sharing") && titles.size() >= 7,
             qPrintable(titles.join("; ")));
    for (QAction* action : examples->actions()) {
        if (action->text() == "Synthetic related tasks — hard sharing")
            action->trigger();
    }
    QCOMPARE(window->document()->filePath(), QFileInfo(example).absoluteFilePath());
    QVERIFY(window->windowTitle().contains("(example)"));
    QVERIFY(window->document()->waitForDataset());
    trainOneEpoch(*window);
    // The example and its folder are untouched; the run is in the user's data folder, and the
    // status line says where and what Save As does.
    QCOMPARE(fileHash(example), before);
    QVERIFY(!QFileInfo::exists(QStringLiteral(MTL_EXAMPLES_DIR) + "/mtl-runs"));
    const QString runDir = window->trainingPanel()->runs().back()->directory;
    QVERIFY2(runDir.startsWith(userRunsRoot() + "/synthetic-hard/"), qPrintable(runDir));
    const QString status = window->trainingPanel()->statusText();
    QVERIFY2(status.contains("/runs/synthetic-hard") &&
                 status.contains("Save As moves runs beside your copy") &&
                 status.contains("completed 1 epoch;"),
             qPrintable(status));
    QVERIFY(window->document()->isModified());
    // Save As into a folder of the user's: the run moves beside the copy, linked relatively.
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath("a"));
    const QString copy = home.filePath("a/mine.mtl.json");
    QVERIFY(window->saveAs(copy));
    QCOMPARE(fileHash(example), before);
    QVERIFY(!QFileInfo::exists(runDir));
    QVERIFY(QFileInfo::exists(home.filePath("a/mtl-runs/mine/run-1/model.mtlmodel")));
    QCOMPARE(window->trainingPanel()->runs().back()->directory,
             home.filePath("a/mtl-runs/mine/run-1"));
    QCOMPARE(core::readProject(copy.toStdString()).project.runs.at(0).directory,
             std::string("mtl-runs/mine/run-1"));
    // Moving the project's folder, runs included, keeps the links.
    QVERIFY(QDir(home.path()).rename("a", "b"));
    auto again = demoWindow();
    QVERIFY(again->openProject(home.filePath("b/mine.mtl.json")));
    QCOMPARE(again->trainingPanel()->runs().size(), std::size_t(1));
    QVERIFY(!again->trainingPanel()->runs().front()->metrics.epochs().empty());
    QVERIFY(!again->trainingPanel()->statusText().contains("could not be read"));
}

void WindowTest::discardDeletesTheRunsTrainedSinceTheLastSave() {
    QTemporaryDir home;
    const QString path = home.filePath("kept.mtl.json");
    auto window = demoWindow();
    QVERIFY(window->saveAs(path));
    trainOneEpoch(*window);
    QVERIFY(window->save());
    const QString savedRun = window->trainingPanel()->runs().back()->directory;
    trainOneEpoch(*window);
    const QString discardedRun = window->trainingPanel()->runs().back()->directory;
    QVERIFY(QFileInfo::exists(discardedRun + "/run.mtl.json"));
    const QByteArray onDisk = fileHash(path);
    MainWindow::setNonInteractive(false);
    const auto answer = answerNextMessageBox(QMessageBox::Discard);
    const bool closed = window->close();
    MainWindow::setNonInteractive(true);
    QVERIFY(closed && answer->answered);
    QCOMPARE(fileHash(path), onDisk);
    QVERIFY(!QFileInfo::exists(discardedRun));
    QVERIFY(QFileInfo::exists(savedRun + "/run.mtl.json"));
    QCOMPARE(core::readProject(path.toStdString()).project.runs.size(), std::size_t(1));
}

void WindowTest::nothingOfAnEarlierRunOrProjectStaysOnScreen() {
    auto window = demoWindow();
    TrainingPanel* panel = window->trainingPanel();
    trainOneEpoch(*window);
    panel->charts()->hoverAt(10.0);
    QVERIFY(!panel->charts()->readout().isEmpty());
    QVERIFY(!panel->progressText().isEmpty());
    // A second run: the first one's readout goes.
    window->train();
    QVERIFY(panel->charts()->readout().isEmpty());
    QVERIFY(panel->controller()->waitForFinished());
    panel->charts()->hoverAt(10.0);
    // Another project: no progress line, readout, runs or curves of this one.
    QVERIFY(window->openProject(QStringLiteral(MTL_EXAMPLES_DIR) + "/synthetic-soft.mtl.json"));
    QVERIFY2(panel->progressText().isEmpty(), qPrintable(panel->progressText()));
    QVERIFY(panel->charts()->readout().isEmpty());
    QCOMPARE(panel->runsPanel()->table()->rowCount(), 0);
    QVERIFY(panel->charts()->runs().empty());
    // A CSV import on a project with runs: its runs are greyed and off the charts, the dataset
    // selector no longer names the built-in dataset.
    window->openBundledDemo();
    QVERIFY(window->document()->waitForDataset());
    trainOneEpoch(*window);
    QComboBox* selector = window->datasetPanel()->builtInChoice();
    QVERIFY(selector->currentIndex() >= 0);
    CsvImportDialog dialog;
    QVERIFY(dialog.openFile(QStringLiteral(MTL_EXAMPLES_DIR) + "/houses.csv"));
    dialog.roleBox("price_keur")->setCurrentIndex(1);
    window->applyCsvImport(dialog);
    QCOMPARE(selector->currentIndex(), -1);
    QVERIFY(selector->currentText().isEmpty());
    QVERIFY(panel->charts()->runs().empty());
    QVERIFY(panel->progressText().isEmpty());
    QCOMPARE(panel->runsPanel()->table()->rowCount(), 1);
    QVERIFY(panel->runsPanel()->table()->item(0, 0)->font().italic());
    QVERIFY(panel->runsPanel()->table()->item(0, 0)->toolTip().contains("another dataset"));
    // Undo: the run is on the project's dataset again.
    window->document()->undoStack()->undo();
    QVERIFY(!panel->runsPanel()->table()->item(0, 0)->font().italic());
    QVERIFY(selector->currentIndex() >= 0);
}

void WindowTest::theRunsListCountsEpochsWhileARunTrains() {
    auto window = demoWindow();
    TrainingPanel* panel = window->trainingPanel();
    core::Project project = window->document()->project();
    project.training.epochs = 2000;
    window->document()->edit("long", project);
    window->train();
    const RunPtr run = panel->controller()->run();
    QVERIFY(waitFor([&] { return run->metrics.epochs().size() >= 2; }));
    QApplication::processEvents();
    const QString epochs = panel->runsPanel()->table()->item(0, 2)->text();
    QVERIFY2(epochs.endsWith(" of 2000") && epochs.split(' ').front().toInt() >= 2,
             qPrintable(epochs));
    QCOMPARE(panel->runsPanel()->table()->item(0, 3)->text(), QString("running"));
    window->findChild<QPushButton*>("stopButton")->click();
    QVERIFY(panel->controller()->waitForFinished());
    // The end says which epoch it stopped in, as the progress line did, and how many were complete.
    const int complete = run->epochs;
    QVERIFY2(run->message.contains(QStringLiteral("during epoch %1 of 2000 (%2 complete)")
                                       .arg(complete + 1)
                                       .arg(complete)),
             qPrintable(run->message));
    QVERIFY2(panel->progressText().contains(QStringLiteral("epoch %1/2000").arg(complete + 1)),
             qPrintable(panel->progressText()));
    QCOMPARE(panel->runsPanel()->table()->item(0, 2)->text(), QString::number(complete));
}

QTEST_MAIN(WindowTest)
#include "window_test.moc"
