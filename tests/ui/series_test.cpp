// The metrics store's curves: bounded memory over a million steps, smoothing, decimation.
#include "runs/bounded_series.h"

#include <QTest>

#include <cmath>

using namespace mtl;

class SeriesTest : public QObject {
    Q_OBJECT
private slots:
    void aMillionStepsStayBounded();
    void smoothingIsDebiased();
    void decimationKeepsSpikesInTheEnvelope();
};

void SeriesTest::aMillionStepsStayBounded() {
    core::BoundedSeries series(1000);
    double sum = 0.0;
    for (int i = 1; i <= 1'000'000; ++i) {
        const double y = std::sin(i * 1e-4) + 2.0;
        sum += y;
        series.append(i, y);
    }
    series.append(1'000'001, NAN); // a batch without targets: skipped
    QVERIFY(series.points().size() <= 1000);
    QVERIFY(series.points().size() >= 400);
    QCOMPARE(series.rawCount(), std::size_t(1'000'000));
    double weighted = 0.0;
    double weight = 0.0;
    for (const auto& p : series.points()) {
        weighted += p.y * p.weight;
        weight += p.weight;
    }
    // What was merged keeps its mean; the newest group may still be filling.
    QVERIFY(weight > 999'000);
    QVERIFY(std::abs(weighted / weight - sum / 1e6) < 1e-3);
    QVERIFY(series.points().front().x < 2000);
    QVERIFY(series.points().back().x > 990'000);
    QCOMPARE(series.lastX(), 1'000'000.0);
}

void SeriesTest::smoothingIsDebiased() {
    std::vector<core::SeriesPoint> constant;
    for (int i = 0; i < 50; ++i) constant.push_back({double(i), 3.0, 1.0});
    for (const auto& p : smoothed(constant, 0.9)) QCOMPARE(p.y, 3.0); // no pull towards 0 at the start
    std::vector<core::SeriesPoint> step;
    for (int i = 0; i < 100; ++i) step.push_back({double(i), i < 50 ? 0.0 : 1.0, 1.0});
    const auto out = smoothed(step, 0.9);
    QVERIFY(out[50].y > 0.05 && out[50].y < 0.2); // lags behind the jump
    QVERIFY(out[99].y > 0.99);
    QCOMPARE(smoothed(step, 0.0)[60].y, 1.0);
}

void SeriesTest::decimationKeepsSpikesInTheEnvelope() {
    std::vector<core::SeriesPoint> points;
    for (int i = 0; i < 100'000; ++i) points.push_back({double(i), i == 54'321 ? 100.0 : 1.0, 1.0});
    const auto envelope = decimated(points, 0, 99'999, 500, true);
    QVERIFY(envelope.size() <= 1000);
    QVERIFY(std::any_of(envelope.begin(), envelope.end(),
                        [](const core::SeriesPoint& p) { return p.y == 100.0; }));
    const auto mean = decimated(points, 0, 99'999, 500, false);
    QVERIFY(mean.size() <= 500);
    const auto zoomed = decimated(points, 1000, 1100, 500, false);
    QCOMPARE(zoomed.size(), std::size_t(101)); // few enough: all of them
    QCOMPARE(zoomed.front().x, 1000.0);
}

QTEST_APPLESS_MAIN(SeriesTest)
#include "series_test.moc"
