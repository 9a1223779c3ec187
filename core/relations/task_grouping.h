#pragma once
// Task grouping: which tasks should share a branch. For a relation matrix R (affinity Z_{i→j},
// or gradient cosines), the partition of the tasks into exactly k groups with the largest total
// within-group relation Σ_groups Σ_{i≠j in the group} R_ij — found by trying every partition for
// up to kExhaustiveTasks tasks; beyond that by a heuristic: start from single tasks, merge the
// two groups with the highest mean relation until k remain, then move single tasks between
// groups while that raises the total.

#include <string>
#include <vector>

namespace mtl::core {

constexpr int kExhaustiveTasks = 8;

struct TaskGrouping {
    std::vector<std::vector<int>> groups; // task indices, each group sorted, groups by first task
    double score = 0.0;
    bool exhaustive = true; // false: the heuristic's answer
};

// relation: [tasks × tasks] row-major (NaN entries count as 0). For every k in 1…maxGroups
// (at most the task count), the best grouping into k groups.
std::vector<TaskGrouping> bestGroupings(const std::vector<double>& relation, int tasks,
                                        int maxGroups);

double groupingScore(const std::vector<double>& relation, int tasks,
                     const std::vector<std::vector<int>>& groups);

} // namespace mtl::core
