#include "training/chart_panel.h"

#include "io/metrics_csv.h"
#include "training/chart_style.h"
#include "util/atomic_file.h"

#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QValueAxis>

#include <cmath>

namespace mtl::ui {

// A chart view that reports the value under the mouse and the user's rubber-band zooms.
class HoverChartView : public QChartView {
public:
    HoverChartView(QChart* chart, QWidget* parent, std::function<void(QPointF)> hover, std::function<void()> zoomed)
        : QChartView(chart, parent), m_hover(std::move(hover)), m_zoomed(std::move(zoomed)) {
        setRenderHint(QPainter::Antialiasing);
        setRubberBand(QChartView::RectangleRubberBand);
        setMouseTracking(true);
    }

protected:
    void mouseMoveEvent(QMouseEvent* event) override {
        if (chart()->plotArea().contains(event->position())) m_hover(chart()->mapToValue(event->position()));
        QChartView::mouseMoveEvent(event);
    }
    void mouseReleaseEvent(QMouseEvent* event) override {
        QChartView::mouseReleaseEvent(event);
        m_zoomed();
    }

private:
    std::function<void(QPointF)> m_hover;
    std::function<void()> m_zoomed;
};

namespace {

// Overlaid runs' line styles (dotted is the validation loss's, in a single run's chart).
const Qt::PenStyle kRunStyles[] = {Qt::SolidLine, Qt::DashLine, Qt::DashDotLine,
                                   Qt::DashDotDotLine};

QChart* makeChart() {
    auto* chart = new QChart; // no title: the y axis says what it shows
    styleChart(chart);
    return chart;
}

} // namespace

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent), m_log(new QCheckBox(tr("Log scale"), this)), m_smoothing(new QSlider(Qt::Horizontal, this)),
      m_xAxis(new QComboBox(this)), m_readout(new QLabel(this)), m_taskBoxes(new QHBoxLayout) {
    setObjectName("charts");
    const auto hover = [this](QPointF value) { hoverAt(value.x()); };
    const auto zoomed = [this] {
        if (!m_settingAxes) m_zoomed = true;
        refresh();
    };
    m_lossView = new HoverChartView(makeChart(), this, hover, zoomed);
    m_metricView = new HoverChartView(makeChart(), this, hover, zoomed);
    m_lossView->setMinimumHeight(90);
    m_metricView->setMinimumHeight(70);
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(60);
    m_smoothing->setMinimumWidth(60);
    m_smoothing->setMaximumWidth(160);
    m_smoothing->setToolTip(tr("Smoothing of the per-step curves (a debiased moving average)"));
    m_xAxis->addItem(tr("Steps"), int(XAxisMode::Steps));
    m_xAxis->addItem(tr("Epochs"), int(XAxisMode::Epochs));
    m_xAxis->addItem(tr("Wall time"), int(XAxisMode::Time));
    auto* reset = new QPushButton(tr("Reset"), this);
    auto* exporter = new QPushButton(tr("Export…"), this);
    exporter->setObjectName("exportCharts");
    exporter->setToolTip(tr("Save the charts as a PNG image, or the run's metrics per epoch and task as CSV"));
    reset->setToolTip(tr("Drag a rectangle on a chart to zoom; this shows everything again"));
    m_readout->setObjectName("readout");
    m_readout->setTextFormat(Qt::RichText);
    // The readout wraps within the width it is given and never asks for more: a long one (many
    // tasks, long names) must not widen the window.
    m_readout->setWordWrap(true);
    m_readout->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_readout->setMinimumHeight(m_readout->fontMetrics().height() + 4);

    // Two short rows rather than one long one: the charts may be narrow.
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_log);
    controls->addWidget(new QLabel(tr("Smooth"), this));
    controls->addWidget(m_smoothing, 1);
    controls->addWidget(new QLabel(tr("x:"), this));
    controls->addWidget(m_xAxis);

    // The task check boxes scroll sideways when there are many: they never widen the window.
    auto* boxes = new QWidget(this);
    boxes->setLayout(m_taskBoxes);
    m_taskBoxes->setContentsMargins(0, 0, 0, 0);
    auto* boxScroll = new QScrollArea(this);
    boxScroll->setWidget(boxes);
    boxScroll->setWidgetResizable(true);
    boxScroll->setFrameShape(QFrame::NoFrame);
    boxScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    boxScroll->setFixedHeight(boxes->sizeHint().height() + 18);
    boxScroll->setMinimumWidth(100);
    auto* second = new QHBoxLayout;
    second->addWidget(new QLabel(tr("Show:"), this));
    second->addWidget(boxScroll, 1);
    second->addWidget(reset);
    second->addWidget(exporter);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(second);
    layout->addWidget(m_readout);
    layout->addWidget(m_lossView, 3);
    layout->addWidget(m_metricView, 2);

    connect(m_log, &QCheckBox::toggled, this, [this] { refresh(); });
    connect(m_smoothing, &QSlider::valueChanged, this, [this] { refresh(); });
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, [this] {
        m_zoomed = false;
        refresh();
    });
    connect(reset, &QPushButton::clicked, this, &ChartPanel::resetZoom);
    connect(exporter, &QPushButton::clicked, this, [this] {
        QString filter;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export charts"), {},
                                                          tr("PNG image (*.png);;Metrics CSV (*.csv)"), &filter);
        if (path.isEmpty()) return;
        const bool csv = path.endsWith(".csv", Qt::CaseInsensitive) || filter.contains("csv");
        if (!(csv ? exportCsv(path) : exportPng(path))) {
            QMessageBox::warning(this, tr("Export charts"), tr("Could not write %1.").arg(path));
        }
    });
}

QChartView* ChartPanel::lossView() const { return m_lossView; }
QChartView* ChartPanel::metricView() const { return m_metricView; }

void ChartPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh(); // it may have missed progress while hidden
}

void ChartPanel::setRuns(std::vector<RunPtr> runs) {
    m_runs = std::move(runs);
    m_zoomed = false;
    m_readout->clear(); // it spoke of the runs shown before
    refresh();
}

std::string ChartPanel::structure() const {
    std::string key = m_log->isChecked() ? "log|" : "lin|";
    key += std::to_string(m_xAxis->currentIndex()) + "|";
    for (const auto& run : m_runs) {
        key += std::to_string(reinterpret_cast<std::uintptr_t>(run.get())) + ":" +
               run->name.toStdString() + ":" + std::to_string(run->metrics.events().size()) + ":";
        for (const auto& task : run->metrics.tasks()) key += task + (m_hidden.contains(task) ? "-" : "+") + ",";
    }
    return key + (m_hidden.contains("total") ? "-total" : "+total");
}

QColor ChartPanel::colour(std::size_t run, int task) const {
    if (task < 0) return QColor(0x60, 0x60, 0x60);
    const auto& name = m_runs[run]->metrics.tasks()[std::size_t(task)];
    return m_colourOf ? m_colourOf(name, std::size_t(task)) : QColor(Qt::darkBlue);
}

void ChartPanel::addCurve(QChart* chart, Curve curve, const QString& name, const QPen& pen, bool inLegend) {
    auto* series = new QLineSeries;
    series->setName(name);
    series->setPen(pen);
    series->setPointsVisible(curve.kind == Curve::Validation || curve.kind == Curve::Metric);
    if (curve.kind == Curve::Raw)
        series->setObjectName("raw"); // left out of the y range (noise)
    if (curve.kind == Curve::Event)
        series->setObjectName("event"); // spans whatever range is set
    chart->addSeries(series);
    if (!inLegend) {
        for (QLegendMarker* marker : chart->legend()->markers(series)) marker->setVisible(false);
    }
    curve.series = series;
    m_curves.push_back(curve);
}

void ChartPanel::rebuild() {
    m_curves.clear();
    QChart* loss = m_lossView->chart();
    QChart* metric = m_metricView->chart();
    loss->removeAllSeries();
    metric->removeAllSeries();
    // A legend entry without points of its own: says what a kind of line means.
    const auto addKey = [](QChart* chart, const QString& name, const QPen& pen) {
        auto* key = new QLineSeries;
        key->setName(name);
        key->setPen(pen);
        key->setObjectName("legend");
        chart->addSeries(key);
    };
    // One run: the legend names the tasks; its raw losses, validation losses and weighted total
    // are drawn too. Overlaid runs: each run's smoothed losses in its line style and shade, the
    // legend naming the runs by their style (the tasks' colours are those of the Show boxes);
    // the metric chart compares them on the validation split.
    const bool overlaid = m_runs.size() > 1;
    for (std::size_t r = 0; r < m_runs.size(); ++r) {
        const core::RunMetrics& metrics = m_runs[r]->metrics;
        const Qt::PenStyle style = kRunStyles[r % std::size(kRunStyles)];
        const QString suffix = overlaid ? QStringLiteral(" · %1").arg(m_runs[r]->name) : QString();
        if (overlaid) {
            const QPen key(QColor(0x60, 0x60, 0x60).darker(100 + 25 * int(r)), 2.0, style);
            addKey(loss, m_runs[r]->name, key);
            addKey(metric, m_runs[r]->name, key);
        }
        for (std::size_t t = 0; t < metrics.taskCount(); ++t) {
            if (m_hidden.contains(metrics.tasks()[t])) continue;
            const QString task = QString::fromStdString(metrics.tasks()[t]);
            const QColor c =
                r == 0 ? colour(r, int(t)) : colour(r, int(t)).darker(100 + 25 * int(r));
            if (!overlaid) {
                QColor light = c;
                light.setAlpha(55);
                addCurve(loss, {nullptr, r, int(t), Curve::Raw}, task + tr(" (raw)"), QPen(light, 1.0), false);
            }
            addCurve(loss, {nullptr, r, int(t), Curve::Smooth}, task + suffix,
                     QPen(c.darker(115), r == 0 ? 2.2 : 1.8, style), !overlaid);
            if (!overlaid) {
                addCurve(loss, {nullptr, r, int(t), Curve::Validation}, task + tr(" validation"),
                         QPen(c, 1.2, Qt::DotLine), false);
            }
            addCurve(metric, {nullptr, r, int(t), Curve::Metric},
                     QStringLiteral("%1 %2%3").arg(
                         task, QString::fromStdString(metrics.metricName(t)), suffix),
                     QPen(c, 2.0, style), !overlaid);
        }
        if (!overlaid && !m_hidden.contains("total") && metrics.taskCount() > 1) {
            addCurve(loss, {nullptr, r, -1, Curve::Total}, tr("weighted total"), QPen(QColor(0x55, 0x55, 0x55), 1.6, Qt::DashLine), true);
        }
        if (!overlaid && metrics.taskCount() > 0)
            addKey(loss, tr("validation, per epoch"),
                   QPen(QColor(0x70, 0x70, 0x70), 1.2, Qt::DotLine));
        for (std::size_t e = 0; e < metrics.events().size(); ++e) {
            // For an event, `task` holds its index in the run's events.
            addCurve(loss, {nullptr, r, int(e), Curve::Event}, tr("non-finite loss"), QPen(QColor(0xd3, 0x2f, 0x2f), 2.0), true);
        }
    }
    setAxes(loss, m_log->isChecked(), tr("loss"));
    setAxes(metric, false, tr("R² / accuracy"));
    rebuildTaskBoxes();
    m_structure = structure();
}

void ChartPanel::rebuildTaskBoxes() {
    std::vector<std::string> names = m_runs.empty() ? std::vector<std::string>{} : m_runs.front()->metrics.tasks();
    if (names.size() > 1) names.emplace_back("total");
    if (names == m_taskBoxNames) {
        // Same tasks: only the ticks (a box may be the one whose click got us here).
        for (const std::string& name : names) {
            if (auto* box = findChild<QCheckBox*>(QString::fromStdString("show " + name))) {
                const QSignalBlocker block(box);
                box->setChecked(!m_hidden.contains(name));
            }
        }
        return;
    }
    m_taskBoxNames = names;
    while (QLayoutItem* item = m_taskBoxes->takeAt(0)) {
        if (QWidget* old = item->widget()) {
            old->hide();
            old->setObjectName({}); // not found by name while it waits to be deleted
            old->deleteLater();
        }
        delete item;
    }
    for (std::size_t t = 0; t < names.size(); ++t) {
        // Long task names are shortened here (the whole name is the tooltip) so the row stays
        // narrow.
        const QString full = QString::fromStdString(names[t]);
        auto* box = new QCheckBox(fontMetrics().elidedText(full, Qt::ElideRight, 130), this);
        box->setToolTip(full);
        box->setObjectName(QString::fromStdString("show " + names[t]));
        box->setChecked(!m_hidden.contains(names[t]));
        if (t < m_runs.front()->metrics.taskCount()) {
            box->setStyleSheet(QStringLiteral("QCheckBox { color: %1; font-weight: bold; }").arg(colour(0, int(t)).name()));
        }
        const std::string name = names[t];
        connect(box, &QCheckBox::toggled, this, [this, name](bool on) { setTaskVisible(name, on); });
        m_taskBoxes->addWidget(box);
    }
}

void ChartPanel::refresh() {
    ++m_refreshes;
    if (structure() != m_structure) rebuild();
    const bool logY = m_log->isChecked();
    const double smoothing = m_smoothing->value() / 100.0;
    for (const Curve& curve : m_curves) {
        const core::RunMetrics& metrics = m_runs[curve.run]->metrics;
        const QChart* chart = curve.kind == Curve::Metric ? m_metricView->chart() : m_lossView->chart();
        const bool lossLog = logY && curve.kind != Curve::Metric;
        QList<QPointF> points;
        switch (curve.kind) {
        case Curve::Raw:
            points = curvePoints(metrics, metrics.stepLoss(std::size_t(curve.task)).points(), request(chart, true, lossLog));
            break;
        case Curve::Smooth:
            points = curvePoints(metrics, smoothed(metrics.stepLoss(std::size_t(curve.task)).points(), smoothing),
                                 request(chart, false, lossLog));
            break;
        case Curve::Total:
            points = curvePoints(metrics, smoothed(metrics.stepTotal().points(), smoothing), request(chart, false, lossLog));
            break;
        case Curve::Validation: points = epochPoints(metrics, std::size_t(curve.task), false, request(chart, false, lossLog)); break;
        case Curve::Metric: points = epochPoints(metrics, std::size_t(curve.task), true, request(chart, false, false)); break;
        case Curve::Event: break; // placed once the y range is known
        }
        curve.series->replace(points);
    }
    if (!m_zoomed) {
        fitAxes(m_lossView->chart(), logY);
        fitAxes(m_metricView->chart(), false);
    }
    // Events: a vertical line across the loss chart at their step.
    const QChart* loss = m_lossView->chart();
    const auto yAxes = loss->axes(Qt::Vertical);
    for (const Curve& curve : m_curves) {
        if (curve.kind != Curve::Event || yAxes.isEmpty()) continue;
        const core::RunMetrics& metrics = m_runs[curve.run]->metrics;
        const auto& event = metrics.events()[std::size_t(curve.task)];
        const double x = axisX(metrics, double(event.step), static_cast<XAxisMode>(m_xAxis->currentData().toInt()));
        double low = 0.0;
        double high = 1.0;
        if (auto* y = qobject_cast<QValueAxis*>(yAxes.front())) std::tie(low, high) = std::pair(y->min(), y->max());
        if (auto* y = qobject_cast<QLogValueAxis*>(yAxes.front())) std::tie(low, high) = std::pair(y->min(), y->max());
        curve.series->replace({QPointF(x, low), QPointF(x, high)});
    }
}

void ChartPanel::setTaskVisible(const std::string& task, bool visible) {
    if (visible) m_hidden.erase(task);
    else m_hidden.insert(task);
    refresh();
}

void ChartPanel::hoverAt(double axisValue) {
    if (m_runs.empty()) return;
    const core::RunMetrics& metrics = m_runs.front()->metrics;
    const auto mode = static_cast<XAxisMode>(m_xAxis->currentData().toInt());
    const double step = stepAt(metrics, axisValue, mode);
    QStringList parts;
    parts << tr("step %1 · epoch %2 · %3 s")
                 .arg(std::llround(step))
                 .arg(step / double(metrics.stepsPerEpoch()), 0, 'f', 2)
                 .arg(metrics.secondsAt(step), 0, 'f', 1);
    const double smoothing = m_smoothing->value() / 100.0;
    for (std::size_t t = 0; t < metrics.taskCount(); ++t) {
        if (m_hidden.contains(metrics.tasks()[t])) continue;
        const auto curve = smoothed(metrics.stepLoss(t).points(), smoothing);
        const auto it =
            std::lower_bound(curve.begin(), curve.end(), step,
                             [](const core::SeriesPoint& p, double x) { return p.x < x; });
        if (curve.empty()) continue;
        const core::SeriesPoint& p = it == curve.end() ? curve.back() : *it;
        parts << QStringLiteral("<span style='color:%1'>%2</span> %3")
                     .arg(colour(0, int(t)).name(), QString::fromStdString(metrics.tasks()[t]).toHtmlEscaped())
                     .arg(p.y, 0, 'g', 4);
    }
    m_readout->setText(parts.join(" &nbsp; "));
}

QString ChartPanel::readout() const { return m_readout->text(); }

bool ChartPanel::exportPng(const QString& path) {
    const QPixmap loss = m_lossView->grab();
    const QPixmap metric = m_metricView->grab();
    QPixmap image(std::max(loss.width(), metric.width()), loss.height() + metric.height());
    image.fill(palette().color(QPalette::Window));
    QPainter painter(&image);
    painter.drawPixmap(0, 0, loss);
    painter.drawPixmap(0, loss.height(), metric);
    painter.end();
    return image.save(path, "PNG");
}

bool ChartPanel::exportCsv(const QString& path) const {
    if (m_runs.empty() || !m_runs.front()->model) return false;
    try {
        core::writeMetricsCsv(*m_runs.front()->model, m_runs.front()->metrics.epochs(), path.toStdString());
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

int ChartPanel::drawnPoints() const {
    int total = 0;
    for (const Curve& curve : m_curves) total += int(curve.series->count());
    return total;
}

QPen ChartPanel::seriesPen(const QString& name) const {
    for (const Curve& curve : m_curves) {
        if (curve.series->name() == name)
            return curve.series->pen();
    }
    return {};
}

QList<QPointF> ChartPanel::seriesPoints(const QString& name) const {
    for (const Curve& curve : m_curves) {
        if (curve.series->name() == name) return curve.series->points();
    }
    return {};
}

} // namespace mtl::ui
