#pragma once
// The weights the task-balancing method gave each task, step by step, for the run the charts
// show — in the task colours, smoothed and on the x axis the loss charts use. For uncertainty
// weighting the learned σ_t can be shown instead. Redraws with one replace() per series.

#include "training/chart_points.h"
#include "training/run_data.h"

#include <QWidget>

#include <functional>

class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace mtl::ui {

class WeightsChart : public QWidget {
    Q_OBJECT
public:
    explicit WeightsChart(QWidget* parent = nullptr);

    using ColourOf = std::function<QColor(const std::string& task, std::size_t index)>;
    void setColourOf(ColourOf colourOf) { m_colourOf = std::move(colourOf); }
    void setRun(RunPtr run);
    // The loss charts' x axis and smoothing, so the three charts read alike.
    void setView(XAxisMode mode, double smoothing);
    void refresh();

    QChartView* view() const { return m_view; }
    QComboBox* quantityChoice() const { return m_quantity; }
    // The drawn points of a task's curve.
    QList<QPointF> points(std::size_t task) const;

private:
    void rebuild();

    ColourOf m_colourOf;
    RunPtr m_run;
    XAxisMode m_mode = XAxisMode::Steps;
    double m_smoothing = 0.6;
    QChartView* m_view;
    QLabel* m_title;
    QComboBox* m_quantity;
    QValueAxis* m_x;
    QValueAxis* m_y;
    std::vector<QLineSeries*> m_series;
};

} // namespace mtl::ui
