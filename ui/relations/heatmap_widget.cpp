#include "relations/heatmap_widget.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace mtl::ui {

QColor relationColour(double v, double scale) {
    if (std::isnan(v))
        return QColor(200, 200, 200);
    const double t = std::clamp(v / std::max(scale, 1e-12), -1.0, 1.0);
    // White at 0 to a saturated red (−1) or blue (+1); the square root makes the weak relations
    // most pairs have (cosines of 0.1–0.3) visible while keeping their order.
    const QColor end = t < 0 ? QColor(198, 40, 40) : QColor(21, 101, 192);
    const double a = std::sqrt(std::abs(t));
    return QColor(int(255 + (end.red() - 255) * a), int(255 + (end.green() - 255) * a),
                  int(255 + (end.blue() - 255) * a));
}

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent) {
    setObjectName("relationHeatmap");
    m_placeholder = tr(
        "No task relations yet: they are measured while a network whose layers several tasks share "
        "trains.");
    setMouseTracking(true);
}

void HeatmapWidget::setMatrix(std::vector<double> values, std::vector<QString> tasks,
                              std::vector<QColor> colours, double scale, QString rowMeaning,
                              QString columnMeaning, bool showDiagonal) {
    m_showDiagonal = showDiagonal;
    m_values = std::move(values);
    m_tasks = std::move(tasks);
    m_colours = std::move(colours);
    m_rows = std::move(rowMeaning);
    m_columns = std::move(columnMeaning);
    if (scale <= 0) {
        scale = 0;
        const std::size_t n = m_tasks.size();
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                if (i != j && i * n + j < m_values.size() && !std::isnan(m_values[i * n + j])) {
                    scale = std::max(scale, std::abs(m_values[i * n + j]));
                }
            }
        }
    }
    m_scale = scale > 0 ? scale : 1.0;
    update();
}

QRectF HeatmapWidget::grid() const {
    const QFontMetrics fm(font());
    int label = 0;
    for (const QString& t : m_tasks)
        label = std::max(label, fm.horizontalAdvance(t));
    label = std::min(label + 14, width() / 3);
    const double side =
        std::max(0.0, std::min(double(width() - label - 8), double(height() - label - 8)));
    return {double(label), double(label), side, side};
}

void HeatmapWidget::setPlaceholder(QString text) {
    m_placeholder = std::move(text);
    update();
}

std::pair<int, int> HeatmapWidget::cellAt(QPointF p) const {
    const QRectF g = grid();
    const auto n = int(m_tasks.size());
    if (n == 0 || !g.contains(p))
        return {-1, -1};
    const double cell = g.width() / n;
    return {std::clamp(int((p.y() - g.top()) / cell), 0, n - 1),
            std::clamp(int((p.x() - g.left()) / cell), 0, n - 1)};
}

QString HeatmapWidget::cellText(int row, int column) const {
    const std::size_t n = m_tasks.size();
    const double v = m_values[std::size_t(row) * n + std::size_t(column)];
    const QString value = std::isnan(v) ? tr("not measured") : QString::number(v, 'g', 4);
    return tr("%1 %2 · %3 %4: %5")
        .arg(m_rows, m_tasks[std::size_t(row)], m_columns, m_tasks[std::size_t(column)], value);
}

bool HeatmapWidget::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const auto [row, column] = cellAt(help->pos());
        if (row >= 0)
            QToolTip::showText(help->globalPos(), cellText(row, column), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void HeatmapWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const auto n = int(m_tasks.size());
    if (n == 0 || m_values.size() < std::size_t(n * n)) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(12, 0, -12, 0), Qt::AlignCenter | Qt::TextWordWrap,
                   m_placeholder);
        return;
    }
    const QRectF g = grid();
    const double cell = g.width() / n;
    const bool writeValues = n <= 8 && cell > 34;
    QFont small = font();
    small.setPointSizeF(std::max(6.0, std::min(font().pointSizeF(), cell / 4.2)));
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            const bool trivial = i == j && !m_showDiagonal;
            const double v = trivial ? std::nan("") : m_values[std::size_t(i * n + j)];
            const QRectF r(g.left() + j * cell, g.top() + i * cell, cell, cell);
            p.fillRect(r, trivial ? palette().color(QPalette::AlternateBase)
                                  : relationColour(v, m_scale));
            p.setPen(QPen(palette().color(QPalette::Window), 1));
            p.drawRect(r);
            if (!writeValues || std::isnan(v))
                continue;
            p.setFont(small);
            p.setPen(std::sqrt(std::abs(v) / m_scale) > 0.7 ? Qt::white : Qt::black);
            // Two decimals on a ±1 scale (cosines); two significant digits on small scales
            // (affinities are ~10⁻³).
            p.drawText(r, Qt::AlignCenter,
                       m_scale >= 0.5 ? QString::number(v, 'f', 2) : QString::number(v, 'g', 2));
        }
    }
    // Task names and colours along the axes.
    p.setFont(font());
    const QFontMetrics fm(font());
    for (int i = 0; i < n; ++i) {
        const QColor colour =
            std::size_t(i) < m_colours.size() ? m_colours[std::size_t(i)] : Qt::gray;
        const QRectF row(0, g.top() + i * cell, g.left() - 6, cell);
        p.fillRect(QRectF(g.left() - 5, row.top() + 2, 4, cell - 4), colour);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(row.adjusted(0, 0, -6, 0), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(m_tasks[std::size_t(i)], Qt::ElideRight, int(row.width()) - 6));
        p.fillRect(QRectF(g.left() + i * cell + 2, g.top() - 5, cell - 4, 4), colour);
        p.save();
        p.translate(g.left() + i * cell + cell / 2, g.top() - 8);
        p.rotate(-90);
        p.drawText(QRectF(0, -cell / 2, g.top() - 10, cell), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(m_tasks[std::size_t(i)], Qt::ElideRight, int(g.top()) - 10));
        p.restore();
    }
}

} // namespace mtl::ui
