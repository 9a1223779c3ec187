// What the relations view does with the matrix it shows: export it, group the tasks by it, and
// measure the task affinity (the rest of the view is in relations_view.cpp).
#include "relations/relations_view.h"

#include "io/csv_writing.h"
#include "relations/affinity_measurement.h"
#include "relations/task_grouping.h"
#include "util/atomic_file.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>

namespace mtl::ui {

bool RelationsView::exportPng(const QString& path) {
    return m_split->grab().save(path, "PNG");
}

bool RelationsView::exportCsv(const QString& path) const {
    if (!m_run || m_matrix.empty())
        return false;
    std::vector<std::string> tasks = m_run->metrics.tasks();
    std::string out = core::csvField(m_relation->currentText().toStdString() + " / " +
                                     m_layer->currentText().toStdString());
    for (const std::string& t : tasks)
        out += "," + core::csvField(t);
    out += "\n";
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        out += core::csvField(tasks[i]);
        for (std::size_t j = 0; j < tasks.size(); ++j) {
            out += ",";
            core::appendNumber(out, m_matrix[i * tasks.size() + j]);
        }
        out += "\n";
    }
    try {
        core::writeFileAtomically(path.toStdString(), out);
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

std::vector<std::vector<std::string>> RelationsView::grouping() const {
    std::vector<std::vector<std::string>> out;
    if (!m_run || m_matrix.empty())
        return out;
    const int tasks = int(m_run->metrics.taskCount());
    const auto best = core::bestGroupings(m_matrix, tasks, m_groups->value());
    if (best.empty())
        return out;
    for (const auto& group : best.back().groups) {
        std::vector<std::string> names;
        for (int t : group)
            names.push_back(m_run->metrics.tasks()[std::size_t(t)]);
        out.push_back(names);
    }
    return out;
}

void RelationsView::updateGrouping() {
    const auto groups = grouping();
    QStringList parts;
    for (const auto& g : groups) {
        QStringList names;
        for (const std::string& t : g)
            names << QString::fromStdString(t);
        parts << "{" + names.join(", ") + "}";
    }
    m_grouping->setText(groups.empty() ? tr("No relations to group by yet.")
                                       : tr("Most related together: %1").arg(parts.join("  ")));
    m_create->setEnabled(groups.size() > 1 && m_run != nullptr);
}

void RelationsView::measureAffinity(int batches) {
    if (!m_run || !m_affinity->start(m_run, m_projectDirectory, batches))
        return;
    m_status->setText(tr("Measuring the task affinity over %1 batches…").arg(batches));
    m_measure->setEnabled(false);
}

void RelationsView::affinityMeasured(const RunPtr& run, int batches, const QString& error) {
    QString message;
    if (error.isEmpty()) {
        message = tr("Task affinity of %1 measured over %2 batches.").arg(run->name).arg(batches);
        if (run == m_run)
            showRelation(Relation::Affinity);
    } else {
        message = tr("Could not measure the affinity: %1").arg(error);
    }
    m_status->setText(message);
    refresh();
    emit affinityFinished(message);
}

} // namespace mtl::ui
