// Files through the app: save and open round trip, title and unsaved state, closing asks,
// autosave recovery, CSV import, built-in datasets and templates.
#include "ui_test_support.h"

#include "dialogs/csv_import_dialog.h"
#include "dialogs/new_project_dialog.h"
#include "document/project_templates.h"
#include "panels/tasks_panel.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

namespace {

QString example(const char* name) { return QStringLiteral(MTL_EXAMPLES_DIR "/") + name; }

// Clicks `button` of the next message box that opens.
void answerNextMessageBox(QMessageBox::StandardButton button) {
    QTimer::singleShot(50, [button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box != nullptr) box->button(button)->click();
    });
}

} // namespace

class FilesTest : public QObject {
    Q_OBJECT
private slots:
    void init() { QFile::remove(MainWindow::recoveryPath()); }
    void saveThenOpenGivesTheSameProject();
    void titleShowsNameAndUnsavedState();
    void brokenProjectFileGivesAClearMessageAndKeepsTheDocument();
    void closingWithUnsavedChangesAsks();
    void autosaveIsOfferedAfterACrash();
    void importCsvCreatesTasksAndAValidNetwork();
    void importCsvReportsABadFile();
    void builtInDatasetWithItsTemplate();
    void templates();
    void csvPathSurvivesSaveAsAndUndo();
};

void FilesTest::saveThenOpenGivesTheSameProject() {
    auto window = demoWindow();
    window->scene()->addNode(core::NodeKind::LayerNorm, {100, 400});
    QTemporaryDir dir;
    const QString path = dir.filePath("mine.mtl.json");
    QVERIFY(window->saveAs(path));
    QVERIFY(!window->document()->isModified());
    const core::Project saved = window->document()->project();

    auto other = demoWindow();
    QVERIFY(other->openProject(path));
    QVERIFY(other->document()->project() == saved);
    QCOMPARE(other->document()->filePath(), path);
    QCOMPARE(other->scene()->nodeCount(), int(saved.model.nodes.size()));
    // Saving what was opened writes the same bytes.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray first = file.readAll();
    file.close();
    QVERIFY(other->save());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), first);
}

void FilesTest::titleShowsNameAndUnsavedState() {
    auto window = demoWindow();
    QCOMPARE(window->windowTitle(), QString("Synthetic related tasks — hard sharing[*] — MTL Workbench"));
    QVERIFY(!window->isWindowModified());
    window->scene()->addNode(core::NodeKind::ReLU, {0, 400});
    QVERIFY(window->isWindowModified());
    window->document()->undoStack()->undo();
    QVERIFY(!window->isWindowModified());
}

void FilesTest::brokenProjectFileGivesAClearMessageAndKeepsTheDocument() {
    auto window = demoWindow();
    const core::Project before = window->document()->project();
    QTemporaryDir dir;
    QFile broken(dir.filePath("broken.mtl.json"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"format_version\": 1, \"model\": {\"nodes\": [}");
    broken.close();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("Cannot open the project: .*broken.mtl.json:1:43: not valid JSON"));
    QVERIFY(!window->openProject(broken.fileName()));
    QVERIFY(window->document()->project() == before);
}

void FilesTest::closingWithUnsavedChangesAsks() {
    auto window = demoWindow();
    MainWindow::setNonInteractive(false);
    window->scene()->addNode(core::NodeKind::Tanh, {0, 400});
    answerNextMessageBox(QMessageBox::Cancel);
    QVERIFY(!window->close());
    QVERIFY(window->isVisible());
    QVERIFY(window->document()->isModified());
    answerNextMessageBox(QMessageBox::Discard);
    QVERIFY(window->close());
    MainWindow::setNonInteractive(true);
}

void FilesTest::autosaveIsOfferedAfterACrash() {
    QTemporaryDir dir;
    const QString path = dir.filePath("work.mtl.json");
    core::Project edited;
    {
        auto window = demoWindow();
        QVERIFY(window->saveAs(path));
        window->scene()->addNode(core::NodeKind::Sigmoid, {0, 400});
        window->writeRecovery();
        edited = window->document()->project();
        QVERIFY(QFile::exists(MainWindow::recoveryPath()));
        window.release(); // a crash: no close event, the recovery file stays behind
    }
    QStandardPaths::setTestModeEnabled(true);
    MainWindow restored;
    QVERIFY(restored.offerRecovery());
    QVERIFY(restored.document()->project() == edited);
    QCOMPARE(restored.document()->filePath(), path);
    QVERIFY(restored.document()->isModified());
    QVERIFY(restored.save());
    QVERIFY(!QFile::exists(MainWindow::recoveryPath()));
    QVERIFY(core::readProject(path.toStdString()).project == edited);
}

void FilesTest::importCsvCreatesTasksAndAValidNetwork() {
    auto window = demoWindow();
    CsvImportDialog dialog;
    QVERIFY(dialog.openFile(example("houses.csv")));
    QVERIFY(dialog.previewTable()->rowCount() > 0);
    QCOMPARE(dialog.previewTable()->horizontalHeaderItem(1)->text(), QString("address"));
    // The last column is proposed as the target; add a numeric one:
    // a regression task and a classification task.
    QCOMPARE(dialog.roleBox("energy_class")->currentIndex(), 1);
    // Identifiers (a value per row) are proposed as ignored.
    QCOMPARE(dialog.roleBox("id")->currentIndex(), 2);
    QCOMPARE(dialog.roleBox("address")->currentIndex(), 2);
    QCOMPARE(dialog.roleBox("city")->currentIndex(), 0);
    dialog.roleBox("price_keur")->setCurrentIndex(1);
    QVERIFY(dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
    window->applyCsvImport(dialog);
    QCOMPARE(window->document()->undoStack()->undoText(), QString("Import CSV houses.csv"));
    QCOMPARE(window->document()->project().dataset.kind, core::DatasetKind::Csv);
    QVERIFY(window->document()->waitForDataset());
    const auto tasks = window->document()->taskNames();
    QCOMPARE(tasks.size(), std::size_t(2));
    QCOMPARE(window->tasksPanel()->table()->item(0, 1)->text(), QString("MSE"));
    QCOMPARE(window->tasksPanel()->table()->item(1, 1)->text(), QString("Cross-entropy"));
    QCOMPARE(errorCount(*window->document()), 0);
    QVERIFY(window->trainAction()->isEnabled());
    // Undo brings back the demo and its dataset.
    window->document()->undoStack()->undo();
    QCOMPARE(window->document()->project().dataset.kind, core::DatasetKind::Synthetic);
}

void FilesTest::importCsvReportsABadFile() {
    {
        // Closing the dialog while its path field has the focus must not read the dead dialog.
        auto window = demoWindow();
        auto* shown = new CsvImportDialog(window.get());
        shown->openFile(example("houses.csv"));
        shown->show();
        QApplication::setActiveWindow(shown);
        shown->findChild<QLineEdit*>()->setFocus();
        shown->findChild<QLineEdit*>()->setText("edited but not confirmed.csv");
        QApplication::processEvents();
        delete shown;
    }
    QTemporaryDir dir;
    QFile bad(dir.filePath("bad.csv"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("a,b,c\n1,2,3\n4,\"5,6\n");
    bad.close();
    CsvImportDialog dialog;
    QVERIFY(!dialog.openFile(bad.fileName()));
    QVERIFY2(dialog.errorText().contains("bad.csv"), qPrintable(dialog.errorText()));
    QVERIFY(!dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(!dialog.openFile(dir.filePath("missing.csv")));
    QVERIFY2(dialog.errorText().contains("missing.csv"), qPrintable(dialog.errorText()));
}

void FilesTest::builtInDatasetWithItsTemplate() {
    auto window = demoWindow();
    window->useBuiltInDataset(BuiltInDataset::SyntheticClassification, true);
    QVERIFY(window->document()->waitForDataset());
    QCOMPARE(errorCount(*window->document()), 0);
    for (const auto& node : window->document()->spec().nodes) {
        if (node.kind == core::NodeKind::TaskHead) QCOMPARE(node.task.loss, core::LossKind::SoftmaxCrossEntropy);
    }
    // Keeping the regression network on classification data: the tool says what is wrong.
    window->document()->undoStack()->undo();
    window->useBuiltInDataset(BuiltInDataset::SyntheticClassification, false);
    QVERIFY(window->document()->waitForDataset());
    QVERIFY(errorCount(*window->document()) > 0);
    QVERIFY(!window->trainAction()->isEnabled());
}

void FilesTest::templates() {
    const core::DatasetSource source = builtInSource(BuiltInDataset::Synthetic);
    NewProjectDialog dialog(source, QDir::tempPath());
    QCOMPARE(dialog.taskChoice()->count(), 3);
    dialog.setTemplate(NetworkTemplate::SoftTowers);
    core::Project soft = dialog.project();
    const auto softShared = std::count_if(soft.model.nodes.begin(), soft.model.nodes.end(), [](const core::NodeSpec& n) {
        return n.kind == core::NodeKind::Dense && n.sharing == core::SharingMode::Soft;
    });
    QVERIFY(softShared >= 2);
    dialog.taskChoice()->setCurrentIndex(1);
    dialog.setTemplate(NetworkTemplate::SingleTask);
    core::Project single = dialog.project();
    const auto heads = std::count_if(single.model.nodes.begin(), single.model.nodes.end(),
                                     [](const core::NodeSpec& n) { return n.kind == core::NodeKind::TaskHead; });
    QCOMPARE(heads, 1);
    for (const core::Project& project : {soft, single}) {
        const auto data = core::loadDataset(project.dataset);
        QVERIFY(!core::hasErrors(core::validate(project.model, data.schema)));
    }
}

void FilesTest::csvPathSurvivesSaveAsAndUndo() {
    auto window = demoWindow();
    QVERIFY(window->openProject(example("houses.mtl.json")));
    QVERIFY(window->document()->waitForDataset());
    window->scene()->addNode(core::NodeKind::Dropout, {0, 600});
    // Saved elsewhere: the file refers to the CSV by an absolute path; beside it, by a relative one.
    QTemporaryDir dir;
    QVERIFY(window->saveAs(dir.filePath("moved.mtl.json")));
    const std::string stored = core::readProject(dir.filePath("moved.mtl.json").toStdString()).project.dataset.csv.path;
    QVERIFY2(QDir::isAbsolutePath(QString::fromStdString(stored)), stored.c_str());
    // Undoing after Save As keeps a dataset that loads.
    window->document()->undoStack()->undo();
    QVERIFY(window->document()->waitForDataset());
    QCOMPARE(errorCount(*window->document()), 0);

    // A project beside its CSV keeps the relative path: opened and saved, the same bytes.
    QTemporaryDir copy;
    QVERIFY(QFile::copy(example("houses.csv"), copy.filePath("houses.csv")));
    QVERIFY(QFile::copy(example("houses.mtl.json"), copy.filePath("houses.mtl.json")));
    auto other = demoWindow();
    QVERIFY(other->openProject(copy.filePath("houses.mtl.json")));
    QVERIFY(QDir::isAbsolutePath(QString::fromStdString(other->document()->project().dataset.csv.path)));
    other->scene()->addNode(core::NodeKind::Tanh, {0, 600});
    other->document()->undoStack()->undo();
    QVERIFY(other->saveAs(copy.filePath("houses.mtl.json")));
    QFile original(example("houses.mtl.json"));
    QFile saved(copy.filePath("houses.mtl.json"));
    QVERIFY(original.open(QIODevice::ReadOnly) && saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), original.readAll());
}

QTEST_MAIN(FilesTest)
#include "files_test.moc"
