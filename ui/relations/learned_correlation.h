#pragma once
// The task correlation Ω_ij / √(Ω_ii Ω_jj) a relationship-coupled layer learned (MTRL), laid out
// over a run's tasks for the relations view's heatmap and graph.

#include "train/records.h"

#include <QString>

#include <vector>

namespace mtl::ui {

// [tasks × tasks] in the order of `tasks`; pairs with a task that does not pass through the
// layer are NaN.
std::vector<double> learnedCorrelation(const core::LearnedCovariance& covariance,
                                       const std::vector<QString>& tasks);

} // namespace mtl::ui
