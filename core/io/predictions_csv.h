#pragma once
// Predictions as CSV, one row per input row. Regression: one column per target, named after the
// task (or task.target when it has several). Softmax classification: the predicted class label,
// then p(task=label) for every class. Binary labels: per label, 0/1 and its probability.

#include "model/model.h"

#include <string>
#include <vector>

namespace mtl::core {

// outputs: per task [rows, outputs], as Predictor::predict returns them.
std::string predictionsCsv(const Model& model, const std::vector<Matrix>& outputs);

} // namespace mtl::core
