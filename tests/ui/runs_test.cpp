// Run management on the Train tab: renaming a run and noting on it in place, deleting it with its
// files, and comparing runs' settings and final metrics side by side; all kept by Save.
#include "ui_test_support.h"

#include "dialogs/run_comparison_dialog.h"
#include "runs/delta_m.h"
#include "training/chart_panel.h"
#include "training/runs_panel.h"
#include "training/training_controller.h"
#include "training/training_panel.h"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

namespace {

void train(MainWindow& window, float learningRate) {
    core::Project project = window.document()->project();
    project.training.epochs = 3;
    project.training.optimizer.learningRate = learningRate;
    window.document()->edit("test settings", project);
    window.train();
    QVERIFY(window.trainingPanel()->controller()->waitForFinished());
    QTest::qWait(50); // the finished run reaches the list
}

int tableRow(const QTableWidget* table, const QString& label) {
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->verticalHeaderItem(r) && table->verticalHeaderItem(r)->text() == label)
            return r;
    return -1;
}

} // namespace

class RunsTest : public QObject {
    Q_OBJECT
private slots:
    void renameNoteAndDeleteAreKeptBySave();
    void compareShowsSettingsSideBySide();
    void deletingASavedRunWaitsForSaveAndDiscardBringsItBack();
    void newRunsNeverTakeAnExistingName();
    void renamingDuringTrainingKeepsTheLiveRunShown();
    void theKeptEpochFollowsTheSettingAndDivergence();
};

void RunsTest::renameNoteAndDeleteAreKeptBySave() {
    QTemporaryDir dir;
    const QString path = dir.filePath("managed.mtl.json");
    QString deletedFolder;
    {
        auto window = demoWindow();
        QVERIFY(window->saveAs(path));
        train(*window, 1e-3f);
        train(*window, 1e-2f);
        TrainingPanel* panel = window->trainingPanel();
        QTableWidget* table = panel->runsPanel()->table();
        QCOMPARE(table->rowCount(), 2);
        QVERIFY(window->save());
        QVERIFY(!window->document()->isModified());

        // Rename in place: the run, the chart legend and the document follow.
        table->item(0, 0)->setText("slow lr");
        QCOMPARE(panel->runs()[0]->name, QString("slow lr"));
        QVERIFY(window->document()->isModified());
        panel->runsPanel()->selectRuns({0, 1});
        QVERIFY(!panel->charts()->seriesPoints("task1 · slow lr").isEmpty());
        // A name another run has, or none, is refused and the cell shows the name kept.
        table->item(1, 0)->setText("slow lr");
        QCOMPARE(panel->runs()[1]->name, QString("run 2"));
        QCOMPARE(table->item(1, 0)->text(), QString("run 2"));
        QVERIFY(panel->statusText().contains("Another run is called slow lr"));
        table->item(1, 0)->setText("   ");
        QCOMPARE(panel->runs()[1]->name, QString("run 2"));

        // A note: the Note column appears.
        const int noteColumn = 5;
        QVERIFY(table->isColumnHidden(noteColumn));
        table->item(1, noteColumn)->setText("ten times the rate: noisier");
        QCOMPARE(panel->runs()[1]->note, QString("ten times the rate: noisier"));
        QVERIFY(!table->isColumnHidden(noteColumn));
        QVERIFY(table->item(1, 0)->toolTip().contains("noisier"));
        QVERIFY(window->save());
    }
    {
        auto window = demoWindow();
        QVERIFY(window->openProject(path));
        TrainingPanel* panel = window->trainingPanel();
        QCOMPARE(panel->runs().size(), std::size_t(2));
        QCOMPARE(panel->runs()[0]->name, QString("slow lr"));
        QCOMPARE(panel->runs()[1]->note, QString("ten times the rate: noisier"));

        // Delete asks; Cancel keeps the run and its files.
        deletedFolder = panel->runs()[1]->directory;
        auto cancel = answerNextMessageBox(QMessageBox::Cancel);
        panel->deleteRuns({panel->runs()[1]});
        QVERIFY(cancel->answered);
        QVERIFY(cancel->text.contains("cannot be undone"));
        QCOMPARE(panel->runs().size(), std::size_t(2));
        QVERIFY(QFileInfo(deletedFolder).isDir());
        // Yes deletes the folder and the row; the project is modified until saved.
        auto yes = answerNextMessageBox(QMessageBox::Yes);
        panel->deleteRuns({panel->runs()[1]});
        QVERIFY(yes->answered);
        QCOMPARE(panel->runs().size(), std::size_t(1));
        QCOMPARE(panel->runsPanel()->table()->rowCount(), 1);
        QVERIFY(!QFileInfo(deletedFolder).exists());
        QVERIFY(window->document()->isModified());
        QVERIFY(window->save());
    }
    {
        auto window = demoWindow();
        QVERIFY(window->openProject(path));
        QCOMPARE(window->trainingPanel()->runs().size(), std::size_t(1));
        QVERIFY(window->trainingPanel()->statusText().contains("1 earlier run"));
    }
}

void RunsTest::compareShowsSettingsSideBySide() {
    auto window = demoWindow();
    train(*window, 1e-3f);
    train(*window, 3e-3f);
    TrainingPanel* panel = window->trainingPanel();
    QVERIFY(panel->runsPanel()->compareButton()->isEnabled());
    panel->runsPanel()->compareButton()->click();
    auto* dialog = panel->findChild<RunComparisonDialog*>();
    QVERIFY(dialog != nullptr);
    QTableWidget* table = dialog->table();
    QCOMPARE(table->columnCount(), 2);
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QString("run 2"));
    const int rate = tableRow(table, "Learning rate");
    const int batch = tableRow(table, "Batch size");
    QVERIFY(rate >= 0 && batch >= 0);
    QCOMPARE(table->item(rate, 0)->text(), QString("0.001"));
    QCOMPARE(table->item(rate, 1)->text(), QString("0.003"));
    // A metric row per task metric, the better run's value bold.
    const int rmse = tableRow(table, "task1 rmse");
    QVERIFY(rmse >= 0);
    const double first = table->item(rmse, 0)->text().toDouble();
    const double second = table->item(rmse, 1)->text().toDouble();
    QVERIFY(first != second);
    QCOMPARE(table->item(rmse, first < second ? 0 : 1)->font().bold(), true);
    QCOMPARE(table->item(rmse, first < second ? 1 : 0)->font().bold(), false);
    // Only the differences: the batch size (the same in both) hides, the rate stays.
    dialog->onlyDifferences()->setChecked(true);
    QVERIFY(table->isRowHidden(batch));
    QVERIFY(!table->isRowHidden(rate));
    const QString copied = dialog->tabSeparated();
    QVERIFY(copied.contains("Learning rate\t0.001\t0.003"));
    QVERIFY(!copied.contains("Batch size"));
    dialog->close();
}

void RunsTest::deletingASavedRunWaitsForSaveAndDiscardBringsItBack() {
    QTemporaryDir dir;
    const QString path = dir.filePath("kept.mtl.json");
    auto window = demoWindow();
    QVERIFY(window->saveAs(path));
    train(*window, 1e-3f);
    QVERIFY(window->save());
    TrainingPanel* panel = window->trainingPanel();
    const QString folder = panel->runs()[0]->directory;
    auto yes = answerNextMessageBox(QMessageBox::Yes);
    panel->deleteRuns({panel->runs()[0]});
    QVERIFY(yes->answered);
    QVERIFY(!QFileInfo(folder).exists());
    QVERIFY(panel->runs().empty());
    // Discard: the saved file still lists the run, and its folder is back.
    window->document()->discardUnsavedRuns();
    QVERIFY(QFileInfo(folder + "/run.mtl.json").isFile());
    QCOMPARE(window->document()->project().runs.size(), std::size_t(1));
    {
        auto reopened = demoWindow();
        QVERIFY(reopened->openProject(path));
        QCOMPARE(reopened->trainingPanel()->runs().size(), std::size_t(1));
        // Delete and save: gone for good, nothing left beside it.
        auto again = answerNextMessageBox(QMessageBox::Yes);
        reopened->trainingPanel()->deleteRuns({reopened->trainingPanel()->runs()[0]});
        QVERIFY(again->answered);
        QVERIFY(reopened->save());
        const QDir parent = QFileInfo(folder).dir();
        QVERIFY2(
            parent.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty(),
            qPrintable(
                parent.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden).join(", ")));
        QVERIFY(core::readProject(path.toStdString()).project.runs.empty());
    }
}

void RunsTest::newRunsNeverTakeAnExistingName() {
    auto window = demoWindow();
    train(*window, 1e-3f);
    train(*window, 1e-3f);
    TrainingPanel* panel = window->trainingPanel();
    auto yes = answerNextMessageBox(QMessageBox::Yes);
    panel->deleteRuns({panel->runs()[0]});
    QVERIFY(yes->answered);
    train(*window, 1e-3f);
    QCOMPARE(panel->runs().back()->name, QString("run 3"));
}

void RunsTest::renamingDuringTrainingKeepsTheLiveRunShown() {
    auto window = demoWindow();
    train(*window, 1e-3f);
    core::Project project = window->document()->project();
    project.training.epochs = 5000;
    window->document()->edit("long", project);
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    const RunPtr live = panel->controller()->run();
    QVERIFY(live != nullptr);
    // Editing the name selects its row, as a double-click does.
    panel->runsPanel()->selectRuns({0});
    QVERIFY(panel->renameRun(panel->runs()[0], "first"));
    QCOMPARE(panel->charts()->runs().size(), std::size_t(1));
    QVERIFY(panel->charts()->runs().front() == live);
    panel->stopAndWait();
}

void RunsTest::theKeptEpochFollowsTheSettingAndDivergence() {
    auto window = demoWindow();
    train(*window, 1e-3f);
    RunData run = *window->trainingPanel()->runs().back();
    // Three epochs whose validation totals are 0.5, 0.3, 0.4; every metric of epoch e is e.
    run.metrics = core::RunMetrics(*run.model, 1);
    for (int e = 1; e <= 3; ++e) {
        core::EpochRecord record;
        record.epoch = e;
        record.validation.rows = 10;
        record.validation.total = e == 1 ? 0.5 : e == 2 ? 0.3 : 0.4;
        for (const auto& task : run.model->tasks()) {
            record.validation.loss.push_back(record.validation.total);
            record.validation.metrics.emplace_back(task.metrics.size(), double(e));
        }
        record.train = record.validation;
        run.metrics.addEpoch(record);
    }
    const auto kept = [&] {
        return core::keptMetric(run, run.model->tasks().front().name, core::MetricKind::RMSE)
            .value_or(-1);
    };
    run.reason = core::StopReason::Completed;
    run.snapshot.training.restoreBestWeights = true;
    QCOMPARE(kept(), 2.0);
    run.snapshot.training.restoreBestWeights = false;
    QCOMPARE(kept(), 3.0);
    // Diverged in epoch 3 (its losses not finite): the last good epoch, whatever the setting.
    core::EpochRecord bad = run.metrics.epochs().back();
    run.metrics = core::RunMetrics(*run.model, 1);
    for (int e = 1; e <= 3; ++e) {
        core::EpochRecord record = bad;
        record.epoch = e;
        record.validation.total = e == 3 ? NAN : (e == 1 ? 0.3 : 0.5);
        for (auto& values : record.validation.metrics)
            std::fill(values.begin(), values.end(), double(e));
        run.metrics.addEpoch(record);
    }
    run.reason = core::StopReason::Diverged;
    QCOMPARE(kept(), 2.0);
    run.snapshot.training.restoreBestWeights = true;
    QCOMPARE(kept(), 2.0);
}

QTEST_MAIN(RunsTest)
#include "runs_test.moc"
