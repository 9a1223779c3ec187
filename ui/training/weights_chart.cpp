#include "training/weights_chart.h"

#include "balancing/balancing_method.h"
#include "training/chart_style.h"

#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace mtl::ui {

WeightsChart::WeightsChart(QWidget* parent)
    : QWidget(parent), m_view(new QChartView(new QChart, this)), m_title(new QLabel(this)),
      m_quantity(new QComboBox(this)), m_x(new QValueAxis(this)), m_y(new QValueAxis(this)) {
    setObjectName("taskWeights");
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(80);
    QChart* chart = m_view->chart();
    styleChart(chart);
    styleAxis(m_x);
    styleAxis(m_y);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_x->setLabelFormat("%g");
    m_y->setLabelFormat("%.3g");
    m_title->setObjectName("weightsTitle");
    m_title->setWordWrap(true);
    m_quantity->setObjectName("weightsQuantity");
    m_quantity->setVisible(false);
    connect(m_quantity, &QComboBox::currentIndexChanged, this, [this] { refresh(); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_quantity);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
}

void WeightsChart::setRun(RunPtr run) {
    m_run = std::move(run);
    rebuild();
    refresh();
}

void WeightsChart::setView(XAxisMode mode, double smoothing) {
    m_mode = mode;
    m_smoothing = smoothing;
    refresh();
}

void WeightsChart::rebuild() {
    QChart* chart = m_view->chart();
    chart->removeAllSeries();
    m_series.clear();
    const QSignalBlocker block(m_quantity);
    m_quantity->clear();
    // Weights that never change say nothing: the chart shows only for a balancing method.
    setVisible(m_run && m_run->snapshot.training.balancing.kind != core::BalancingKind::Static);
    if (!m_run) {
        m_title->clear();
        return;
    }
    const core::BalancingMethod& method =
        core::balancingMethod(m_run->snapshot.training.balancing.kind);
    m_title->setText(tr("<b>Task weights</b> — %1").arg(QString::fromStdString(method.title)));
    m_title->setToolTip(QString::fromStdString(method.description + "\n" + method.reference));
    const std::string& state = m_run->metrics.stateName();
    m_quantity->addItem(tr("Weights"));
    if (!state.empty())
        m_quantity->addItem(state == "sigma" ? tr("σ (learned noise)")
                                             : QString::fromStdString(state));
    m_quantity->setVisible(!state.empty());
    const auto& tasks = m_run->metrics.tasks();
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        auto* series = new QLineSeries;
        series->setName(QString::fromStdString(tasks[t]));
        QPen pen(m_colourOf ? m_colourOf(tasks[t], t) : QColor(Qt::darkGray));
        pen.setWidthF(1.6);
        series->setPen(pen);
        chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        m_series.push_back(series);
    }
}

void WeightsChart::refresh() {
    if (!m_run || !isVisible())
        return;
    const bool state = m_quantity->currentIndex() == 1;
    CurveRequest request;
    request.mode = m_mode;
    request.buckets = std::max(50, m_view->width());
    double low = 0.0, high = 0.0, right = 1.0;
    for (std::size_t t = 0; t < m_series.size(); ++t) {
        const core::BoundedSeries& series =
            state ? m_run->metrics.stepState(t) : m_run->metrics.stepWeight(t);
        const QList<QPointF> points =
            curvePoints(m_run->metrics, smoothed(series.points(), m_smoothing), request);
        for (const QPointF& p : points) {
            high = std::max(high, p.y());
            low = std::min(low, p.y());
            right = std::max(right, p.x());
        }
        m_series[t]->replace(points);
    }
    m_x->setRange(0.0, right);
    m_y->setRange(low, high > low ? high * 1.05 : low + 1.0);
    m_x->applyNiceNumbers();
    m_y->applyNiceNumbers();
    m_x->setTitleText(m_mode == XAxisMode::Steps    ? tr("step")
                      : m_mode == XAxisMode::Epochs ? tr("epoch")
                                                    : tr("seconds"));
}

QList<QPointF> WeightsChart::points(std::size_t task) const {
    return task < m_series.size() ? m_series[task]->points() : QList<QPointF>{};
}

} // namespace mtl::ui
