#include "training/run_files.h"

#include "data/csv_dataset.h"
#include "data/csv_reader.h"
#include "io/csv_writing.h"
#include "io/metrics_csv.h"
#include "io/relations_csv.h"
#include "model/model.h"
#include "train/metrics.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <fstream>
#include <map>

namespace mtl::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string pathIn(const QString& directory, const char* file) { return QDir(directory).filePath(file).toStdString(); }

double number(const std::string& text) {
    if (text.empty()) return kNaN;
    const auto value = core::parseNumber(text);
    return value ? double(*value) : kNaN;
}

std::vector<std::vector<std::string>> readCsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileError("cannot open '" + path + "'");
    core::CsvReader reader(in, path, ',');
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> fields;
    while (reader.next(fields)) rows.push_back(fields);
    if (rows.empty()) throw FileError(path + ": empty file");
    return rows;
}

// metrics.csv back into epoch records (the columns metricsCsv() writes).
std::vector<core::EpochRecord> readEpochs(const std::string& path, const core::Model& model, long stepsPerEpoch) {
    const auto rows = readCsv(path);
    const auto& header = rows.front();
    std::map<std::string, std::size_t> column;
    for (std::size_t c = 0; c < header.size(); ++c) column[header[c]] = c;
    for (const char* required : {"epoch", "task", "seconds", "learning_rate", "train_loss", "validation_loss"}) {
        if (!column.contains(required)) throw FileError(path + ": no column '" + required + "'");
    }
    const auto& tasks = model.tasks();
    std::vector<core::EpochRecord> epochs;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.size() != header.size()) throw FileError(path + ":" + std::to_string(r + 1) + ": wrong number of fields");
        const int epoch = int(number(row[column["epoch"]]));
        if (epochs.empty() || epochs.back().epoch != epoch) {
            core::EpochRecord record;
            record.epoch = epoch;
            record.step = long(epoch) * stepsPerEpoch;
            record.seconds = number(row[column["seconds"]]);
            record.learningRate = float(number(row[column["learning_rate"]]));
            for (core::SplitEvaluation* split : {&record.train, &record.validation}) {
                split->loss.assign(tasks.size(), kNaN);
                split->metrics.resize(tasks.size());
                for (std::size_t t = 0; t < tasks.size(); ++t) split->metrics[t].assign(tasks[t].metrics.size(), kNaN);
            }
            epochs.push_back(record);
        }
        core::EpochRecord& record = epochs.back();
        std::size_t t = 0;
        while (t < tasks.size() && tasks[t].name != row[column["task"]]) ++t;
        if (t == tasks.size()) throw FileError(path + ":" + std::to_string(r + 1) + ": unknown task '" + row[column["task"]] + "'");
        record.train.loss[t] = number(row[column["train_loss"]]);
        record.validation.loss[t] = number(row[column["validation_loss"]]);
        if (!std::isnan(record.validation.loss[t])) record.validation.rows = 1;
        record.train.rows = 1;
        for (std::size_t m = 0; m < tasks[t].metrics.size(); ++m) {
            const std::string name(core::metricName(tasks[t].metrics[m]));
            if (auto c = column.find("train_" + name); c != column.end()) record.train.metrics[t][m] = number(row[c->second]);
            if (auto c = column.find("validation_" + name); c != column.end()) record.validation.metrics[t][m] = number(row[c->second]);
        }
    }
    return epochs;
}

} // namespace

namespace {

// The value of a series at step x: its point there, or the nearest after it (series merge alike
// unless a task skipped steps), NaN when the series is empty.
double valueAt(const BoundedSeries& series, double x) {
    const auto& points = series.points();
    const auto it = std::lower_bound(points.begin(), points.end(), x,
                                     [](const SeriesPoint& q, double v) { return q.x < v; });
    return it == points.end() ? kNaN : it->y;
}

} // namespace

std::string stepsCsv(const RunMetrics& metrics) {
    // step, seconds, total, then per task its loss (named by the task), its weight that step
    // ("weight:<task>") and the balancing method's quantity ("<name>:<task>", when it has one).
    std::string out = "step,seconds,total";
    for (const auto& task : metrics.tasks()) out += "," + core::csvField(task);
    for (const auto& task : metrics.tasks()) out += "," + core::csvField("weight:" + task);
    if (!metrics.stateName().empty()) {
        for (const auto& task : metrics.tasks()) out += "," + core::csvField(metrics.stateName() + ":" + task);
    }
    out += "\n";
    for (const SeriesPoint& p : metrics.stepTotal().points()) {
        core::appendNumber(out, p.x);
        out += ",";
        core::appendNumber(out, metrics.secondsAt(p.x));
        out += ",";
        core::appendNumber(out, p.y);
        auto add = [&](const BoundedSeries& series) {
            out += ",";
            core::appendNumber(out, valueAt(series, p.x));
        };
        for (std::size_t t = 0; t < metrics.taskCount(); ++t) add(metrics.stepLoss(t));
        for (std::size_t t = 0; t < metrics.taskCount(); ++t) add(metrics.stepWeight(t));
        if (!metrics.stateName().empty()) {
            for (std::size_t t = 0; t < metrics.taskCount(); ++t) add(metrics.stepState(t));
        }
        out += "\n";
    }
    return out;
}

void writeRunFiles(const RunData& run) {
    QDir().mkpath(run.directory);
    core::writeProject(run.snapshot, pathIn(run.directory, "run.mtl.json"));
    if (run.model) core::writeMetricsCsv(*run.model, run.metrics.epochs(), pathIn(run.directory, "metrics.csv"));
    core::writeFileAtomically(pathIn(run.directory, "steps.csv"), stepsCsv(run.metrics));
    if (!run.relations.empty()) core::writeRelationsCsv(run.relations, run.metrics.tasks(), pathIn(run.directory, "relations.csv"));
}

RunPtr loadRun(const core::RunRecord& record, const std::string& projectDir) {
    auto run = std::make_shared<RunData>();
    run->name = QString::fromStdString(record.name);
    run->directory = QDir(QString::fromStdString(projectDir)).absoluteFilePath(QString::fromStdString(record.directory));
    run->snapshot = core::readProject(pathIn(run->directory, "run.mtl.json")).project;
    auto trained = std::make_shared<core::TrainedModel>(core::readModel(pathIn(run->directory, "model.mtlmodel")));
    run->model = std::make_shared<const core::Model>(core::compile(trained->spec, trained->schema));
    run->trained = trained;
    run->epochs = record.epochs;
    run->note = QString::fromStdString(record.note);
    run->message = QString::fromStdString(record.stopReason);
    const auto steps = readCsv(pathIn(run->directory, "steps.csv"));
    const long lastStep = steps.size() > 1 ? long(number(steps.back()[0])) : 0;
    const long perEpoch = record.epochs > 0 ? std::max(1L, lastStep / record.epochs) : 1;
    run->metrics = RunMetrics(*run->model, perEpoch);
    run->totalSteps = lastStep;
    // Losses, then (since task balancing) weights and the method's per-task quantity.
    const std::size_t tasks = run->metrics.taskCount();
    const std::size_t fields = steps.empty() ? 0 : steps.front().size();
    const bool weights = fields >= 3 + 2 * tasks;
    if (fields == 3 + 3 * tasks) {
        const std::string& first = steps.front()[3 + 2 * tasks];
        run->metrics.setStateName(first.substr(0, first.find(':')));
    }
    for (std::size_t r = 1; r < steps.size(); ++r) {
        const auto& row = steps[r];
        if (row.size() != fields || (fields != 3 + tasks && fields != 3 + 2 * tasks && fields != 3 + 3 * tasks)) {
            throw FileError(pathIn(run->directory, "steps.csv") + ":" + std::to_string(r + 1) + ": wrong number of fields");
        }
        core::StepRecord step;
        step.step = long(number(row[0]));
        step.seconds = number(row[1]);
        step.total = number(row[2]);
        for (std::size_t t = 0; t < tasks; ++t) step.taskLoss.push_back(float(number(row[3 + t])));
        if (weights) {
            for (std::size_t t = 0; t < tasks; ++t) step.taskWeight.push_back(float(number(row[3 + tasks + t])));
        }
        if (!run->metrics.stateName().empty()) {
            for (std::size_t t = 0; t < tasks; ++t) step.taskState.push_back(float(number(row[3 + 2 * tasks + t])));
        }
        run->metrics.addStep(step);
    }
    for (const auto& epoch : readEpochs(pathIn(run->directory, "metrics.csv"), *run->model, perEpoch)) {
        run->metrics.addEpoch(epoch);
    }
    // relations.csv exists when the run measured task relations (older runs did not).
    if (QFileInfo::exists(QString::fromStdString(pathIn(run->directory, "relations.csv")))) {
        run->relations = core::readRelationsCsv(pathIn(run->directory, "relations.csv"), run->metrics.tasks());
    }
    const auto heads = std::count_if(run->snapshot.model.nodes.begin(), run->snapshot.model.nodes.end(),
                                     [](const core::NodeSpec& n) { return n.kind == core::NodeKind::TaskHead; });
    if (record.name.rfind("baseline ", 0) == 0 && heads == 1) run->baselineTask = record.name.substr(9);
    return run;
}

core::RunRecord runRecord(const RunData& run) {
    core::RunRecord record;
    record.name = run.name.toStdString();
    record.directory = QDir::cleanPath(run.directory).toStdString();
    record.stopReason = run.message.toStdString();
    record.epochs = run.epochs;
    record.note = run.note.toStdString();
    return record;
}

} // namespace mtl::ui
