#pragma once
// The tasks as nodes on a circle, in their colours, joined by edges whose thickness is the
// strength of their relation and whose colour its sign (blue: agreement, red: conflict); edges
// weaker than the threshold are hidden.

#include <QColor>
#include <QWidget>

#include <vector>

namespace mtl::ui {

class TaskGraphWidget : public QWidget {
    Q_OBJECT
public:
    explicit TaskGraphWidget(QWidget* parent = nullptr);
    // values: [tasks × tasks]; the edge of i, j is the mean of both directions.
    void setMatrix(std::vector<double> values, std::vector<QString> tasks,
                   std::vector<QColor> colours, double scale);
    void setThreshold(double threshold);
    // The edges drawn: (i, j, strength) with |strength| ≥ threshold.
    std::vector<std::tuple<int, int, double>> visibleEdges() const;
    QSize sizeHint() const override { return {320, 300}; }
    QSize minimumSizeHint() const override { return {140, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<double> m_values;
    std::vector<QString> m_tasks;
    std::vector<QColor> m_colours;
    double m_scale = 1.0;
    double m_threshold = 0.05;
};

} // namespace mtl::ui
