#include "relations/task_graph_widget.h"

#include "relations/heatmap_widget.h"

#include <QPainter>

#include <cmath>
#include <numbers>

namespace mtl::ui {

TaskGraphWidget::TaskGraphWidget(QWidget* parent) : QWidget(parent) {
    setObjectName("taskGraph");
}

void TaskGraphWidget::setMatrix(std::vector<double> values, std::vector<QString> tasks,
                                std::vector<QColor> colours, double scale) {
    m_values = std::move(values);
    m_tasks = std::move(tasks);
    m_colours = std::move(colours);
    m_scale = scale > 0 ? scale : 1.0;
    update();
}

void TaskGraphWidget::setThreshold(double threshold) {
    m_threshold = threshold;
    update();
}

std::vector<std::tuple<int, int, double>> TaskGraphWidget::visibleEdges() const {
    std::vector<std::tuple<int, int, double>> edges;
    const auto n = int(m_tasks.size());
    if (m_values.size() < std::size_t(n * n))
        return edges;
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
            const double a = m_values[std::size_t(i * n + j)], b = m_values[std::size_t(j * n + i)];
            const double v = std::isnan(a) ? b : std::isnan(b) ? a : (a + b) / 2;
            if (!std::isnan(v) && std::abs(v) >= m_threshold * m_scale)
                edges.emplace_back(i, j, v);
        }
    }
    return edges;
}

void TaskGraphWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const auto n = int(m_tasks.size());
    if (n == 0)
        return;
    const QPointF centre = rect().center();
    const double radius = std::max(10.0, std::min(width(), height()) / 2.0 - 40.0);
    std::vector<QPointF> at;
    for (int i = 0; i < n; ++i) {
        const double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * i / n;
        at.emplace_back(centre.x() + radius * std::cos(angle),
                        centre.y() + radius * std::sin(angle));
    }
    for (const auto& [i, j, v] : visibleEdges()) {
        const double strength = std::min(1.0, std::abs(v) / m_scale);
        QPen pen(relationColour(v < 0 ? -m_scale : m_scale, m_scale), 1.0 + 7.0 * strength);
        pen.setCapStyle(Qt::RoundCap);
        QColor c = pen.color();
        c.setAlphaF(0.35 + 0.65 * strength);
        pen.setColor(c);
        p.setPen(pen);
        p.drawLine(at[std::size_t(i)], at[std::size_t(j)]);
    }
    const QFontMetrics fm(font());
    for (int i = 0; i < n; ++i) {
        const QColor colour =
            std::size_t(i) < m_colours.size() ? m_colours[std::size_t(i)] : Qt::gray;
        p.setPen(QPen(colour.darker(130), 1.5));
        p.setBrush(colour);
        p.drawEllipse(at[std::size_t(i)], 9, 9);
        p.setPen(palette().color(QPalette::WindowText));
        const QString name = fm.elidedText(m_tasks[std::size_t(i)], Qt::ElideRight, 110);
        const double w = fm.horizontalAdvance(name);
        p.drawText(QPointF(at[std::size_t(i)].x() - w / 2, at[std::size_t(i)].y() + 24), name);
    }
}

} // namespace mtl::ui
