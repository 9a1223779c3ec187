#include "runs/bounded_series.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mtl::core {

BoundedSeries::BoundedSeries(std::size_t capacity)
    : m_capacity(std::max<std::size_t>(capacity, 16)) {
    m_points.reserve(m_capacity);
}

void BoundedSeries::append(double x, double y) {
    if (!std::isfinite(y))
        return;
    ++m_raw;
    m_lastX = x;
    m_pending.x += x;
    m_pending.y += y;
    m_pending.weight += 1.0;
    if (m_pending.weight >= double(m_group))
        flush();
}

double BoundedSeries::lastX() const {
    return m_raw == 0 ? std::numeric_limits<double>::quiet_NaN() : m_lastX;
}

void BoundedSeries::flush() {
    const double w = m_pending.weight;
    m_points.push_back({m_pending.x / w, m_pending.y / w, w});
    m_pending = {0.0, 0.0, 0.0};
    if (m_points.size() >= m_capacity)
        halve();
}

void BoundedSeries::halve() {
    std::size_t out = 0;
    for (std::size_t i = 0; i + 1 < m_points.size(); i += 2) {
        const SeriesPoint& a = m_points[i];
        const SeriesPoint& b = m_points[i + 1];
        const double w = a.weight + b.weight;
        m_points[out++] = {(a.x * a.weight + b.x * b.weight) / w,
                           (a.y * a.weight + b.y * b.weight) / w, w};
    }
    if (m_points.size() % 2 == 1)
        m_points[out++] = m_points.back();
    m_points.resize(out);
    m_group *= 2;
}

std::vector<SeriesPoint> smoothed(const std::vector<SeriesPoint>& points, double smoothing) {
    const double beta = std::clamp(smoothing, 0.0, 0.999);
    std::vector<SeriesPoint> out;
    out.reserve(points.size());
    double value = 0.0;
    double bias = 0.0;
    for (const SeriesPoint& p : points) {
        const double keep = std::pow(beta, p.weight);
        value = keep * value + (1.0 - keep) * p.y;
        bias = keep * bias + (1.0 - keep);
        out.push_back({p.x, bias > 0.0 ? value / bias : p.y, p.weight});
    }
    return out;
}

std::vector<SeriesPoint> decimated(const std::vector<SeriesPoint>& points, double xMin, double xMax,
                                   std::size_t buckets, bool envelope) {
    std::vector<SeriesPoint> out;
    const auto first = std::lower_bound(points.begin(), points.end(), xMin,
                                        [](const SeriesPoint& p, double x) { return p.x < x; });
    const auto last = std::upper_bound(first, points.end(), xMax,
                                       [](double x, const SeriesPoint& p) { return x < p.x; });
    const auto count = static_cast<std::size_t>(last - first);
    if (buckets == 0 || count <= (envelope ? 2 * buckets : buckets))
        return {first, last};
    const double width = (xMax - xMin) / double(buckets);
    auto it = first;
    for (std::size_t b = 0; b < buckets && it != last; ++b) {
        const double end = b + 1 == buckets ? xMax : xMin + width * double(b + 1);
        auto stop = it;
        while (stop != last && stop->x <= end)
            ++stop;
        if (stop == it)
            continue;
        if (envelope) {
            const auto [low, high] = std::minmax_element(
                it, stop, [](const SeriesPoint& p, const SeriesPoint& q) { return p.y < q.y; });
            out.push_back(low->x <= high->x ? *low : *high);
            if (low != high)
                out.push_back(low->x <= high->x ? *high : *low);
        } else {
            SeriesPoint mean{0.0, 0.0, 0.0};
            for (auto p = it; p != stop; ++p) {
                mean.x += p->x * p->weight;
                mean.y += p->y * p->weight;
                mean.weight += p->weight;
            }
            out.push_back({mean.x / mean.weight, mean.y / mean.weight, mean.weight});
        }
        it = stop;
    }
    return out;
}

} // namespace mtl::core
