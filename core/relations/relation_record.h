#pragma once
// The task relations measured at one training step (relations/task_relations.h computes them):
// plain data for observers, files and views.

#include <string>
#include <vector>

namespace mtl::core {

// One part of the shared parameters at one step.
struct RelationBlock {
    std::string layer; // node id of the shared layer; empty: all shared parameters
    std::vector<double>
        cosine; // [tasks × tasks] row-major; NaN where a task was absent or had no gradient
    std::vector<double> norm; // [tasks]; NaN where absent
    bool operator==(const RelationBlock&) const = default;
};

struct RelationRecord {
    long step = 0;
    int epoch = 0;
    int tasks = 0;
    std::vector<RelationBlock> blocks; // [0]: all shared; then each shared layer
    bool operator==(const RelationRecord&) const = default;
};

} // namespace mtl::core
