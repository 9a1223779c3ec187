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
    void importCsvReadsColumnsAsPeopleHaveThem();
    void returnInTheFileFieldOpensTheFileWithoutAccepting();
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

namespace {

// A table as people have them: a name per row, dates, one stray text value in a numeric column.
QString writeMessyCsv(const QTemporaryDir& dir) {
    QFile file(dir.filePath("messy.csv"));
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write("name,day,x,y\n");
    for (int i = 0; i < 60; ++i) {
        const QString x = i == 7 ? QStringLiteral("abc") : QString::number(i % 9);
        file.write(QStringLiteral("item %1,2015/%2/%3,%4,%5\n").arg(i).arg(1 + i % 12).arg(1 + i % 28).arg(x).arg(i % 5).toUtf8());
    }
    return file.fileName();
}

QString notesOf(CsvImportDialog& dialog, int row) {
    QTableWidget* columns = dialog.columnsTable();
    QTableWidgetItem* notes = columns->item(row, columns->columnCount() - 1);
    return notes != nullptr ? notes->text() : QString("(no notes cell)");
}

} // namespace

void FilesTest::importCsvReadsColumnsAsPeopleHaveThem() {
    QTemporaryDir dir;
    CsvImportDialog dialog;
    QVERIFY(dialog.openFile(writeMessyCsv(dir)));
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    // The name is proposed as ignored, the date read as one, the last column the target.
    QCOMPARE(dialog.roleBox("name")->currentIndex(), 2);
    QCOMPARE(dialog.roleBox("day")->currentIndex(), 0);
    QCOMPARE(dialog.roleBox("y")->currentIndex(), 1);
    QVERIFY2(notesOf(dialog, 1).startsWith("read as dates"), qPrintable(notesOf(dialog, 1)));
    // The stray text value is named, and the import waits for a choice.
    QVERIFY2(notesOf(dialog, 2).contains("line 9 'abc'"), qPrintable(notesOf(dialog, 2)));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(dialog.messageText().startsWith("Column 'x':"), qPrintable(dialog.messageText()));
    QComboBox* type = dialog.typeBox("x");
    type->setCurrentIndex(type->findData(int(core::ColumnType::NumericOrMissing)));
    QVERIFY(ok->isEnabled());
    QCOMPARE(notesOf(dialog, 2), QString("1 text value read as missing (line 9 'abc')"));
    const core::CsvSource source = dialog.source();
    QCOMPARE(source.roles.at("name"), core::ColumnRole::Ignore);
    QCOMPARE(source.types.at("x"), core::ColumnType::NumericOrMissing);
    // Including the identifier is the user's choice; the notes then warn of its many categories.
    dialog.roleBox("name")->setCurrentIndex(0);
    QVERIFY2(notesOf(dialog, 0).startsWith("warning: 60 categories"), qPrintable(notesOf(dialog, 0)));
    // The app loads it the same way.
    auto window = demoWindow();
    dialog.roleBox("name")->setCurrentIndex(2);
    window->applyCsvImport(dialog);
    QVERIFY(window->document()->waitForDataset());
    QCOMPARE(errorCount(*window->document()), 0);
}

void FilesTest::returnInTheFileFieldOpensTheFileWithoutAccepting() {
    QTemporaryDir dir;
    CsvImportDialog dialog;
    QVERIFY(dialog.openFile(example("houses.csv")));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* path = dialog.findChild<QLineEdit*>();
    path->setFocus();
    path->setText(writeMessyCsv(dir));
    QTest::keyClick(path, Qt::Key_Return);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), 0);
    QCOMPARE(dialog.previewTable()->horizontalHeaderItem(0)->text(), QString("name"));
    QTest::keyClick(path, Qt::Key_Enter);
    QVERIFY(dialog.isVisible());
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
    // Blank: the input alone; the Problems list says what is missing.
    dialog.setTemplate(NetworkTemplate::Blank);
    const core::Project blank = dialog.project();
    QCOMPARE(blank.model.nodes.size(), std::size_t(1));
    QCOMPARE(blank.model.nodes.front().kind, core::NodeKind::Input);
    QVERIFY(core::hasErrors(core::validate(blank.model, core::loadDataset(blank.dataset).schema)));
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
