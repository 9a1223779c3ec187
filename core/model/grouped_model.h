#pragma once
// A network built from a task grouping (relations/task_grouping.h): the layers every task of the
// current network shares, then one block per group of two or more tasks (Dense + ReLU, shared
// hard by the group), then each task's own layers and its head, copied from the current network.

#include "model/model_spec.h"

#include <string>
#include <vector>

namespace mtl::core {

// groups: task names; every task of `current` in exactly one group. groupUnits: the width of the
// group blocks (0: the width of the last shared Dense layer, or 32). Throws SpecError when the
// groups do not name each task once.
ModelSpec makeGroupedModel(const ModelSpec& current,
                           const std::vector<std::vector<std::string>>& groups, int groupUnits = 0);

} // namespace mtl::core
