#include "relations/learned_relations.h"

#include "relations/heatmap_widget.h"
#include "relations/relations_view.h"
#include "relations/task_graph_widget.h"
#include "train/covariances.h"

#include <QLabel>

#include <bit>
#include <limits>

namespace mtl::ui {

std::vector<double> learnedCorrelation(const core::LearnedCovariance& c,
                                       const std::vector<QString>& tasks) {
    const std::size_t n = tasks.size();
    const std::size_t k = c.tasks.size();
    std::vector<double> matrix(n * n, std::numeric_limits<double>::quiet_NaN());
    std::vector<int> position(k, -1);
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t t = 0; t < n; ++t) {
            if (tasks[t].toStdString() == c.tasks[a])
                position[a] = int(t);
        }
    }
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = 0; b < k; ++b) {
            if (position[a] < 0 || position[b] < 0)
                continue;
            matrix[std::size_t(position[a]) * n + std::size_t(position[b])] =
                core::correlation(c, a, b);
        }
    }
    return matrix;
}

std::vector<double> stitchMixing(const core::Model& model, const core::CrossStitchUnit& unit,
                                 const core::Vector& parameters,
                                 const std::vector<QString>& tasks) {
    const std::size_t n = tasks.size();
    const std::size_t k = unit.instances.size();
    std::vector<double> matrix(n * n, std::numeric_limits<double>::quiet_NaN());
    std::vector<int> position;
    for (core::TaskMask m = unit.tasks; m != 0; m &= m - 1) {
        const std::string& name = model.tasks()[std::size_t(std::countr_zero(m))].name;
        int at = -1;
        for (std::size_t t = 0; t < n; ++t) {
            if (tasks[t].toStdString() == name)
                at = int(t);
        }
        position.push_back(at);
    }
    for (std::size_t a = 0; a < k && a < position.size(); ++a) {
        for (std::size_t b = 0; b < k && b < position.size(); ++b) {
            if (position[a] < 0 || position[b] < 0)
                continue;
            matrix[std::size_t(position[a]) * n + std::size_t(position[b])] =
                parameters[unit.parameterOffset + core::Index(a * k + b)];
        }
    }
    return matrix;
}

// The relations view's two learned relations (the rest is in relations_view.cpp).
void RelationsView::showLearned(const std::vector<QString>& tasks,
                                const std::vector<QColor>& colours) {
    const std::vector<core::LearnedCovariance> none;
    const auto& learned = m_run ? m_run->covariances : none;
    if (learned.empty()) {
        m_heatmap->setMatrix({}, {}, {}, 1.0);
        m_graph->setMatrix({}, {}, {}, 1.0);
        m_timeText->clear();
        return;
    }
    const core::LearnedCovariance& c = learned.front();
    m_matrix = learnedCorrelation(c, tasks);
    m_timeText->setText(learned.size() == 1 ? tr("Ω of %1").arg(QString::fromStdString(c.nodeId))
                                            : tr("Ω of %1 (first of %2 layers)")
                                                  .arg(QString::fromStdString(c.nodeId))
                                                  .arg(learned.size()));
    m_heatmap->setMatrix(m_matrix, tasks, colours, 1.0, tr("task"), tr("and"));
    m_graph->setMatrix(m_matrix, tasks, colours, 1.0);
}

void RelationsView::showStitch(const std::vector<QString>& tasks,
                               const std::vector<QColor>& colours) {
    if (!m_run || !m_run->trained || !m_run->model || m_run->model->crossStitches().empty()) {
        m_heatmap->setMatrix({}, {}, {}, 1.0);
        m_graph->setMatrix({}, {}, {}, 1.0);
        m_timeText->clear();
        return;
    }
    const auto& units = m_run->model->crossStitches();
    m_matrix = stitchMixing(*m_run->model, units.front(), m_run->trained->parameters, tasks);
    const QString layer = QString::fromStdString(units.front().nodeId);
    m_timeText->setText(units.size() == 1
                            ? tr("unit after %1").arg(layer)
                            : tr("unit after %1 (first of %2)").arg(layer).arg(units.size()));
    m_heatmap->setMatrix(m_matrix, tasks, colours, 1.0, tr("output of"), tr("takes from"));
    m_graph->setMatrix(m_matrix, tasks, colours, 1.0);
}

} // namespace mtl::ui
