#pragma once
// The training charts (Qt Charts): losses — per task the raw per-step loss (light), its
// debiased moving average (dark), the validation loss per epoch (markers), and the weighted
// total — and the chart metric per task per epoch, in the task colours. Log scale, smoothing,
// x in steps / epochs / wall time, a hover readout, rubber-band zoom and reset, show/hide per
// task, PNG and CSV export. Several runs overlay (the first solid, the others dashed). Points
// come from the runs' metrics, decimated to the visible range on every refresh.

#include "training/chart_points.h"
#include "training/run_data.h"

#include <QPen>
#include <QWidget>

#include <functional>
#include <set>

class QChart;
class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QValueAxis;
class QLogValueAxis;
class QAbstractAxis;
class QXYSeries;
class QHBoxLayout;

namespace mtl::ui {

class HoverChartView;

class ChartPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartPanel(QWidget* parent = nullptr);

    using ColourOf = std::function<QColor(const std::string& task, std::size_t index)>;
    void setColourOf(ColourOf colourOf) { m_colourOf = std::move(colourOf); }
    // The runs to draw: the first in full, the others' smoothed curves overlaid.
    void setRuns(std::vector<RunPtr> runs);
    const std::vector<RunPtr>& runs() const { return m_runs; }
    // Redraws from the runs' metrics (cheap: one replace() per series).
    void refresh();

    void setTaskVisible(const std::string& task, bool visible);
    void hoverAt(double axisX);
    QString readout() const;
    bool exportPng(const QString& path);
    bool exportCsv(const QString& path) const;
    void resetZoom();

    QCheckBox* logScaleBox() const { return m_log; }
    QSlider* smoothingSlider() const { return m_smoothing; }
    QComboBox* xAxisChoice() const { return m_xAxis; }
    QChartView* lossView() const;
    QChartView* metricView() const;
    int refreshCount() const { return m_refreshes; }
    // Points currently handed to the charts (all series).
    int drawnPoints() const;
    // The points of one series by its name ("task1 (smoothed)", "task1 validation", "total" …).
    QList<QPointF> seriesPoints(const QString& name) const;
    QPen seriesPen(const QString& name) const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Curve {
        QXYSeries* series = nullptr;
        std::size_t run = 0;
        int task = -1; // −1: the weighted total; for an event marker, the event's index
        enum Kind { Raw, Smooth, Validation, Metric, Total, Event } kind = Smooth;
    };

    void rebuild();
    void rebuildTaskBoxes();
    QColor colour(std::size_t run, int task) const;
    void addCurve(QChart* chart, Curve curve, const QString& name, const QPen& pen, bool inLegend);
    void setAxes(QChart* chart, bool logY, const QString& yTitle);
    CurveRequest request(const QChart* chart, bool envelope, bool logY) const;
    void fitAxes(QChart* chart, bool logY);
    std::string structure() const;

    struct Axes {
        QValueAxis* x = nullptr;
        QValueAxis* linear = nullptr;
        QLogValueAxis* log = nullptr;
    };
    Axes m_lossAxes;
    Axes m_metricAxes;
    ColourOf m_colourOf;
    std::vector<RunPtr> m_runs;
    std::vector<Curve> m_curves;
    std::set<std::string> m_hidden;
    std::vector<std::string> m_taskBoxNames;
    std::string m_structure;
    HoverChartView* m_lossView;
    HoverChartView* m_metricView;
    QCheckBox* m_log;
    QSlider* m_smoothing;
    QComboBox* m_xAxis;
    QLabel* m_readout;
    QHBoxLayout* m_taskBoxes;
    bool m_zoomed = false;
    bool m_settingAxes = false;
    int m_refreshes = 0;
};

} // namespace mtl::ui
