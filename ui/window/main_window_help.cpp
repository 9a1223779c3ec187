// The main window's windows of information: the network analysis, the user guide and the list of
// keyboard shortcuts.

#include "canvas/graph_scene.h"
#include "dialogs/analysis_dialog.h"
#include "dialogs/user_guide_dialog.h"
#include "window/main_window.h"

#include "experiments/experiment_view.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mtl::ui {

namespace {

template <typename Dialog> Dialog* bringUp(Dialog* dialog) {
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

void collectShortcuts(const QMenu* menu, const QString& path, QList<QPair<QString, QString>>& out) {
    for (QAction* action : menu->actions()) {
        const QString title = QString(action->text()).remove('&').remove(QStringLiteral("…"));
        if (action->menu() != nullptr) {
            collectShortcuts(action->menu(), path + " → " + title, out);
            continue;
        }
        if (action->shortcut().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence& key : action->shortcuts())
            keys << key.toString(QKeySequence::NativeText);
        out.append({path + " → " + title, keys.join(", ")});
    }
}

} // namespace

AnalysisDialog* MainWindow::showAnalysis() {
    if (!m_analysis) {
        m_analysis = new AnalysisDialog(m_document, this);
        connect(m_analysis, &AnalysisDialog::nodeActivated, this, [this](const QString& id) {
            showDesign();
            m_scene->selectNode(id);
        });
    }
    return bringUp(m_analysis.data());
}

ExperimentView* MainWindow::showExperiments() {
    if (!m_experimentsWindow) {
        m_experimentsWindow = new QDialog(this);
        m_experimentsWindow->setWindowTitle(tr("Experiments"));
        auto* layout = new QVBoxLayout(m_experimentsWindow);
        layout->setContentsMargins(6, 6, 6, 6);
        m_experimentView = new ExperimentView(m_document, m_experimentsWindow);
        layout->addWidget(m_experimentView);
        m_experimentsWindow->resize(1100, 760);
    }
    bringUp(m_experimentsWindow.data());
    return m_experimentView;
}

UserGuideDialog* MainWindow::showUserGuide() {
    if (!m_guide)
        m_guide = new UserGuideDialog(this);
    return bringUp(m_guide.data());
}

QList<QPair<QString, QString>> MainWindow::shortcutList() const {
    QList<QPair<QString, QString>> list;
    for (QAction* action : menuBar()->actions()) {
        if (action->menu() != nullptr)
            collectShortcuts(action->menu(), QString(action->text()).remove('&'), list);
    }
    // What the canvas and the lists do besides the menus.
    list.append({tr("Canvas → Add a layer by name"), tr("Click the canvas, then type its name")});
    list.append(
        {tr("Canvas → Connect two layers"), tr("Drag from an output port (right) to a node")});
    list.append({tr("Canvas → Zoom"), tr("Mouse wheel")});
    list.append({tr("Canvas → Pan"), tr("Middle button drag, or Space + drag")});
    list.append({tr("Canvas → Select several"), tr("Rubber band, or Ctrl + click")});
    list.append({tr("Runs list → Rename a run"), tr("F2, or double-click its name")});
    list.append({tr("Runs list → Delete the selected runs"),
                 QKeySequence(QKeySequence::Delete).toString(QKeySequence::NativeText)});
    list.append({tr("Runs list → Overlay runs"), tr("Ctrl + click or Shift + click several")});
    list.append({tr("Charts → Zoom into a region"), tr("Drag a rectangle; right-click zooms out")});
    return list;
}

QDialog* MainWindow::showShortcuts() {
    if (!m_shortcuts) {
        auto* dialog = new QDialog(this);
        dialog->setObjectName("shortcuts");
        dialog->setWindowTitle(tr("Keyboard shortcuts"));
        const auto list = shortcutList();
        auto* table = new QTableWidget(int(list.size()), 2, dialog);
        table->setHorizontalHeaderLabels({tr("Command"), tr("Keys")});
        table->verticalHeader()->hide();
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
        table->horizontalHeader()->setStretchLastSection(true);
        for (int r = 0; r < list.size(); ++r) {
            table->setItem(r, 0, new QTableWidgetItem(list[r].first));
            table->setItem(r, 1, new QTableWidgetItem(list[r].second));
        }
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(table);
        layout->addWidget(buttons);
        dialog->resize(620, 560);
        m_shortcuts = dialog;
    }
    return bringUp(m_shortcuts.data());
}

} // namespace mtl::ui
