#pragma once
// What an architecture learned about the tasks, laid out over a run's tasks for the relations
// view's heatmap and graph: the task correlation Ω_ij / √(Ω_ii Ω_jj) of a relationship-coupled
// layer (MTRL), and a cross-stitch unit's mixing matrix.

#include "model/model.h"
#include "train/records.h"

#include <QString>

#include <vector>

namespace mtl::ui {

// [tasks × tasks] in the order of `tasks`; pairs with a task that does not pass through the
// layer are NaN.
std::vector<double> learnedCorrelation(const core::LearnedCovariance& covariance,
                                       const std::vector<QString>& tasks);

// A cross-stitch unit's learned mixing A (row: the task whose output it is, column: the task
// whose copy it takes), laid out the same way.
std::vector<double> stitchMixing(const core::Model& model, const core::CrossStitchUnit& unit,
                                 const core::Vector& parameters, const std::vector<QString>& tasks);

} // namespace mtl::ui
