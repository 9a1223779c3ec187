#include "canvas/mini_map.h"

#include "canvas/graph_view.h"
#include "canvas/node_item.h"

#include <QGraphicsScene>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

namespace mtl::ui {

namespace {
constexpr int kMaxSide = 150;
constexpr int kMargin = 10;
} // namespace

MiniMap::MiniMap(GraphView* view) : QWidget(view->viewport()), m_view(view) {
    setObjectName("miniMap");
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("The whole graph: click or drag to move the view"));
    hide();
}

QRectF MiniMap::graphBounds() const {
    QRectF bounds;
    for (QGraphicsItem* item : m_view->scene()->items()) {
        if (dynamic_cast<NodeItem*>(item) != nullptr)
            bounds |= item->sceneBoundingRect();
    }
    return bounds.isEmpty() ? bounds : bounds.adjusted(-30, -30, 30, 30);
}

void MiniMap::refresh() {
    m_bounds = graphBounds();
    const QRectF visible = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
    const bool larger = !m_bounds.isEmpty() && !visible.contains(m_bounds);
    const QSize area = m_view->viewport()->size();
    if (!larger || area.width() < 3 * kMaxSide / 2 || area.height() < kMaxSide) {
        hide();
        return;
    }
    const double scale = kMaxSide / std::max(m_bounds.width(), m_bounds.height());
    const QSize size(std::max(40, int(m_bounds.width() * scale)),
                     std::max(40, int(m_bounds.height() * scale)));
    setGeometry(area.width() - size.width() - kMargin, area.height() - size.height() - kMargin,
                size.width(), size.height());
    show();
    raise();
    QWidget::update();
}

QTransform MiniMap::toMap() const {
    const double sx = width() / m_bounds.width();
    const double sy = height() / m_bounds.height();
    const double s = std::min(sx, sy);
    QTransform t;
    t.scale(s, s);
    t.translate(-m_bounds.left(), -m_bounds.top());
    return t;
}

void MiniMap::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    QColor background = pal.color(QPalette::Base);
    background.setAlpha(230);
    p.fillRect(rect(), background);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawRect(rect().adjusted(0, 0, -1, -1));
    const QTransform t = toMap();
    for (QGraphicsItem* item : m_view->scene()->items()) {
        auto* node = dynamic_cast<NodeItem*>(item);
        if (node == nullptr)
            continue;
        const QRectF body =
            t.mapRect(QRectF(node->scenePos(), QSizeF(NodeItem::kWidth, NodeItem::kHeight)));
        p.setPen(Qt::NoPen);
        p.setBrush(node->isSelected() ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid));
        p.drawRect(body);
    }
    const QRectF visible = t.mapRect(m_view->mapToScene(m_view->viewport()->rect()).boundingRect());
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(pal.color(QPalette::Highlight), 1.5));
    p.drawRect(visible.intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
}

void MiniMap::moveViewTo(QPointF widgetPoint) {
    m_view->centerOn(toMap().inverted().map(widgetPoint));
}

void MiniMap::mousePressEvent(QMouseEvent* event) {
    moveViewTo(event->position());
    event->accept();
}

void MiniMap::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton)
        moveViewTo(event->position());
    event->accept();
}

} // namespace mtl::ui
