#pragma once
// One node on the canvas. It holds only its id; everything it draws — kind, parameters, output
// shape, parameter count, task colours, sharing, problems — is read from the document.

#include <QFont>
#include <QGraphicsItem>
#include <QString>

namespace mtl::ui {

class ProjectDocument;

class NodeItem : public QGraphicsItem {
public:
    static constexpr double kWidth = 140.0;
    static constexpr double kHeight = 66.0;
    static constexpr double kPortRadius = 6.0;

    NodeItem(ProjectDocument* document, QString id);

    const QString& id() const { return m_id; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    bool hasInputPort() const;
    bool hasOutputPort() const;
    // Ports: left and right when data flows left to right, top and bottom when it flows down.
    QPointF inputPort() const { return mapToScene(localInputPort()); }
    QPointF outputPort() const { return mapToScene(localOutputPort()); }
    bool flowsDown() const;
    // A title in `font` made to fit `room` pixels: smaller type down to three quarters, then its
    // middle elided.
    static std::pair<QFont, QString> fittedTitle(QFont font, const QString& text, double room);
    bool isOnOutputPort(QPointF scenePoint) const;
    // Re-reads the document (tooltip, geometry of soft copies).
    void refresh();

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    int softCopies() const;
    QPointF localInputPort() const;
    QPointF localOutputPort() const;
    void paintCopies(QPainter* painter, int copies) const;
    void paintBody(QPainter* painter) const;
    void paintCrossStitch(QPainter* painter) const;
    void paintPorts(QPainter* painter) const;

    ProjectDocument* m_document;
    QString m_id;
};

} // namespace mtl::ui
