// The Experiments window driven as a user drives it: the dialog (runs counted, a bad entry named),
// an experiment run in the app giving the same table as `mtl experiment` on the same grid, one
// stopped and resumed in a window opened afresh with every run exactly once, the scatter's Pareto
// front, the selected row's curves, and the project recording the experiment as a change.

#include "ui_test_support.h"

#include "experiments/experiment_dialog.h"
#include "experiments/experiment_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>

#include <set>

using namespace mtl;
using namespace mtl::ui;

namespace {

// houses (two tasks: a price and an energy class) copied beside a fresh project file.
QString housesProject(const QTemporaryDir& dir) {
    QFile::copy(QStringLiteral(MTL_EXAMPLES_DIR "/houses.csv"), dir.filePath("houses.csv"));
    QFile::copy(QStringLiteral(MTL_EXAMPLES_DIR "/houses.mtl.json"), dir.filePath("p.mtl.json"));
    QFile(dir.filePath("p.mtl.json"))
        .setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return dir.filePath("p.mtl.json");
}

// Fills the dialog the next time it opens: equal and pcgrad (checked by default), 2 seeds, 2
// epochs.
void answerDialog(std::function<void(ExperimentDialog*)> fill) {
    QTimer::singleShot(50, [fill] {
        auto* dialog = qobject_cast<ExperimentDialog*>(QApplication::activeModalWidget());
        if (dialog == nullptr)
            qFatal("the experiment dialog did not open");
        fill(dialog);
        dialog->accept();
    });
}

// The table's CSV without the time column (runs take what they take).
QStringList withoutTime(const QString& csv) {
    QStringList rows;
    for (const QString& line : csv.split('\n', Qt::SkipEmptyParts)) {
        QStringList fields = line.split(',');
        fields.removeAt(fields.size() - 2); // seconds, before rank
        rows << fields.join(',');
    }
    return rows;
}

} // namespace

class ExperimentTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        MainWindow::setNonInteractive(true);
    }

    void dialogCountsRunsAndNamesABadEntry() {
        core::Project project;
        project.training.epochs = 5;
        ExperimentDialog dialog(project, 2, 1.5);
        QVERIFY2(dialog.summary().startsWith(
                     "12 runs: 2 configurations × 3 seeds + 6 single-task baselines."),
                 qPrintable(dialog.summary()));
        QVERIFY(dialog.summary().contains("About"));
        dialog.sharingField()->setText("hard, soft:0.1");
        QVERIFY2(dialog.summary().startsWith("18 runs: 4 configurations × 3 seeds"),
                 qPrintable(dialog.summary()));
        dialog.sharingField()->setText("hard, firm");
        QVERIFY2(dialog.summary().startsWith(
                     "Error: Sharing: sharing expects hard, soft or soft:λ, got 'firm'"),
                 qPrintable(dialog.summary()));
        QVERIFY(!dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
        dialog.sharingField()->clear();
        dialog.baselinesBox()->setChecked(false);
        dialog.seedsBox()->setValue(1);
        QVERIFY2(dialog.summary().startsWith("2 runs: 2 configurations × 1 seed."),
                 qPrintable(dialog.summary()));
        QCOMPARE(dialog.spec().methods.size(), std::size_t(2));
    }

    void appAndCommandLineGiveTheSameTable() {
        QTemporaryDir dir;
        const QString path = housesProject(dir);
        // The command line first, on its own copy.
        QFile::copy(path, dir.filePath("cli.mtl.json"));
        QProcess cli;
        cli.setWorkingDirectory(dir.path());
        cli.start(QStringLiteral(MTL_CLI),
                  {"experiment", "cli.mtl.json", "--methods", "equal,pcgrad", "--seeds", "2",
                   "--baselines", "--epochs", "2", "--out", "cli-experiment", "--quiet"});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
        QFile cliTable(dir.filePath("cli-experiment/table.csv"));
        QVERIFY(cliTable.open(QIODevice::ReadOnly));

        MainWindow window;
        window.resize(1300, 850);
        window.show();
        QVERIFY(window.openProject(path));
        QVERIFY(window.document()->waitForDataset());
        ExperimentView* view = window.showExperiments();
        QVERIFY(view->statusLabel()->text().startsWith("No experiment yet."));
        answerDialog([](ExperimentDialog* d) {
            d->seedsBox()->setValue(2);
            d->epochsBox()->setValue(2);
        });
        QSignalSpy finished(view->controller(), &ExperimentController::finished);
        QSignalSpy jobs(view->controller(), &ExperimentController::jobFinished);
        view->newExperiment();
        QVERIFY(view->controller()->isRunning());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.front().at(0).toBool(), true);
        QCOMPARE(jobs.size(), 8); // 2 methods × 2 seeds + 2 tasks' baselines × 2 seeds
        QCOMPARE(withoutTime(QString::fromStdString(core::tableCsv(view->results()))),
                 withoutTime(QString::fromUtf8(cliTable.readAll())));
        QVERIFY(view->statusLabel()->text().startsWith(
            "Finished: 8 runs. Metrics on the validation split"));

        // The table: 2 configurations and the baselines, a rank each; the best one selected, its
        // runs' curves drawn (2 seeds × 2 tasks); the scatter's front among the configurations.
        QCOMPARE(view->table()->rowCount(), 3);
        QVERIFY(!view->table()->selectedItems().isEmpty());
        QCOMPARE(view->curves()->seriesCount(), 4);
        QVERIFY(!view->scatter()->front().empty());
        for (std::size_t r : view->scatter()->front())
            QVERIFY(view->results().rows[r].config >= 0);
        // Sorted by rank: 1 first, the baselines (no rank) last, numbers as numbers.
        const int rankColumn = view->table()->columnCount() - 1;
        view->table()->sortItems(rankColumn);
        QCOMPARE(view->table()->item(0, rankColumn)->text(), QString("1"));
        QCOMPARE(view->table()->item(2, 0)->text(), QString("single-task baselines"));

        // Recorded in the project as a change; saved relative to the file.
        QVERIFY(window.document()->isModified());
        QCOMPARE(window.document()->project().experiments.size(), std::size_t(1));
        const core::Project saved = window.document()->projectForSaving(path);
        QCOMPARE(saved.experiments.front().directory, std::string("mtl-runs/p/experiment-1"));
        QVERIFY(window.save());
        window.document()->markSaved();
    }

    void stoppedExperimentResumesInAFreshWindowWithEveryRunOnce() {
        QTemporaryDir dir;
        const QString path = housesProject(dir);
        std::vector<std::size_t> finishedJobs;
        {
            MainWindow window;
            window.show();
            QVERIFY(window.openProject(path));
            QVERIFY(window.document()->waitForDataset());
            ExperimentView* view = window.showExperiments();
            answerDialog([](ExperimentDialog* d) {
                d->seedsBox()->setValue(2);
                d->epochsBox()->setValue(2);
                d->atOnceBox()->setChecked(true); // two at a time, and so resumed
            });
            connect(view->controller(), &ExperimentController::jobFinished, view,
                    [&, view](std::size_t job) {
                        finishedJobs.push_back(job);
                        if (finishedJobs.size() == 3)
                            view->controller()->stop();
                    });
            QSignalSpy finished(view->controller(), &ExperimentController::finished);
            view->newExperiment();
            QVERIFY(finished.wait(120000));
            QCOMPARE(finished.front().at(0).toBool(), false);
            // Runs this short may finish one more before the stop reaches the worker.
            QVERIFY(finishedJobs.size() >= 3 && finishedJobs.size() < 8);
            QVERIFY2(view->statusLabel()->text().startsWith(
                         QString("Stopped with %1 of 8 runs done.").arg(finishedJobs.size())),
                     qPrintable(view->statusLabel()->text()));
            QCOMPARE(view->runButton()->text(), QString("Resume"));
            QVERIFY(window.save());
            window.document()->markSaved();
        }
        const std::size_t before = finishedJobs.size();
        // The app closed; opened again, the experiment is listed and resumes.
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(path));
        QVERIFY(window.document()->waitForDataset());
        ExperimentView* view = window.showExperiments();
        QCOMPARE(view->experimentBox()->currentText(), QString("experiment 1"));
        QVERIFY2(view->statusLabel()->text().startsWith(QString("%1 of 8 runs done.").arg(before)),
                 qPrintable(view->statusLabel()->text()));
        connect(view->controller(), &ExperimentController::jobFinished, view,
                [&](std::size_t job) { finishedJobs.push_back(job); });
        QSignalSpy finished(view->controller(), &ExperimentController::finished);
        QTest::mouseClick(view->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.front().at(0).toBool(), true);
        QCOMPARE(finishedJobs.size(), std::size_t(8));
        QCOMPARE(std::set<std::size_t>(finishedJobs.begin(), finishedJobs.end()).size(),
                 std::size_t(8));
        QCOMPARE(view->results().rows.size(), std::size_t(3));
        QCOMPARE(view->results().rows[0].jobs.size(), std::size_t(2));
        QVERIFY(!view->runButton()->isEnabled());
        QCOMPARE(core::readExperiment(view->shownDirectory().toStdString()).spec.runsAtOnce, 2);
    }
};

QTEST_MAIN(ExperimentTest)
#include "experiment_test.moc"
