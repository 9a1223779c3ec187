// The View menu: zoom, fit, the graph's layout and flow, the panels and the theme.

#include "canvas/graph_scene.h"
#include "canvas/graph_view.h"
#include "document/project_document.h"
#include "window/main_window.h"

#include <QActionGroup>
#include <QDockWidget>
#include <QIcon>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>

namespace mtl::ui {

void MainWindow::tidyLayout(std::optional<core::LayoutFlow> flow) {
    showDesign();
    m_scene->autoLayout(flow);
    m_view->fitToView();
}

void MainWindow::createViewMenu() {
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, this,
                          [this] { m_view->zoomBy(1.2); });
    m_viewMenu->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, this,
                          [this] { m_view->zoomBy(1 / 1.2); });
    m_viewMenu->addAction(QIcon(":/icons/fit.svg"), tr("&Fit to view"), Qt::CTRL | Qt::Key_0,
                          m_view, &GraphView::fitToView);
    m_viewMenu->addAction(tr("&Actual size"), Qt::CTRL | Qt::Key_1, m_view, &GraphView::resetZoom);
    m_viewMenu->addAction(QIcon(":/icons/layout.svg"), tr("Auto-&layout"), Qt::CTRL | Qt::Key_L,
                          this, [this] { tidyLayout(); });
    // Which way data flows on the canvas: a choice kept with the project.
    auto* flows = new QActionGroup(this);
    QAction* across = m_viewMenu->addAction(tr("Lay out left to &right"), this,
                                            [this] { tidyLayout(core::LayoutFlow::LeftToRight); });
    QAction* down =
        m_viewMenu->addAction(tr("Lay out &top to bottom"), Qt::CTRL | Qt::SHIFT | Qt::Key_L, this,
                              [this] { tidyLayout(core::LayoutFlow::TopToBottom); });
    across->setObjectName("flowAcross");
    down->setObjectName("flowDown");
    down->setToolTip(tr("Input at the top, task heads at the bottom: long chains of layers fit a "
                        "wide screen better"));
    for (QAction* action : {across, down}) {
        action->setCheckable(true);
        flows->addAction(action);
    }
    const auto showFlow = [this, down, across] {
        (m_document->spec().flow == core::LayoutFlow::TopToBottom ? down : across)
            ->setChecked(true);
    };
    connect(m_document, &ProjectDocument::changed, this, showFlow);
    connect(m_document, &ProjectDocument::documentReset, this, showFlow);
    showFlow();
    m_viewMenu->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addSeparator();
    QMenu* theme = m_viewMenu->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    const QString current = QSettings().value("theme", "system").toString();
    for (const auto& [key, title] :
         {std::pair{"system", tr("Follow the system")}, std::pair{"light", tr("Light")},
          std::pair{"dark", tr("Dark")}}) {
        QAction* action =
            theme->addAction(title, this, [this, k = QString(key)] { applyTheme(k); });
        action->setCheckable(true);
        action->setChecked(current == key);
        themes->addAction(action);
    }
}

} // namespace mtl::ui
