#pragma once
// A curve kept in bounded memory. Points arrive in order of x; once `capacity` points are held,
// neighbours merge pairwise (weighted means of x and y) and later points are grouped likewise, so
// a run of a million steps keeps its whole history at a resolution that coarsens with age
// instead of growing without bound. Each point remembers how many samples it stands for.

#include <cstddef>
#include <vector>

namespace mtl::core {

struct SeriesPoint {
    double x = 0.0;
    double y = 0.0;
    double weight = 1.0; // raw samples merged into this point
};

class BoundedSeries {
public:
    explicit BoundedSeries(std::size_t capacity = 16384);

    // NaN values (a batch without that task's targets) are skipped.
    void append(double x, double y);
    const std::vector<SeriesPoint>& points() const { return m_points; }
    std::size_t rawCount() const { return m_raw; }
    // The newest x, pending group included (NaN when empty).
    double lastX() const;

private:
    void flush();
    void halve();

    std::size_t m_capacity;
    std::size_t m_group = 1;
    std::size_t m_raw = 0;
    std::vector<SeriesPoint> m_points;
    SeriesPoint m_pending{0.0, 0.0, 0.0}; // running sums of the group being filled
    double m_lastX = 0.0;
};

// Debiased exponential moving average (as TensorBoard's smoothing): `smoothing` in [0, 1), the
// weight of the past per raw sample; merged points count as `weight` samples.
std::vector<SeriesPoint> smoothed(const std::vector<SeriesPoint>& points, double smoothing);

// At most `buckets` points between xMin and xMax for drawing: per bucket the mean point
// (`envelope` false), or its lowest and highest points in x order (true: spikes stay visible).
std::vector<SeriesPoint> decimated(const std::vector<SeriesPoint>& points, double xMin, double xMax,
                                   std::size_t buckets, bool envelope);

} // namespace mtl::core
