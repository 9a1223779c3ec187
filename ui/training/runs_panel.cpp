#include "training/runs_panel.h"

#include "model/graph_index.h"
#include "training/baseline_comparison.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace mtl::ui {

namespace {

enum RunColumn { Name, Sharing, Epochs, Ended, Metrics };

QString endedText(const RunData& run) {
    if (run.running) return QObject::tr("running");
    if (run.failed) return QObject::tr("failed");
    switch (run.reason) {
    case core::StopReason::Completed: return QObject::tr("completed");
    case core::StopReason::EarlyStopped: return QObject::tr("early stop");
    case core::StopReason::Stopped: return QObject::tr("stopped");
    case core::StopReason::Diverged: return QObject::tr("diverged");
    }
    return {};
}

} // namespace

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent), m_table(new QTableWidget(0, 5, this)),
      m_comparison(new QTableWidget(0, 5, this)), m_deltaM(new QLabel(this)),
      m_open(new QPushButton(tr("Open graph"), this)),
      m_baselines(new QPushButton(tr("Baselines"), this)) {
    setObjectName("runs");
    m_table->setHorizontalHeaderLabels({tr("Run"), tr("Sharing · balancing"), tr("Epochs"), tr("Ended"), tr("Final metrics")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setToolTip(tr("Select several runs to overlay their curves"));
    m_comparison->setHorizontalHeaderLabels({tr("Task"), tr("Metric"), tr("Multi-task"), tr("Single-task"), tr("Δ")});
    m_comparison->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_comparison->verticalHeader()->hide();
    m_comparison->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_comparison->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_deltaM->setObjectName("deltaM");
    m_deltaM->setWordWrap(true);
    m_open->setToolTip(tr("Open the selected run's network in the editor"));
    m_baselines->setToolTip(tr("Train single-task baselines: the same trunk and head for one task "
                               "at a time, then compare"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_baselines);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 2);
    layout->addLayout(buttons);
    layout->addWidget(m_comparison, 1);
    layout->addWidget(m_deltaM);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        m_open->setEnabled(selectedRuns().size() == 1);
        emit selectionChanged(selectedRuns());
        showComparison();
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (selectedRuns().size() == 1) emit openGraphRequested(selectedRuns().front());
    });
    connect(m_baselines, &QPushButton::clicked, this, &RunsPanel::baselinesRequested);
    m_open->setEnabled(false);
}

QString RunsPanel::sharingSummary(const core::Project& project) {
    const core::GraphIndex graph = core::indexGraph(project.model);
    if (graph.taskNodes.size() == 1) return tr("single task");
    int hard = 0;
    int soft = 0;
    float lambda = 0.0f;
    for (std::size_t i = 0; i < project.model.nodes.size(); ++i) {
        const auto& node = project.model.nodes[i];
        const core::TaskMask mask = graph.tasksBelow[i];
        if (!core::hasParameters(node.kind) || (mask & (mask - 1)) == 0) continue; // not shared
        if (node.sharing == core::SharingMode::Soft) {
            ++soft;
            lambda = node.couplingStrength;
        } else {
            ++hard;
        }
    }
    QString sharing = soft == 0 ? tr("hard") : hard == 0 ? tr("soft, λ %1").arg(double(lambda)) : tr("hard + soft");
    // The balancing method, when not the task weights as set.
    if (project.training.balancing.kind != core::BalancingKind::Static) {
        sharing += " · " + QString::fromStdString(core::balancingMethod(project.training.balancing.kind).title);
    }
    return sharing;
}

QString RunsPanel::finalMetrics(const RunData& run) {
    if (!run.model) return {};
    QStringList parts;
    for (const core::TaskInfo& task : run.model->tasks()) {
        const core::MetricKind metric = comparisonMetric(task);
        const auto value = keptMetric(run, task.name, metric);
        if (value) parts << QStringLiteral("%1 %2 %3").arg(QString::fromStdString(task.name), QString::fromUtf8(core::metricName(metric).data())).arg(*value, 0, 'g', 4);
    }
    return parts.join(" · ");
}

void RunsPanel::setRuns(const std::vector<RunPtr>& runs) {
    const auto selected = selectedRuns();
    m_runs = runs;
    const QSignalBlocker block(m_table);
    m_table->clearSelection();
    m_table->setRowCount(int(runs.size()));
    for (int r = 0; r < int(runs.size()); ++r) {
        fillRow(r);
        if (std::find(selected.begin(), selected.end(), runs[std::size_t(r)]) != selected.end()) m_table->selectRow(r);
    }
    showComparison();
}

void RunsPanel::setCurrentDataset(const core::DatasetSource& current) {
    if (m_haveDataset && current == m_dataset)
        return;
    m_dataset = current;
    m_haveDataset = true;
    setRuns(m_runs);
}

bool RunsPanel::onCurrentDataset(const RunData& run) const {
    return !m_haveDataset || run.snapshot.dataset == m_dataset;
}

void RunsPanel::updateRun(const RunPtr& run) {
    const auto it = std::find(m_runs.begin(), m_runs.end(), run);
    if (it == m_runs.end())
        return;
    const QSignalBlocker block(m_table);
    fillRow(int(it - m_runs.begin()));
}

void RunsPanel::fillRow(int r) {
    const RunData& run = *m_runs[std::size_t(r)];
    // While a run trains: the epochs complete so far, of how many.
    const QString epochs =
        run.running
            ? tr("%1 of %2").arg(run.metrics.epochs().size()).arg(run.snapshot.training.epochs)
            : QString::number(run.epochs);
    const QString metrics = finalMetrics(run);
    const QStringList cells{run.name, sharingSummary(run.snapshot), epochs, endedText(run),
                            metrics};
    const bool current = onCurrentDataset(run);
    QString tip =
        QStringLiteral("<b>%1</b> — %2").arg(run.name.toHtmlEscaped(), run.message.toHtmlEscaped());
    if (!metrics.isEmpty())
        tip += "<br>" + metrics.toHtmlEscaped().replace(" · ", "<br>");
    if (!current)
        tip += "<br><i>" +
               tr("Trained on another dataset than the project's now: left out of Δm.") + "</i>";
    tip += "<br><small>" + run.directory.toHtmlEscaped() + "</small>";
    for (int c = 0; c < cells.size(); ++c) {
        QTableWidgetItem* item = m_table->item(r, c);
        if (item == nullptr) {
            item = new QTableWidgetItem;
            m_table->setItem(r, c, item);
        }
        item->setText(cells[c]);
        item->setToolTip(tip);
        QFont font = item->font();
        font.setItalic(!current);
        item->setFont(font);
        item->setForeground(current ? palette().brush(QPalette::Text)
                                    : palette().brush(QPalette::PlaceholderText));
    }
}

std::vector<RunPtr> RunsPanel::selectedRuns() const {
    std::vector<RunPtr> runs;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (m_table->item(r, 0) != nullptr && m_table->item(r, 0)->isSelected() && r < int(m_runs.size())) {
            runs.push_back(m_runs[std::size_t(r)]);
        }
    }
    return runs;
}

void RunsPanel::selectRuns(const std::vector<int>& rows) {
    m_table->clearSelection();
    m_table->setSelectionMode(QAbstractItemView::MultiSelection);
    for (int row : rows) m_table->selectRow(row);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
}

void RunsPanel::showComparison() {
    std::vector<RunPtr> baselines;
    RunPtr multi;
    for (const RunPtr& run : m_runs) {
        if (!run->baselineTask.empty() || run->running || !run->model ||
            run->model->tasks().size() < 2)
            continue;
        if (onCurrentDataset(*run))
            multi = run;
    }
    for (const RunPtr& run : selectedRuns()) {
        if (run->baselineTask.empty() && run->model && run->model->tasks().size() > 1) multi = run;
    }
    // Baselines count only on the dataset the multi-task run was trained on.
    for (const RunPtr& run : m_runs) {
        if (!run->baselineTask.empty() && !run->running && multi &&
            run->snapshot.dataset == multi->snapshot.dataset) {
            baselines.push_back(run);
        }
    }
    m_comparison->setRowCount(0);
    fitComparisonHeight();
    if (!multi || baselines.empty()) {
        m_deltaM->setText(tr("Train the single-task baselines to see whether multi-task learning helps each task."));
        return;
    }
    const BaselineComparison comparison = compareWithBaselines(*multi, baselines);
    m_comparison->setRowCount(int(comparison.tasks.size()));
    for (int r = 0; r < int(comparison.tasks.size()); ++r) {
        const TaskComparison& row = comparison.tasks[std::size_t(r)];
        const QString arrow = row.higherIsBetter ? QStringLiteral(" ↑") : QStringLiteral(" ↓");
        const QStringList cells{QString::fromStdString(row.task), QString::fromStdString(row.metric) + arrow,
                                QString::number(row.multiTask, 'g', 4),
                                row.singleTask ? QString::number(*row.singleTask, 'g', 4) : tr("—"),
                                row.relative ? QStringLiteral("%1%2 %").arg(*row.relative >= 0 ? "+" : "").arg(*row.relative * 100, 0, 'f', 1) : tr("—")};
        for (int c = 0; c < cells.size(); ++c) m_comparison->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    fitComparisonHeight();
    if (comparison.deltaM) {
        const double dm = *comparison.deltaM * 100;
        m_deltaM->setText(tr("<b>Δm = %1%2 %</b> for %3 against the single-task baselines: %4")
                              .arg(dm >= 0 ? "+" : "")
                              .arg(dm, 0, 'f', 2)
                              .arg(multi->name)
                              .arg(dm >= 0 ? tr("multi-task learning helps on average.") : tr("the tasks do better alone.")));
    } else {
        m_deltaM->setText(tr("Δm needs a baseline for every task of %1.").arg(multi->name));
    }
}

void RunsPanel::fitComparisonHeight() {
    // Every task's row shows: the table is as tall as its rows (one empty row when there are none).
    const int rows = std::max(1, m_comparison->rowCount());
    const int height = m_comparison->horizontalHeader()->sizeHint().height() +
                       rows * m_comparison->verticalHeader()->defaultSectionSize() +
                       2 * m_comparison->frameWidth();
    m_comparison->setFixedHeight(height);
}

QString RunsPanel::deltaMText() const { return m_deltaM->text(); }

} // namespace mtl::ui
