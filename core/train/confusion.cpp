#include "train/confusion.h"

#include "model/model.h"
#include "predict/predictor.h"
#include "util/error.h"

#include <cmath>
#include <limits>

namespace mtl::core {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> labelsOf(const TargetColumn& column, Index classes) {
    if (Index(column.classLabels.size()) == classes)
        return column.classLabels;
    if (classes == 2)
        return {"no", "yes"};
    std::vector<std::string> labels;
    for (Index k = 0; k < classes; ++k)
        labels.push_back(std::to_string(k));
    return labels;
}

double ratio(Index a, Index b) {
    return b == 0 ? kNaN : double(a) / double(b);
}

} // namespace

Index ConfusionMatrix::total() const {
    Index sum = 0;
    for (Index c : counts)
        sum += c;
    return sum;
}

double ConfusionMatrix::accuracy() const {
    Index right = 0;
    for (Index k = 0; k < classes(); ++k)
        right += at(k, k);
    return ratio(right, total());
}

ClassScores ConfusionMatrix::scores(Index k) const {
    Index predicted = 0, actual = 0;
    for (Index j = 0; j < classes(); ++j) {
        predicted += at(j, k);
        actual += at(k, j);
    }
    const Index tp = at(k, k);
    ClassScores s;
    s.support = actual;
    s.precision = ratio(tp, predicted);
    s.recall = ratio(tp, actual);
    s.f1 = ratio(2 * tp, predicted + actual); // 2tp / (2tp + fp + fn)
    return s;
}

double ConfusionMatrix::macroF1() const {
    double sum = 0.0;
    Index counted = 0;
    for (Index k = 0; k < classes(); ++k) {
        const double f1 = scores(k).f1;
        if (std::isnan(f1))
            continue;
        sum += f1;
        ++counted;
    }
    return counted == 0 ? kNaN : sum / double(counted);
}

std::vector<ConfusionMatrix> confusionMatrices(const std::string& task, LossKind loss,
                                               const Matrix& outputs, const Matrix& targets,
                                               const std::vector<TargetColumn>& columns) {
    std::vector<ConfusionMatrix> result;
    if (loss == LossKind::SoftmaxCrossEntropy) {
        const Index k = outputs.cols();
        ConfusionMatrix m;
        m.task = task;
        m.column = columns.empty() ? task : columns.front().name;
        m.labels = labelsOf(columns.empty() ? TargetColumn{} : columns.front(), k);
        m.counts.assign(std::size_t(k * k), 0);
        for (Index r = 0; r < outputs.rows(); ++r) {
            const float t = targets(r, 0);
            if (std::isnan(t) || t < 0 || Index(t) >= k)
                continue;
            Index predicted = 0;
            outputs.row(r).maxCoeff(&predicted);
            ++m.counts[std::size_t(Index(t) * k + predicted)];
        }
        result.push_back(std::move(m));
    } else if (loss == LossKind::BinaryCrossEntropy) {
        for (Index c = 0; c < outputs.cols(); ++c) {
            ConfusionMatrix m;
            m.task = task;
            const TargetColumn column =
                c < Index(columns.size()) ? columns[std::size_t(c)] : TargetColumn{};
            m.column = column.name.empty() ? task : column.name;
            m.labels = labelsOf(column, 2);
            m.counts.assign(4, 0);
            for (Index r = 0; r < outputs.rows(); ++r) {
                const float t = targets(r, c);
                if (std::isnan(t))
                    continue;
                const Index truth = t >= 0.5f ? 1 : 0;
                const Index predicted = outputs(r, c) >= 0.0f ? 1 : 0; // σ(z) ≥ 0.5
                ++m.counts[std::size_t(truth * 2 + predicted)];
            }
            result.push_back(std::move(m));
        }
    }
    return result;
}

std::vector<ConfusionMatrix> confusionMatrices(const TrainedModel& trained, const Dataset& data,
                                               const std::vector<Index>& rows) {
    if (!(trained.schema == data.schema))
        throw Error("the data's columns are not those the model was trained on");
    Predictor predictor(trained);
    Matrix inputs(Index(rows.size()), data.inputs.cols());
    for (std::size_t i = 0; i < rows.size(); ++i)
        inputs.row(Index(i)) = data.inputs.row(rows[i]);
    const std::vector<Matrix> outputs = predictor.predict(inputs);
    std::vector<ConfusionMatrix> result;
    const auto& tasks = predictor.model().tasks();
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        const TaskInfo& task = tasks[t];
        if (task.loss != LossKind::SoftmaxCrossEntropy && task.loss != LossKind::BinaryCrossEntropy)
            continue;
        Matrix targets(Index(rows.size()), Index(task.targetColumns.size()));
        std::vector<TargetColumn> columns;
        for (std::size_t c = 0; c < task.targetColumns.size(); ++c) {
            const int column = task.targetColumns[c];
            columns.push_back(data.schema.targets[std::size_t(column)]);
            for (std::size_t i = 0; i < rows.size(); ++i)
                targets(Index(i), Index(c)) = data.targets(rows[i], column);
        }
        for (auto& m : confusionMatrices(task.name, task.loss, outputs[t], targets, columns))
            result.push_back(std::move(m));
    }
    return result;
}

} // namespace mtl::core
