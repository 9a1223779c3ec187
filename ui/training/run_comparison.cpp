#include "training/run_comparison.h"

#include "document/node_text.h"
#include "document/project_templates.h"
#include "model/names.h"
#include "runs/delta_m.h"
#include "training/runs_panel.h"

#include <QFileInfo>
#include <QObject>

#include <algorithm>
#include <cmath>
#include <map>

namespace mtl::ui {

namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
QString number(double v) {
    return QString::number(v, 'g', 6);
}

// Collects rows in the order first seen; a run lacking a row leaves its cell empty.
class Rows {
public:
    explicit Rows(std::size_t runs) : m_runs(runs) {}
    void add(std::size_t run, const QString& group, const QString& label, const QString& value) {
        auto it = std::find_if(m_rows.begin(), m_rows.end(), [&](const ComparisonRow& r) {
            return r.group == group && r.label == label;
        });
        if (it == m_rows.end()) {
            ComparisonRow row{group, label, QStringList(qsizetype(m_runs)), false, std::nullopt};
            m_rows.push_back(row);
            it = m_rows.end() - 1;
        }
        it->values[qsizetype(run)] = value;
    }
    std::vector<ComparisonRow>& rows() { return m_rows; }

private:
    std::size_t m_runs;
    std::vector<ComparisonRow> m_rows;
};

void addSettings(Rows& rows, std::size_t i, const RunData& run) {
    const core::Project& p = run.snapshot;
    const core::TrainingSettings& t = p.training;
    const QString network = QObject::tr("Network");
    const QString training = QObject::tr("Training");
    rows.add(i, network, QObject::tr("Dataset"), datasetSummary(p.dataset));
    rows.add(i, network, QObject::tr("Sharing · balancing"), RunsPanel::sharingSummary(p));
    rows.add(i, network, QObject::tr("Layers"), QString::number(p.model.nodes.size()));
    if (run.model)
        rows.add(i, network, QObject::tr("Parameters"),
                 QString::number(run.model->parameterCount()));
    for (const core::NodeSpec& node : p.model.nodes) {
        if (node.kind != core::NodeKind::TaskHead)
            continue;
        const QString task = QString::fromStdString(node.task.name);
        rows.add(i, network, QObject::tr("%1 loss").arg(task), lossTitle(node.task.loss));
        rows.add(i, network, QObject::tr("%1 weight").arg(task), number(double(node.task.weight)));
    }
    rows.add(i, training, QObject::tr("Optimizer"), text(core::toString(t.optimizer.kind)));
    rows.add(i, training, QObject::tr("Learning rate"), number(double(t.optimizer.learningRate)));
    rows.add(i, training, QObject::tr("Schedule"), text(core::toString(t.schedule.kind)));
    rows.add(i, training, QObject::tr("Warm-up steps"), QString::number(t.schedule.warmupSteps));
    rows.add(i, training, QObject::tr("Batch size"), QString::number(t.batchSize));
    rows.add(i, training, QObject::tr("Epochs set"), QString::number(t.epochs));
    rows.add(i, training, QObject::tr("Weight decay"), number(double(t.optimizer.weightDecay)));
    rows.add(i, training, QObject::tr("Validation share"), number(double(t.validationFraction)));
    rows.add(i, training, QObject::tr("Early stopping"),
             t.earlyStoppingPatience == 0 ? QObject::tr("off")
                                          : QObject::tr("%1 epochs").arg(t.earlyStoppingPatience));
    rows.add(i, training, QObject::tr("Keep weights of"),
             t.restoreBestWeights ? QObject::tr("best validation epoch")
                                  : QObject::tr("last epoch"));
    rows.add(i, training, QObject::tr("Balancing"),
             QString::fromStdString(core::formatBalancing(t.balancing)));
    rows.add(i, training, QObject::tr("Seed"), QString::number(t.seed));
}

void addOutcome(Rows& rows, std::size_t i, const RunData& run) {
    const QString group = QObject::tr("Run");
    rows.add(i, group, QObject::tr("Note"), run.note);
    rows.add(i, group, QObject::tr("Ended"), endedText(run));
    rows.add(i, group, QObject::tr("Epochs trained"), QString::number(run.epochs));
    if (run.metrics.lastSeconds() > 0.0)
        rows.add(i, group, QObject::tr("Training time"), durationText(run.metrics.lastSeconds()));
}

void addMetrics(Rows& rows, std::size_t i, const RunData& run,
                std::map<QString, bool>& higherIsBetter) {
    if (!run.model)
        return;
    for (const core::TaskInfo& task : run.model->tasks()) {
        for (core::MetricKind metric : task.metrics) {
            const QString label = QStringLiteral("%1 %2").arg(QString::fromStdString(task.name),
                                                              text(core::metricName(metric)));
            const auto value = core::keptMetric(run, task.name, metric);
            rows.add(i, QObject::tr("Final metrics"), label,
                     value ? QString::number(*value, 'g', 4) : QString());
            higherIsBetter[label] = core::higherIsBetter(metric);
        }
    }
}

} // namespace

QString endedText(const RunData& run) {
    if (run.running)
        return QObject::tr("running");
    if (run.failed)
        return QObject::tr("failed");
    switch (run.reason) {
    case core::StopReason::Completed:
        return QObject::tr("completed");
    case core::StopReason::EarlyStopped:
        return QObject::tr("early stop");
    case core::StopReason::Stopped:
        return QObject::tr("stopped");
    case core::StopReason::Diverged:
        return QObject::tr("diverged");
    }
    return {};
}

QString datasetSummary(const core::DatasetSource& source) {
    if (source.kind == core::DatasetKind::Csv)
        return QFileInfo(QString::fromStdString(source.csv.path)).fileName();
    for (BuiltInDataset which : builtInDatasets()) {
        if (builtInSource(which) == source)
            return builtInTitle(which);
    }
    switch (source.kind) {
    case core::DatasetKind::Fashion:
        return QObject::tr("Fashion-MNIST (%1 images)").arg(source.fashion.samples);
    case core::DatasetKind::Relatedness:
        return QObject::tr("Synthetic, known relations (%1 rows)").arg(source.relatedness.samples);
    default:
        return QObject::tr("Synthetic (%1 rows)").arg(source.synthetic.samples);
    }
}

std::vector<ComparisonRow> compareRuns(const std::vector<RunPtr>& runs) {
    Rows rows(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i)
        addOutcome(rows, i, *runs[i]);
    std::map<QString, bool> higherIsBetter; // per metric row
    for (std::size_t i = 0; i < runs.size(); ++i)
        addMetrics(rows, i, *runs[i], higherIsBetter);
    for (std::size_t i = 0; i < runs.size(); ++i)
        addSettings(rows, i, *runs[i]);
    for (ComparisonRow& row : rows.rows()) {
        for (const QString& v : std::as_const(row.values))
            row.differs = row.differs || v != row.values.front();
    }
    // Per metric row, the best run (when the values differ).
    for (ComparisonRow& row : rows.rows()) {
        const auto metric = higherIsBetter.find(row.label);
        if (row.group != QObject::tr("Final metrics") || !row.differs ||
            metric == higherIsBetter.end())
            continue;
        const bool higher = metric->second;
        std::optional<double> bestValue;
        for (int r = 0; r < row.values.size(); ++r) {
            bool ok = false;
            const double v = row.values[r].toDouble(&ok);
            if (!ok)
                continue;
            if (!bestValue || (higher ? v > *bestValue : v < *bestValue)) {
                bestValue = v;
                row.best = r;
            }
        }
    }
    return std::move(rows.rows());
}

} // namespace mtl::ui
