// The app explains itself: the network analysis table, the confusion matrix of a classification
// run, the user guide, the keyboard-shortcut list and the nodes' tooltips.
#include "ui_test_support.h"

#include "canvas/node_item.h"
#include "dialogs/analysis_dialog.h"
#include "dialogs/user_guide_dialog.h"
#include "document/node_text.h"
#include "runs/delta_m.h"
#include "training/confusion_view.h"
#include "training/training_controller.h"
#include "training/training_panel.h"

#include <QComboBox>
#include <QFile>
#include <QListWidget>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

namespace {

int rowOfLayer(const QTableWidget* table, const QString& id) {
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, AnalysisDialog::Layer) &&
            table->item(r, AnalysisDialog::Layer)->text() == id)
            return r;
    return -1;
}

void trainEpochs(MainWindow& window, int epochs) {
    core::Project project = window.document()->project();
    project.training.epochs = epochs;
    window.document()->edit("test settings", project);
    window.train();
    QVERIFY(window.trainingPanel()->controller()->waitForFinished());
    QTest::qWait(50);
}

} // namespace

class InsightTest : public QObject {
    Q_OBJECT
private slots:
    void analysisTableFollowsTheNetwork();
    void confusionMatrixOfAClassificationRun();
    void userGuideRendersTheReadme();
    void shortcutsListTheMenus();
    void nodeTooltipsSayWhatALayerDoes();
};

void InsightTest::analysisTableFollowsTheNetwork() {
    auto window = demoWindow();
    AnalysisDialog* dialog = window->showAnalysis();
    QTableWidget* table = dialog->table();
    const auto& spec = window->document()->spec();
    const auto& analysis = window->document()->analysis();
    QCOMPARE(table->rowCount(), int(spec.nodes.size()) + 1); // and the totals
    // The input comes first (data order), the totals last.
    QCOMPARE(table->item(0, AnalysisDialog::Type)->text(), QString("Input"));
    QCOMPARE(table->item(table->rowCount() - 1, AnalysisDialog::Layer)->text(), QString("Total"));
    QCOMPARE(table->item(table->rowCount() - 1, AnalysisDialog::Parameters)->text(),
             countText(double(analysis.totalParameters)));
    const int shared = rowOfLayer(table, "shared1");
    QVERIFY(shared >= 0);
    const int index = window->document()->graph().byId.at("shared1");
    QCOMPARE(table->item(shared, AnalysisDialog::Output)->text(),
             QString::fromStdString(analysis.outputShapes[std::size_t(index)]->toString()));
    QCOMPARE(table->item(shared, AnalysisDialog::Parameters)->text(),
             countText(double(analysis.parameterCounts[std::size_t(index)])));
    QCOMPARE(table->item(shared, AnalysisDialog::Flops)->text(),
             countText(analysis.flopsPerNode[std::size_t(index)]));
    QCOMPARE(table->item(shared, AnalysisDialog::Tasks)->text(), QString("all (3)"));
    QCOMPARE(table->item(shared, AnalysisDialog::Sharing)->text(),
             QString("hard: one set for 3 tasks"));
    // A layer of one task's branch.
    bool taskSpecific = false;
    for (int r = 0; r < table->rowCount(); ++r)
        taskSpecific =
            taskSpecific || (table->item(r, AnalysisDialog::Sharing) &&
                             table->item(r, AnalysisDialog::Sharing)->text() == "task-specific");
    QVERIFY(taskSpecific);
    // It follows an edit: soft sharing doubles nothing in the table's rows but changes the sharing
    // and the count.
    core::ModelSpec soft = spec;
    soft.find("shared1")->sharing = core::SharingMode::Soft;
    soft.find("shared1")->couplingStrength = 0.01f;
    window->document()->editSpec("soft", soft);
    QCOMPARE(table->item(rowOfLayer(table, "shared1"), AnalysisDialog::Sharing)->text(),
             QString("soft: 3 copies, λ 0.01"));
    QVERIFY(dialog->summaryText().contains("3 tasks"));
    // Double-click selects the layer on the canvas.
    emit table->cellDoubleClicked(rowOfLayer(table, "shared2"), 0);
    QVERIFY(window->scene()->nodeItem("shared2")->isSelected());
    // Asking again raises the same window.
    QCOMPARE(window->showAnalysis(), dialog);
    QVERIFY(dialog->tabSeparated().startsWith("Layer\tType\tOutput"));
}

void InsightTest::confusionMatrixOfAClassificationRun() {
    auto window = demoWindow();
    // A regression run has none, and says why.
    trainEpochs(*window, 2);
    TrainingPanel* panel = window->trainingPanel();
    ConfusionView* view = panel->confusionView();
    panel->views()->setCurrentWidget(view);
    QVERIFY(view->summaryText().contains("no classification task"));
    QCOMPARE(view->matrixTable()->rowCount(), 0);

    window->useBuiltInDataset(BuiltInDataset::SyntheticClassification, true);
    QVERIFY(window->document()->waitForDataset());
    trainEpochs(*window, 4);
    const RunPtr run = panel->runs().back();
    panel->views()->setCurrentWidget(view);
    QVERIFY(!view->matrices().empty());
    QCOMPARE(view->taskChoice()->count(), int(run->model->tasks().size()));
    const core::ConfusionMatrix& m = view->matrices().front();
    QTableWidget* matrix = view->matrixTable();
    QCOMPARE(matrix->rowCount(), int(m.classes()));
    QCOMPARE(matrix->columnCount(), int(m.classes()));
    // The counts are the validation rows, and the accuracy is the run's own.
    const auto& s = run->snapshot.training;
    const auto validationRows = core::Index(
        std::round(double(window->document()->dataset()->rows()) * s.validationFraction));
    core::Index sum = 0;
    for (int r = 0; r < matrix->rowCount(); ++r)
        for (int c = 0; c < matrix->columnCount(); ++c)
            sum += matrix->item(r, c)->text().toLongLong();
    QVERIFY2(std::abs(sum - validationRows) <= 1,
             qPrintable(QString("%1 vs %2").arg(sum).arg(validationRows)));
    const auto accuracy =
        keptMetric(*run, run->model->tasks().front().name, core::MetricKind::Accuracy);
    QVERIFY(accuracy.has_value());
    QVERIFY2(view->summaryText().contains(QString::number(*accuracy, 'f', 3)),
             qPrintable(view->summaryText() + " " + QString::number(*accuracy)));
    // Per class: precision, recall, F1, support; supports add up to the rows.
    QCOMPARE(view->classTable()->rowCount(), int(m.classes()));
    core::Index support = 0;
    for (int r = 0; r < view->classTable()->rowCount(); ++r)
        support += view->classTable()->item(r, 4)->text().toLongLong();
    QCOMPARE(support, sum);
    // Shares of the true class: each row adds up to 100 %.
    view->displayChoice()->setCurrentIndex(1);
    double row = 0.0;
    for (int c = 0; c < matrix->columnCount(); ++c)
        row += matrix->item(0, c)->text().remove(" %").toDouble();
    QVERIFY2(std::abs(row - 100.0) < 0.5, qPrintable(QString::number(row)));
    // Another task.
    view->taskChoice()->setCurrentIndex(1);
    QVERIFY(view->summaryText().contains("accuracy"));
}

void InsightTest::userGuideRendersTheReadme() {
    auto window = demoWindow();
    UserGuideDialog* guide = window->showUserGuide();
    const QString text = guide->browser()->toPlainText();
    QVERIFY(text.contains("MTL Workbench"));
    QVERIFY(!text.contains("## ")); // rendered, not the markdown source
    QStringList sections;
    for (int i = 0; i < guide->sections()->count(); ++i)
        sections << guide->sections()->item(i)->text().trimmed();
    QVERIFY2(sections.contains("The desktop app"), qPrintable(sections.join(" | ")));
    QVERIFY(sections.contains("The command line"));
    QVERIFY(guide->showSection("The command line"));
    QVERIFY(guide->browser()->textCursor().block().text().contains("The command line"));
    QVERIFY(guide->find("Δm"));
    // A click in the section list goes to that very heading.
    for (int i = 0; i < guide->sections()->count(); ++i) {
        QListWidgetItem* item = guide->sections()->item(i);
        emit guide->sections()->itemClicked(item);
        QCOMPARE(guide->browser()->textCursor().block().text().trimmed(), item->text().trimmed());
    }
    // The screenshots it shows are bundled.
    QVERIFY(!guide->browser()
                 ->loadResource(QTextDocument::ImageResource,
                                QUrl("docs/screens/1920x1080-demo-fit.png"))
                 .isNull());
    // Every picture the README shows is bundled (a screenshot added to the README but not to
    // the guide's resources would be a broken image in the app).
    QFile readme(":/guide/README.md");
    QVERIFY(readme.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(readme.readAll());
    static const QRegularExpression picture(R"(!\[[^\]]*\]\(([^)\s]+)\))");
    int pictures = 0;
    for (auto it = picture.globalMatch(markdown); it.hasNext(); ++pictures) {
        const QString path = it.next().captured(1);
        QVERIFY2(!guide->browser()->loadResource(QTextDocument::ImageResource, QUrl(path)).isNull(),
                 qPrintable(path));
    }
    QVERIFY(pictures >= 3);
    guide->browser()->setSource(QUrl("docs/results-multifashion.md"));
    QVERIFY(guide->browser()->toPlainText().contains("nash_mtl"));
    QVERIFY(
        !guide->browser()
             ->loadResource(QTextDocument::ImageResource, QUrl("results-multifashion-scatter.png"))
             .isNull());
    guide->browser()->backward();
    // Its links lead to the bundled documents.
    guide->browser()->setSource(QUrl("docs/balancing.md"));
    QVERIFY(guide->browser()->toPlainText().contains("PCGrad"));
    QVERIFY(!guide->browser()
                 ->loadResource(QTextDocument::ImageResource, QUrl("balancing-toy.png"))
                 .isNull());
    QVERIFY(guide->sections()->count() > 2);
    guide->browser()->backward();
    QVERIFY(guide->browser()->toPlainText().contains("The desktop app"));
}

void InsightTest::shortcutsListTheMenus() {
    auto window = demoWindow();
    const auto list = window->shortcutList();
    const auto has = [&](const QString& what, const QString& keys) {
        return std::any_of(list.begin(), list.end(),
                           [&](const auto& p) { return p.first == what && p.second == keys; });
    };
    QVERIFY(has("Model → Train", "Ctrl+T"));
    QVERIFY(has("View → Fit to view", "Ctrl+0"));
    QVERIFY(has("Help → User guide", "F1"));
    QVERIFY(has("Model → Analyze network", "Ctrl+I"));
    for (const auto& [what, keys] : list)
        QVERIFY2(!keys.isEmpty(), qPrintable(what));
    QDialog* dialog = window->showShortcuts();
    auto* table = dialog->findChild<QTableWidget*>();
    QCOMPARE(table->rowCount(), int(list.size()));
}

void InsightTest::nodeTooltipsSayWhatALayerDoes() {
    auto window = demoWindow();
    const QString dense = window->scene()->nodeItem("shared1")->toolTip();
    QVERIFY2(dense.contains("W·x + b"), qPrintable(dense));
    QVERIFY2(dense.contains("Input: 20 → output: 64"), qPrintable(dense));
    QVERIFY(dense.contains("Parameters: 1,344"));
    QVERIFY(dense.contains("hard sharing"));
    const QString input = window->scene()->nodeItem("input")->toolTip();
    QVERIFY2(input.contains("Output: 20"), qPrintable(input));
}

QTEST_MAIN(InsightTest)
#include "insight_test.moc"
