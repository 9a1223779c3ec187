#include "experiments/experiment_view.h"

#include "document/node_text.h"
#include "document/project_document.h"
#include "experiments/experiment_dialog.h"
#include "model/model.h"
#include "runs/run_training.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace mtl::ui {

namespace {

// Sorts by the number it holds (UserRole + 1), not by its text.
class NumberItem : public QTableWidgetItem {
public:
    bool operator<(const QTableWidgetItem& other) const override {
        return data(Qt::UserRole + 1).toDouble() < other.data(Qt::UserRole + 1).toDouble();
    }
};

// Seconds per epoch of the project's last run on its current dataset, 0 when there is none.
double lastEpochSeconds(const ProjectDocument& document) {
    const auto& runs = document.project().runs;
    if (runs.empty())
        return 0.0;
    try {
        const core::RunContents run =
            core::readRecordedRun(runs.back(), document.projectDirectory().toStdString());
        const auto& epochs = run.metrics.epochs();
        if (epochs.empty() || !(run.snapshot.dataset == document.project().dataset))
            return 0.0;
        return epochs.back().seconds / double(epochs.size());
    } catch (const std::exception&) {
        return 0.0;
    }
}

} // namespace

ExperimentView::ExperimentView(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_controller(new ExperimentController(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_experiments = new QComboBox;
    m_experiments->setMinimumContentsLength(18);
    m_new = new QPushButton(tr("New experiment…"));
    m_run = new QPushButton(tr("Run"));
    m_pause = new QPushButton(tr("Pause"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setToolTip(
        tr("Stops after the current step; the run in progress is trained again on resume, the "
           "finished ones are kept"));
    bar->addWidget(new QLabel(tr("Experiment:")));
    bar->addWidget(m_experiments, 1);
    for (QPushButton* b : {m_new, m_run, m_pause, m_stop})
        bar->addWidget(b);
    layout->addLayout(bar);
    m_progress = new QProgressBar;
    m_progress->setFormat(tr("%v of %m runs"));
    layout->addWidget(m_progress);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* split = new QSplitter(Qt::Vertical);
    m_table = new QTableWidget;
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->hide();
    split->addWidget(m_table);
    auto* charts = new QSplitter(Qt::Horizontal);
    m_scatter = new ExperimentScatter;
    m_curves = new ExperimentCurves;
    charts->addWidget(m_scatter);
    charts->addWidget(m_curves);
    split->addWidget(charts);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({300, 420});
    layout->addWidget(split, 1);

    auto* exports = new QHBoxLayout;
    auto* copy = new QPushButton(tr("Copy as Markdown"));
    exports->addWidget(copy);
    for (const auto& [format, title] : {std::pair<QString, QString>{"csv", tr("Save CSV…")},
                                        {"markdown", tr("Save Markdown…")},
                                        {"latex", tr("Save LaTeX…")}}) {
        auto* button = new QPushButton(title);
        connect(button, &QPushButton::clicked, this, [this, f = format] { exportTable(f); });
        exports->addWidget(button);
    }
    exports->addStretch(1);
    layout->addLayout(exports);

    connect(copy, &QPushButton::clicked, this, &ExperimentView::copyMarkdown);
    connect(m_new, &QPushButton::clicked, this, &ExperimentView::newExperiment);
    connect(m_run, &QPushButton::clicked, this, &ExperimentView::runShown);
    connect(m_pause, &QPushButton::clicked, this,
            [this] { m_controller->isPaused() ? m_controller->resume() : m_controller->pause(); });
    connect(m_stop, &QPushButton::clicked, m_controller, &ExperimentController::stop);
    connect(m_experiments, &QComboBox::currentIndexChanged, this, &ExperimentView::showExperiment);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ExperimentView::selectRow);
    connect(m_controller, &ExperimentController::jobFinished, this, [this] {
        if (m_controller->directory() == shownDirectory()) {
            m_state = m_controller->state();
            refreshResults();
        }
        updateStatus();
    });
    connect(m_controller, &ExperimentController::jobStarted, this, &ExperimentView::updateStatus);
    connect(m_controller, &ExperimentController::epochPassed, this, &ExperimentView::updateStatus);
    connect(m_controller, &ExperimentController::pausedChanged, this,
            &ExperimentView::updateStatus);
    connect(
        m_controller, &ExperimentController::finished, this,
        [this](bool completed, const QString& error) {
            if (!error.isEmpty()) {
                m_status->setText(tr("Error: %1").arg(error));
            }
            showExperiment();
            if (error.isEmpty() && !completed) {
                m_status->setText(
                    tr("Stopped with %1 of %2 runs done. Run resumes it; finished runs are kept.")
                        .arg(m_state.doneCount())
                        .arg(m_state.jobs.size()));
            }
        });
    connect(document, &ProjectDocument::documentReset, this, &ExperimentView::reloadList);
    connect(document, &ProjectDocument::experimentsChanged, this, &ExperimentView::reloadList);
    reloadList();
}

QString ExperimentView::shownDirectory() const {
    return m_experiments->currentData().toString();
}

void ExperimentView::reloadList() {
    const QString shown = m_controller->isRunning() ? m_controller->directory() : shownDirectory();
    const QSignalBlocker block(m_experiments);
    m_experiments->clear();
    for (const core::ExperimentRecord& e : m_document->project().experiments) {
        m_experiments->addItem(QString::fromStdString(e.spec.name),
                               QString::fromStdString(e.directory));
    }
    const int index = m_experiments->findData(shown);
    m_experiments->setCurrentIndex(index >= 0 ? index : m_experiments->count() - 1);
    showExperiment();
}

void ExperimentView::showExperiment() {
    m_state = {};
    const QString directory = shownDirectory();
    if (!directory.isEmpty()) {
        try {
            m_state = core::readExperiment(directory.toStdString());
        } catch (const std::exception& e) {
            m_status->setText(tr("Error: %1").arg(QString::fromStdString(e.what())));
        }
    }
    if (m_controller->isRunning() && m_controller->directory() == directory)
        m_state = m_controller->state();
    refreshResults();
    updateStatus();
}

void ExperimentView::refreshResults() {
    m_results = core::experimentTable(m_state);
    fillTable();
    const int row = m_table->currentRow();
    m_scatter->show(m_state, m_results,
                    row >= 0 ? m_table->item(row, 0)->data(Qt::UserRole).toInt() : -1);
    if (m_table->selectedItems().isEmpty() && m_table->rowCount() > 0) {
        // The best configuration's curves to begin with.
        for (int r = 0; r < m_table->rowCount(); ++r) {
            const int index = m_table->item(r, 0)->data(Qt::UserRole).toInt();
            if (m_results.rows[std::size_t(index)].rank == 1 &&
                m_results.rows[std::size_t(index)].config >= 0) {
                m_table->selectRow(r);
            }
        }
    }
    selectRow();
}

void ExperimentView::fillTable() {
    m_table->setSortingEnabled(false);
    const QString selected =
        m_table->currentRow() >= 0 ? m_table->item(m_table->currentRow(), 0)->text() : QString();
    QStringList headers{tr("Configuration"), tr("Runs")};
    for (const core::ExperimentTask& t : m_results.tasks) {
        headers << tr("%1 %2 %3")
                       .arg(QString::fromStdString(t.name), QString::fromStdString(t.metric),
                            t.higherIsBetter ? "↑" : "↓");
    }
    headers << tr("Δm (%) ↑") << tr("Time per run") << tr("Rank");
    m_table->clear();
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(int(m_results.rows.size()));
    const int configs =
        int(std::count_if(m_results.rows.begin(), m_results.rows.end(),
                          [](const core::ExperimentRow& r) { return r.config >= 0; }));
    // Green for the best rank, through yellow, to red for the worst.
    auto shade = [&](int rank) {
        if (rank <= 0 || configs < 2)
            return QColor();
        const double f = double(rank - 1) / double(configs - 1);
        return QColor::fromHsvF(float(0.33 * (1.0 - f)), 0.28f, 1.0f);
    };
    auto number = [](double value, double sortKey, const QString& text) {
        auto* item = new NumberItem;
        item->setData(Qt::DisplayRole, text);
        item->setData(Qt::UserRole + 1, std::isfinite(sortKey) ? sortKey : -1e300);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        (void)value;
        return item;
    };
    for (int r = 0; r < int(m_results.rows.size()); ++r) {
        const core::ExperimentRow& row = m_results.rows[std::size_t(r)];
        auto* label = new QTableWidgetItem(QString::fromStdString(row.label));
        label->setData(Qt::UserRole, r);
        if (row.config < 0)
            label->setToolTip(tr("Each task trained alone; Δm is measured against these"));
        m_table->setItem(r, 0, label);
        QString runs = QString::number(row.jobs.size());
        if (row.failed > 0)
            runs += tr(" (%1 failed)").arg(row.failed);
        m_table->setItem(r, 1, number(double(row.jobs.size()), double(row.jobs.size()), runs));
        for (std::size_t t = 0; t < m_results.tasks.size(); ++t) {
            const core::Estimate& e = row.tasks[t];
            const bool percent = m_results.tasks[t].metric == "accuracy";
            const double scale = percent ? 100.0 : 1.0;
            const QString text = e.count == 0 ? QStringLiteral("–")
                                              : QStringLiteral("%1 ± %2")
                                                    .arg(scale * e.mean, 0, 'f', percent ? 2 : 4)
                                                    .arg(scale * e.std, 0, 'f', percent ? 2 : 4);
            auto* item = number(e.mean, e.mean, text);
            if (row.config >= 0)
                item->setBackground(shade(row.taskRank[t]));
            m_table->setItem(r, int(2 + t), item);
        }
        const int c = int(2 + m_results.tasks.size());
        const QString delta = row.config < 0          ? QStringLiteral("0")
                              : row.deltaM.count == 0 ? QStringLiteral("–")
                                                      : QStringLiteral("%1%2 ± %3")
                                                            .arg(row.deltaM.mean >= 0 ? "+" : "")
                                                            .arg(100.0 * row.deltaM.mean, 0, 'f', 2)
                                                            .arg(100.0 * row.deltaM.std, 0, 'f', 2);
        auto* deltaItem = number(row.deltaM.mean, row.deltaM.mean, delta);
        if (row.config >= 0 && m_results.rankedByDeltaM)
            deltaItem->setBackground(shade(row.rank));
        m_table->setItem(r, c, deltaItem);
        m_table->setItem(
            r, c + 1,
            number(row.seconds, row.seconds, row.jobs.empty() ? "–" : durationText(row.seconds)));
        // Baselines sort after every rank.
        auto* rank = number(row.rank, row.config < 0 ? 1e300 : row.rank,
                            row.config < 0 ? QString() : QString::number(row.rank));
        if (row.config >= 0)
            rank->setBackground(shade(row.rank));
        m_table->setItem(r, c + 2, rank);
    }
    m_table->horizontalHeaderItem(int(headers.size()) - 1)
        ->setToolTip(m_results.rankedByDeltaM
                         ? tr("By Δm")
                         : tr("By the mean of the per-task ranks (no Δm yet)"));
    m_table->setSortingEnabled(true);
    m_table->resizeColumnsToContents();
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (!selected.isEmpty() && m_table->item(r, 0)->text() == selected)
            m_table->selectRow(r);
    }
}

void ExperimentView::selectRow() {
    const int current = m_table->currentRow();
    const bool any = current >= 0 && !m_table->selectedItems().isEmpty();
    const int row = any ? m_table->item(current, 0)->data(Qt::UserRole).toInt() : -1;
    m_curves->show(shownDirectory(), m_state,
                   row >= 0 && row < int(m_results.rows.size()) ? &m_results.rows[std::size_t(row)]
                                                                : nullptr);
}

void ExperimentView::updateStatus() {
    const bool running = m_controller->isRunning();
    const bool shownRunning = running && m_controller->directory() == shownDirectory();
    m_new->setEnabled(!running);
    m_run->setEnabled(!running && !m_state.jobs.empty() && !m_state.finished());
    m_run->setText(m_state.doneCount() > 0 ? tr("Resume") : tr("Run"));
    m_pause->setEnabled(running);
    m_pause->setText(m_controller->isPaused() ? tr("Continue") : tr("Pause"));
    m_stop->setEnabled(running);
    m_progress->setRange(0, std::max(1, int(m_state.jobs.size())));
    m_progress->setValue(int(m_state.doneCount()));
    if (m_state.jobs.empty()) {
        m_status->setText(
            m_document->project().experiments.empty()
                ? tr("No experiment yet. New experiment… crosses balancing methods, sharing, "
                     "learning "
                     "rates and batch sizes over several seeds, with single-task baselines for Δm.")
                : m_status->text());
        return;
    }
    if (!shownRunning) {
        if (m_state.finished()) {
            m_status->setText(tr("Finished: %1 runs. Metrics on the %2 split at the weights each "
                                 "run kept; mean ± "
                                 "standard deviation over seeds.")
                                  .arg(m_state.jobs.size())
                                  .arg(QString::fromStdString(m_results.split)));
        } else if (!running) {
            m_status->setText(tr("%1 of %2 runs done. Run resumes it; finished runs are kept.")
                                  .arg(m_state.doneCount())
                                  .arg(m_state.jobs.size()));
        }
        return;
    }
    const ExperimentProgress p = m_controller->progress();
    // Time left: from the finished runs' mean, or before any, from the first epoch measured.
    double perRun = 0.0;
    int finished = 0;
    for (const core::JobResult& r : m_state.results) {
        if (r.done && r.error.empty()) {
            perRun += r.seconds;
            ++finished;
        }
    }
    const std::size_t left = m_state.jobs.size() - m_state.doneCount();
    double seconds = finished > 0 ? perRun / finished * double(left)
                                  : p.firstEpochSeconds * p.epochs * double(left);
    if (finished > 0 && p.epochs > 0)
        seconds -= perRun / finished * double(p.epoch) / double(p.epochs);
    const QString job =
        p.job < m_state.jobs.size() ? QString::fromStdString(m_state.jobs[p.job].name) : QString();
    m_status->setText(tr("%1run %2 of %3: %4, epoch %5 of %6. %7")
                          .arg(m_controller->isPaused() ? tr("Paused. ") : QString())
                          .arg(m_state.doneCount() + 1)
                          .arg(m_state.jobs.size())
                          .arg(job)
                          .arg(p.epoch)
                          .arg(p.epochs)
                          .arg(seconds > 0
                                   ? tr("About %1 left.").arg(durationText(std::max(0.0, seconds)))
                                   : tr("Time left: after the first epoch.")));
}

std::shared_ptr<const core::Dataset> ExperimentView::datasetFor(const core::Project& project,
                                                                QString* error) {
    if (project.dataset == m_document->project().dataset &&
        m_document->dataState() == DataState::Ready) {
        return m_document->dataset();
    }
    try {
        return std::make_shared<const core::Dataset>(
            core::loadDataset(project.dataset, m_document->projectDirectory().toStdString()));
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return nullptr;
    }
}

void ExperimentView::newExperiment() {
    if (m_controller->isRunning())
        return;
    const QString blocker = m_document->trainBlocker();
    if (!blocker.isEmpty()) {
        m_status->setText(tr("Cannot run an experiment: %1").arg(blocker));
        return;
    }
    const std::size_t tasks = m_document->taskNames().size();
    double perEpoch = lastEpochSeconds(*m_document);
    if (perEpoch <= 0.0 && m_state.project.dataset == m_document->project().dataset) {
        // No run yet: the shown experiment's runs measured it (a static method's, where there is
        // one).
        for (std::size_t i = 0; i < m_state.jobs.size(); ++i) {
            const core::JobResult& r = m_state.results[i];
            if (r.done && r.error.empty() && r.epochs > 0 && m_state.jobs[i].config >= 0) {
                perEpoch = perEpoch > 0.0 ? std::min(perEpoch, r.seconds / r.epochs)
                                          : r.seconds / r.epochs;
            }
        }
    }
    ExperimentDialog dialog(m_document->project(), tasks, perEpoch, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    core::ExperimentSpec spec = dialog.spec();
    std::vector<std::string> names;
    for (const core::ExperimentRecord& e : m_document->project().experiments)
        names.push_back(e.spec.name);
    int number = int(names.size()) + 1;
    spec.name = "experiment " + std::to_string(number);
    while (std::find(names.begin(), names.end(), spec.name) != names.end())
        spec.name = "experiment " + std::to_string(++number);
    const QString directory = m_document->newExperimentDirectory(QString::fromStdString(spec.name));
    try {
        core::Project base = m_document->project();
        base.runs.clear();
        base.experiments.clear();
        (void)core::createExperiment(directory.toStdString(), spec, base,
                                     m_document->dataset()->schema);
    } catch (const std::exception& e) {
        m_status->setText(tr("Error: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    m_document->appendExperiment({spec, directory.toStdString()});
    m_experiments->setCurrentIndex(m_experiments->count() - 1);
    runShown();
}

void ExperimentView::runShown() {
    if (m_state.jobs.empty() || m_controller->isRunning())
        return;
    QString error;
    auto rows = datasetFor(m_state.project, &error);
    if (!rows || !m_controller->start(shownDirectory(), rows, &error)) {
        m_status->setText(tr("Cannot run the experiment: %1").arg(error));
        return;
    }
    updateStatus();
}

void ExperimentView::exportTable(const QString& format) {
    const QString suffix = format == "csv" ? "csv" : format == "latex" ? "tex" : "md";
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the table"), QDir(shownDirectory()).filePath("table." + suffix));
    if (path.isEmpty())
        return;
    const std::string text = format == "csv"     ? core::tableCsv(m_results)
                             : format == "latex" ? core::tableLatex(m_results)
                                                 : core::tableMarkdown(m_results);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), qint64(text.size())) != qint64(text.size())) {
        QMessageBox::warning(this, tr("Save the table"),
                             tr("Cannot write %1: %2").arg(path, file.errorString()));
    }
}

void ExperimentView::copyMarkdown() {
    QApplication::clipboard()->setText(QString::fromStdString(core::tableMarkdown(m_results)));
}

} // namespace mtl::ui
