#include "io/metrics_csv.h"

#include "io/csv_writing.h"
#include "util/atomic_file.h"

#include <algorithm>
#include <cmath>

namespace mtl::core {
namespace {

double metricValue(const SplitEvaluation& split, const TaskInfo& task, std::size_t t, MetricKind m) {
    if (split.empty()) return std::nan("");
    const auto at = std::find(task.metrics.begin(), task.metrics.end(), m);
    if (at == task.metrics.end()) return std::nan("");
    return split.metrics[t][std::size_t(at - task.metrics.begin())];
}

} // namespace

std::string metricsCsv(const Model& model, const std::vector<EpochRecord>& history) {
    std::vector<MetricKind> columns;
    for (const TaskInfo& task : model.tasks()) {
        for (MetricKind m : task.metrics) {
            if (std::find(columns.begin(), columns.end(), m) == columns.end()) columns.push_back(m);
        }
    }
    std::sort(columns.begin(), columns.end());
    std::string out = "epoch,task,seconds,learning_rate,train_loss,validation_loss";
    for (const char* split : {"train_", "validation_"}) {
        for (MetricKind m : columns) {
            out += ',';
            out += split;
            out += metricName(m);
        }
    }
    out += "\n";
    for (const EpochRecord& e : history) {
        for (std::size_t t = 0; t < model.tasks().size(); ++t) {
            const TaskInfo& task = model.tasks()[t];
            out += std::to_string(e.epoch) + "," + csvField(task.name) + ",";
            appendNumber(out, e.seconds);
            out += ",";
            appendNumber(out, e.learningRate);
            out += ",";
            appendNumber(out, e.train.loss[t]);
            out += ",";
            appendNumber(out, e.validation.empty() ? std::nan("") : e.validation.loss[t]);
            for (const SplitEvaluation* split : {&e.train, &e.validation}) {
                for (MetricKind m : columns) {
                    out += ",";
                    appendNumber(out, metricValue(*split, task, t, m));
                }
            }
            out += "\n";
        }
    }
    return out;
}

void writeMetricsCsv(const Model& model, const std::vector<EpochRecord>& history,
                     const std::string& path) {
    writeFileAtomically(path, metricsCsv(model, history));
}

} // namespace mtl::core
