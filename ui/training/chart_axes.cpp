// The charts' axes: kept for the panel's life, fitted to the data unless the user has zoomed,
// and the visible range that decides which points are drawn.
#include "training/chart_panel.h"
#include "training/chart_style.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLogValueAxis>
#include <QValueAxis>
#include <QXYSeries>

#include <cmath>

namespace mtl::ui {

namespace {

QString axisTitle(XAxisMode mode) {
    switch (mode) {
    case XAxisMode::Steps: return QObject::tr("step");
    case XAxisMode::Epochs: return QObject::tr("epoch");
    case XAxisMode::Time: return QObject::tr("seconds");
    }
    return {};
}

} // namespace

void ChartPanel::setAxes(QChart* chart, bool logY, const QString& yTitle) {
    // The axes live as long as the panel: recreating them leaves ghost labels behind in Qt
    // Charts 6.4. Only the loss chart's y axis changes, between linear and logarithmic.
    Axes& axes = chart == lossView()->chart() ? m_lossAxes : m_metricAxes;
    if (axes.x == nullptr) {
        axes.x = new QValueAxis(this);
        axes.x->setLabelFormat("%g");
        axes.linear = new QValueAxis(this);
        axes.linear->setLabelFormat("%.3g");
        axes.log = new QLogValueAxis(this);
        axes.log->setBase(10.0);
        axes.log->setLabelFormat("%g");
        for (QAbstractAxis* axis :
             {static_cast<QAbstractAxis*>(axes.x), static_cast<QAbstractAxis*>(axes.linear),
              static_cast<QAbstractAxis*>(axes.log)}) {
            styleAxis(axis);
        }
        chart->addAxis(axes.x, Qt::AlignBottom);
    }
    axes.x->setTitleText(axisTitle(static_cast<XAxisMode>(m_xAxis->currentData().toInt())));
    QAbstractAxis* wanted = logY ? static_cast<QAbstractAxis*>(axes.log) : axes.linear;
    QAbstractAxis* other = logY ? static_cast<QAbstractAxis*>(axes.linear) : axes.log;
    if (chart->axes(Qt::Vertical).contains(other)) {
        chart->removeAxis(other);
        other->setParent(this); // removeAxis hands ownership back
    }
    if (!chart->axes(Qt::Vertical).contains(wanted)) chart->addAxis(wanted, Qt::AlignLeft);
    wanted->setTitleText(yTitle);
    for (QAbstractSeries* series : chart->series()) {
        series->attachAxis(axes.x);
        series->attachAxis(wanted);
    }
}

CurveRequest ChartPanel::request(const QChart* chart, bool envelope, bool logY) const {
    CurveRequest r;
    r.mode = static_cast<XAxisMode>(m_xAxis->currentData().toInt());
    r.envelope = envelope;
    r.positiveOnly = logY;
    r.buckets = std::max(50, int(chart->plotArea().width()));
    if (m_zoomed) {
        for (QAbstractAxis* axis : chart->axes(Qt::Horizontal)) {
            if (auto* x = qobject_cast<QValueAxis*>(axis)) {
                r.xMin = x->min();
                r.xMax = x->max();
            }
        }
    }
    return r;
}

void ChartPanel::fitAxes(QChart* chart, bool logY) {
    double xMin = INFINITY, xMax = -INFINITY, yMin = INFINITY, yMax = -INFINITY;
    for (QAbstractSeries* abstract : chart->series()) {
        auto* series = static_cast<QXYSeries*>(abstract);
        if (!series->isVisible()) continue;
        for (const QPointF& p : series->points()) {
            xMin = std::min(xMin, p.x());
            xMax = std::max(xMax, p.x());
        }
    }
    // On a linear scale the first steps' losses, often many times the rest, would pin every curve
    // to the axis: the y range follows the curves after the first tenth of the x range (they run
    // off the top before it), and the raw per-step noise is left out. The log scale shows all.
    const double settled = logY || !std::isfinite(xMin) ? -INFINITY : xMin + 0.1 * (xMax - xMin);
    for (QAbstractSeries* abstract : chart->series()) {
        auto* series = static_cast<QXYSeries*>(abstract);
        if (!series->isVisible() || series->objectName() == "event" ||
            (!logY && series->objectName() == "raw"))
            continue;
        for (const QPointF& p : series->points()) {
            if (logY && p.y() <= 0.0) continue;
            if (!std::isfinite(p.y()))
                continue;
            yMin = std::min(yMin, p.y());
            if (p.x() >= settled)
                yMax = std::max(yMax, p.y());
        }
    }
    if (std::isfinite(yMin) && !std::isfinite(yMax))
        yMax = yMin + 1.0;
    if (!std::isfinite(xMin)) {
        xMin = 0.0;
        xMax = 1.0;
    }
    if (!std::isfinite(yMin)) {
        yMin = logY ? 0.1 : 0.0;
        yMax = 1.0;
    }
    if (xMax <= xMin) xMax = xMin + 1.0;
    if (yMax <= yMin) yMax = yMin + (logY ? yMin : 1.0);
    m_settingAxes = true;
    for (QAbstractAxis* axis : chart->axes(Qt::Horizontal)) {
        axis->setRange(xMin, xMax);
        if (auto* x = qobject_cast<QValueAxis*>(axis)) x->applyNiceNumbers();
    }
    for (QAbstractAxis* axis : chart->axes(Qt::Vertical)) {
        if (logY) {
            axis->setRange(yMin / 1.2, yMax * 1.2);
        } else {
            // Losses are never negative: the axis starts at 0 rather than below it.
            const double low = yMin >= 0.0 ? std::max(0.0, yMin - 0.05 * (yMax - yMin)) : yMin - 0.05 * (yMax - yMin);
            axis->setRange(low, yMax + 0.05 * (yMax - yMin));
            if (auto* y = qobject_cast<QValueAxis*>(axis)) y->applyNiceNumbers();
        }
    }
    m_settingAxes = false;
}

void ChartPanel::resetZoom() {
    m_zoomed = false;
    lossView()->chart()->zoomReset();
    metricView()->chart()->zoomReset();
    refresh();
}

} // namespace mtl::ui
