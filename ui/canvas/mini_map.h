#pragma once
// The canvas's overview: a small picture of the whole graph in a corner of the view, the part
// the view shows outlined. Click or drag in it to move the view there. Shown only while the
// graph is larger than the view.

#include <QWidget>

namespace mtl::ui {

class GraphView;

class MiniMap : public QWidget {
    Q_OBJECT
public:
    explicit MiniMap(GraphView* view);

    // Re-reads the graph's extent and the view's, places itself and shows or hides.
    void refresh();
    // The graph's extent in the scene (the nodes), with a margin.
    QRectF graphBounds() const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QTransform toMap() const; // scene → this widget
    void moveViewTo(QPointF widgetPoint);

    GraphView* m_view;
    QRectF m_bounds;
};

} // namespace mtl::ui
