#pragma once
// The canvas's view: wheel to zoom, middle button (or Space + drag) to pan, rubber-band
// selection, fit to view at a readable size, a minimap when the graph is larger than the view;
// typing a letter opens the quick-add search at the cursor.

#include <QGraphicsView>

namespace mtl::ui {

class GraphScene;
class QuickAddPopup;
class MiniMap;

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);

    // Below this zoom a node's text is too small to read (about 9 px for its title).
    static constexpr double kReadableZoom = 0.75;

    void zoomBy(double factor);
    // Fits the graph, but never below a readable zoom: a graph too large for the view shows its
    // input end (the left, or the top when it flows down), the rest a scroll away and outlined
    // in the minimap.
    void fitToView();
    // Fits as fitToView does when a project opens; until the user zooms or pans, the view keeps
    // doing so as it is resized (docks settling, the window resized).
    void showGraph();
    MiniMap* miniMap() const { return m_miniMap; }
    void resetZoom();
    double zoom() const { return transform().m11(); }
    // Opens the search popup; what is chosen is added at the scene point under the popup.
    void openQuickAdd(const QString& typed = {});
    QuickAddPopup* quickAddPopup() const { return m_popup; }

protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    GraphScene* m_scene;
    QuickAddPopup* m_popup;
    MiniMap* m_miniMap;
    QPointF m_addAt;
    bool m_panning = false;
    bool m_autoFit = false;
};

} // namespace mtl::ui
