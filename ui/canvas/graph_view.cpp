#include "canvas/graph_view.h"

#include "canvas/graph_scene.h"
#include "canvas/mini_map.h"
#include "canvas/quick_add_popup.h"

#include <QGraphicsItem>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace mtl::ui {

namespace {
constexpr double kMinZoom = 0.2;
constexpr double kMaxZoom = 3.0;
constexpr double kGrid = 24.0;
} // namespace

GraphView::GraphView(GraphScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), m_scene(scene), m_popup(new QuickAddPopup(this)),
      m_miniMap(new MiniMap(this)) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(RubberBandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    setViewportUpdateMode(SmartViewportUpdate);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setSceneRect(-5000, -5000, 10000, 10000);
    const auto overview = [this] { m_miniMap->refresh(); };
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this, overview);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, overview);
    connect(scene, &QGraphicsScene::changed, this, overview);
    connect(m_popup, &QuickAddPopup::chosen, this, [this](core::NodeKind kind) {
        m_scene->addNode(kind, m_addAt);
        setFocus();
    });
}

void GraphView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (m_autoFit) showGraph();
    m_miniMap->refresh();
}

void GraphView::zoomBy(double factor) {
    m_autoFit = false;
    const double next = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double step = next / zoom();
    scale(step, step);
    m_miniMap->refresh();
}

void GraphView::resetZoom() {
    m_autoFit = false;
    resetTransform();
    m_miniMap->refresh();
}

void GraphView::fitToView() {
    const QRectF bounds = m_miniMap->graphBounds();
    if (bounds.isEmpty()) return;
    const QSizeF area = viewport()->size();
    const double fit = std::min(area.width() / bounds.width(), area.height() / bounds.height());
    const double z = std::clamp(fit, kReadableZoom, 1.25);
    resetTransform();
    scale(z, z);
    // Centred where the graph fits; otherwise from its input end.
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    const bool down = m_scene->flowsDown();
    const double x = bounds.width() <= visible.width() || down
                         ? bounds.center().x()
                         : bounds.left() + visible.width() / 2;
    const double y = bounds.height() <= visible.height() || !down
                         ? bounds.center().y()
                         : bounds.top() + visible.height() / 2;
    centerOn(x, y);
    m_miniMap->refresh();
}

void GraphView::showGraph() {
    fitToView();
    m_autoFit = true;
}

void GraphView::openQuickAdd(const QString& typed) {
    QPoint local = mapFromGlobal(QCursor::pos());
    if (!viewport()->rect().contains(local)) local = viewport()->rect().center();
    m_addAt = mapToScene(local);
    m_popup->open(viewport()->mapToGlobal(local), typed);
}

void GraphView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0.0) zoomBy(std::pow(1.15, steps));
    event->accept();
}

void GraphView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        setDragMode(ScrollHandDrag);
        return;
    }
    const QString text = event->text();
    if (event->modifiers() == Qt::NoModifier && text.size() == 1 && text.front().isLetter()) {
        openQuickAdd(text);
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        setDragMode(RubberBandDrag);
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton) {
        m_autoFit = false;
        // Qt pans with the left button in ScrollHandDrag; replay the press as one.
        m_panning = true;
        setDragMode(ScrollHandDrag);
        QMouseEvent left(event->type(), event->position(), event->globalPosition(), Qt::LeftButton,
                         Qt::LeftButton, event->modifiers());
        QGraphicsView::mousePressEvent(&left);
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton && m_panning) {
        QMouseEvent left(event->type(), event->position(), event->globalPosition(), Qt::LeftButton,
                         Qt::NoButton, event->modifiers());
        QGraphicsView::mouseReleaseEvent(&left);
        setDragMode(RubberBandDrag);
        m_panning = false;
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::drawBackground(QPainter* painter, const QRectF& rect) {
    painter->fillRect(rect, palette().color(QPalette::Window));
    if (zoom() < 0.45) return;
    QColor dot = palette().color(QPalette::Mid);
    dot.setAlpha(120);
    painter->setPen(QPen(dot, 1.5));
    const double left = std::floor(rect.left() / kGrid) * kGrid;
    const double top = std::floor(rect.top() / kGrid) * kGrid;
    QVector<QPointF> points;
    for (double x = left; x < rect.right(); x += kGrid) {
        for (double y = top; y < rect.bottom(); y += kGrid) points.append(QPointF(x, y));
    }
    painter->drawPoints(points.data(), int(points.size()));
}

} // namespace mtl::ui
