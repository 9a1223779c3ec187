#pragma once
// Predictor: inference from a trained model. Takes raw (unstandardised) inputs, applies the
// stored normalisation and returns each task's outputs — values for regression, logits for
// classification (see probabilities()).

#include "io/model_file.h"
#include "model/model.h"
#include "model/workspace.h"

#include <memory>
#include <string>
#include <vector>

namespace mtl::core {

class Predictor {
public:
    explicit Predictor(TrainedModel trained, Index maxBatch = 256);
    static Predictor fromFile(const std::string& path);

    const Model& model() const { return *m_model; }
    // inputs: [n, inputSize], raw values. Returns per task [n, outputs].
    std::vector<Matrix> predict(const Matrix& inputs);

private:
    TrainedModel m_trained;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Workspace> m_workspace;
};

// Softmax over each row (cross_entropy) or σ elementwise (binary_cross_entropy).
Matrix probabilities(LossKind loss, const Matrix& logits);

} // namespace mtl::core
