#include "panels/palette_panel.h"

#include "canvas/graph_scene.h"
#include "document/node_text.h"
#include "model/names.h"
#include "model/node_kind_info.h"

#include <QMimeData>
#include <QPainter>

namespace mtl::ui {

namespace {

// A small mark in the colour of the kind's family: weights, activations, shape, regularisation.
QIcon kindIcon(core::NodeKind kind) {
    QColor colour(0x60, 0x7d, 0x8b); // input and shape
    switch (core::kindInfo(kind).family) {
    case core::KindFamily::Input:
    case core::KindFamily::Shape:
        break;
    case core::KindFamily::Weights:
        colour = QColor(0x1e, 0x88, 0xe5);
        break;
    case core::KindFamily::Activation:
        colour = QColor(0x8e, 0x44, 0xad);
        break;
    case core::KindFamily::Regularisation:
        colour = QColor(0x00, 0x89, 0x7b);
        break;
    case core::KindFamily::Task:
        colour = QColor(0xe6, 0x7e, 0x22);
        break;
    }
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawRoundedRect(QRectF(4, 8, 24, 16), 5, 5);
    return QIcon(pixmap);
}

} // namespace

PalettePanel::PalettePanel(QWidget* parent) : QListWidget(parent) {
    setObjectName("palette");
    setDragEnabled(true);
    setDragDropMode(DragOnly);
    setSelectionMode(SingleSelection);
    setUniformItemSizes(true);
    setIconSize(QSize(20, 20));
    setSpacing(1);
    for (core::NodeKind kind : paletteKinds()) {
        auto* item = new QListWidgetItem(kindIcon(kind), kindTitle(kind), this);
        item->setData(Qt::UserRole, QString::fromUtf8(core::toString(kind).data()));
        item->setToolTip(kindDescription(kind) + tr("\nDrag onto the canvas, or double-click."));
    }
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (auto kind = core::parseNodeKind(item->data(Qt::UserRole).toString().toStdString())) emit addRequested(*kind);
    });
}

QStringList PalettePanel::mimeTypes() const { return {kNodeKindMime}; }

QMimeData* PalettePanel::mimeData(const QList<QListWidgetItem*>& items) const {
    if (items.isEmpty()) return nullptr;
    auto* mime = new QMimeData;
    mime->setData(kNodeKindMime, items.front()->data(Qt::UserRole).toString().toUtf8());
    return mime;
}

} // namespace mtl::ui
