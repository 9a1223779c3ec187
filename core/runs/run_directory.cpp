#include "runs/run_directory.h"

#include "data/csv_dataset.h"
#include "data/csv_reader.h"
#include "io/csv_writing.h"
#include "io/metrics_csv.h"
#include "io/relations_csv.h"
#include "model/model.h"
#include "train/metrics.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

namespace mtl::core {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

namespace fs = std::filesystem;

std::string pathIn(const std::string& directory, const char* file) {
    return (fs::path(directory) / file).string();
}

double number(const std::string& text) {
    if (text.empty())
        return kNaN;
    const auto value = parseNumber(text);
    return value ? double(*value) : kNaN;
}

std::vector<std::vector<std::string>> readCsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError("cannot open '" + path + "'");
    CsvReader reader(in, path, ',');
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> fields;
    while (reader.next(fields))
        rows.push_back(fields);
    if (rows.empty())
        throw FileError(path + ": empty file");
    return rows;
}

// metrics.csv back into epoch records (the columns metricsCsv() writes).
std::vector<EpochRecord> readEpochs(const std::string& path, const Model& model,
                                    long stepsPerEpoch) {
    const auto rows = readCsv(path);
    const auto& header = rows.front();
    std::map<std::string, std::size_t> column;
    for (std::size_t c = 0; c < header.size(); ++c)
        column[header[c]] = c;
    for (const char* required :
         {"epoch", "task", "seconds", "learning_rate", "train_loss", "validation_loss"}) {
        if (!column.contains(required))
            throw FileError(path + ": no column '" + required + "'");
    }
    const auto& tasks = model.tasks();
    std::vector<EpochRecord> epochs;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.size() != header.size())
            throw FileError(path + ":" + std::to_string(r + 1) + ": wrong number of fields");
        const int epoch = int(number(row[column["epoch"]]));
        if (epochs.empty() || epochs.back().epoch != epoch) {
            EpochRecord record;
            record.epoch = epoch;
            record.step = long(epoch) * stepsPerEpoch;
            record.seconds = number(row[column["seconds"]]);
            record.learningRate = float(number(row[column["learning_rate"]]));
            for (SplitEvaluation* split : {&record.train, &record.validation}) {
                split->loss.assign(tasks.size(), kNaN);
                split->metrics.resize(tasks.size());
                for (std::size_t t = 0; t < tasks.size(); ++t)
                    split->metrics[t].assign(tasks[t].metrics.size(), kNaN);
            }
            epochs.push_back(record);
        }
        EpochRecord& record = epochs.back();
        std::size_t t = 0;
        while (t < tasks.size() && tasks[t].name != row[column["task"]])
            ++t;
        if (t == tasks.size())
            throw FileError(path + ":" + std::to_string(r + 1) + ": unknown task '" +
                            row[column["task"]] + "'");
        record.train.loss[t] = number(row[column["train_loss"]]);
        record.validation.loss[t] = number(row[column["validation_loss"]]);
        if (!std::isnan(record.validation.loss[t]))
            record.validation.rows = 1;
        record.train.rows = 1;
        for (std::size_t m = 0; m < tasks[t].metrics.size(); ++m) {
            const std::string name(metricName(tasks[t].metrics[m]));
            if (auto c = column.find("train_" + name); c != column.end())
                record.train.metrics[t][m] = number(row[c->second]);
            if (auto c = column.find("validation_" + name); c != column.end())
                record.validation.metrics[t][m] = number(row[c->second]);
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
    for (const auto& task : metrics.tasks())
        out += "," + csvField(task);
    for (const auto& task : metrics.tasks())
        out += "," + csvField("weight:" + task);
    if (!metrics.stateName().empty()) {
        for (const auto& task : metrics.tasks())
            out += "," + csvField(metrics.stateName() + ":" + task);
    }
    out += "\n";
    for (const SeriesPoint& p : metrics.stepTotal().points()) {
        appendNumber(out, p.x);
        out += ",";
        appendNumber(out, metrics.secondsAt(p.x));
        out += ",";
        appendNumber(out, p.y);
        auto add = [&](const BoundedSeries& series) {
            out += ",";
            appendNumber(out, valueAt(series, p.x));
        };
        for (std::size_t t = 0; t < metrics.taskCount(); ++t)
            add(metrics.stepLoss(t));
        for (std::size_t t = 0; t < metrics.taskCount(); ++t)
            add(metrics.stepWeight(t));
        if (!metrics.stateName().empty()) {
            for (std::size_t t = 0; t < metrics.taskCount(); ++t)
                add(metrics.stepState(t));
        }
        out += "\n";
    }
    return out;
}

namespace {

// test.csv: task, loss, then one column per metric any task reports (empty where it has none).
std::string testCsv(const Model& model, const SplitEvaluation& test) {
    std::vector<MetricKind> columns;
    for (const TaskInfo& task : model.tasks()) {
        for (MetricKind m : task.metrics) {
            if (std::find(columns.begin(), columns.end(), m) == columns.end())
                columns.push_back(m);
        }
    }
    std::string out = "task,rows,loss";
    for (MetricKind m : columns)
        out += "," + std::string(metricName(m));
    out += "\n";
    for (std::size_t t = 0; t < model.tasks().size(); ++t) {
        const TaskInfo& task = model.tasks()[t];
        out += csvField(task.name) + "," + std::to_string(test.rows) + ",";
        appendNumber(out, test.loss[t]);
        for (MetricKind m : columns) {
            out += ",";
            const auto it = std::find(task.metrics.begin(), task.metrics.end(), m);
            if (it != task.metrics.end())
                appendNumber(out, test.metrics[t][std::size_t(it - task.metrics.begin())]);
        }
        out += "\n";
    }
    return out;
}

SplitEvaluation readTest(const std::string& path, const Model& model) {
    const auto rows = readCsv(path);
    const auto& header = rows.front();
    if (header.size() < 3 || header[0] != "task" || header[1] != "rows" || header[2] != "loss") {
        throw FileError(path + ": the header must begin with task,rows,loss");
    }
    const auto& tasks = model.tasks();
    SplitEvaluation test;
    test.loss.assign(tasks.size(), kNaN);
    test.metrics.resize(tasks.size());
    for (std::size_t t = 0; t < tasks.size(); ++t)
        test.metrics[t].assign(tasks[t].metrics.size(), kNaN);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string where = path + ":" + std::to_string(r + 1);
        if (row.size() != header.size())
            throw FileError(where + ": wrong number of fields");
        const auto task = std::find_if(tasks.begin(), tasks.end(),
                                       [&](const TaskInfo& i) { return i.name == row[0]; });
        if (task == tasks.end())
            throw FileError(where + ": unknown task '" + row[0] + "'");
        const auto t = std::size_t(task - tasks.begin());
        test.rows = Index(number(row[1]));
        test.loss[t] = number(row[2]);
        for (std::size_t c = 3; c < header.size(); ++c) {
            for (std::size_t m = 0; m < task->metrics.size(); ++m) {
                if (metricName(task->metrics[m]) == header[c])
                    test.metrics[t][m] = number(row[c]);
            }
        }
    }
    return test;
}

} // namespace

void writeRunDirectory(const RunContents& run, const std::string& directory) {
    std::error_code error;
    fs::create_directories(directory, error);
    if (error)
        throw FileError("cannot create '" + directory + "': " + error.message());
    writeProject(run.snapshot, pathIn(directory, "run.mtl.json"));
    if (run.model)
        writeMetricsCsv(*run.model, run.metrics.epochs(), pathIn(directory, "metrics.csv"));
    writeFileAtomically(pathIn(directory, "steps.csv"), stepsCsv(run.metrics));
    if (!run.relations.empty())
        writeRelationsCsv(run.relations, run.metrics.tasks(), pathIn(directory, "relations.csv"));
    if (run.model && !run.test.empty())
        writeFileAtomically(pathIn(directory, "test.csv"), testCsv(*run.model, run.test));
}

RunContents readRunDirectory(const std::string& directory, int epochs) {
    RunContents run;
    run.snapshot = readProject(pathIn(directory, "run.mtl.json")).project;
    auto trained = std::make_shared<TrainedModel>(readModel(pathIn(directory, "model.mtlmodel")));
    run.model = std::make_shared<const Model>(compile(trained->spec, trained->schema));
    run.trained = trained;
    run.epochs = epochs;
    if (trained->training) {
        run.reason = parseStopReason(trained->training->status);
        run.covariances = trained->training->covariances;
        run.gates = trained->training->gates;
    }
    const auto steps = readCsv(pathIn(directory, "steps.csv"));
    const long lastStep = steps.size() > 1 ? long(number(steps.back()[0])) : 0;
    const long perEpoch = epochs > 0 ? std::max(1L, lastStep / epochs) : 1;
    run.metrics = RunMetrics(*run.model, perEpoch);
    run.totalSteps = lastStep;
    // Losses, then (since task balancing) weights and the method's per-task quantity.
    const std::size_t tasks = run.metrics.taskCount();
    const std::size_t fields = steps.empty() ? 0 : steps.front().size();
    const bool weights = fields >= 3 + 2 * tasks;
    if (fields == 3 + 3 * tasks) {
        const std::string& first = steps.front()[3 + 2 * tasks];
        run.metrics.setStateName(first.substr(0, first.find(':')));
    }
    for (std::size_t r = 1; r < steps.size(); ++r) {
        const auto& row = steps[r];
        if (row.size() != fields ||
            (fields != 3 + tasks && fields != 3 + 2 * tasks && fields != 3 + 3 * tasks)) {
            throw FileError(pathIn(directory, "steps.csv") + ":" + std::to_string(r + 1) +
                            ": wrong number of fields");
        }
        StepRecord step;
        step.step = long(number(row[0]));
        step.seconds = number(row[1]);
        step.total = number(row[2]);
        for (std::size_t t = 0; t < tasks; ++t)
            step.taskLoss.push_back(float(number(row[3 + t])));
        if (weights) {
            for (std::size_t t = 0; t < tasks; ++t)
                step.taskWeight.push_back(float(number(row[3 + tasks + t])));
        }
        if (!run.metrics.stateName().empty()) {
            for (std::size_t t = 0; t < tasks; ++t)
                step.taskState.push_back(float(number(row[3 + 2 * tasks + t])));
        }
        run.metrics.addStep(step);
    }
    for (const auto& epoch : readEpochs(pathIn(directory, "metrics.csv"), *run.model, perEpoch))
        run.metrics.addEpoch(epoch);
    // Optional files: relations (runs that measured them) and the test split (runs that had one).
    if (fs::exists(pathIn(directory, "relations.csv"))) {
        run.relations = readRelationsCsv(pathIn(directory, "relations.csv"), run.metrics.tasks());
    }
    if (fs::exists(pathIn(directory, "test.csv")))
        run.test = readTest(pathIn(directory, "test.csv"), *run.model);
    return run;
}

RunContents readRecordedRun(const RunRecord& record, const std::string& projectDir) {
    const fs::path directory = fs::path(record.directory).is_absolute()
                                   ? fs::path(record.directory)
                                   : fs::path(projectDir) / record.directory;
    RunContents run = readRunDirectory(directory.lexically_normal().string(), record.epochs);
    const auto heads =
        std::count_if(run.snapshot.model.nodes.begin(), run.snapshot.model.nodes.end(),
                      [](const NodeSpec& n) { return n.kind == NodeKind::TaskHead; });
    if (record.name.rfind("baseline ", 0) == 0 && heads == 1)
        run.baselineTask = record.name.substr(9);
    return run;
}

std::string runFolderName(const std::string& runName) {
    std::string name;
    const auto first = runName.find_first_not_of(" \t");
    const auto last = runName.find_last_not_of(" \t");
    if (first != std::string::npos) {
        for (unsigned char c : runName.substr(first, last - first + 1)) {
            // Bytes of UTF-8 letters (≥ 0x80) stay, so a name in any script stays readable.
            name +=
                std::isalnum(c) || c >= 0x80 || c == '.' || c == '_' || c == '-' ? char(c) : '-';
        }
    }
    while (!name.empty() && name.front() == '.')
        name.erase(0, 1);
    return name.empty() ? "run" : name;
}

} // namespace mtl::core
