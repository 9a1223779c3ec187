#pragma once
// Type-to-add: a small search box over the canvas listing the layer kinds that match.

#include "model/model_spec.h"

#include <QFrame>

class QLineEdit;
class QListWidget;

namespace mtl::ui {

class QuickAddPopup : public QFrame {
    Q_OBJECT
public:
    explicit QuickAddPopup(QWidget* parent);

    void open(QPoint globalPos, const QString& typed);
    QLineEdit* searchField() const { return m_search; }
    QListWidget* list() const { return m_list; }

signals:
    void chosen(core::NodeKind kind);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void filter(const QString& text);
    void choose();

    QLineEdit* m_search;
    QListWidget* m_list;
};

} // namespace mtl::ui
