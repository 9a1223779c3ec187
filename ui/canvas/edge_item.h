#pragma once
// A connection on the canvas, from one node's output port to another's input port. Drawn in the
// task's colour when it carries a single task, neutral where tasks share it.

#include <QGraphicsPathItem>
#include <QString>

namespace mtl::ui {

class NodeItem;

class EdgeItem : public QGraphicsPathItem {
public:
    EdgeItem(NodeItem* from, NodeItem* to, const QColor& colour, bool shared);

    QString fromId() const;
    QString toId() const;
    NodeItem* fromNode() const { return m_from; }
    NodeItem* toNode() const { return m_to; }
    void setColour(const QColor& colour, bool shared);
    void adjust();
    // The curve between two points (also used for the line drawn while connecting).
    // `down`: the ports are at the bottom and top of the nodes (a top-to-bottom layout).
    static QPainterPath curve(QPointF from, QPointF to, bool down = false);

    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    NodeItem* m_from;
    NodeItem* m_to;
    QColor m_colour;
    bool m_shared = false;
};

} // namespace mtl::ui
