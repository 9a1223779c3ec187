#include "io/predictions_csv.h"

#include "io/csv_writing.h"
#include "predict/predictor.h"

namespace mtl::core {
namespace {

std::string targetName(const Model& model, const TaskInfo& task, std::size_t k) {
    if (task.targetColumns.size() == 1) return task.name;
    return task.name + "." + model.schema().targets[std::size_t(task.targetColumns[k])].name;
}

} // namespace

std::string predictionsCsv(const Model& model, const std::vector<Matrix>& outputs) {
    std::vector<std::string> header;
    std::vector<Matrix> values; // per task, what its columns show
    for (std::size_t t = 0; t < model.tasks().size(); ++t) {
        const TaskInfo& task = model.tasks()[t];
        if (task.loss == LossKind::SoftmaxCrossEntropy) {
            header.push_back(task.name);
            for (const std::string& label : model.schema().targets[std::size_t(task.targetColumns[0])].classLabels) {
                header.push_back("p(" + task.name + "=" + label + ")");
            }
            values.push_back(probabilities(task.loss, outputs[t]));
        } else if (task.loss == LossKind::BinaryCrossEntropy) {
            for (std::size_t k = 0; k < task.targetColumns.size(); ++k) {
                header.push_back(targetName(model, task, k));
                header.push_back("p(" + targetName(model, task, k) + ")");
            }
            values.push_back(probabilities(task.loss, outputs[t]));
        } else {
            for (std::size_t k = 0; k < task.targetColumns.size(); ++k) header.push_back(targetName(model, task, k));
            values.push_back(outputs[t]);
        }
    }
    std::string out;
    for (std::size_t i = 0; i < header.size(); ++i) out += (i ? "," : "") + csvField(header[i]);
    out += "\n";
    const Index rows = outputs.empty() ? 0 : outputs[0].rows();
    for (Index r = 0; r < rows; ++r) {
        bool first = true;
        auto cell = [&] {
            if (!first) out += ',';
            first = false;
        };
        for (std::size_t t = 0; t < model.tasks().size(); ++t) {
            const TaskInfo& task = model.tasks()[t];
            const Matrix& v = values[t];
            if (task.loss == LossKind::SoftmaxCrossEntropy) {
                Index best = 0;
                v.row(r).maxCoeff(&best);
                cell();
                out += csvField(model.schema().targets[std::size_t(task.targetColumns[0])].classLabels[std::size_t(best)]);
                for (Index c = 0; c < v.cols(); ++c) {
                    cell();
                    appendNumber(out, v(r, c));
                }
                continue;
            }
            for (Index c = 0; c < v.cols(); ++c) {
                if (task.loss == LossKind::BinaryCrossEntropy) {
                    cell();
                    out += v(r, c) >= 0.5f ? "1" : "0";
                }
                cell();
                appendNumber(out, v(r, c));
            }
        }
        out += "\n";
    }
    return out;
}

} // namespace mtl::core
