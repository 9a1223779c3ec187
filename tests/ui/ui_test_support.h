#pragma once
// Helpers for the QtTest suites: a main window on the demo project (dataset loaded), and finding
// nodes and undo texts.

#include "canvas/graph_scene.h"
#include "canvas/graph_view.h"
#include "document/project_document.h"
#include "window/main_window.h"

#include <QAbstractButton>
#include <QApplication>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <functional>
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

// Answers the next message box the app shows with `button`, as a user would click it. Returns a
// flag set once it was answered, and the box's text.
struct MessageAnswer {
    bool answered = false;
    QString text;
};
inline std::shared_ptr<MessageAnswer> answerNextMessageBox(QMessageBox::StandardButton button) {
    auto answer = std::make_shared<MessageAnswer>();
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, answer, button, polls = 0]() mutable {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box == nullptr) {
            if (++polls > 500)
                timer->deleteLater(); // none came within 10 s: the test fails on `answered`
            return;
        }
        answer->text = box->text();
        answer->answered = true;
        timer->stop();
        timer->deleteLater();
        box->button(button)->click();
    });
    timer->start();
    return answer;
}

// Waits, the event loop running, until `condition` holds; false on time-out.
inline bool waitFor(const std::function<bool()>& condition, int timeoutMs = 20000) {
    QElapsedTimer timer;
    timer.start();
    while (!condition() && timer.elapsed() < timeoutMs)
        QTest::qWait(10);
    return condition();
}

inline QString undoText(MainWindow& window) { return window.document()->undoStack()->undoText(); }

inline int errorCount(const ProjectDocument& document) {
    int errors = 0;
    for (const auto& issue : document.analysis().issues) errors += issue.severity == core::Severity::Error ? 1 : 0;
    return errors;
}

} // namespace mtl::ui::test
