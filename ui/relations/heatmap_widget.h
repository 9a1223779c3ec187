#pragma once
// A painted T×T matrix of task relations: a diverging colour scale (red = conflict or harm,
// white = none, blue = agreement or help; ±1 at full colour, or ±the largest magnitude for
// matrices without a fixed scale), the values written in the cells when there are few tasks and
// shown on hover otherwise, the task colours along both axes.

#include <QColor>
#include <QWidget>

#include <vector>

namespace mtl::ui {

// The diverging colour of v ∈ [−scale, scale] (NaN: grey).
QColor relationColour(double v, double scale);

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    // values: [tasks × tasks] row-major (NaN: unknown); scale: the magnitude at full colour (0:
    // the largest off-diagonal magnitude).
    // showDiagonal false: the diagonal is trivial (a task with itself) and drawn neutral.
    void setMatrix(std::vector<double> values, std::vector<QString> tasks,
                   std::vector<QColor> colours, double scale, QString rowMeaning = {},
                   QString columnMeaning = {}, bool showDiagonal = true);
    const std::vector<double>& values() const { return m_values; }
    // What the widget says while it has no matrix.
    void setPlaceholder(QString text);
    // The cell under a point of the widget, or (−1, −1).
    std::pair<int, int> cellAt(QPointF point) const;
    QString cellText(int row, int column) const;
    QSize sizeHint() const override { return {360, 320}; }
    QSize minimumSizeHint() const override { return {160, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override; // tooltips

private:
    QRectF grid() const;

    std::vector<double> m_values;
    std::vector<QString> m_tasks;
    std::vector<QColor> m_colours;
    double m_scale = 1.0;
    QString m_rows, m_columns;
    bool m_showDiagonal = true;
    QString m_placeholder;
};

} // namespace mtl::ui
