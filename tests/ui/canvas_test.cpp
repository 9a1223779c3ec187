// The canvas stays readable: Fit to view never shrinks text below a readable size (a larger graph
// scrolls, its input end first, with a minimap to move about), Auto-layout re-fits, a graph can
// flow top to bottom, and a head's title fits its box.
#include "ui_test_support.h"

#include "canvas/mini_map.h"
#include "canvas/node_item.h"
#include "document/run_storage.h"

#include <QDir>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QScrollBar>

using namespace mtl;
using namespace mtl::ui;
using namespace mtl::ui::test;

namespace {

bool fullyVisible(MainWindow& window, const QString& id) {
    GraphView* view = window.view();
    const QRectF visible = view->mapToScene(view->viewport()->rect()).boundingRect();
    return visible.contains(window.scene()->nodeItem(id)->sceneBoundingRect());
}

std::unique_ptr<MainWindow> lenetWindow(QSize size) {
    auto window = demoWindow();
    window->resize(size);
    if (!window->openProject(QDir(examplesDirectory()).filePath("fashion-2task.mtl.json")))
        qFatal("no LeNet example");
    if (!window->document()->waitForDataset())
        qFatal("its dataset did not load");
    QTest::qWait(50);
    return window;
}

} // namespace

class CanvasTest : public QObject {
    Q_OBJECT
private slots:
    void fitKeepsTextReadableAndScrollsFromTheInput();
    void theMinimapMovesTheView();
    void aGraphThatFitsIsCentredWithoutAMinimap();
    void autoLayoutRefits();
    void topToBottomLayout();
    void headTitlesFitTheirBox();
};

void CanvasTest::fitKeepsTextReadableAndScrollsFromTheInput() {
    auto window = lenetWindow({1000, 700});
    GraphView* view = window->view();
    view->zoomBy(0.3);
    view->fitToView();
    QVERIFY2(view->zoom() >= GraphView::kReadableZoom - 1e-9,
             qPrintable(QString::number(view->zoom())));
    // The input end shows; the far end of the long LeNet chain is a scroll away.
    QVERIFY(fullyVisible(*window, "input"));
    const auto& heads = window->document()->graph().taskNodes;
    const QString lastHead =
        QString::fromStdString(window->document()->spec().nodes[std::size_t(heads.back())].id);
    QVERIFY(!fullyVisible(*window, lastHead));
    QVERIFY(view->miniMap()->isVisible());
}

void CanvasTest::theMinimapMovesTheView() {
    auto window = lenetWindow({1000, 700});
    GraphView* view = window->view();
    view->fitToView();
    MiniMap* map = view->miniMap();
    QVERIFY(map->isVisible());
    const auto& heads = window->document()->graph().taskNodes;
    const QString lastHead =
        QString::fromStdString(window->document()->spec().nodes[std::size_t(heads.back())].id);
    // A click near the right end of the overview brings the heads into view.
    const int before = view->horizontalScrollBar()->value();
    QTest::mouseClick(map, Qt::LeftButton, {}, QPoint(map->width() - 4, map->height() / 2));
    QVERIFY(view->horizontalScrollBar()->value() > before);
    QVERIFY(fullyVisible(*window, lastHead) ||
            view->mapToScene(view->viewport()->rect()).boundingRect().right() >=
                window->scene()->nodeItem(lastHead)->sceneBoundingRect().left());
    QVERIFY(!fullyVisible(*window, "input"));
}

void CanvasTest::aGraphThatFitsIsCentredWithoutAMinimap() {
    auto window = demoWindow();
    window->resize(1900, 1000);
    QTest::qWait(20);
    // A small graph: the input and two layers.
    core::ModelSpec spec = window->document()->spec();
    spec.nodes.resize(3);
    spec.edges.resize(2);
    window->document()->editSpec("small", spec);
    window->view()->fitToView();
    for (const auto& node : spec.nodes)
        QVERIFY(fullyVisible(*window, QString::fromStdString(node.id)));
    QVERIFY(window->view()->zoom() <= 1.25 + 1e-9);
    QVERIFY(!window->view()->miniMap()->isVisible());
}

void CanvasTest::autoLayoutRefits() {
    auto window = demoWindow();
    GraphView* view = window->view();
    view->fitToView();
    const double fitted = view->zoom();
    view->zoomBy(2.5);
    view->centerOn(4000, 4000);
    window->tidyLayout();
    QCOMPARE(view->zoom(), fitted);
    QVERIFY(fullyVisible(*window, "input"));
}

void CanvasTest::topToBottomLayout() {
    auto window = demoWindow();
    window->tidyLayout(core::LayoutFlow::TopToBottom);
    QCOMPARE(window->document()->spec().flow, core::LayoutFlow::TopToBottom);
    QCOMPARE(undoText(*window), QString("Lay out top to bottom"));
    // Every layer below the one feeding it; the ports on the top and bottom edges.
    const auto& spec = window->document()->spec();
    for (const auto& edge : spec.edges) {
        NodeItem* from = window->scene()->nodeItem(QString::fromStdString(edge.from));
        NodeItem* to = window->scene()->nodeItem(QString::fromStdString(edge.to));
        QVERIFY(to->pos().y() > from->pos().y());
        QCOMPARE(from->outputPort().x(), from->mapToScene(QPointF(NodeItem::kWidth / 2, 0)).x());
        QVERIFY(from->outputPort().y() >= from->mapToScene(QPointF(0, NodeItem::kHeight)).y());
        QCOMPARE(to->inputPort().x(), to->mapToScene(QPointF(NodeItem::kWidth / 2, 0)).x());
        QVERIFY(to->inputPort().y() <= to->mapToScene(QPointF(0, 0)).y());
    }
    // The heads side by side on one row.
    const auto& heads = window->document()->graph().taskNodes;
    const double y = spec.nodes[std::size_t(heads.front())].y;
    for (int h : heads)
        QCOMPARE(spec.nodes[std::size_t(h)].y, y);
    QVERIFY(window->view()->zoom() >= GraphView::kReadableZoom - 1e-9);
    // Undo goes back to left to right, ports and all.
    window->document()->undoStack()->undo();
    QCOMPARE(window->document()->spec().flow, core::LayoutFlow::LeftToRight);
    NodeItem* input = window->scene()->nodeItem("input");
    QCOMPARE(input->outputPort(),
             input->mapToScene(QPointF(NodeItem::kWidth, NodeItem::kHeight / 2)));
}

void CanvasTest::headTitlesFitTheirBox() {
    QFont font = QApplication::font();
    font.setBold(true);
    const double room = NodeItem::kWidth - 14;
    // A name a little too long in the full size: whole, in a smaller type.
    QString name = "temperature";
    while (QFontMetricsF(font).horizontalAdvance(name) <= room)
        name += "x";
    auto [smaller, whole] = NodeItem::fittedTitle(font, name, room);
    QCOMPARE(whole, name);
    QVERIFY(smaller.pointSizeF() < font.pointSizeF());
    QVERIFY(smaller.pointSizeF() >= 0.75 * font.pointSizeF() - 1e-9);
    QVERIFY(QFontMetricsF(smaller).horizontalAdvance(whole) <= room);
    // Far too long: elided in the middle, both ends kept, within the box.
    const QString longName = "weather_category_of_the_following_day_in_seattle";
    auto [least, elided] = NodeItem::fittedTitle(font, longName, room);
    QVERIFY(elided.contains(QChar(0x2026)));
    QVERIFY(elided.startsWith("weather"));
    QVERIFY(elided.endsWith(longName.right(2)));
    QVERIFY(QFontMetricsF(least).horizontalAdvance(elided) <= room);
}

QTEST_MAIN(CanvasTest)
#include "canvas_test.moc"
