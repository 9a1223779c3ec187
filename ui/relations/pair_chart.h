#pragma once
// The task-relations view's chart of each task pair's gradient cosine over training, for one
// shared block, smoothed as the loss curves are.

#include "training/run_data.h"

#include <QColor>

#include <functional>

class QChart;

namespace mtl::ui {

using TaskColour = std::function<QColor(const std::string& task, std::size_t index)>;

// Replaces the chart's series and axes with the run's pairs for `block` (empty when the run has
// no relation records or not that block).
void drawPairCosines(QChart* chart, const RunData* run, std::size_t block, double smoothing,
                     const TaskColour& colourOf);

} // namespace mtl::ui
