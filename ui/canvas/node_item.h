#pragma once
// One node on the canvas. It holds only its id; everything it draws — kind, parameters, output
// shape, parameter count, task colours, sharing, problems — is read from the document.

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
    QPointF inputPort() const { return mapToScene(QPointF(0.0, kHeight / 2)); }
    QPointF outputPort() const { return mapToScene(QPointF(kWidth, kHeight / 2)); }
    bool isOnOutputPort(QPointF scenePoint) const;
    // Re-reads the document (tooltip, geometry of soft copies).
    void refresh();

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    int softCopies() const;
    void paintCopies(QPainter* painter, int copies) const;
    void paintBody(QPainter* painter) const;
    void paintPorts(QPainter* painter) const;

    ProjectDocument* m_document;
    QString m_id;
};

} // namespace mtl::ui
