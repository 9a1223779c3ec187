#pragma once
// Ready-made model specs: a trunk of Dense + activation layers shared by every task (hard or
// soft), then per-task head layers ending in an output layer sized for the task's targets.

#include "data/dataset.h"
#include "model/model_spec.h"

#include <vector>

namespace mtl::core {

struct TrunkTemplate {
    std::vector<int> sharedUnits{64, 64}; // one Dense + activation per entry
    std::vector<int> headUnits{};         // per task, before its output layer
    NodeKind activation = NodeKind::ReLU;
    SharingMode sharing = SharingMode::Hard;
    float couplingStrength = 1e-3f;       // soft sharing's λ
    std::vector<TaskSpec> tasks;
};

// The width of the layer feeding a task's head: its class count for cross-entropy on one
// categorical column, else its number of target columns.
int outputWidth(const TaskSpec& task, const DataSchema& schema);

// Node ids: "input", "shared1", "shared1_act", …, "<task>_hidden1", "<task>_out", and the head
// "<task>". Output widths come from the schema (classes for cross_entropy). Positions lay the
// graph out left to right, one row per task.
ModelSpec makeTrunkModel(const TrunkTemplate& recipe, const DataSchema& schema);

// A LeNet-style trunk for 28×28×1 images, shared hard by every task: Conv 10@5×5 → MaxPool 2 →
// ReLU → Conv 20@5×5 → MaxPool 2 → ReLU → Flatten → Dense 50 → ReLU; then per task
// Dense 50 → ReLU → output layer. (The `lenet-2task` benchmark and the Fashion examples.)
ModelSpec makeLeNetModel(const std::vector<TaskSpec>& tasks, const DataSchema& schema);

// The single-task baseline of `task`: the same trunk and head with only that task.
ModelSpec singleTaskBaseline(const ModelSpec& spec, const std::string& task);

} // namespace mtl::core
