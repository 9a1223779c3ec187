#include "relations/pair_chart.h"

#include "training/chart_style.h"

#include <QChart>
#include <QCoreApplication>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace mtl::ui {

void drawPairCosines(QChart* chart, const RunData* run, std::size_t block, double smoothing,
                     const TaskColour& colourOf) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis);
    if (run == nullptr || run->relations.empty() || block >= run->relations.front().blocks.size())
        return;
    const std::vector<core::RelationRecord>& records = run->relations;
    const int n = records.front().tasks;
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    x->setTitleText(QCoreApplication::translate("mtl::ui::RelationsView", "step"));
    x->setLabelFormat("%g");
    y->setRange(-1, 1);
    styleAxis(x);
    styleAxis(y);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    const std::vector<Qt::PenStyle> styles{Qt::SolidLine, Qt::DashLine, Qt::DotLine,
                                           Qt::DashDotLine};
    const auto& tasks = run->metrics.tasks();
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
            auto* series = new QLineSeries;
            series->setName(
                QString::fromStdString(tasks[std::size_t(i)] + "–" + tasks[std::size_t(j)]));
            // Coloured as the first task of the pair, styled by the second.
            QPen pen(colourOf ? colourOf(tasks[std::size_t(i)], std::size_t(i))
                              : QColor(Qt::darkGray),
                     1.6, styles[std::size_t(j) % styles.size()]);
            series->setPen(pen);
            QList<QPointF> points;
            double smooth = 0.0, weight = 0.0;
            for (const core::RelationRecord& r : records) {
                const double c = r.blocks[block].cosine[std::size_t(i * n + j)];
                if (std::isnan(c))
                    continue;
                smooth = smoothing * smooth + (1 - smoothing) * c;
                weight = smoothing * weight + (1 - smoothing);
                points.append(QPointF(double(r.step), smooth / weight));
            }
            series->replace(points);
            chart->addSeries(series);
            series->attachAxis(x);
            series->attachAxis(y);
        }
    }
    x->setRange(0, double(std::max(1L, records.back().step)));
    x->applyNiceNumbers();
}

} // namespace mtl::ui
