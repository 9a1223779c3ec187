#pragma once
// Evaluation metrics per task, computed over all present (non-NaN) targets of a data split.
// Classification metrics read outputs as logits: softmax heads pick the arg-max class, binary
// heads threshold σ(z) at 0.5.

#include "train/loss.h"

#include <string_view>
#include <vector>

namespace mtl::core {

enum class MetricKind : std::uint8_t { MSE, RMSE, MAE, R2, Accuracy, MacroF1, RocAuc };

std::string_view metricName(MetricKind kind);
bool higherIsBetter(MetricKind kind);

// The metrics reported for a task with this loss (ROC-AUC only where it is defined: binary
// labels, or a softmax over exactly two classes).
std::vector<MetricKind> defaultMetrics(LossKind loss, Index outputs);

// outputs: [n, k]; targets: [n, k] (softmax: [n, 1]). NaN when no target is present.
double computeMetric(MetricKind metric, LossKind loss, ConstMatrixMap outputs,
                     ConstMatrixMap targets);

} // namespace mtl::core
