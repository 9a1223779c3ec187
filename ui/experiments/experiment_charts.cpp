#include "experiments/experiment_charts.h"

#include "document/project_document.h"
#include "runs/run_directory.h"

#include <QChart>
#include <QDir>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace mtl::ui {

namespace {

QChart* freshChart(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

// Axes fitted to the values with a little room.
// Shows `chart`, deleting the one it replaces (the view releases it without deleting it).
void replaceChart(QChartView* view, QChart* chart) {
    QChart* old = view->chart();
    view->setChart(chart);
    delete old;
}

void addAxes(QChart* chart, double minX, double maxX, double minY, double maxY, const QString& x,
             const QString& y) {
    auto pad = [](double& lo, double& hi) {
        const double room = std::max(1e-9, (hi - lo) * 0.08);
        lo -= room;
        hi += room;
    };
    pad(minX, maxX);
    pad(minY, maxY);
    auto* ax = new QValueAxis;
    ax->setRange(minX, maxX);
    ax->setTitleText(x);
    auto* ay = new QValueAxis;
    ay->setRange(minY, maxY);
    ay->setTitleText(y);
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
}

QColor configColour(int row) {
    static const QColor colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                     "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                     "#bcbd22", "#17becf", "#393b79", "#637939"};
    return colours[std::size_t(row) % std::size(colours)];
}

} // namespace

ExperimentScatter::ExperimentScatter(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 240);
}

void ExperimentScatter::show(const core::ExperimentState& state, const core::ExperimentTable& table,
                             int highlight) {
    m_front.clear();
    QChart* chart = freshChart(tr("Task against task"));
    if (table.tasks.size() != 2) {
        chart->setTitle(
            tr("The task-against-task picture needs exactly two tasks (this experiment has %1)")
                .arg(table.tasks.size()));
        replaceChart(this, chart);
        return;
    }
    const core::ExperimentTask& a = table.tasks[0];
    const core::ExperimentTask& b = table.tasks[1];
    double minX = INFINITY, maxX = -INFINITY, minY = INFINITY, maxY = -INFINITY;
    auto extend = [&](double x, double y) {
        minX = std::min(minX, x);
        maxX = std::max(maxX, x);
        minY = std::min(minY, y);
        maxY = std::max(maxY, y);
    };
    std::vector<std::array<double, 2>> means;
    std::vector<std::size_t> meanRows;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const core::ExperimentRow& row = table.rows[r];
        if (row.config < 0)
            continue;
        auto* runs = new QScatterSeries;
        runs->setName(QString::fromStdString(row.label));
        runs->setColor(configColour(int(r)));
        runs->setBorderColor(configColour(int(r)));
        runs->setMarkerSize(int(r) == highlight ? 10 : 7);
        for (std::size_t job : row.jobs) {
            const double x = state.results[job].metrics[0];
            const double y = state.results[job].metrics[1];
            if (!std::isfinite(x) || !std::isfinite(y))
                continue;
            runs->append(x, y);
            extend(x, y);
        }
        chart->addSeries(runs);
        if (row.tasks[0].count > 0 && row.tasks[1].count > 0) {
            means.push_back({row.tasks[0].mean, row.tasks[1].mean});
            meanRows.push_back(r);
        }
    }
    // Each configuration's mean: a large square in its colour (one legend entry for them all).
    bool first = true;
    for (std::size_t i = 0; i < means.size(); ++i) {
        auto* mean = new QScatterSeries;
        mean->setName(tr("configuration means"));
        mean->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        mean->setMarkerSize(14);
        mean->setColor(configColour(int(meanRows[i])).lighter(150));
        mean->setBorderColor(Qt::black);
        mean->append(means[i][0], means[i][1]);
        extend(means[i][0], means[i][1]);
        chart->addSeries(mean);
        if (!first)
            chart->legend()->markers(mean).front()->setVisible(false);
        first = false;
    }
    for (std::size_t i : core::paretoFront(means, {a.higherIsBetter, b.higherIsBetter}))
        m_front.push_back(meanRows[i]);
    std::vector<QPointF> frontPoints;
    for (std::size_t r : m_front)
        frontPoints.emplace_back(table.rows[r].tasks[0].mean, table.rows[r].tasks[1].mean);
    std::sort(frontPoints.begin(), frontPoints.end(),
              [](QPointF p, QPointF q) { return p.x() < q.x(); });
    auto* front = new QLineSeries;
    front->setName(tr("Pareto front of the means"));
    QPen pen(Qt::black);
    pen.setWidthF(1.5);
    pen.setStyle(Qt::DashLine);
    front->setPen(pen);
    for (QPointF p : frontPoints)
        front->append(p);
    chart->addSeries(front);
    for (const core::ExperimentRow& row : table.rows) {
        if (row.config >= 0 || row.tasks[0].count == 0 || row.tasks[1].count == 0)
            continue;
        auto* single = new QScatterSeries;
        single->setName(tr("single-task baselines"));
        single->setMarkerShape(QScatterSeries::MarkerShapeStar);
        single->setMarkerSize(16);
        single->setColor(Qt::black);
        single->append(row.tasks[0].mean, row.tasks[1].mean);
        extend(row.tasks[0].mean, row.tasks[1].mean);
        chart->addSeries(single);
    }
    if (std::isfinite(minX)) {
        const auto axisTitle = [&](const core::ExperimentTask& task) {
            return tr("%1 %2 (%3)")
                .arg(QString::fromStdString(task.name), QString::fromStdString(task.metric),
                     QString::fromStdString(table.split));
        };
        addAxes(chart, minX, maxX, minY, maxY, axisTitle(a), axisTitle(b));
    }
    replaceChart(this, chart);
}

ExperimentCurves::ExperimentCurves(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 200);
}

int ExperimentCurves::seriesCount() const {
    return int(chart()->series().size());
}

void ExperimentCurves::show(const QString& directory, const core::ExperimentState& state,
                            const core::ExperimentRow* row) {
    QChart* chart = freshChart(row ? tr("%1: validation per epoch, one line per run")
                                         .arg(QString::fromStdString(row->label))
                                   : tr("Select a row to see its runs' curves"));
    double minY = INFINITY, maxY = -INFINITY, maxX = 1;
    const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    int seed = 0;
    for (std::size_t job : row ? row->jobs : std::vector<std::size_t>{}) {
        core::RunContents run;
        try {
            run =
                core::readRunDirectory(QDir(directory)
                                           .filePath(QString::fromStdString(state.jobs[job].folder))
                                           .toStdString(),
                                       state.results[job].epochs);
        } catch (const std::exception&) {
            continue; // a folder removed by hand: the table still has its numbers
        }
        for (std::size_t t = 0; t < run.metrics.taskCount(); ++t) {
            auto* series = new QLineSeries;
            series->setName(tr("%1 %2, seed %3")
                                .arg(QString::fromStdString(run.metrics.tasks()[t]),
                                     QString::fromStdString(run.metrics.metricName(t)))
                                .arg(state.jobs[job].seed));
            int colour = int(t);
            for (std::size_t k = 0; k < state.tasks.size(); ++k) {
                if (state.tasks[k].name == run.metrics.tasks()[t])
                    colour = int(k);
            }
            QPen pen(ProjectDocument::taskColour(colour));
            pen.setWidthF(1.6);
            pen.setStyle(styles[seed % 4]);
            series->setPen(pen);
            for (std::size_t e = 0; e < run.metrics.epochs().size(); ++e) {
                const double y = run.metrics.epochMetric(e, t);
                if (!std::isfinite(y))
                    continue;
                series->append(double(e + 1), y);
                minY = std::min(minY, y);
                maxY = std::max(maxY, y);
                maxX = std::max(maxX, double(e + 1));
            }
            chart->addSeries(series);
        }
        ++seed;
    }
    if (std::isfinite(minY)) {
        addAxes(chart, 1, maxX, minY, maxY, tr("epoch"), tr("validation metric"));
        // Whole epochs on the x axis.
        auto* epochs = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).front());
        epochs->setRange(1, std::max(2.0, maxX));
        epochs->setTickType(QValueAxis::TicksDynamic);
        epochs->setTickAnchor(1);
        epochs->setTickInterval(std::max(1.0, std::ceil((maxX - 1) / 10)));
        epochs->setLabelFormat("%.0f");
    }
    replaceChart(this, chart);
}

} // namespace mtl::ui
