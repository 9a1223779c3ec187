#include "canvas/node_item.h"

#include "canvas/graph_scene.h"
#include "document/node_text.h"
#include "document/project_document.h"
#include "model/names.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

namespace mtl::ui {

namespace {

constexpr double kCopyOffset = 6.0;
constexpr double kRadius = 7.0;
constexpr double kBadgeWidth = 150.0; // beside a node in a top-to-bottom layout

QColor problemColour(bool error) { return error ? QColor(0xd3, 0x2f, 0x2f) : QColor(0xe0, 0x9b, 0x00); }

} // namespace

NodeItem::NodeItem(ProjectDocument* document, QString id) : m_document(document), m_id(std::move(id)) {
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(1.0);
    refresh();
}

std::pair<QFont, QString> NodeItem::fittedTitle(QFont font, const QString& text, double room) {
    const double base = font.pointSizeF();
    for (const double factor : {1.0, 0.9, 0.8, 0.75}) {
        if (base > 0)
            font.setPointSizeF(base * factor);
        if (QFontMetricsF(font).horizontalAdvance(text) <= room || base <= 0)
            break;
    }
    return {font, QFontMetricsF(font).elidedText(text, Qt::ElideMiddle, room)};
}

bool NodeItem::flowsDown() const {
    return m_document->spec().flow == core::LayoutFlow::TopToBottom;
}

// Top and bottom ports sit half outside the body, clear of its text.
QPointF NodeItem::localInputPort() const {
    return flowsDown() ? QPointF(kWidth / 2, -kPortRadius / 2) : QPointF(0.0, kHeight / 2);
}

QPointF NodeItem::localOutputPort() const {
    return flowsDown() ? QPointF(kWidth / 2, kHeight + kPortRadius / 2)
                       : QPointF(kWidth, kHeight / 2);
}

QRectF NodeItem::boundingRect() const {
    const double copies = std::max(0, softCopies() - 1) * kCopyOffset;
    // Below the node (left to right) or beside it (top to bottom): the sharing badge.
    if (flowsDown())
        return QRectF(-4, -copies - kPortRadius - 4, kWidth + kBadgeWidth + 12,
                      kHeight + copies + 2 * kPortRadius + 8);
    return QRectF(-kPortRadius - 2, -copies - 4, kWidth + 2 * kPortRadius + 4, kHeight + copies + 24);
}

QPainterPath NodeItem::shape() const {
    QPainterPath path;
    const QRectF body = flowsDown() ? QRectF(0, -kPortRadius, kWidth, kHeight + 2 * kPortRadius)
                                    : QRectF(-kPortRadius, 0, kWidth + 2 * kPortRadius, kHeight);
    path.addRoundedRect(body, kRadius, kRadius);
    return path;
}

bool NodeItem::hasInputPort() const {
    const core::NodeSpec* node = m_document->spec().find(m_id.toStdString());
    return node != nullptr && node->kind != core::NodeKind::Input;
}

bool NodeItem::hasOutputPort() const {
    const core::NodeSpec* node = m_document->spec().find(m_id.toStdString());
    return node != nullptr && node->kind != core::NodeKind::TaskHead;
}

bool NodeItem::isOnOutputPort(QPointF scenePoint) const {
    return hasOutputPort() && QLineF(scenePoint, outputPort()).length() <= kPortRadius + 4;
}

int NodeItem::softCopies() const {
    const core::NodeSpec* node = m_document->spec().find(m_id.toStdString());
    if (node == nullptr || !core::hasParameters(node->kind) || node->sharing != core::SharingMode::Soft) return 0;
    return static_cast<int>(m_document->tasksThrough(node->id).size());
}

void NodeItem::refresh() {
    prepareGeometryChange();
    const core::NodeSpec* node = m_document->spec().find(m_id.toStdString());
    if (node == nullptr) return;
    QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3")
                      .arg(nodeTitle(*node).toHtmlEscaped(), m_id.toHtmlEscaped(),
                           kindExplanation(node->kind).toHtmlEscaped());
    // Its shapes, size and cost, from the core's analysis; the tasks it serves and how.
    const auto& analysis = m_document->analysis();
    const auto& graph = m_document->graph();
    const auto found = graph.byId.find(node->id);
    // (While an edit is applied the analysis may still be the previous spec's: sizes checked.)
    if (found != graph.byId.end() && std::size_t(found->second) < analysis.outputShapes.size() &&
        std::size_t(found->second) < graph.parent.size()) {
        const auto i = std::size_t(found->second);
        // What the layer reads: its parent; an expert gate's, the node its experts branch from.
        const bool gate = node->kind == core::NodeKind::ExpertGate && i < graph.source.size();
        const int parent = gate ? graph.source[i] : graph.parent[i];
        const bool known = parent >= 0 && std::size_t(parent) < analysis.outputShapes.size();
        const auto& in =
            known ? analysis.outputShapes[std::size_t(parent)] : std::optional<core::Shape>{};
        const auto& out = analysis.outputShapes[i];
        if (gate && i < graph.inputs.size() && in && out)
            tip += QObject::tr("<br>Gate input: %1 · %2 experts → output: %3")
                       .arg(QString::fromStdString(in->toString()))
                       .arg(graph.inputs[i].size())
                       .arg(QString::fromStdString(out->toString()));
        else if (node->kind == core::NodeKind::Input && out)
            tip += QObject::tr("<br>Output: %1").arg(QString::fromStdString(out->toString()));
        else if (in || out)
            tip += QObject::tr("<br>Input: %1 → output: %2")
                       .arg(in ? QString::fromStdString(in->toString()) : QObject::tr("?"),
                            out ? QString::fromStdString(out->toString()) : QObject::tr("?"));
        if (analysis.parameterCounts[i] > 0)
            tip += QObject::tr("<br>Parameters: %1")
                       .arg(countText(double(analysis.parameterCounts[i])));
        if (i < analysis.flopsPerNode.size() && analysis.flopsPerNode[i] > 0)
            tip += QObject::tr(" · FLOPs per sample: %1").arg(countText(analysis.flopsPerNode[i]));
    }
    const auto tasks = m_document->tasksThrough(node->id);
    if (node->kind != core::NodeKind::TaskHead && !tasks.empty()) {
        QStringList names;
        for (const auto& t : tasks)
            names << QString::fromStdString(t).toHtmlEscaped();
        QString sharing;
        if (core::hasParameters(node->kind) && tasks.size() > 1)
            sharing =
                node->sharing == core::SharingMode::Soft
                    ? QObject::tr(" — soft sharing: one copy per task, coupled by %1 with λ %2")
                              .arg(couplingTitle(node->coupling))
                              .arg(double(node->couplingStrength)) +
                          (node->crossStitch ? QObject::tr(", outputs mixed by a cross-stitch unit")
                                             : QString())
                    : QObject::tr(" — hard sharing: one set of weights for all of them");
        tip += QObject::tr("<br>Serves %1%2").arg(names.join(", "), sharing);
    }
    for (const auto& issue : m_document->issuesOf(node->id)) {
        tip += QStringLiteral("<br><b>%1</b> %2")
                   .arg(issue.severity == core::Severity::Error ? QObject::tr("Error:")
                                                                : QObject::tr("Warning:"),
                        QString::fromStdString(issue.message).toHtmlEscaped());
    }
    setToolTip(tip);
    update();
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionHasChanged) {
        if (auto* graph = dynamic_cast<GraphScene*>(scene())) graph->nodeItemMoved(this);
    }
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* /*option*/, QWidget* /*widget*/) {
    painter->setRenderHint(QPainter::Antialiasing);
    const int copies = softCopies();
    if (copies > 1) paintCopies(painter, copies);
    paintBody(painter);
    if (copies > 1)
        paintCrossStitch(painter);
    paintPorts(painter);
}

void NodeItem::paintCopies(QPainter* painter, int copies) const {
    const auto tasks = m_document->tasksThrough(m_id.toStdString());
    const QPalette palette = QApplication::palette();
    for (int c = copies - 1; c >= 1; --c) {
        const QRectF rect(c * kCopyOffset, -c * kCopyOffset, kWidth, kHeight);
        painter->setPen(QPen(m_document->taskColour(tasks[static_cast<std::size_t>(c)]), 1.5));
        painter->setBrush(palette.color(QPalette::AlternateBase));
        painter->drawRoundedRect(rect, kRadius, kRadius);
    }
}

// A cross-stitch unit after the copies: a purple crossed circle in the body's top-right corner.
void NodeItem::paintCrossStitch(QPainter* painter) const {
    const core::NodeSpec* node = m_document->spec().find(m_id.toStdString());
    if (node == nullptr || !node->crossStitch)
        return;
    const QPointF centre(kWidth - 11, 11);
    const double r = 6.5;
    painter->setPen(QPen(QColor(0x8e, 0x44, 0xad), 1.8));
    painter->setBrush(Qt::NoBrush);
    painter->drawEllipse(centre, r, r);
    const double d = r * 0.6;
    painter->drawLine(centre + QPointF(-d, -d), centre + QPointF(d, d));
    painter->drawLine(centre + QPointF(-d, d), centre + QPointF(d, -d));
}

void NodeItem::paintBody(QPainter* painter) const {
    const core::NodeSpec* node = m_document->spec().find(m_id.toStdString());
    if (node == nullptr) return;
    const QPalette palette = QApplication::palette();
    const QRectF body(0, 0, kWidth, kHeight);
    const auto issues = m_document->issuesOf(node->id);
    const bool hasError = std::any_of(issues.begin(), issues.end(),
                                      [](const core::SpecIssue& i) { return i.severity == core::Severity::Error; });
    const auto tasks = m_document->tasksThrough(node->id);
    const bool isHead = node->kind == core::NodeKind::TaskHead;
    const QColor accent = isHead ? m_document->taskColour(node->task.name) : palette.color(QPalette::Mid);

    QPen border(isSelected() ? palette.color(QPalette::Highlight) : accent, isSelected() ? 2.5 : 1.2);
    if (!issues.empty()) border = QPen(problemColour(hasError), isSelected() ? 3.0 : 2.0);
    painter->setPen(border);
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRoundedRect(body, kRadius, kRadius);

    // Header band: the task colour for heads, a neutral tone for layers.
    QPainterPath header;
    header.addRoundedRect(QRectF(1, 1, kWidth - 2, 24), kRadius - 1, kRadius - 1);
    header.addRect(QRectF(1, 14, kWidth - 2, 11));
    painter->setPen(Qt::NoPen);
    painter->setBrush(isHead ? accent : palette.color(QPalette::Button));
    painter->drawPath(header.simplified());

    QFont bold = painter->font();
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(isHead ? QColor(Qt::white) : palette.color(QPalette::ButtonText));
    // The title fits its band: a long one (a task's name) in a smaller type, down to three
    // quarters; beyond that its middle is elided (the whole name is in the tooltip).
    const double room = issues.empty() ? kWidth - 14 : kWidth - 30;
    const auto [titleFont, title] = fittedTitle(bold, nodeTitle(*node), room);
    painter->setFont(titleFont);
    painter->drawText(QRectF(7, 1, room, 24), Qt::AlignVCenter | Qt::AlignLeft, title);
    painter->setFont(bold);
    if (!issues.empty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(problemColour(hasError));
        painter->drawEllipse(QPointF(kWidth - 13, 13), 8, 8);
        painter->setPen(Qt::white);
        painter->drawText(QRectF(kWidth - 21, 5, 16, 16), Qt::AlignCenter, "!");
    }

    QFont small = painter->font();
    small.setBold(false);
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    painter->setPen(palette.color(QPalette::Text));
    QString detail = nodeDetail(*node);
    if (isHead && !node->task.targets.empty()) {
        detail = QString::fromStdString(node->task.targets.front()) +
                 (node->task.targets.size() > 1 ? QStringLiteral(" +%1").arg(node->task.targets.size() - 1) : QString()) +
                 " · " + detail;
    }
    if (detail.isEmpty()) detail = m_id;
    painter->drawText(QRectF(8, 27, kWidth - 16, 20), Qt::AlignVCenter | Qt::AlignLeft,
                      painter->fontMetrics().elidedText(detail, Qt::ElideRight, int(kWidth - 16)));

    // Output shape and parameter count, from the core's analysis.
    const auto& analysis = m_document->analysis();
    const auto index = m_document->graph().byId.find(node->id);
    QString facts;
    if (index != m_document->graph().byId.end() && static_cast<std::size_t>(index->second) < analysis.outputShapes.size()) {
        const auto i = static_cast<std::size_t>(index->second);
        if (analysis.outputShapes[i]) facts = "→ " + QString::fromStdString(analysis.outputShapes[i]->toString());
        if (analysis.parameterCounts[i] > 0) facts += QObject::tr(" · %1 p").arg(countText(double(analysis.parameterCounts[i])));
    }
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(QRectF(8, 47, kWidth - 16, 20), Qt::AlignVCenter | Qt::AlignLeft,
                      painter->fontMetrics().elidedText(facts, Qt::ElideRight, int(kWidth - 16)));

    // Sharing: which tasks flow through a layer, and how its parameters are shared.
    // Below the node when data flows right, beside it (dots above the words) when it flows down,
    // where the edges leave from the bottom.
    if (!isHead && tasks.size() > 1) {
        const bool down = flowsDown();
        const double left = down ? kWidth + 10 : 4;
        double x = left;
        const double dotsY = down ? kHeight / 2 - 14 : kHeight + 4;
        for (const auto& task : tasks) {
            painter->setPen(Qt::NoPen);
            painter->setBrush(m_document->taskColour(task));
            painter->drawEllipse(QRectF(x, dotsY, 9, 9));
            x += 12;
        }
        if (core::hasParameters(node->kind)) {
            const bool soft = node->sharing == core::SharingMode::Soft;
            // The coupling in place of "soft" when it is not the default: "trace ×2 · λ 0.01".
            const QString coupling =
                node->coupling == core::Coupling::TraceNorm      ? QObject::tr("trace")
                : node->coupling == core::Coupling::Relationship ? QObject::tr("MTRL")
                                                                 : QObject::tr("soft");
            const QString badge = soft ? QObject::tr("%1 ×%2 · λ %3")
                                             .arg(coupling)
                                             .arg(tasks.size())
                                             .arg(double(node->couplingStrength))
                                       : QObject::tr("hard · shared by %1").arg(tasks.size());
            painter->setPen(soft ? QColor(0x8e, 0x44, 0xad) : palette.color(QPalette::Text));
            const QRectF where = down ? QRectF(left, kHeight / 2, kBadgeWidth, 16)
                                      : QRectF(x + 2, kHeight + 1, kWidth - x, 16);
            painter->drawText(where, Qt::AlignVCenter | Qt::AlignLeft, badge);
        }
    }
}

void NodeItem::paintPorts(QPainter* painter) const {
    const QPalette palette = QApplication::palette();
    painter->setPen(QPen(palette.color(QPalette::Text), 1.2));
    painter->setBrush(palette.color(QPalette::Window));
    if (hasInputPort())
        painter->drawEllipse(localInputPort(), kPortRadius - 1, kPortRadius - 1);
    if (hasOutputPort()) {
        painter->setBrush(palette.color(QPalette::Highlight));
        painter->drawEllipse(localOutputPort(), kPortRadius, kPortRadius);
    }
}

} // namespace mtl::ui
