// Training through the app: the controller on its worker thread, pause/resume/stop, closing
// mid-run, divergence, editing during a run, baselines and Δm, the charts' controls, settings,
// and runs that come back with the project.
#include "ui_test_support.h"

#include "dialogs/balancing_help.h"
#include "dialogs/export_dialog.h"
#include "model/graph_index.h"
#include "relations/relations_view.h"
#include "relations/task_graph_widget.h"
#include "runs/run_directory.h"
#include "training/balancing_form.h"
#include "training/chart_panel.h"
#include "training/runs_panel.h"
#include "training/settings_form.h"
#include "training/training_controller.h"
#include "training/training_panel.h"
#include "training/weights_chart.h"
#include "util/error.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QValueAxis>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

namespace {

void setTraining(MainWindow& window, const std::function<void(core::TrainingSettings&)>& change) {
    core::Project project = window.document()->project();
    change(project.training);
    window.document()->edit("test settings", project);
}

} // namespace

class TrainingTest : public QObject {
    Q_OBJECT
private slots:
    void trainsToCompletionAndRecordsTheRun();
    void pauseResumeStop();
    void closingDuringTrainingKeepsTheRun();
    void divergingRunStopsWithItsMessage();
    void editingDuringARunDoesNotReachIt();
    void baselinesAndDeltaM();
    void chartControls();
    void settingsAreUndoableEdits();
    void runsComeBackWithTheProject();
    void exportDialogWritesAndRefuses();
    void brokenRunFilesAreReported();
    void balancingIsChosenTrainedChartedAndKept();
    void taskRelationsLiveGroupedAndKept();
    void learnedRelationsAndCrossStitchShown();
};

void TrainingTest::trainsToCompletionAndRecordsTheRun() {
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 6; });
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    QVERIFY(panel->isTraining());
    QVERIFY(!window->trainAction()->isEnabled());
    QVERIFY(panel->controller()->waitForFinished());
    const RunPtr run = panel->runs().back();
    QVERIFY(run->reason == core::StopReason::Completed);
    QCOMPARE(run->epochs, 6);
    QCOMPARE(run->metrics.epochs().size(), std::size_t(6));
    QCOMPARE(run->metrics.lastStep(), run->totalSteps);
    // Every task learned: its validation loss fell.
    for (std::size_t t = 0; t < run->metrics.taskCount(); ++t) {
        QVERIFY(run->metrics.epochValidationLoss(5, t) < 0.7 * run->metrics.epochValidationLoss(0, t));
    }
    // The GUI drained in batches: far fewer chart refreshes than steps.
    QVERIFY(panel->charts()->refreshCount() >= 1);
    QVERIFY2(panel->charts()->refreshCount() < run->totalSteps / 4, qPrintable(QString::number(panel->charts()->refreshCount())));
    QVERIFY(!panel->charts()->seriesPoints("task1").isEmpty());
    QVERIFY(window->trainAction()->isEnabled());
    // Recorded with the project, its files beside it.
    QCOMPARE(window->document()->project().runs.size(), std::size_t(1));
    for (const char* file : {"run.mtl.json", "metrics.csv", "steps.csv", "model.mtlmodel"}) {
        QVERIFY2(QFile::exists(run->directory + "/" + file), file);
    }
    QVERIFY(run->trained != nullptr);
    QCOMPARE(panel->runsPanel()->table()->rowCount(), 1);
    QVERIFY(panel->progressText().contains("epoch 6/6"));
}

void TrainingTest::pauseResumeStop() {
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 5000; });
    window->train();
    TrainingController* controller = window->trainingPanel()->controller();
    const RunPtr run = controller->run();
    QVERIFY(waitFor([&] { return run->metrics.lastStep() > 20; }));
    controller->pause();
    QTest::qWait(150);
    const long paused = run->metrics.lastStep();
    QTest::qWait(200);
    QCOMPARE(run->metrics.lastStep(), paused);
    controller->resume();
    QVERIFY(waitFor([&] { return run->metrics.lastStep() > paused + 20; }));
    window->findChild<QPushButton*>("stopButton")->click();
    QVERIFY(controller->waitForFinished());
    QVERIFY(run->reason == core::StopReason::Stopped);
    QVERIFY(run->trained != nullptr); // the weights so far are kept
    QVERIFY(QFile::exists(run->directory + "/model.mtlmodel"));
    QVERIFY(window->trainingPanel()->statusText().contains("stopped"));
}

void TrainingTest::closingDuringTrainingKeepsTheRun() {
    QTemporaryDir dir;
    const QString path = dir.filePath("long.mtl.json");
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 5000; });
    QVERIFY(window->saveAs(path));
    window->train();
    const RunPtr run = window->trainingPanel()->controller()->run();
    QVERIFY(waitFor([&] { return run->metrics.lastStep() > 10; }));
    // Closing stops the run, then asks whether to save it with the project: Save.
    MainWindow::setNonInteractive(false);
    const auto answer = answerNextMessageBox(QMessageBox::Save);
    const bool closed = window->close();
    MainWindow::setNonInteractive(true);
    QVERIFY(closed && answer->answered);
    QVERIFY2(answer->text.contains("Discard also deletes the run trained since the last save"),
             qPrintable(answer->text));
    QVERIFY(!window->trainingPanel()->isTraining());
    const core::Project onDisk = core::readProject(path.toStdString()).project;
    QCOMPARE(onDisk.runs.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(onDisk.runs[0].stopReason).contains("stopped"));
    QVERIFY(QFile::exists(dir.filePath("mtl-runs/long/run-1/model.mtlmodel")));
}

void TrainingTest::divergingRunStopsWithItsMessage() {
    auto window = demoWindow();
    setTraining(*window, [](auto& s) {
        s.optimizer.kind = core::OptimizerKind::SGD;
        s.optimizer.learningRate = 1e6f;
        s.epochs = 3;
    });
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    QVERIFY(panel->controller()->waitForFinished());
    const RunPtr run = panel->runs().back();
    QVERIFY(run->reason == core::StopReason::Diverged);
    QVERIFY2(panel->statusText().contains("diverged") && panel->statusText().contains("last good weights"),
             qPrintable(panel->statusText()));
    QCOMPARE(run->metrics.events().size(), std::size_t(1));
    QCOMPARE(panel->charts()->seriesPoints("non-finite loss").size(), 2);
    QVERIFY(run->trained != nullptr);
}

void TrainingTest::editingDuringARunDoesNotReachIt() {
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 5000; });
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    const RunPtr run = panel->controller()->run();
    QVERIFY(!panel->graphChangedShown());
    const core::ModelSpec trained = run->snapshot.model;
    window->scene()->addNode(core::NodeKind::Dense, {0, 500});
    QVERIFY(panel->graphChangedShown());
    QVERIFY(run->snapshot.model == trained);
    window->document()->undoStack()->undo();
    QVERIFY(!panel->graphChangedShown());
    // On the Design tab the charts do not redraw; shown again, they catch up at once.
    window->showDesign();
    QTest::qWait(150);
    const int hidden = panel->charts()->refreshCount();
    const long step = run->metrics.lastStep();
    QVERIFY(waitFor([&] { return run->metrics.lastStep() > step + 20; }));
    QCOMPARE(panel->charts()->refreshCount(), hidden);
    window->showTraining();
    QVERIFY(panel->charts()->refreshCount() > hidden);
    panel->stopAndWait();
}

void TrainingTest::baselinesAndDeltaM() {
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 4; });
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    QVERIFY(panel->controller()->waitForFinished());
    panel->runsPanel()->baselinesButton()->click();
    QVERIFY(waitFor([&] { return panel->runs().size() == 4 && !panel->isTraining(); }, 60000));
    QCOMPARE(panel->runs()[1]->baselineTask, std::string("task1"));
    QCOMPARE(panel->runs()[3]->name, QString("baseline task3"));
    QCOMPARE(panel->runs()[3]->model->tasks().size(), std::size_t(1));
    QTableWidget* comparison = panel->runsPanel()->comparisonTable();
    QCOMPARE(comparison->rowCount(), 3);
    QCOMPARE(comparison->item(0, 1)->text(), QString("rmse ↓"));
    // All its rows show, without scrolling.
    QVERIFY(comparison->visualItemRect(comparison->item(2, 0)).bottom() <=
            comparison->viewport()->height());
    QVERIFY2(panel->runsPanel()->deltaMText().contains("Δm ="), qPrintable(panel->runsPanel()->deltaMText()));
    // Overlay: select the multi-task run and a baseline.
    panel->runsPanel()->selectRuns({0, 1});
    QCOMPARE(panel->charts()->runs().size(), std::size_t(2));
    // Each run named in the legend, and drawn in its own line style.
    QVERIFY(!panel->charts()->seriesPoints("task1 · run 1").isEmpty());
    QVERIFY(!panel->charts()->seriesPoints("task1 · baseline task1").isEmpty());
    QVERIFY(panel->charts()->seriesPen("task1 · run 1").style() !=
            panel->charts()->seriesPen("task1 · baseline task1").style());
    // The legend names the runs (by their line style), not every task of every run, so it fits.
    window->showTraining();
    panel->views()->setCurrentIndex(0);
    QTest::qWait(50);
    QStringList shown;
    for (QLegendMarker* marker : panel->charts()->lossView()->chart()->legend()->markers())
        if (marker->isVisible())
            shown << marker->label();
    QCOMPARE(shown, QStringList({"run 1", "baseline task1"}));
}

void TrainingTest::chartControls() {
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 5; });
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    QVERIFY(panel->controller()->waitForFinished());
    ChartPanel* charts = panel->charts();
    const auto steps = charts->seriesPoints("task2");
    QVERIFY(steps.back().x() > 100);

    charts->xAxisChoice()->setCurrentIndex(1); // epochs
    QVERIFY(qAbs(charts->seriesPoints("task2").back().x() - 5.0) < 0.01);
    charts->xAxisChoice()->setCurrentIndex(2); // wall time
    QVERIFY(charts->seriesPoints("task2").back().x() < 60.0);
    charts->xAxisChoice()->setCurrentIndex(0);

    // Linear scale: the y range fits the curves once they settle, not the first steps' losses
    // (which would pin them to the axis); the log scale shows everything.
    {
        auto* y =
            qobject_cast<QValueAxis*>(charts->lossView()->chart()->axes(Qt::Vertical).front());
        QVERIFY(y != nullptr);
        double first = 0.0, settledMax = 0.0;
        for (const char* task : {"task1", "task2", "task3"}) {
            const auto points = charts->seriesPoints(task);
            first = std::max(first, points.front().y());
            for (const QPointF& p : points) {
                if (p.x() > 0.1 * points.back().x())
                    settledMax = std::max(settledMax, p.y());
            }
        }
        QVERIFY2(y->max() >= settledMax && y->max() < first,
                 qPrintable(QString("%1 %2 %3").arg(y->max()).arg(settledMax).arg(first)));
    }
    charts->logScaleBox()->setChecked(true);
    QVERIFY(qobject_cast<QLogValueAxis*>(charts->lossView()->chart()->axes(Qt::Vertical).front()) != nullptr);
    charts->logScaleBox()->setChecked(false);

    // More smoothing: a smoother curve (smaller total variation).
    const auto variation = [&] {
        const auto points = charts->seriesPoints("task1");
        double sum = 0.0;
        for (int i = 1; i < points.size(); ++i) sum += qAbs(points[i].y() - points[i - 1].y());
        return sum;
    };
    charts->smoothingSlider()->setValue(0);
    const double rough = variation();
    charts->smoothingSlider()->setValue(95);
    QVERIFY(variation() < rough / 2);

    auto* show = charts->findChild<QCheckBox*>("show task3");
    QVERIFY(show != nullptr);
    show->setChecked(false);
    QVERIFY(charts->seriesPoints("task3").isEmpty());
    show->setChecked(true);
    QVERIFY(!charts->seriesPoints("task3").isEmpty());

    charts->hoverAt(100.0);
    QVERIFY2(charts->readout().contains("step 100") && charts->readout().contains("task2"), qPrintable(charts->readout()));

    QTemporaryDir dir;
    QVERIFY(charts->exportPng(dir.filePath("chart.png")));
    QVERIFY(QFile(dir.filePath("chart.png")).size() > 1000);
    QVERIFY(charts->exportCsv(dir.filePath("metrics.csv")));
    QFile csv(dir.filePath("metrics.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readLine().startsWith("epoch,task,seconds"));
    QVERIFY(charts->drawnPoints() < 20000);
}

void TrainingTest::settingsAreUndoableEdits() {
    auto window = demoWindow();
    auto* rate = qobject_cast<QDoubleSpinBox*>(window->trainingPanel()->settings()->field("learningRate"));
    QVERIFY(rate != nullptr);
    rate->setValue(0.01);
    QCOMPARE(window->document()->project().training.optimizer.learningRate, 0.01f);
    QCOMPARE(undoText(*window), QString("Set learning rate to 0.01"));
    window->document()->undoStack()->undo();
    QCOMPARE(rate->value(), 0.001);
    auto* optimizer = qobject_cast<QComboBox*>(window->trainingPanel()->settings()->field("optimizer"));
    optimizer->setCurrentIndex(optimizer->findText("sgd"));
    emit optimizer->activated(optimizer->currentIndex());
    QCOMPARE(window->document()->project().training.optimizer.kind, core::OptimizerKind::SGD);
    // Which weights a run keeps is a setting beside early stopping, best validation epoch by
    // default.
    auto* keep =
        qobject_cast<QComboBox*>(window->trainingPanel()->settings()->field("restoreBestWeights"));
    QVERIFY(keep != nullptr);
    QCOMPARE(keep->currentText(), QString("best validation epoch"));
    keep->setCurrentIndex(1);
    emit keep->activated(1);
    QVERIFY(!window->document()->project().training.restoreBestWeights);
    QCOMPARE(undoText(*window), QString("Keep the weights of the last epoch"));
}

void TrainingTest::runsComeBackWithTheProject() {
    QTemporaryDir dir;
    const QString path = dir.filePath("kept.mtl.json");
    {
        auto window = demoWindow();
        setTraining(*window, [](auto& s) { s.epochs = 3; });
        QVERIFY(window->saveAs(path));
        window->train();
        QVERIFY(window->trainingPanel()->controller()->waitForFinished());
        // The run joins the document as a change; the file changes only on Save.
        QVERIFY(window->document()->isModified());
        QVERIFY(core::readProject(path.toStdString()).project.runs.empty());
        QVERIFY(window->save());
        QVERIFY(!window->document()->isModified());
        const core::Project onDisk = core::readProject(path.toStdString()).project;
        QCOMPARE(onDisk.runs.size(), std::size_t(1));
        QCOMPARE(onDisk.runs[0].directory,
                 std::string("mtl-runs/kept/run-1")); // relative: moves with the project
    }
    auto window = demoWindow();
    QVERIFY(window->openProject(path));
    TrainingPanel* panel = window->trainingPanel();
    QCOMPARE(panel->runs().size(), std::size_t(1));
    const RunPtr run = panel->runs().front();
    QCOMPARE(run->metrics.epochs().size(), std::size_t(3));
    QVERIFY(run->metrics.stepLoss(0).rawCount() > 10);
    QVERIFY(!panel->charts()->seriesPoints("task1").isEmpty());
    QVERIFY(panel->runsPanel()->table()->item(0, 4)->text().contains("task1 rmse"));
    // Re-open its graph in the editor, as one undoable edit.
    window->scene()->addNode(core::NodeKind::Dense, {0, 600});
    emit panel->openGraphRequested(run);
    QVERIFY(window->document()->spec() == run->snapshot.model);
    QCOMPARE(undoText(*window), QString("Open the graph of run 1"));
}

void TrainingTest::exportDialogWritesAndRefuses() {
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 2; });
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    QVERIFY(panel->controller()->waitForFinished());
    QTemporaryDir dir;
    ExportDialog dialog(panel->runs(), nullptr, dir.path());
    dialog.setFormat(ExportDialog::Format::Onnx);
    dialog.setDestination(dir.filePath("all.onnx"));
    QVERIFY2(dialog.exportNow(), qPrintable(dialog.summary()));
    QVERIFY(QFile::exists(dir.filePath("all.onnx")));
    QVERIFY2(dialog.summary().contains("Outputs: task1, task2, task3"), qPrintable(dialog.summary()));
    dialog.setTaskChecked("task1", false);
    dialog.setTaskChecked("task3", false);
    dialog.setDestination(dir.filePath("one.onnx"));
    QVERIFY(dialog.exportNow());
    QVERIFY2(dialog.summary().contains("Outputs: task2."), qPrintable(dialog.summary()));
    dialog.setTaskChecked("task2", false);
    QVERIFY(!dialog.exportNow());
    QVERIFY(dialog.summary().contains("at least one task"));
    dialog.setTaskChecked("task2", true);
    dialog.setFormat(ExportDialog::Format::PyTorch);
    dialog.setDestination(dir.filePath("torch"));
    QVERIFY2(dialog.exportNow(), qPrintable(dialog.summary()));
    QVERIFY(QFile::exists(dir.filePath("torch/model.py")));
    QVERIFY(QFile::exists(dir.filePath("torch/sample_data.npz")));

    // A diverged run is refused, with the reason.
    setTraining(*window, [](auto& s) {
        s.optimizer.kind = core::OptimizerKind::SGD;
        s.optimizer.learningRate = 1e6f;
    });
    window->train();
    QVERIFY(panel->controller()->waitForFinished());
    ExportDialog refused(panel->runs(), panel->runs().back(), dir.path());
    refused.setDestination(dir.filePath("wild.onnx"));
    QVERIFY(!refused.exportNow());
    QVERIFY2(refused.summary().contains("diverged"), qPrintable(refused.summary()));
    QVERIFY(!QFile::exists(dir.filePath("wild.onnx")));
}

void TrainingTest::brokenRunFilesAreReported() {
    QTemporaryDir dir;
    const QString path = dir.filePath("runs.mtl.json");
    {
        auto window = demoWindow();
        setTraining(*window, [](auto& s) { s.epochs = 1; });
        QVERIFY(window->saveAs(path));
        window->train();
        QVERIFY(window->trainingPanel()->controller()->waitForFinished());
        QVERIFY(window->save());
    }
    const core::RunRecord record = core::readProject(path.toStdString()).project.runs.at(0);
    const std::string projectDir = dir.path().toStdString();
    const QString runDir = dir.filePath(QString::fromStdString(record.directory));
    const auto expectError = [&](const QString& contains) {
        try {
            (void)loadRun(record, projectDir);
        } catch (const mtl::Error& e) {
            QVERIFY2(QString(e.what()).contains(contains), e.what());
            return;
        }
        QFAIL(qPrintable("loaded a broken run; expected: " + contains));
    };
    QVERIFY(loadRun(record, projectDir) != nullptr);
    const auto rewrite = [](const QString& file, const QByteArray& from, const QByteArray& to) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        QVERIFY(text.contains(from));
        text.replace(text.indexOf(from), from.size(), to);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    };
    QVERIFY(QFile::copy(runDir + "/steps.csv", runDir + "/steps.good"));
    rewrite(runDir + "/steps.csv", "\n1,", "\n1,2,");
    expectError("steps.csv:2: wrong number of fields");
    QFile::remove(runDir + "/steps.csv");
    expectError("cannot open");
    QVERIFY(QFile::rename(runDir + "/steps.good", runDir + "/steps.csv"));
    rewrite(runDir + "/metrics.csv", ",task2,", ",task9,");
    expectError("unknown task 'task9'");
    QFile::remove(runDir + "/model.mtlmodel");
    expectError("model.mtlmodel");
    // The app opens the project anyway and says which run it could not read.
    auto window = demoWindow();
    QVERIFY(window->openProject(path));
    QCOMPARE(window->trainingPanel()->runs().size(), std::size_t(0));
    QVERIFY2(window->trainingPanel()->statusText().contains("could not be read") &&
                 window->trainingPanel()->statusText().contains("run 1"),
             qPrintable(window->trainingPanel()->statusText()));
}

QTEST_MAIN(TrainingTest)
#include "training_test.moc"

void TrainingTest::balancingIsChosenTrainedChartedAndKept() {
    QTemporaryDir dir;
    const QString path = dir.filePath("balanced.mtl.json");
    auto window = demoWindow();
    setTraining(*window, [](auto& s) { s.epochs = 3; });
    TrainingPanel* panel = window->trainingPanel();
    BalancingForm* form = panel->balancingForm();
    // Choosing a method is one undoable edit; its parameters appear with their defaults.
    QComboBox* method = form->methodChoice();
    method->setCurrentIndex(method->findText("CAGrad"));
    emit method->activated(method->currentIndex());
    QCOMPARE(undoText(*window), QString("Set task balancing to CAGrad"));
    QCOMPARE(window->document()->project().training.balancing.kind, core::BalancingKind::CaGrad);
    auto* c = qobject_cast<QDoubleSpinBox*>(form->parameterField("c"));
    QVERIFY(c != nullptr);
    QCOMPARE(c->value(), 0.5);
    QVERIFY2(form->explanation().contains("one backward pass per task per step"), qPrintable(form->explanation()));
    c->setValue(0.3);
    QCOMPARE(window->document()->project().training.balancing.value("c"), 0.3);
    window->document()->undoStack()->undo();
    QCOMPARE(c->value(), 0.5);
    window->document()->undoStack()->undo();
    QCOMPARE(window->document()->project().training.balancing.kind, core::BalancingKind::Static);
    QVERIFY(form->parameterField("c") == nullptr);
    // Uncertainty weighting: trained, its weights and σ charted per task, kept with the run.
    method->setCurrentIndex(method->findText("Uncertainty weighting (UW)"));
    emit method->activated(method->currentIndex());
    QVERIFY(window->saveAs(path));
    window->show();
    window->train();
    QVERIFY(panel->controller()->waitForFinished());
    const RunPtr run = panel->runs().back();
    QCOMPARE(run->metrics.stateName(), std::string("sigma"));
    for (std::size_t t = 0; t < 3; ++t) QVERIFY(run->metrics.stepWeight(t).rawCount() > 10);
    // Weights rise as the losses fall (w = 1/(2σ²), σ learned): the last above the first.
    const auto& weights = run->metrics.stepWeight(0).points();
    QVERIFY(weights.back().y > weights.front().y);
    QVERIFY(std::abs(weights.front().y - 0.5 * std::exp(0.5)) < 1e-3); // init log σ² = −0.5
    panel->weightsChart()->refresh();
    QVERIFY(!panel->weightsChart()->points(2).isEmpty());
    panel->weightsChart()->quantityChoice()->setCurrentIndex(1);
    QVERIFY(panel->weightsChart()->points(0).back().y() < 1.0); // σ shrinks from e^(−0.25)
    QVERIFY2(panel->runsPanel()->table()->item(0, 1)->text().contains("Uncertainty weighting"),
             qPrintable(panel->runsPanel()->table()->item(0, 1)->text()));
    QFile steps(run->directory + "/steps.csv");
    QVERIFY(steps.open(QIODevice::ReadOnly));
    QVERIFY(steps.readLine().startsWith("step,seconds,total,task1,task2,task3,weight:task1,weight:task2,weight:task3,"
                                        "sigma:task1"));
    steps.close();
    // Opened again, the run brings its weights back.
    QVERIFY(window->save());
    auto again = demoWindow();
    QVERIFY(again->openProject(path));
    const RunPtr reopened = again->trainingPanel()->runs().front();
    QCOMPARE(reopened->metrics.stateName(), std::string("sigma"));
    QVERIFY(reopened->metrics.stepWeight(1).rawCount() > 10);
    QCOMPARE(again->document()->project().training.balancing.kind, core::BalancingKind::Uncertainty);
    // Help lists every method with its paper.
    const QString help = balancingHelpHtml();
    QVERIFY(help.contains("Nash-MTL") && help.contains("ICML 2022") && help.contains("<code>max_norm</code> = 1"));
}

// A soft layer with learned relationships and a cross-stitch unit: after training, the view shows
// Ω's correlations and the unit's mixing as the run holds them.
void TrainingTest::learnedRelationsAndCrossStitchShown() {
    auto window = demoWindow();
    core::ModelSpec spec = window->document()->spec();
    core::NodeSpec* shared = spec.find("shared2");
    shared->sharing = core::SharingMode::Soft;
    shared->couplingStrength = 1e-3f;
    shared->coupling = core::Coupling::Relationship;
    shared->crossStitch = true;
    window->document()->editSpec("MTRL and cross-stitch", spec);
    setTraining(*window, [](auto& s) { s.epochs = 2; });
    window->show();
    TrainingPanel* panel = window->trainingPanel();
    RelationsView* view = panel->relationsView();
    panel->views()->setCurrentWidget(view);
    window->train();
    QVERIFY(panel->controller()->waitForFinished());
    const RunPtr run = panel->runs().back();
    QCOMPARE(run->covariances.size(), std::size_t(1));
    view->showRelation(RelationsView::Relation::Learned);
    QCOMPARE(view->matrix().size(), std::size_t(9));
    for (int t = 0; t < 3; ++t)
        QVERIFY(std::abs(view->matrix()[std::size_t(4 * t)] - 1.0) < 1e-9);
    QVERIFY(std::abs(view->matrix()[1] - view->matrix()[3]) < 1e-9); // symmetric
    view->showRelation(RelationsView::Relation::Stitch);
    QCOMPARE(view->matrix().size(), std::size_t(9));
    const core::CrossStitchUnit& unit = run->model->crossStitches().front();
    for (core::Index i = 0; i < 9; ++i)
        QCOMPARE(float(view->matrix()[std::size_t(i)]),
                 run->trained->parameters[unit.parameterOffset + i]);
}

void TrainingTest::taskRelationsLiveGroupedAndKept() {
    QTemporaryDir dir;
    const QString path = dir.filePath("relations.mtl.json");
    auto window = demoWindow();
    setTraining(*window, [](auto& s) {
        s.epochs = 3;
        s.relationsEvery = 5;
    });
    QVERIFY(window->saveAs(path));
    window->show();
    TrainingPanel* panel = window->trainingPanel();
    RelationsView* view = panel->relationsView();
    panel->views()->setCurrentWidget(view);
    window->train();
    // The matrix appears during the run.
    QVERIFY(waitFor([&] { return view->matrix().size() == 9 || !panel->isTraining(); }));
    QVERIFY(view->matrix().size() == 9);
    QVERIFY(panel->controller()->waitForFinished());
    const RunPtr run = panel->runs().back();
    QCOMPARE(run->relations.size(), std::size_t(run->metrics.lastStep() / 5));
    view->refresh();
    QCOMPARE(view->matrix()[1], view->matrix()[3]); // symmetric
    QVERIFY(std::abs(view->matrix()[1]) <= 1.0);
    // Each shared layer has its own numbers.
    QCOMPARE(view->layerChoice()->count(), 3); // all shared layers, shared1, shared2
    const std::vector<double> all = view->matrix();
    view->layerChoice()->setCurrentIndex(1);
    QVERIFY(view->matrix() != all);
    view->layerChoice()->setCurrentIndex(0);
    // A step's own (smoothed) matrix differs from the mean over the run.
    view->meanChoice()->setChecked(false);
    view->timeSlider()->setValue(0);
    QVERIFY(view->matrix() != all);
    view->meanChoice()->setChecked(true);
    // Each pair's cosine over training: three pairs, a point per record.
    auto* pairs = view->findChild<QChartView*>();
    QVERIFY(pairs != nullptr);
    QCOMPARE(pairs->chart()->series().size(), 3);
    auto* first = qobject_cast<QLineSeries*>(pairs->chart()->series().front());
    QVERIFY(first != nullptr);
    QCOMPARE(first->count(), qsizetype(run->relations.size()));
    QCOMPARE(first->name(), QString("task1–task2"));
    // Exported with the charts: the matrix as CSV, the view as PNG.
    QVERIFY(view->exportCsv(dir.filePath("relations-matrix.csv")));
    QFile matrixFile(dir.filePath("relations-matrix.csv"));
    QVERIFY(matrixFile.open(QIODevice::ReadOnly));
    QVERIFY(matrixFile.readLine().contains("task1,task2,task3"));
    QVERIFY(view->exportPng(dir.filePath("relations.png")));
    QVERIFY(QImage(dir.filePath("relations.png")).width() > 100);
    QVERIFY(panel->charts()->findChild<QPushButton*>("exportCharts") != nullptr);
    // The suggested grouping into two groups builds a valid network whose branches are the groups.
    view->groupCount()->setValue(2);
    const auto groups = view->grouping();
    QCOMPARE(groups.size(), std::size_t(2));
    const core::ModelSpec before = window->document()->spec();
    QVERIFY(view->createButton()->isEnabled());
    view->createButton()->click();
    QVERIFY2(undoText(*window).startsWith("Create network from grouping"), qPrintable(undoText(*window)));
    QCOMPARE(errorCount(*window->document()), 0);
    const core::GraphIndex g = core::indexGraph(window->document()->spec());
    const std::vector<std::string>& pair = groups.front().size() == 2 ? groups.front() : groups.back();
    const int group = g.byId.at("group1");
    QCOMPARE(std::popcount(g.tasksBelow[std::size_t(group)]), 2);
    const auto names = window->document()->taskNames();
    for (const std::string& task : pair) {
        const int t = int(std::find(names.begin(), names.end(), task) - names.begin());
        QVERIFY((g.tasksBelow[std::size_t(group)] >> t & 1U) != 0);
    }
    window->document()->undoStack()->undo();
    QVERIFY(window->document()->spec() == before);
    // Affinity of the trained model, on a worker thread.
    view->measureAffinity(4);
    QVERIFY(waitFor([&] { return !view->affinityRunning() && run->affinityBatches == 4; }));
    QCOMPARE(run->affinity.size(), std::size_t(9));
    QVERIFY(std::isfinite(run->affinity[1]));
    QCOMPARE(view->matrix(), run->affinity);
    // The relations come back with the project.
    QVERIFY(window->save());
    auto again = demoWindow();
    QVERIFY(again->openProject(path));
    QCOMPARE(again->trainingPanel()->runs().front()->relations.size(), run->relations.size());
}
