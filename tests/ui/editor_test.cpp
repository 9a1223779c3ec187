// The editor driven as a user drives it: add, connect, edit, delete, copy/paste, switch sharing,
// undo and redo back to the original document; validation messages appear and clear.
#include "ui_test_support.h"

#include "canvas/edge_item.h"
#include "canvas/node_item.h"
#include "canvas/quick_add_popup.h"
#include "panels/inspector_panel.h"
#include "panels/problems_panel.h"
#include "panels/tasks_panel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

class EditorTest : public QObject {
    Q_OBJECT
private slots:
    void opensOnTheDemoReadyToTrain();
    void addConnectEditThenUndoRedoToTheOriginal();
    void dragFromPortToPortConnects();
    void dropFromThePaletteAdds();
    void typingOnTheCanvasAdds();
    void invalidGraphDisablesTrainAndUndoClearsIt();
    void problemIsShownOnTheNodeAndTheProperty();
    void clickingAProblemSelectsTheNode();
    void sharingSwitchIsOneUndoableAction();
    void couplingChoiceIsUndoableAndShownOnTheNode();
    void taskWeightEditedInTheTasksPanel();
    void inPlaceEditsInTheTasksTableCloseTheirEditorCleanly();
    void deleteCopyPasteAndAutoLayout();
    void refusesNonsenseConnections();
};

void EditorTest::opensOnTheDemoReadyToTrain() {
    auto window = demoWindow();
    QCOMPARE(window->scene()->nodeCount(), int(window->document()->spec().nodes.size()));
    QCOMPARE(window->scene()->edgeCount(), int(window->document()->spec().edges.size()));
    QVERIFY(window->scene()->nodeCount() > 10);
    QVERIFY(window->trainAction()->isEnabled());
    QVERIFY2(window->statusText().contains("parameters"), qPrintable(window->statusText()));
    QVERIFY(window->windowTitle().contains(window->document()->displayName()));
    QVERIFY(!window->isWindowModified());
}

void EditorTest::addConnectEditThenUndoRedoToTheOriginal() {
    auto window = demoWindow();
    const core::ModelSpec original = window->document()->spec();
    GraphScene* scene = window->scene();

    const QString dense = scene->addNode(core::NodeKind::Dense, {300, 500});
    QCOMPARE(undoText(*window), QString("Add Dense"));
    QCOMPARE(window->findChild<QAction*>("undo")->text(), QString("Undo Add Dense"));
    QVERIFY(scene->nodeItem(dense) != nullptr);
    QVERIFY(scene->connectNodes("shared2_act", dense));
    QVERIFY(scene->edgeItem("shared2_act", dense) != nullptr);

    scene->selectNode(dense);
    QCOMPARE(window->inspector()->nodeId(), dense);
    auto* units = qobject_cast<QSpinBox*>(window->inspector()->field("units"));
    QVERIFY(units != nullptr);
    units->setValue(48);
    QCOMPARE(window->document()->spec().find(dense.toStdString())->units, 48);
    QCOMPARE(undoText(*window), QString("Set units of %1 to 48").arg(dense));
    const core::ModelSpec edited = window->document()->spec();
    QCOMPARE(window->document()->undoStack()->count(), 3);
    QVERIFY(window->isWindowModified());

    while (window->document()->undoStack()->canUndo()) window->document()->undoStack()->undo();
    QVERIFY(window->document()->spec() == original);
    QCOMPARE(scene->nodeCount(), int(original.nodes.size()));
    QVERIFY(scene->nodeItem(dense) == nullptr);
    QVERIFY(!window->isWindowModified());
    while (window->document()->undoStack()->canRedo()) window->document()->undoStack()->redo();
    QVERIFY(window->document()->spec() == edited);
    QVERIFY(scene->nodeItem(dense) != nullptr);
    QVERIFY(scene->edgeItem("shared2_act", dense) != nullptr);
}

void EditorTest::dragFromPortToPortConnects() {
    auto window = demoWindow();
    GraphScene* scene = window->scene();
    GraphView* view = window->view();
    const QString dense = scene->addNode(core::NodeKind::Dense, {400, 560});
    view->resetZoom();
    NodeItem* from = scene->nodeItem("shared1_act");
    NodeItem* to = scene->nodeItem(dense);
    view->centerOn(QLineF(from->outputPort(), to->inputPort()).center());
    QApplication::processEvents();
    const QPoint start = view->mapFromScene(from->outputPort());
    const QPoint end = view->mapFromScene(to->sceneBoundingRect().center());
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, start);
    QTest::mouseMove(view->viewport(), (start + end) / 2);
    QTest::mouseMove(view->viewport(), end);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, end);
    QVERIFY(scene->edgeItem("shared1_act", dense) != nullptr);
    QCOMPARE(undoText(*window), QString("Connect shared1_act → %1").arg(dense));

    // Dragging a node body moves it, as one command.
    const QPointF before = to->pos();
    const QPoint grab = view->mapFromScene(to->sceneBoundingRect().center() + QPointF(0, 10));
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, grab);
    QTest::mouseMove(view->viewport(), grab + QPoint(30, 20));
    QTest::mouseMove(view->viewport(), grab + QPoint(60, 40));
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, grab + QPoint(60, 40));
    const core::NodeSpec* moved = window->document()->spec().find(dense.toStdString());
    QVERIFY(moved->x > before.x() + 30);
    QCOMPARE(undoText(*window), QString("Move %1").arg(dense));
    window->document()->undoStack()->undo();
    QCOMPARE(window->document()->spec().find(dense.toStdString())->x, before.x());
    QCOMPARE(to->pos(), before);
}

void EditorTest::dropFromThePaletteAdds() {
    auto window = demoWindow();
    GraphView* view = window->view();
    const int nodes = window->scene()->nodeCount();
    QMimeData mime;
    mime.setData(kNodeKindMime, "dropout");
    const QPoint at = view->viewport()->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(view->viewport(), &move);
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(view->viewport(), &drop);
    QCOMPARE(window->scene()->nodeCount(), nodes + 1);
    QCOMPARE(undoText(*window), QString("Add Dropout"));
    const core::NodeSpec& added = window->document()->spec().nodes.back();
    QCOMPARE(added.kind, core::NodeKind::Dropout);
    QVERIFY(QLineF(view->mapFromScene(QPointF(added.x, added.y) + QPointF(NodeItem::kWidth / 2, NodeItem::kHeight / 2)), at).length() < 3);
}

void EditorTest::typingOnTheCanvasAdds() {
    auto window = demoWindow();
    GraphView* view = window->view();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_G);
    QuickAddPopup* popup = view->quickAddPopup();
    QVERIFY(popup->isVisible());
    QCOMPARE(popup->searchField()->text(), QString("g"));
    QTest::keyClicks(popup->searchField(), "el");
    QCOMPARE(popup->list()->currentItem()->text(), QString("GELU"));
    QTest::keyClick(popup->searchField(), Qt::Key_Return);
    QVERIFY(!popup->isVisible());
    QCOMPARE(window->document()->spec().nodes.back().kind, core::NodeKind::GELU);
    QCOMPARE(undoText(*window), QString("Add GELU"));
}

void EditorTest::invalidGraphDisablesTrainAndUndoClearsIt() {
    auto window = demoWindow();
    QVERIFY(window->trainAction()->isEnabled());
    QCOMPARE(errorCount(*window->document()), 0);
    // A head straight on the input: the core's validate() refuses it.
    QVERIFY(window->scene()->connectNodes("input", "task2"));
    QVERIFY(errorCount(*window->document()) > 0);
    QVERIFY(!window->trainAction()->isEnabled());
    QVERIFY2(window->trainAction()->toolTip().startsWith("Cannot train"), qPrintable(window->trainAction()->toolTip()));
    QVERIFY(window->statusText().contains("Cannot train"));
    bool listed = false;
    for (int i = 0; i < window->problemsPanel()->count(); ++i) {
        listed |= window->problemsPanel()->item(i)->text().startsWith("task2 (Connections)");
    }
    QVERIFY(listed);
    QVERIFY(window->scene()->nodeItem("task2")->toolTip().contains("connect at least one layer"));

    window->document()->undoStack()->undo();
    QCOMPARE(errorCount(*window->document()), 0);
    QVERIFY(window->trainAction()->isEnabled());
    QVERIFY(window->problemsPanel()->item(0)->text().startsWith("No problems"));
}

void EditorTest::problemIsShownOnTheNodeAndTheProperty() {
    auto window = demoWindow();
    window->scene()->selectNode("task1");
    auto* loss = qobject_cast<QComboBox*>(window->inspector()->field("loss"));
    QVERIFY(loss != nullptr);
    QVERIFY(loss->styleSheet().isEmpty());
    loss->setCurrentIndex(loss->findText("Cross-entropy"));
    emit loss->activated(loss->currentIndex());
    QCOMPARE(window->document()->spec().find("task1")->task.loss, core::LossKind::SoftmaxCrossEntropy);
    // The inspector was rebuilt or synced; the loss field is outlined and names the issue.
    loss = qobject_cast<QComboBox*>(window->inspector()->field("loss"));
    QVERIFY2(loss->styleSheet().contains("border"), qPrintable(loss->styleSheet()));
    QVERIFY2(loss->toolTip().contains("numeric"), qPrintable(loss->toolTip()));
    // In the words of the UI, and with a word, not a symbol the font may lack, before it.
    QVERIFY2(loss->toolTip().startsWith("Cross-entropy") &&
                 loss->toolTip().contains("use MSE, MAE or Huber"),
             qPrintable(loss->toolTip()));
    const QString issues = window->inspector()->findChild<QLabel*>("inspectorIssues")->text();
    QVERIFY2(issues.contains("<b>Error:</b> Cross-entropy needs"), qPrintable(issues));
    QVERIFY(!window->trainAction()->isEnabled());
    window->document()->undoStack()->undo();
    QVERIFY(qobject_cast<QComboBox*>(window->inspector()->field("loss"))->styleSheet().isEmpty());
    QVERIFY(window->trainAction()->isEnabled());
    // A head given 3 outputs where it expects 1: the problem is on the layer whose Units fix it.
    window->scene()->selectNode("task1_out");
    auto* units = qobject_cast<QSpinBox*>(window->inspector()->field("units"));
    QVERIFY(units != nullptr);
    units->setValue(3);
    QTRY_VERIFY(window->document()->spec().find("task1_out")->units == 3);
    units = qobject_cast<QSpinBox*>(window->inspector()->field("units"));
    QVERIFY2(units->styleSheet().contains("border"), qPrintable(units->styleSheet()));
    QVERIFY2(units->toolTip().contains("set Units to 1"), qPrintable(units->toolTip()));
}

void EditorTest::clickingAProblemSelectsTheNode() {
    auto window = demoWindow();
    window->scene()->connectNodes("input", "task3");
    ProblemsPanel* problems = window->problemsPanel();
    QListWidgetItem* item = nullptr;
    for (int i = 0; i < problems->count(); ++i) {
        if (problems->item(i)->text().startsWith("task3")) item = problems->item(i);
    }
    QVERIFY(item != nullptr);
    QTest::mouseClick(problems->viewport(), Qt::LeftButton, {}, problems->visualItemRect(item).center());
    QCOMPARE(window->scene()->selectedNodeIds(), QStringList{"task3"});
    QCOMPARE(window->inspector()->nodeId(), QString("task3"));
}

void EditorTest::sharingSwitchIsOneUndoableAction() {
    auto window = demoWindow();
    window->scene()->selectNode("shared2");
    auto* sharing = qobject_cast<QComboBox*>(window->inspector()->field("sharing"));
    auto* lambda = qobject_cast<QDoubleSpinBox*>(window->inspector()->field("couplingStrength"));
    QVERIFY(sharing && lambda);
    QVERIFY(sharing->isEnabled());
    QVERIFY(!lambda->isEnabled());
    const QRectF hardBounds = window->scene()->nodeItem("shared2")->boundingRect();
    const int commands = window->document()->undoStack()->count();

    sharing->setCurrentIndex(1);
    emit sharing->activated(1);
    QCOMPARE(window->document()->spec().find("shared2")->sharing, core::SharingMode::Soft);
    QCOMPARE(window->document()->undoStack()->count(), commands + 1);
    QCOMPARE(undoText(*window), QString("Switch shared2 to soft sharing"));
    QVERIFY(lambda->isEnabled());
    // Three tasks run through it: the node now draws its three copies.
    QVERIFY(window->scene()->nodeItem("shared2")->boundingRect().height() > hardBounds.height());
    lambda->setValue(0.01);
    QCOMPARE(window->document()->spec().find("shared2")->couplingStrength, 0.01f);
    QVERIFY(window->document()->analysis().parameterCounts[window->document()->graph().byId.at("shared2")] ==
            3 * (64 * 64 + 64));

    window->document()->undoStack()->undo();
    window->document()->undoStack()->undo();
    QCOMPARE(window->document()->spec().find("shared2")->sharing, core::SharingMode::Hard);
    QCOMPARE(sharing->currentIndex(), 0);
    QVERIFY(!lambda->isEnabled());
}

void EditorTest::couplingChoiceIsUndoableAndShownOnTheNode() {
    auto window = demoWindow();
    window->scene()->selectNode("shared2");
    auto* sharing = qobject_cast<QComboBox*>(window->inspector()->field("sharing"));
    auto* coupling = qobject_cast<QComboBox*>(window->inspector()->field("coupling"));
    auto* every = qobject_cast<QSpinBox*>(window->inspector()->field("relationshipEvery"));
    QVERIFY(sharing && coupling && every);
    QVERIFY(!coupling->isEnabled()); // hard sharing: nothing to couple
    sharing->setCurrentIndex(1);
    emit sharing->activated(1);
    QVERIFY(coupling->isEnabled());
    QVERIFY(!every->isEnabled()); // Ω's schedule only matters for learned relationships
    const int commands = window->document()->undoStack()->count();
    const int mtrl = coupling->findData(int(core::Coupling::Relationship));
    coupling->setCurrentIndex(mtrl);
    emit coupling->activated(mtrl);
    QCOMPARE(window->document()->spec().find("shared2")->coupling, core::Coupling::Relationship);
    QCOMPARE(window->document()->undoStack()->count(), commands + 1);
    QVERIFY(every->isEnabled());
    every->setValue(20);
    QCOMPARE(window->document()->spec().find("shared2")->relationshipEvery, 20);
    QVERIFY(window->scene()->nodeItem("shared2")->toolTip().contains("learned relationships"));
    // A cross-stitch unit after the copies: one undoable toggle, its 3×3 mixing counted.
    auto* stitch = qobject_cast<QCheckBox*>(window->inspector()->field("crossStitch"));
    QVERIFY(stitch && stitch->isEnabled());
    const auto index = window->document()->graph().byId.at("shared2");
    const auto withoutStitch = window->document()->analysis().parameterCounts[index];
    stitch->setChecked(true);
    QVERIFY(window->document()->spec().find("shared2")->crossStitch);
    QCOMPARE(window->document()->analysis().parameterCounts[index], withoutStitch + 9);
    QVERIFY(window->scene()->nodeItem("shared2")->toolTip().contains("cross-stitch"));
    window->document()->undoStack()->undo();
    QVERIFY(!window->document()->spec().find("shared2")->crossStitch);
    QVERIFY(!stitch->isChecked());
    window->document()->undoStack()->undo();
    window->document()->undoStack()->undo();
    QCOMPARE(window->document()->spec().find("shared2")->coupling, core::Coupling::MeanL2);
    QCOMPARE(coupling->currentData().toInt(), int(core::Coupling::MeanL2));
}

void EditorTest::taskWeightEditedInTheTasksPanel() {
    auto window = demoWindow();
    QTableWidget* table = window->tasksPanel()->table();
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->item(1, 0)->text(), QString("task2"));
    table->item(1, 3)->setText("2.5");
    QCOMPARE(window->document()->spec().find("task2")->task.weight, 2.5f);
    QCOMPARE(undoText(*window), QString("Set weight of task2 to 2.5"));
    table->item(1, 3)->setText("heavy"); // not a number: refused, the old value shown again
    QCOMPARE(window->document()->spec().find("task2")->task.weight, 2.5f);
    QCOMPARE(table->item(1, 3)->text(), QString("2.5"));
    table->item(1, 0)->setText("price");
    QCOMPARE(window->document()->spec().find("task2")->task.name, std::string("price"));
    window->document()->undoStack()->undo();
    window->document()->undoStack()->undo();
    QCOMPARE(window->document()->spec().find("task2")->task.weight, 0.3f);
    QCOMPARE(table->item(1, 3)->text(), QString("0.3"));

    // Remove a task: its head and the layers only it used go; the shared trunk stays.
    window->tasksPanel()->removeTask("task3");
    QVERIFY(window->document()->spec().find("task3") == nullptr);
    QVERIFY(window->document()->spec().find("task3_hidden1") == nullptr);
    QVERIFY(window->document()->spec().find("shared2") != nullptr);
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(errorCount(*window->document()), 0);
    // Add it back for its column: a new output layer and head on the trunk, valid at once.
    window->tasksPanel()->addTaskFor("task3");
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(errorCount(*window->document()), 0);
    QCOMPARE(undoText(*window), QString("Add task task3"));
}

void EditorTest::inPlaceEditsInTheTasksTableCloseTheirEditorCleanly() {
    // As a user edits: double-click opens the cell's editor, Return commits. Qt must not warn
    // that the editor it closes is not the view's (the panel refreshed under it).
    QTest::failOnWarning(QRegularExpression("closeEditor"));
    auto window = demoWindow();
    QTableWidget* table = window->tasksPanel()->table();
    const auto editCell = [&](int row, int column, const QString& text) {
        table->setCurrentCell(row, column);
        table->editItem(table->item(row, column));
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        if (editor == nullptr)
            editor = table->viewport()->findChild<QLineEdit*>();
        QVERIFY(editor != nullptr);
        editor->selectAll();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        QApplication::processEvents();
    };
    editCell(1, 3, "1.5");
    QCOMPARE(window->document()->spec().find("task2")->task.weight, 1.5f);
    editCell(0, 0, "price");
    QCOMPARE(window->document()->spec().find("task1")->task.name, std::string("price"));
    QCOMPARE(table->item(0, 0)->text(), QString("price"));
}

void EditorTest::deleteCopyPasteAndAutoLayout() {
    auto window = demoWindow();
    GraphScene* scene = window->scene();
    const core::ModelSpec original = window->document()->spec();

    scene->selectNode("task1_hidden1");
    scene->nodeItem("task1_hidden1_act")->setSelected(true);
    scene->copySelection();
    scene->paste();
    QCOMPARE(scene->nodeCount(), int(original.nodes.size()) + 2);
    const QStringList pasted = scene->selectedNodeIds();
    QCOMPARE(pasted.size(), 2);
    QVERIFY(!pasted.contains("task1_hidden1"));
    QVERIFY(scene->edgeItem(pasted[0], pasted[1]) != nullptr);
    QCOMPARE(undoText(*window), QString("Paste 2 nodes"));

    scene->deleteSelection();
    QVERIFY(window->document()->spec() == original);
    scene->selectNode("shared2");
    scene->deleteSelection();
    QCOMPARE(undoText(*window), QString("Delete shared2"));
    QVERIFY(scene->edgeItem("shared1_act", "shared2") == nullptr);
    QVERIFY(errorCount(*window->document()) > 0);
    window->document()->undoStack()->undo();
    QVERIFY(window->document()->spec() == original);
    QVERIFY(scene->edgeItem("shared1_act", "shared2") != nullptr);

    // Delete a selected connection only.
    scene->clearSelection();
    scene->edgeItem("shared2", "shared2_act")->setSelected(true);
    scene->deleteSelection();
    QCOMPARE(undoText(*window), QString("Delete connection"));
    window->document()->undoStack()->undo();

    scene->autoLayout();
    QCOMPARE(undoText(*window), QString("Auto-layout"));
    const auto& laid = window->document()->spec();
    // Columns by depth, heads stacked, the trunk centred on the heads it feeds.
    QVERIFY(laid.find("input")->x < laid.find("shared1")->x);
    QVERIFY(laid.find("task1")->y < laid.find("task2")->y);
    QCOMPARE(laid.find("shared2")->y, laid.find("task2")->y);
    window->document()->undoStack()->undo();
    QVERIFY(window->document()->spec() == original);
}

void EditorTest::refusesNonsenseConnections() {
    auto window = demoWindow();
    const int commands = window->document()->undoStack()->count();
    QVERIFY(!window->scene()->connectNodes("task1", "shared1"));  // a head has no output
    QVERIFY(!window->scene()->connectNodes("shared1", "input"));  // the input takes none
    QVERIFY(!window->scene()->connectNodes("shared1", "shared1")); // itself
    QCOMPARE(window->document()->undoStack()->count(), commands);
}

QTEST_MAIN(EditorTest)
#include "editor_test.moc"
