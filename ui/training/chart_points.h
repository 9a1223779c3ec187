#pragma once
// From a run's metrics to the points a chart draws: the x axis in steps, epochs or wall time,
// smoothing, and decimation to about one point per pixel column of the visible range.

#include "runs/run_metrics.h"

#include <QList>
#include <QPointF>

namespace mtl::ui {

enum class XAxisMode { Steps, Epochs, Time };

double axisX(const core::RunMetrics& metrics, double step, XAxisMode mode);
// The step at an axis position (for the hover readout).
double stepAt(const core::RunMetrics& metrics, double axisValue, XAxisMode mode);

struct CurveRequest {
    XAxisMode mode = XAxisMode::Steps;
    double xMin = -1e300; // axis units; the visible range
    double xMax = 1e300;
    int buckets = 800;
    bool envelope = false; // min/max per bucket (raw curves) instead of the mean
    bool positiveOnly = false; // a log axis cannot show values ≤ 0
};

QList<QPointF> curvePoints(const core::RunMetrics& metrics,
                           const std::vector<core::SeriesPoint>& points,
                           const CurveRequest& request);

// Per-epoch values as points at each epoch's end: validation loss, or the chart metric.
QList<QPointF> epochPoints(const core::RunMetrics& metrics, std::size_t task, bool metric,
                           const CurveRequest& request);

} // namespace mtl::ui
