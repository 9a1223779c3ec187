#include "training/chart_points.h"

#include <cmath>

namespace mtl::ui {

double axisX(const core::RunMetrics& metrics, double step, XAxisMode mode) {
    switch (mode) {
    case XAxisMode::Steps: return step;
    case XAxisMode::Epochs: return step / double(metrics.stepsPerEpoch());
    case XAxisMode::Time: return metrics.secondsAt(step);
    }
    return step;
}

double stepAt(const core::RunMetrics& metrics, double axisValue, XAxisMode mode) {
    switch (mode) {
    case XAxisMode::Steps: return axisValue;
    case XAxisMode::Epochs: return axisValue * double(metrics.stepsPerEpoch());
    case XAxisMode::Time: {
        // Seconds grow with steps: bisect.
        double low = 0.0;
        double high = std::max(1.0, double(metrics.lastStep()));
        for (int i = 0; i < 50; ++i) {
            const double mid = (low + high) / 2;
            (metrics.secondsAt(mid) < axisValue ? low : high) = mid;
        }
        return (low + high) / 2;
    }
    }
    return axisValue;
}

QList<QPointF> curvePoints(const core::RunMetrics& metrics,
                           const std::vector<core::SeriesPoint>& points,
                           const CurveRequest& request) {
    std::vector<core::SeriesPoint> moved;
    moved.reserve(points.size());
    for (const core::SeriesPoint& p : points) {
        if (request.positiveOnly && !(p.y > 0.0)) continue;
        moved.push_back({axisX(metrics, p.x, request.mode), p.y, p.weight});
    }
    double low = request.xMin;
    double high = request.xMax;
    if (!moved.empty()) {
        low = std::max(low, moved.front().x);
        high = std::min(high, moved.back().x);
    }
    QList<QPointF> out;
    for (const core::SeriesPoint& p :
         decimated(moved, low, high, std::size_t(std::max(1, request.buckets)), request.envelope)) {
        out.append(QPointF(p.x, p.y));
    }
    return out;
}

QList<QPointF> epochPoints(const core::RunMetrics& metrics, std::size_t task, bool metric,
                           const CurveRequest& request) {
    QList<QPointF> out;
    for (std::size_t e = 0; e < metrics.epochs().size(); ++e) {
        const double y = metric ? metrics.epochMetric(e, task) : metrics.epochValidationLoss(e, task);
        if (!std::isfinite(y) || (request.positiveOnly && y <= 0.0)) continue;
        out.append(QPointF(axisX(metrics, double(metrics.epochs()[e].step), request.mode), y));
    }
    return out;
}

} // namespace mtl::ui
