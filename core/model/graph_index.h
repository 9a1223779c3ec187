#pragma once
// Index of a ModelSpec's structure: node positions by id, parents, children, the nodes reachable
// from the input in topological order, and which tasks each node feeds. Built tolerantly: an
// invalid spec yields a partial index (validate reports what is wrong).

#include "model/model_spec.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace mtl::core {

using TaskMask = std::uint64_t; // bit t set: task t flows through
constexpr int kMaxTasks = 64;

struct GraphIndex {
    std::unordered_map<std::string, int> byId;
    std::vector<int> parent;                 // the first incoming node, or −1
    std::vector<std::vector<int>> inputs;    // every incoming node, in edge order
    // What a node's layer reads: its parent, or for an expert gate the input its experts branch
    // from (the deepest node every expert descends from through these links), else −1.
    std::vector<int> source;
    std::vector<int> inDegree;
    std::vector<std::vector<int>> children;
    int input = -1;                          // the first Input node
    // Reachable from the input, every node after its inputs (an expert gate after all of them).
    std::vector<int> order;
    std::vector<TaskMask> tasksBelow;        // tasks whose head is reachable from each node
    std::vector<int> taskNodes;              // node index of task t's head, in spec order
};

GraphIndex indexGraph(const ModelSpec& spec);

} // namespace mtl::core
