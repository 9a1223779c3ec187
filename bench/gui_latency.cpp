// mtl-gui-latency: is the window still smooth while it trains? Opens the real main window on the
// `mlp-large` workload (784 → 1024 → 1024 → 3 heads of 256, 3 ten-class tasks, batch 128, on
// synthetic data), presses Train, and for N seconds measures
//   - the event loop's worst gap: a 5 ms timer's longest interval (target < 50 ms),
//   - how often the charts redraw (target ≥ 10 per second),
// then times one chart refresh of a run with a million steps per task (bounded store,
// decimated drawing). Prints a table and one JSON line.
//   QT_QPA_PLATFORM=offscreen mtl-gui-latency [--seconds 10] [--threads 0] [--relations N]
// --relations N measures the task relations every N steps and shows the Task relations view
// (redrawn live) instead of the loss charts.
#include "workloads.h"

#include "document/project_document.h"
#include "training/chart_panel.h"
#include "training/training_controller.h"
#include "relations/relations_view.h"
#include "training/training_panel.h"
#include "window/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace mtl;

namespace {

core::Project mlpLargeProject(int threads, int relationsEvery) {
    core::Project project;
    project.name = "mlp-large";
    project.model = bench::makeWorkload("mlp-large").spec;
    project.dataset.kind = core::DatasetKind::Synthetic;
    project.dataset.synthetic.samples = 4096;
    project.dataset.synthetic.features = 784;
    project.dataset.synthetic.tasks = 3;
    project.dataset.synthetic.classification = true;
    project.dataset.synthetic.classes = 10;
    project.training.batchSize = 128;
    project.training.epochs = 10000;
    project.training.threads = threads;
    project.training.relationsEvery = relationsEvery;
    return project;
}

double millionStepRefreshMs() {
    auto run = std::make_shared<ui::RunData>();
    run->name = "synthetic";
    run->metrics = core::RunMetrics({"task1", "task2", "task3"}, 1000);
    core::StepRecord step;
    step.taskLoss.resize(3);
    step.rows = 128;
    for (long s = 1; s <= 1'000'000; ++s) {
        step.step = s;
        step.seconds = double(s) * 1e-3;
        for (int t = 0; t < 3; ++t) step.taskLoss[std::size_t(t)] = float(1.0 / (1.0 + s * 1e-4) + 0.05 * std::sin(s * (t + 1)));
        step.total = step.taskLoss[0] + step.taskLoss[1] + step.taskLoss[2];
        run->metrics.addStep(step);
    }
    ui::ChartPanel charts;
    charts.resize(1200, 800);
    charts.show();
    charts.setRuns({run});
    std::vector<double> times;
    for (int i = 0; i < 15; ++i) {
        QElapsedTimer timer;
        timer.start();
        charts.refresh();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    std::printf("1,000,000-step run: %d points drawn, refresh %.1f ms (median of 15)\n", charts.drawnPoints(), times[7]);
    return times[7];
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    int seconds = 10;
    int threads = 0;
    int relations = 0;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--relations") == 0) relations = std::atoi(argv[i + 1]);
    }
    ui::MainWindow::setNonInteractive(true);
    ui::MainWindow window;
    window.resize(1500, 900);
    window.show();
    window.openProjectValue(mlpLargeProject(threads, relations), {});
    if (!window.document()->waitForDataset()) {
        std::fprintf(stderr, "mtl-gui-latency: the dataset did not load: %s\n", qPrintable(window.document()->dataMessage()));
        return 1;
    }
    window.train();
    auto* panel = window.trainingPanel();
    if (relations > 0) panel->views()->setCurrentWidget(panel->relationsView());
    if (!panel->isTraining()) {
        std::fprintf(stderr, "mtl-gui-latency: training did not start: %s\n", qPrintable(panel->statusText()));
        return 1;
    }
    // Let the first steps (and the first chart build) pass, then measure.
    QElapsedTimer warm;
    warm.start();
    while (warm.elapsed() < 1000) QApplication::processEvents(QEventLoop::AllEvents, 5);

    QElapsedTimer clock;
    QElapsedTimer sinceTick;
    qint64 worstNs = 0;
    long ticks = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        worstNs = std::max(worstNs, sinceTick.nsecsElapsed());
        sinceTick.restart();
        ++ticks;
    });
    if (!panel->isTraining()) {
        std::fprintf(stderr, "mtl-gui-latency: training ended early: %s\n", qPrintable(panel->statusText()));
        return 1;
    }
    const ui::RunPtr run = panel->controller()->run();
    const int refreshesBefore = panel->charts()->refreshCount();
    const long stepsBefore = run->metrics.lastStep();
    clock.start();
    sinceTick.start();
    probe.start();
    double elapsed = 0.0;
    int refreshes = 0;
    long steps = 0;
    // Read the counters before quitting: quitting closes the window, which stops the run.
    QTimer::singleShot(seconds * 1000, &app, [&] {
        probe.stop();
        elapsed = double(clock.nsecsElapsed()) / 1e9;
        refreshes = panel->charts()->refreshCount() - refreshesBefore;
        steps = run->metrics.lastStep() - stepsBefore;
        QApplication::quit();
    });
    QApplication::exec();
    panel->stopAndWait();

    const double worstMs = double(worstNs) / 1e6;
    const double perSecond = refreshes / elapsed;
    std::printf("training mlp-large for %.1f s: %ld steps (%.0f samples/s)\n", elapsed, steps, steps * 128.0 / elapsed);
    std::printf("event loop: worst gap %.1f ms over %ld ticks of 5 ms (target < 50 ms)\n", worstMs, ticks);
    std::printf("charts: %.1f refreshes per second (target >= 10)\n", perSecond);
    const double millionMs = millionStepRefreshMs();
    std::printf("{\"bench\":\"gui-latency\",\"workload\":\"mlp-large\",\"seconds\":%.1f,\"steps\":%ld,"
                "\"worst_gap_ms\":%.2f,\"refreshes_per_second\":%.2f,\"million_step_refresh_ms\":%.2f}\n",
                elapsed, steps, worstMs, perSecond, millionMs);
    return 0;
}
