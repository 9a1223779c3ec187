#include "canvas/edge_item.h"

#include "canvas/node_item.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPalette>

namespace mtl::ui {

EdgeItem::EdgeItem(NodeItem* from, NodeItem* to, const QColor& colour, bool shared)
    : m_from(from), m_to(to), m_colour(colour), m_shared(shared) {
    setFlag(ItemIsSelectable);
    setZValue(0.0);
    adjust();
}

QString EdgeItem::fromId() const { return m_from->id(); }
QString EdgeItem::toId() const { return m_to->id(); }

void EdgeItem::setColour(const QColor& colour, bool shared) {
    m_colour = colour;
    m_shared = shared;
    update();
}

QPainterPath EdgeItem::curve(QPointF from, QPointF to, bool down) {
    QPainterPath path(from);
    if (down) {
        const double bend = std::max(30.0, std::abs(to.y() - from.y()) * 0.5);
        path.cubicTo(from + QPointF(0, bend), to - QPointF(0, bend), to);
        return path;
    }
    const double bend = std::max(40.0, std::abs(to.x() - from.x()) * 0.5);
    path.cubicTo(from + QPointF(bend, 0), to - QPointF(bend, 0), to);
    return path;
}

void EdgeItem::adjust() {
    setPath(curve(m_from->outputPort(), m_to->inputPort(), m_from->flowsDown()));
}

QPainterPath EdgeItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* /*option*/, QWidget* /*widget*/) {
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor colour = m_shared ? QApplication::palette().color(QPalette::Text) : m_colour;
    QPen pen(isSelected() ? QApplication::palette().color(QPalette::Highlight) : colour,
             isSelected() ? 3.5 : (m_shared ? 2.2 : 1.8));
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
}

} // namespace mtl::ui
