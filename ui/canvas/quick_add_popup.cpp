#include "canvas/quick_add_popup.h"

#include "document/node_text.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace mtl::ui {

QuickAddPopup::QuickAddPopup(QWidget* parent)
    : QFrame(parent, Qt::Popup), m_search(new QLineEdit(this)), m_list(new QListWidget(this)) {
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    m_search->setPlaceholderText(tr("Add a layer…"));
    m_search->installEventFilter(this);
    for (core::NodeKind kind : paletteKinds()) {
        auto* item = new QListWidgetItem(kindTitle(kind), m_list);
        item->setData(Qt::UserRole, int(kind));
        item->setToolTip(kindDescription(kind));
    }
    resize(220, 260);
    connect(m_search, &QLineEdit::textChanged, this, &QuickAddPopup::filter);
    connect(m_search, &QLineEdit::returnPressed, this, &QuickAddPopup::choose);
    connect(m_list, &QListWidget::itemActivated, this, &QuickAddPopup::choose);
}

void QuickAddPopup::open(QPoint globalPos, const QString& typed) {
    move(globalPos);
    m_search->setText(typed);
    filter(typed);
    show();
    m_search->setFocus();
}

void QuickAddPopup::filter(const QString& text) {
    QListWidgetItem* first = nullptr;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* item = m_list->item(i);
        const bool match = item->text().contains(text.trimmed(), Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && first == nullptr) first = item;
    }
    m_list->setCurrentItem(first);
}

void QuickAddPopup::choose() {
    QListWidgetItem* item = m_list->currentItem();
    if (item == nullptr || item->isHidden()) return;
    hide();
    emit chosen(static_cast<core::NodeKind>(item->data(Qt::UserRole).toInt()));
}

bool QuickAddPopup::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            int row = m_list->currentRow();
            do {
                row += key == Qt::Key_Down ? 1 : -1;
            } while (row >= 0 && row < m_list->count() && m_list->item(row)->isHidden());
            if (row >= 0 && row < m_list->count()) m_list->setCurrentRow(row);
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace mtl::ui
