#include "predict/predictor.h"

#include "util/error.h"

namespace mtl::core {

Predictor::Predictor(TrainedModel trained, Index maxBatch)
    : m_trained(std::move(trained)),
      m_model(std::make_unique<Model>(compile(m_trained.spec, m_trained.schema))),
      m_workspace(std::make_unique<Workspace>(*m_model, maxBatch)) {
    if (m_model->parameterCount() != m_trained.parameters.size()) {
        throw Error("the model has " + std::to_string(m_model->parameterCount()) +
                    " parameters but " + std::to_string(m_trained.parameters.size()) +
                    " weights were given");
    }
}

Predictor Predictor::fromFile(const std::string& path) { return Predictor(readModel(path)); }

std::vector<Matrix> Predictor::predict(const Matrix& inputs) {
    if (inputs.cols() != m_model->inputSize()) {
        throw Error("the model takes " + std::to_string(m_model->inputSize()) +
                    " input values per sample, got " + std::to_string(inputs.cols()));
    }
    Matrix x = inputs;
    m_trained.normalizer.apply(x);
    std::vector<Matrix> outputs;
    for (const TaskInfo& task : m_model->tasks()) outputs.emplace_back(inputs.rows(), task.outputs);
    const Index batch = m_workspace->maxBatch();
    for (Index begin = 0; begin < x.rows(); begin += batch) {
        const Index size = std::min(batch, x.rows() - begin);
        m_workspace->input.topRows(size) = x.middleRows(begin, size);
        m_model->forward(m_trained.parameters, *m_workspace, size, {});
        for (std::size_t t = 0; t < outputs.size(); ++t) {
            outputs[t].middleRows(begin, size) = m_model->taskOutput(*m_workspace, int(t), size);
        }
    }
    for (std::size_t t = 0; t < outputs.size(); ++t) {
        const TaskInfo& task = m_model->tasks()[t];
        if (!isClassification(task.loss)) m_trained.targetScaling.restore(outputs[t], task.targetColumns);
    }
    return outputs;
}

Matrix probabilities(LossKind loss, const Matrix& logits) {
    if (loss == LossKind::BinaryCrossEntropy) {
        return (1.0f / (1.0f + (-logits.array()).exp())).matrix();
    }
    Matrix p = logits;
    for (Index r = 0; r < p.rows(); ++r) {
        p.row(r).array() -= p.row(r).maxCoeff();
        p.row(r) = p.row(r).array().exp().matrix();
        p.row(r) /= p.row(r).sum();
    }
    return p;
}

} // namespace mtl::core
