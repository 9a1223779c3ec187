// mtl-workbench: the desktop app. Opens PROJECT, or the bundled demo project.
//   mtl-workbench [PROJECT]
//   mtl-workbench --screenshot FILE.png [PROJECT]   render the window to a PNG and exit
#include "canvas/graph_view.h"
#include "document/project_document.h"
#include "window/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

namespace {

int screenshot(mtl::ui::MainWindow& window, const QString& file) {
    window.resize(1500, 900);
    window.show();
    window.document()->waitForDataset();
    QApplication::processEvents();
    window.view()->showGraph();
    QApplication::processEvents();
    if (!window.grab().save(file)) {
        std::fprintf(stderr, "mtl-workbench: cannot write %s\n", qPrintable(file));
        return 1;
    }
    std::printf("%s\n", qPrintable(file));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("MTL Workbench");
    QApplication::setOrganizationName("MTL Workbench");
    QApplication::setApplicationVersion(MTL_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Design, train and compare multi-task neural networks.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({"screenshot", "Render the window to FILE (PNG) and exit.", "FILE"});
    parser.addPositionalArgument("project", "The project to open (*.mtl.json); default: the demo project.");
    parser.process(app);

    const bool shooting = parser.isSet("screenshot");
    mtl::ui::MainWindow::setNonInteractive(shooting);
    mtl::ui::MainWindow window;
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty()) {
        if (!window.openProject(files.front()) && shooting) return 1;
    } else if (shooting || !window.offerRecovery()) {
        window.openBundledDemo();
    }
    if (shooting) return screenshot(window, parser.value("screenshot"));
    window.show();
    return QApplication::exec();
}
