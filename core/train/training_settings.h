#pragma once
// Everything that decides a training run besides the model and the data.

#include "balancing/balancing_method.h"
#include "train/optimizer.h"
#include "train/schedule.h"

#include <cstdint>

namespace mtl::core {

struct TrainingSettings {
    int epochs = 20;
    Index batchSize = 64;
    OptimizerSettings optimizer;
    ScheduleSettings schedule;
    std::uint64_t seed = 1;
    int threads = 0;                 // 0: automatic (see automaticThreadCount)
    float validationFraction = 0.2f;
    float testFraction = 0.0f;
    int earlyStoppingPatience = 0;   // epochs without validation improvement; 0: off
    bool restoreBestWeights = true;  // end on the best validation epoch's weights
    bool normalizeTaskWeights = false; // divide the task weights by their sum
    float clipNorm = 0.0f;           // clip the gradient's global norm; 0: off
    bool standardizeInputs = true;
    bool standardizeTargets = true;  // regression targets, so tasks on any scale weigh alike
    // How each step combines the tasks (balancing/balancing_method.h). Reports — validation
    // total, early stopping, the best epoch, Δm — use the task weights whatever the method.
    BalancingSettings balancing;
    // Every this many steps, the tasks' gradients on the shared layers are compared (cosines,
    // norms: relations/task_relations.h); 0: never. Free with a gradient-based method; otherwise
    // one backward pass per task at those steps.
    int relationsEvery = 25;
    bool operator==(const TrainingSettings&) const = default;
};

// Throws SettingError naming the first setting out of range.
void checkSettings(const TrainingSettings& settings);

} // namespace mtl::core
