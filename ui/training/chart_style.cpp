#include "training/chart_style.h"

#include <QAbstractAxis>
#include <QChart>
#include <QGraphicsLayout>
#include <QLegend>

namespace mtl::ui {

void styleChart(QChart* chart) {
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(2, 0, 6, 0));
    if (chart->layout() != nullptr)
        chart->layout()->setContentsMargins(0, 0, 0, 0);
    QLegend* legend = chart->legend();
    legend->setAlignment(Qt::AlignTop);
    legend->setMarkerShape(QLegend::MarkerShapeFromSeries); // a line in the series' style
    QFont font = legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    legend->setFont(font);
    QFont title = chart->titleFont();
    title.setPointSizeF(font.pointSizeF());
    chart->setTitleFont(title);
}

void styleAxis(QAbstractAxis* axis) {
    QFont labels = axis->labelsFont();
    labels.setPointSizeF(labels.pointSizeF() * 0.9);
    axis->setLabelsFont(labels);
    QFont title = axis->titleFont();
    title.setPointSizeF(labels.pointSizeF());
    title.setBold(false);
    axis->setTitleFont(title);
    // Labels shortened to "…" say nothing: keep them whole (the plot gives way instead).
    axis->setTruncateLabels(false);
}

} // namespace mtl::ui
