#pragma once
// The canvas's scene: node and edge items mirroring the document, and the gestures that edit it.
// Items hold only ids; every gesture (drop, connect, move, delete, paste) becomes one command on
// the document, and the scene follows the document's signals — never the other way round.

#include "model/model_spec.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>

#include <optional>

namespace mtl::ui {

class EdgeItem;
class NodeItem;
class ProjectDocument;

inline constexpr const char* kNodeKindMime = "application/x-mtl-node-kind";
inline constexpr const char* kNodesMime = "application/x-mtl-nodes";

class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(ProjectDocument* document, QObject* parent = nullptr);

    NodeItem* nodeItem(const QString& id) const { return m_nodes.value(id); }
    EdgeItem* edgeItem(const QString& from, const QString& to) const;
    int nodeCount() const { return int(m_nodes.size()); }
    int edgeCount() const { return int(m_edges.size()); }

    QStringList selectedNodeIds() const;
    bool flowsDown() const; // the graph is laid out top to bottom
    void selectNode(const QString& id);

    // Edits (each one undoable command).
    QString addNode(core::NodeKind kind, QPointF scenePos);
    bool connectNodes(const QString& from, const QString& to);
    void deleteSelection();
    void copySelection() const;
    void cutSelection();
    void paste();
    // Tidies the graph in its flow, or switches it to `flow` (one undoable command).
    void autoLayout(std::optional<core::LayoutFlow> flow = std::nullopt);

    void nodeItemMoved(NodeItem* item);

signals:
    void statusMessage(const QString& text);
    void currentNodeChanged(const QString& id);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent* event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent* event) override;
    void dropEvent(QGraphicsSceneDragDropEvent* event) override;

private:
    void rebuild();
    void addNodeItem(const QString& id);
    void removeNodeItem(const QString& id);
    void addEdgeItem(const QString& from, const QString& to);
    void removeEdgeItem(const QString& from, const QString& to);
    void placeNode(const QString& id);
    void refreshAll();
    void commitMoves();
    NodeItem* nodeAt(QPointF scenePos) const;

    ProjectDocument* m_document;
    QHash<QString, NodeItem*> m_nodes;
    QHash<QString, EdgeItem*> m_edges; // key: from + '\n' + to
    NodeItem* m_connectFrom = nullptr;
    QGraphicsPathItem* m_rubberEdge = nullptr;
};

} // namespace mtl::ui
