#pragma once
// The layer palette: drag a kind onto the canvas, or double-click to add it in the view's centre.

#include "model/model_spec.h"

#include <QListWidget>

namespace mtl::ui {

class PalettePanel : public QListWidget {
    Q_OBJECT
public:
    explicit PalettePanel(QWidget* parent = nullptr);

signals:
    void addRequested(core::NodeKind kind);

protected:
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
    QStringList mimeTypes() const override;
};

} // namespace mtl::ui
