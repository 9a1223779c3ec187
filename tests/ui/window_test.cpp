// The window as a user meets it: it stays on the screen whatever the readouts say, a restored
// geometry larger than the screen is clamped, runs of examples and untitled projects go to the
// user's data folder and the project changes only on Save, and nothing from an earlier run or
// project stays on screen after New, Open or Import.
#include "ui_test_support.h"

#include "canvas/node_item.h"
#include "training/chart_panel.h"
#include "training/training_controller.h"
#include "training/training_panel.h"

#include <QApplication>
#include <QGraphicsItem>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

class WindowTest : public QObject {
    Q_OBJECT
private slots:
    void init() { QSettings().clear(); }
    void longReadoutsDoNotWidenTheWindow();
    void aSelectedNodeDoesNotWidenTheWindow();
    void aRestoredGeometryLargerThanTheScreenIsClamped();
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

QTEST_MAIN(WindowTest)
#include "window_test.moc"
