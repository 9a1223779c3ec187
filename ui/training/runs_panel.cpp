#include "training/runs_panel.h"

#include "model/graph_index.h"
#include "runs/delta_m.h"
#include "training/run_comparison.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace mtl::ui {

namespace {

enum RunColumn { Name, Sharing, Epochs, Ended, Metrics, Note, ColumnCount };

} // namespace

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent), m_table(new QTableWidget(0, ColumnCount, this)),
      m_comparison(new QTableWidget(0, 5, this)), m_deltaM(new QLabel(this)),
      m_open(new QPushButton(tr("Open graph"), this)),
      m_baselines(new QPushButton(tr("Baselines"), this)),
      m_compare(new QPushButton(tr("Compare"), this)) {
    setObjectName("runs");
    m_table->setHorizontalHeaderLabels({tr("Run"), tr("Sharing · balancing"), tr("Epochs"),
                                        tr("Ended"), tr("Final metrics"), tr("Note")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // A run's name and note are edited in place (double-click or F2); the other cells are
    // read-only.
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setColumnHidden(Note, true);
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
    m_compare->setObjectName("compareRuns");
    m_compare->setToolTip(
        tr("The selected runs' settings and final metrics side by side (all runs when "
           "none or one is selected)"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_compare);
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
    connect(m_compare, &QPushButton::clicked, this,
            [this] { emit compareRequested(runsToCompare()); });
    connect(m_table, &QTableWidget::itemChanged, this, &RunsPanel::cellEdited);
    connect(m_table, &QWidget::customContextMenuRequested, this, &RunsPanel::showMenu);
    auto* remove =
        new QShortcut(QKeySequence::Delete, m_table, nullptr, nullptr, Qt::WidgetShortcut);
    connect(remove, &QShortcut::activated, this, [this] {
        if (!selectedRuns().empty())
            emit deleteRequested(selectedRuns());
    });
    m_open->setEnabled(false);
    m_compare->setEnabled(false);
}

std::vector<RunPtr> RunsPanel::runsToCompare() const {
    const auto selected = selectedRuns();
    return selected.size() >= 2 ? selected : m_runs;
}

void RunsPanel::cellEdited(QTableWidgetItem* item) {
    const int r = item->row();
    if (r < 0 || r >= int(m_runs.size()))
        return;
    const RunPtr run = m_runs[std::size_t(r)];
    if (item->column() == Name) {
        const QString name = item->text().simplified();
        if (name != run->name)
            emit renameRequested(run, name);
    } else if (item->column() == Note) {
        if (item->text() != run->note)
            emit noteRequested(run, item->text());
    }
    // Shows what the run now has (the rename may have been refused).
    const QSignalBlocker block(m_table);
    fillRow(r);
}

void RunsPanel::editName(int row) {
    if (row < 0 || row >= m_table->rowCount())
        return;
    m_table->editItem(m_table->item(row, Name));
}

void RunsPanel::editNote(int row) {
    if (row < 0 || row >= m_table->rowCount())
        return;
    m_table->setColumnHidden(Note, false);
    m_table->editItem(m_table->item(row, Note));
}

void RunsPanel::showMenu(const QPoint& at) {
    const int row = m_table->rowAt(at.y());
    if (row < 0)
        return;
    if (!m_table->item(row, 0)->isSelected())
        m_table->selectRow(row);
    const auto selected = selectedRuns();
    QMenu menu(this);
    menu.addAction(tr("Rename"), this, [this, row] { editName(row); })->setShortcut(Qt::Key_F2);
    menu.addAction(tr("Edit note"), this, [this, row] { editNote(row); });
    menu.addAction(tr("Open graph"), this,
                   [this, selected] { emit openGraphRequested(selected.front()); })
        ->setEnabled(selected.size() == 1);
    menu.addAction(tr("Compare runs"), this, [this] { emit compareRequested(runsToCompare()); });
    menu.addSeparator();
    menu.addAction(selected.size() > 1 ? tr("Delete %1 runs…").arg(selected.size())
                                       : tr("Delete run…"),
                   this, [this, selected] { emit deleteRequested(selected); })
        ->setShortcut(QKeySequence::Delete);
    menu.exec(m_table->viewport()->mapToGlobal(at));
}

QString RunsPanel::sharingSummary(const core::Project& project) {
    const core::GraphIndex graph = core::indexGraph(project.model);
    if (graph.taskNodes.size() == 1) return tr("single task");
    int hard = 0;
    int soft = 0;
    float lambda = 0.0f;
    bool stitched = false;
    bool traceNorm = false;
    bool relationships = false;
    for (std::size_t i = 0; i < project.model.nodes.size(); ++i) {
        const auto& node = project.model.nodes[i];
        const core::TaskMask mask = graph.tasksBelow[i];
        if (!core::hasParameters(node.kind) || (mask & (mask - 1)) == 0) continue; // not shared
        if (node.sharing == core::SharingMode::Soft) {
            ++soft;
            lambda = node.couplingStrength;
            stitched |= node.crossStitch;
            traceNorm |= node.coupling == core::Coupling::TraceNorm;
            relationships |= node.coupling == core::Coupling::Relationship;
        } else {
            ++hard;
        }
    }
    QString sharing = soft == 0 ? tr("hard") : hard == 0 ? tr("soft, λ %1").arg(double(lambda)) : tr("hard + soft");
    // The soft layers' couplings and units, when not just L2 to the mean.
    if (traceNorm)
        sharing += tr(", trace norm");
    if (relationships)
        sharing += tr(", MTRL");
    if (stitched)
        sharing += tr(", cross-stitch");
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
        const core::MetricKind metric = core::comparisonMetric(task);
        const auto value = core::keptMetric(run, task.name, metric);
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
    // The Note column shows once a run has a note.
    m_table->setColumnHidden(Note, std::none_of(runs.begin(), runs.end(), [](const RunPtr& run) {
                                 return !run->note.isEmpty();
                             }));
    m_compare->setEnabled(runs.size() >= 2);
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
    const QStringList cells{run.name, sharingSummary(run.snapshot), epochs, endedText(run), metrics,
                            run.note};
    const bool current = onCurrentDataset(run);
    QString tip =
        QStringLiteral("<b>%1</b> — %2").arg(run.name.toHtmlEscaped(), run.message.toHtmlEscaped());
    if (!metrics.isEmpty())
        tip += "<br>" + metrics.toHtmlEscaped().replace(" · ", "<br>");
    if (!run.note.isEmpty())
        tip += "<br><i>" + run.note.toHtmlEscaped() + "</i>";
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
        const bool editable = (c == Name || c == Note) && !run.running;
        item->setFlags(editable ? item->flags() | Qt::ItemIsEditable
                                : item->flags() & ~Qt::ItemIsEditable);
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
    std::vector<const core::RunContents*> baselineRuns;
    for (const RunPtr& run : baselines)
        baselineRuns.push_back(run.get());
    const core::BaselineComparison comparison = core::compareWithBaselines(*multi, baselineRuns);
    m_comparison->setRowCount(int(comparison.tasks.size()));
    for (int r = 0; r < int(comparison.tasks.size()); ++r) {
        const core::TaskComparison& row = comparison.tasks[std::size_t(r)];
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
