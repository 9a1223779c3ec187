#pragma once
// Helpers for the QtTest suites: a main window on the demo project (dataset loaded), and finding
// nodes and undo texts.

#include "canvas/graph_scene.h"
#include "canvas/graph_view.h"
#include "document/project_document.h"
#include "window/main_window.h"

#include <QStandardPaths>
#include <QTest>

#include <memory>

namespace mtl::ui::test {

inline std::unique_ptr<MainWindow> demoWindow() {
    QStandardPaths::setTestModeEnabled(true);
    MainWindow::setNonInteractive(true);
    auto window = std::make_unique<MainWindow>();
    window->openBundledDemo();
    window->resize(1400, 900);
    window->show();
    if (!window->document()->waitForDataset()) qFatal("the demo dataset did not load");
    return window;
}

inline QString undoText(MainWindow& window) { return window.document()->undoStack()->undoText(); }

inline int errorCount(const ProjectDocument& document) {
    int errors = 0;
    for (const auto& issue : document.analysis().issues) errors += issue.severity == core::Severity::Error ? 1 : 0;
    return errors;
}

} // namespace mtl::ui::test
