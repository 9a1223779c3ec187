#include "canvas/graph_scene.h"

#include "canvas/edge_item.h"
#include "canvas/node_item.h"
#include "document/counted.h"
#include "document/node_text.h"
#include "document/project_document.h"
#include "document/spec_clipboard.h"
#include "document/spec_edits.h"
#include "model/names.h"

#include <QApplication>
#include <QClipboard>
#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QMimeData>
#include <QPalette>

namespace mtl::ui {

namespace {

QString edgeKey(const QString& from, const QString& to) { return from + '\n' + to; }

} // namespace

GraphScene::GraphScene(ProjectDocument* document, QObject* parent)
    : QGraphicsScene(parent), m_document(document) {
    setItemIndexMethod(NoIndex);
    connect(document, &ProjectDocument::documentReset, this, &GraphScene::rebuild);
    connect(document, &ProjectDocument::nodeAdded, this, &GraphScene::addNodeItem);
    connect(document, &ProjectDocument::nodeRemoved, this, &GraphScene::removeNodeItem);
    connect(document, &ProjectDocument::nodeMoved, this, &GraphScene::placeNode);
    connect(document, &ProjectDocument::edgeAdded, this, &GraphScene::addEdgeItem);
    connect(document, &ProjectDocument::edgeRemoved, this, &GraphScene::removeEdgeItem);
    // Every change ends with a new analysis (load and apply both re-analyse): one refresh each.
    connect(document, &ProjectDocument::analysisChanged, this, &GraphScene::refreshAll);
    connect(this, &QGraphicsScene::selectionChanged, this, [this] {
        const QStringList ids = selectedNodeIds();
        emit currentNodeChanged(ids.size() == 1 ? ids.front() : QString());
    });
    rebuild();
}

bool GraphScene::flowsDown() const {
    return m_document->spec().flow == core::LayoutFlow::TopToBottom;
}

EdgeItem* GraphScene::edgeItem(const QString& from, const QString& to) const {
    return m_edges.value(edgeKey(from, to));
}

void GraphScene::rebuild() {
    m_connectFrom = nullptr;
    m_rubberEdge = nullptr;
    clear();
    m_nodes.clear();
    m_edges.clear();
    for (const auto& node : m_document->spec().nodes) addNodeItem(QString::fromStdString(node.id));
    for (const auto& edge : m_document->spec().edges) {
        addEdgeItem(QString::fromStdString(edge.from), QString::fromStdString(edge.to));
    }
}

void GraphScene::addNodeItem(const QString& id) {
    if (m_nodes.contains(id)) return;
    auto* item = new NodeItem(m_document, id);
    m_nodes.insert(id, item);
    addItem(item);
    placeNode(id);
}

void GraphScene::removeNodeItem(const QString& id) {
    NodeItem* item = m_nodes.take(id);
    if (item == nullptr) return;
    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if (it.value()->fromNode() == item || it.value()->toNode() == item) {
            delete it.value();
            it = m_edges.erase(it);
        } else {
            ++it;
        }
    }
    if (m_connectFrom == item) m_connectFrom = nullptr;
    delete item;
}

void GraphScene::addEdgeItem(const QString& from, const QString& to) {
    NodeItem* a = m_nodes.value(from);
    NodeItem* b = m_nodes.value(to);
    if (a == nullptr || b == nullptr || m_edges.contains(edgeKey(from, to))) return;
    auto* edge = new EdgeItem(a, b, QColor(Qt::gray), true);
    m_edges.insert(edgeKey(from, to), edge);
    addItem(edge);
}

void GraphScene::removeEdgeItem(const QString& from, const QString& to) {
    delete m_edges.take(edgeKey(from, to));
}

void GraphScene::placeNode(const QString& id) {
    NodeItem* item = m_nodes.value(id);
    const core::NodeSpec* node = m_document->spec().find(id.toStdString());
    if (item == nullptr || node == nullptr) return;
    item->setPos(node->x, node->y);
    nodeItemMoved(item);
}

void GraphScene::refreshAll() {
    for (NodeItem* item : std::as_const(m_nodes)) item->refresh();
    for (EdgeItem* edge : std::as_const(m_edges)) {
        const auto tasks = m_document->tasksThrough(edge->toId().toStdString());
        edge->setColour(tasks.size() == 1 ? m_document->taskColour(tasks.front()) : QColor(Qt::gray),
                        tasks.size() != 1);
        edge->adjust();
    }
    update();
}

void GraphScene::nodeItemMoved(NodeItem* item) {
    for (EdgeItem* edge : std::as_const(m_edges)) {
        if (edge->fromNode() == item || edge->toNode() == item) edge->adjust();
    }
}

QStringList GraphScene::selectedNodeIds() const {
    QStringList ids;
    // In document order, so commands and tests see a stable order.
    for (const auto& node : m_document->spec().nodes) {
        const QString id = QString::fromStdString(node.id);
        if (NodeItem* item = m_nodes.value(id); item != nullptr && item->isSelected()) ids << id;
    }
    return ids;
}

void GraphScene::selectNode(const QString& id) {
    clearSelection();
    if (NodeItem* item = m_nodes.value(id)) {
        item->setSelected(true);
        for (QGraphicsView* view : views()) view->ensureVisible(item);
    }
}

QString GraphScene::addNode(core::NodeKind kind, QPointF scenePos) {
    core::ModelSpec spec = m_document->spec();
    core::NodeSpec node = makeNode(spec, kind, scenePos.x() - NodeItem::kWidth / 2,
                                   scenePos.y() - NodeItem::kHeight / 2);
    spec.nodes.push_back(node);
    m_document->editSpec(tr("Add %1").arg(kindTitle(kind)), spec);
    const QString id = QString::fromStdString(node.id);
    selectNode(id);
    return id;
}

bool GraphScene::connectNodes(const QString& from, const QString& to) {
    const std::string problem = connectionProblem(m_document->spec(), from.toStdString(), to.toStdString());
    if (!problem.empty()) {
        emit statusMessage(tr("Cannot connect %1 → %2: %3").arg(from, to, QString::fromStdString(problem)));
        return false;
    }
    core::ModelSpec spec = m_document->spec();
    addEdge(spec, from.toStdString(), to.toStdString());
    m_document->editSpec(tr("Connect %1 → %2").arg(from, to), spec);
    return true;
}

void GraphScene::deleteSelection() {
    const QStringList nodes = selectedNodeIds();
    core::ModelSpec spec = m_document->spec();
    std::vector<std::string> ids;
    for (const QString& id : nodes) ids.push_back(id.toStdString());
    int edges = 0;
    for (EdgeItem* edge : std::as_const(m_edges)) {
        if (edge->isSelected() && !nodes.contains(edge->fromId()) && !nodes.contains(edge->toId())) {
            removeEdge(spec, edge->fromId().toStdString(), edge->toId().toStdString());
            ++edges;
        }
    }
    removeNodes(spec, ids);
    if (nodes.isEmpty() && edges == 0) return;
    QString text;
    if (nodes.size() == 1 && edges == 0) {
        text = tr("Delete %1").arg(nodes.front());
    } else if (nodes.isEmpty()) {
        text = counted(edges, tr("Delete connection"), tr("Delete %1 connections"));
    } else {
        text = tr("Delete %1 items").arg(nodes.size() + edges);
    }
    m_document->editSpec(text, spec);
}

void GraphScene::copySelection() const {
    std::vector<std::string> ids;
    for (const QString& id : selectedNodeIds()) ids.push_back(id.toStdString());
    if (ids.empty()) return;
    const std::string text = specToClipboardText(extract(m_document->spec(), ids));
    auto* mime = new QMimeData;
    mime->setData(kNodesMime, QByteArray::fromStdString(text));
    mime->setText(QString::fromStdString(text));
    QApplication::clipboard()->setMimeData(mime);
}

void GraphScene::cutSelection() {
    copySelection();
    deleteSelection();
}

void GraphScene::paste() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime == nullptr) return;
    const QByteArray data = mime->hasFormat(kNodesMime) ? mime->data(kNodesMime) : mime->text().toUtf8();
    const auto part = specFromClipboardText(data.toStdString());
    if (!part || part->nodes.empty()) {
        emit statusMessage(tr("The clipboard holds no layers to paste"));
        return;
    }
    core::ModelSpec spec = m_document->spec();
    const auto added = ui::paste(spec, *part, 40.0, 40.0);
    m_document->editSpec(counted(int(added.size()), tr("Paste 1 node"), tr("Paste %1 nodes")),
                         spec);
    clearSelection();
    for (const auto& id : added) {
        if (NodeItem* item = m_nodes.value(QString::fromStdString(id))) item->setSelected(true);
    }
}

void GraphScene::autoLayout(std::optional<core::LayoutFlow> flow) {
    core::ModelSpec spec = m_document->spec();
    const bool turned = flow && *flow != spec.flow;
    if (flow)
        spec.flow = *flow;
    ui::autoLayout(spec);
    if (spec == m_document->spec())
        return; // already tidy
    m_document->editSpec(!turned                                      ? tr("Auto-layout")
                         : spec.flow == core::LayoutFlow::TopToBottom ? tr("Lay out top to bottom")
                                                                      : tr("Lay out left to right"),
                         spec);
}

NodeItem* GraphScene::nodeAt(QPointF scenePos) const {
    for (QGraphicsItem* item : items(scenePos)) {
        if (auto* node = dynamic_cast<NodeItem*>(item)) return node;
    }
    return nullptr;
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        for (NodeItem* item : std::as_const(m_nodes)) {
            if (item->isOnOutputPort(event->scenePos())) {
                m_connectFrom = item;
                m_rubberEdge = addPath(
                    EdgeItem::curve(item->outputPort(), event->scenePos(), item->flowsDown()),
                    QPen(QApplication::palette().color(QPalette::Highlight), 2, Qt::DashLine));
                event->accept();
                return;
            }
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_connectFrom != nullptr && m_rubberEdge != nullptr) {
        m_rubberEdge->setPath(EdgeItem::curve(m_connectFrom->outputPort(), event->scenePos(),
                                              m_connectFrom->flowsDown()));
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_connectFrom != nullptr) {
        delete m_rubberEdge;
        m_rubberEdge = nullptr;
        const QString from = m_connectFrom->id();
        m_connectFrom = nullptr;
        if (NodeItem* target = nodeAt(event->scenePos())) connectNodes(from, target->id());
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    commitMoves();
}

void GraphScene::commitMoves() {
    core::ModelSpec spec = m_document->spec();
    int moved = 0;
    QString last;
    for (auto& node : spec.nodes) {
        NodeItem* item = m_nodes.value(QString::fromStdString(node.id));
        if (item == nullptr || (item->pos() == QPointF(node.x, node.y))) continue;
        node.x = item->pos().x();
        node.y = item->pos().y();
        last = item->id();
        ++moved;
    }
    if (moved == 0) return;
    m_document->editSpec(moved == 1 ? tr("Move %1").arg(last) : tr("Move %1 nodes").arg(moved), spec);
}

void GraphScene::dragEnterEvent(QGraphicsSceneDragDropEvent* event) {
    event->setAccepted(event->mimeData()->hasFormat(kNodeKindMime));
}

void GraphScene::dragMoveEvent(QGraphicsSceneDragDropEvent* event) {
    event->setAccepted(event->mimeData()->hasFormat(kNodeKindMime));
}

void GraphScene::dropEvent(QGraphicsSceneDragDropEvent* event) {
    const auto kind = core::parseNodeKind(event->mimeData()->data(kNodeKindMime).toStdString());
    if (!kind) return;
    addNode(*kind, event->scenePos());
    event->acceptProposedAction();
}

} // namespace mtl::ui
