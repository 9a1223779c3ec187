#include "relations/task_grouping.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mtl::core {
namespace {

double at(const std::vector<double>& r, int tasks, int i, int j) {
    const double v = r[std::size_t(i * tasks + j)];
    return std::isnan(v) ? 0.0 : v;
}

std::vector<std::vector<int>> groupsOf(const std::vector<int>& label, int k) {
    std::vector<std::vector<int>> groups(static_cast<std::size_t>(k));
    for (std::size_t t = 0; t < label.size(); ++t)
        groups[std::size_t(label[t])].push_back(int(t));
    return groups;
}

// Every partition into exactly k groups, as restricted growth strings (task 0 in group 0, each
// task in an existing group or the next new one).
void enumerate(const std::vector<double>& r, int tasks, int k, std::vector<int>& label, int t,
               int used, TaskGrouping& best) {
    if (tasks - t < k - used)
        return; // not enough tasks left to open the remaining groups
    if (t == tasks) {
        if (used != k)
            return;
        const auto groups = groupsOf(label, k);
        const double score = groupingScore(r, tasks, groups);
        if (best.groups.empty() || score > best.score + 1e-12)
            best = {groups, score, true};
        return;
    }
    for (int g = 0; g <= std::min(used, k - 1); ++g) {
        label[std::size_t(t)] = g;
        enumerate(r, tasks, k, label, t + 1, std::max(used, g + 1), best);
    }
}

TaskGrouping heuristic(const std::vector<double>& r, int tasks, int k) {
    std::vector<std::vector<int>> groups;
    for (int t = 0; t < tasks; ++t)
        groups.push_back({t});
    auto mean = [&](const std::vector<int>& a, const std::vector<int>& b) {
        double sum = 0.0;
        for (int i : a) {
            for (int j : b)
                sum += at(r, tasks, i, j) + at(r, tasks, j, i);
        }
        return sum / double(2 * a.size() * b.size());
    };
    while (int(groups.size()) > k) {
        std::size_t bestA = 0, bestB = 1;
        double best = -std::numeric_limits<double>::infinity();
        for (std::size_t a = 0; a < groups.size(); ++a) {
            for (std::size_t b = a + 1; b < groups.size(); ++b) {
                const double m = mean(groups[a], groups[b]);
                if (m > best)
                    best = m, bestA = a, bestB = b;
            }
        }
        groups[bestA].insert(groups[bestA].end(), groups[bestB].begin(), groups[bestB].end());
        groups.erase(groups.begin() + long(bestB));
    }
    // Local moves: a task to another group, while the total rises and no group empties.
    for (bool improved = true; improved;) {
        improved = false;
        for (std::size_t g = 0; g < groups.size() && !improved; ++g) {
            for (std::size_t i = 0; i < groups[g].size() && !improved && groups[g].size() > 1;
                 ++i) {
                for (std::size_t h = 0; h < groups.size() && !improved; ++h) {
                    if (h == g)
                        continue;
                    auto moved = groups;
                    const int task = moved[g][i];
                    moved[g].erase(moved[g].begin() + long(i));
                    moved[h].push_back(task);
                    if (groupingScore(r, tasks, moved) > groupingScore(r, tasks, groups) + 1e-12) {
                        groups = std::move(moved);
                        improved = true;
                    }
                }
            }
        }
    }
    for (auto& g : groups)
        std::sort(g.begin(), g.end());
    std::sort(groups.begin(), groups.end());
    return {groups, groupingScore(r, tasks, groups), false};
}

} // namespace

double groupingScore(const std::vector<double>& r, int tasks,
                     const std::vector<std::vector<int>>& groups) {
    double score = 0.0;
    for (const auto& g : groups) {
        for (int i : g) {
            for (int j : g)
                score += i == j ? 0.0 : at(r, tasks, i, j);
        }
    }
    return score;
}

std::vector<TaskGrouping> bestGroupings(const std::vector<double>& relation, int tasks,
                                        int maxGroups) {
    std::vector<TaskGrouping> out;
    for (int k = 1; k <= std::min(maxGroups, tasks); ++k) {
        if (tasks <= kExhaustiveTasks) {
            TaskGrouping best;
            std::vector<int> label(std::size_t(tasks), 0);
            enumerate(relation, tasks, k, label, 0, 0, best);
            out.push_back(best);
        } else {
            out.push_back(heuristic(relation, tasks, k));
        }
    }
    return out;
}

} // namespace mtl::core
