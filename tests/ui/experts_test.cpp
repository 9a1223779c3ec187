// Mixtures of experts in the app, driven as a user drives it: an MMoE built in the editor (the
// gate dropped from the palette, experts connected into it one by one, the inspector's account
// of it, undo), then trained with the expert-use chart following every epoch; and the bundled
// MMoE example's chart while it trains.
#include "ui_test_support.h"

#include "canvas/edge_item.h"
#include "canvas/node_item.h"
#include "panels/inspector_panel.h"
#include "training/expert_use_chart.h"
#include "training/training_controller.h"
#include "training/training_panel.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QMimeData>
#include <QTemporaryDir>
#include <QUndoStack>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

namespace {

void setEpochs(MainWindow& window, int epochs) {
    core::Project project = window.document()->project();
    project.training.epochs = epochs;
    window.document()->edit("test settings", project);
}

// Each task's bar sums to 1 (a gate's weights are a softmax) and has one part per expert.
void checkBars(const ExpertUseChart& chart, int experts) {
    const auto bars = chart.shownWeights();
    QVERIFY(!bars.empty());
    for (const auto& bar : bars) {
        QCOMPARE(int(bar.size()), experts);
        double sum = 0.0;
        for (double w : bar) {
            QVERIFY(w > 0.0 && w < 1.0);
            sum += w;
        }
        QVERIFY2(std::abs(sum - 1.0) < 1e-6, qPrintable(QString::number(sum)));
    }
}

} // namespace

class ExpertsTest : public QObject {
    Q_OBJECT
private slots:
    void buildAnMmoeInTheEditorAndTrainIt();
    void theExampleShowsExpertUseLive();
};

void ExpertsTest::buildAnMmoeInTheEditorAndTrainIt() {
    auto window = demoWindow();
    GraphScene* scene = window->scene();
    GraphView* view = window->view();
    // The gate from the palette, dropped on the canvas.
    QMimeData mime;
    mime.setData(kNodeKindMime, "expert_gate");
    const QPoint at = view->viewport()->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(view->viewport(), &enter);
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(view->viewport(), &drop);
    const QString gate = "expert_gate1";
    QVERIFY(scene->nodeItem(gate) != nullptr);
    QCOMPARE(undoText(*window), QString("Add Expert gate"));
    QVERIFY(scene->nodeItem(gate)->toolTip().contains("Connect the last layer of each expert"));

    // Two experts beside the trunk, both from the input, connected into the gate one by one:
    // the second keeps the first (a gate takes every expert connected into it).
    QStringList experts;
    for (int e = 0; e < 2; ++e) {
        const QString dense = scene->addNode(core::NodeKind::Dense, {200.0 + 150 * e, 500});
        QVERIFY(scene->connectNodes("input", dense));
        const QString act = scene->addNode(core::NodeKind::ReLU, {200.0 + 150 * e, 600});
        QVERIFY(scene->connectNodes(dense, act));
        QVERIFY(scene->connectNodes(act, gate));
        experts << act;
    }
    QVERIFY(scene->edgeItem(experts[0], gate) != nullptr);
    QVERIFY(scene->edgeItem(experts[1], gate) != nullptr);
    QCOMPARE(undoText(*window), QString("Connect %1 → %2").arg(experts[1], gate));
    QVERIFY(waitFor([&] { return scene->nodeItem(gate)->toolTip().contains("2 experts"); }));
    // The input itself is no expert.
    QVERIFY(!scene->connectNodes("input", gate));

    // The heads read the gate instead of the trunk.
    for (const char* head : {"task1_hidden1", "task2_hidden1", "task3_hidden1"})
        QVERIFY(scene->connectNodes(gate, head));
    QVERIFY(waitFor([&] { return errorCount(*window->document()) == 0; }));
    QVERIFY(window->trainAction()->isEnabled());

    // The inspector: no fields to set, and what the gate is made of.
    window->inspector()->showNode(gate);
    QVERIFY(window->inspector()->field("sharing") == nullptr);
    auto* account = window->inspector()->findChild<QLabel*>("inspectorTasks");
    QVERIFY(account);
    QVERIFY2(account->text().contains("3 gates, one per task, over 2 experts"),
             qPrintable(account->text()));

    // Undo takes back one connection at a time: the first expert stays.
    QUndoStack* undo = window->document()->undoStack();
    for (int i = 0; i < 3; ++i)
        undo->undo(); // the three heads
    undo->undo();
    QVERIFY(scene->edgeItem(experts[1], gate) == nullptr);
    QVERIFY(scene->edgeItem(experts[0], gate) != nullptr);
    for (int i = 0; i < 4; ++i)
        undo->redo();
    QVERIFY(scene->edgeItem(experts[1], gate) != nullptr);
    QVERIFY(waitFor([&] { return errorCount(*window->document()) == 0; }));

    // Trained: the chart shows each task's use of the two experts.
    QTemporaryDir dir;
    QVERIFY(window->saveAs(dir.filePath("mmoe.mtl.json")));
    setEpochs(*window, 3);
    window->train();
    TrainingPanel* panel = window->trainingPanel();
    QVERIFY(panel->controller()->waitForFinished());
    ExpertUseChart* chart = panel->expertUseChart();
    QVERIFY(chart->isVisibleTo(panel));
    QCOMPARE(chart->shownTasks(), (QStringList{"task1", "task2", "task3"}));
    QCOMPARE(chart->shownExperts(), experts);
    checkBars(*chart, 2);
}

void ExpertsTest::theExampleShowsExpertUseLive() {
    QTemporaryDir dir;
    for (const char* file : {"houses-mmoe.mtl.json", "houses.csv"})
        QVERIFY(QFile::copy(QStringLiteral(MTL_EXAMPLES_DIR "/") + file, dir.filePath(file)));
    auto window = demoWindow();
    TrainingPanel* panel = window->trainingPanel();
    // The demo has no gates: no chart.
    window->train();
    QVERIFY(panel->controller()->waitForFinished());
    QVERIFY(!panel->expertUseChart()->isVisibleTo(panel));

    QVERIFY(window->openProject(dir.filePath("houses-mmoe.mtl.json")));
    QVERIFY(window->document()->waitForDataset());
    setEpochs(*window, 5000);
    window->train();
    const RunPtr run = panel->controller()->run();
    ExpertUseChart* chart = panel->expertUseChart();
    QVERIFY(chart->isVisibleTo(panel));
    QVERIFY(!chart->gateChoice()->isVisibleTo(chart)); // one gate: nothing to choose
    // Live: the bars follow the epochs while the run goes on.
    QVERIFY(waitFor([&] { return run->metrics.epochs().size() >= 2; }));
    QVERIFY(waitFor([&] { return !chart->shownWeights().empty(); }));
    const auto first = chart->shownWeights();
    QVERIFY(waitFor([&] { return chart->shownWeights() != first; }));
    QVERIFY(panel->isTraining());
    panel->controller()->stop();
    QVERIFY(panel->controller()->waitForFinished());
    QCOMPARE(chart->shownTasks(), (QStringList{"price", "energy"}));
    QCOMPARE(chart->shownExperts(), (QStringList{"expert1_act", "expert2_act", "expert3_act"}));
    checkBars(*chart, 3);
}

QTEST_MAIN(ExpertsTest)
#include "experts_test.moc"
