#include "model/grouped_model.h"

#include "model/graph_index.h"
#include "util/error.h"

#include <algorithm>
#include <bit>
#include <map>
#include <set>

namespace mtl::core {
namespace {

constexpr double kColumn = 180.0, kRow = 120.0;

// The chain of nodes from `first` following children that serve `mask`, in order.
std::vector<int> chainOf(const ModelSpec& spec, const GraphIndex& g, TaskMask mask) {
    std::vector<int> nodes;
    for (int n : g.order) {
        if (g.tasksBelow[std::size_t(n)] == mask &&
            spec.nodes[std::size_t(n)].kind != NodeKind::TaskHead)
            nodes.push_back(n);
    }
    return nodes;
}

} // namespace

ModelSpec makeGroupedModel(const ModelSpec& current,
                           const std::vector<std::vector<std::string>>& groups, int groupUnits) {
    const GraphIndex g = indexGraph(current);
    std::map<std::string, int> taskIndex;
    for (std::size_t t = 0; t < g.taskNodes.size(); ++t) {
        taskIndex[current.nodes[std::size_t(g.taskNodes[t])].task.name] = int(t);
    }
    std::set<std::string> seen;
    for (const auto& group : groups) {
        for (const std::string& task : group) {
            if (!taskIndex.contains(task) || !seen.insert(task).second) {
                throw SpecError("the grouping must name each task of the network once ('" + task +
                                "')");
            }
        }
    }
    if (seen.size() != taskIndex.size())
        throw SpecError("the grouping leaves out some of the network's tasks");

    const TaskMask all =
        g.taskNodes.size() >= 64 ? ~TaskMask{0} : (TaskMask{1} << g.taskNodes.size()) - 1;
    ModelSpec out;
    auto add = [&](NodeSpec node, const std::string& from, double column, double row) {
        node.x = column * kColumn;
        node.y = row * kRow;
        if (!from.empty())
            out.edges.push_back({from, node.id});
        out.nodes.push_back(std::move(node));
        return out.nodes.back().id;
    };
    // The trunk: the nodes every task flows through, the input first, with the edges among them
    // (a chain, or experts side by side into a gate); a column per depth.
    std::string trunkEnd;
    int column = 0;
    int lastDenseUnits = 0;
    const double middle = double(g.taskNodes.size() - 1) / 2.0;
    const std::vector<int> trunk = chainOf(current, g, all);
    std::map<int, int> depthOf;      // trunk node → column
    std::map<int, int> nodesAtDepth; // column → nodes placed so far
    for (int n : trunk) {
        int depth = 0;
        for (int in : g.inputs[std::size_t(n)]) {
            if (const auto it = depthOf.find(in); it != depthOf.end())
                depth = std::max(depth, it->second + 1);
        }
        depthOf[n] = depth;
        ++nodesAtDepth[depth];
    }
    std::map<int, int> placed;
    for (int n : trunk) {
        const NodeSpec& node = current.nodes[std::size_t(n)];
        if (node.kind == NodeKind::Dense)
            lastDenseUnits = node.units;
        const int depth = depthOf[n];
        const double rowAt =
            middle + double(placed[depth]++) - double(nodesAtDepth[depth] - 1) / 2.0;
        trunkEnd = add(node, "", depth, rowAt);
        column = std::max(column, depth + 1);
        for (int in : g.inputs[std::size_t(n)]) {
            if (depthOf.contains(in))
                out.edges.push_back({current.nodes[std::size_t(in)].id, node.id});
        }
    }
    const int units = groupUnits > 0 ? groupUnits : lastDenseUnits > 0 ? lastDenseUnits : 32;
    const int groupColumn = column;
    double row = 0.0;
    struct Head {
        int node;
        std::string from;
        int column;
        double row;
    };
    std::vector<Head> heads;
    for (std::size_t k = 0; k < groups.size(); ++k) {
        std::string groupEnd = trunkEnd;
        const double groupRow = row + double(groups[k].size() - 1) / 2.0;
        if (groups[k].size() > 1) {
            NodeSpec dense;
            dense.id = "group" + std::to_string(k + 1);
            dense.kind = NodeKind::Dense;
            dense.units = units;
            groupEnd = add(dense, groupEnd, groupColumn, groupRow);
            NodeSpec act;
            act.id = dense.id + "_act";
            act.kind = NodeKind::ReLU;
            groupEnd = add(act, groupEnd, groupColumn + 1, groupRow);
        }
        for (const std::string& task : groups[k]) {
            const int t = taskIndex.at(task);
            const int head = g.taskNodes[std::size_t(t)];
            std::string end = groupEnd;
            int c = groupColumn + 2;
            const std::vector<int> own = chainOf(current, g, TaskMask{1} << t);
            for (int n : own)
                end = add(current.nodes[std::size_t(n)], end, c++, row);
            if (own.empty()) {
                // The head read a shared layer directly: give it an output layer of that width.
                const int parent = g.parent[std::size_t(head)];
                const NodeSpec* feeding =
                    parent >= 0 ? &current.nodes[std::size_t(parent)] : nullptr;
                NodeSpec output;
                output.id = task + "_out";
                output.kind = NodeKind::Dense;
                output.units =
                    feeding != nullptr && feeding->kind == NodeKind::Dense ? feeding->units : 1;
                output.init = Init::Xavier;
                end = add(output, end, c++, row);
            }
            heads.push_back({head, end, c, row});
            row += 1.0;
        }
    }
    // Heads last, in the current network's task order: tasks keep their indices (and colours).
    std::sort(heads.begin(), heads.end(),
              [](const Head& a, const Head& b) { return a.node < b.node; });
    for (const Head& h : heads)
        add(current.nodes[std::size_t(h.node)], h.from, h.column, h.row);
    return out;
}

} // namespace mtl::core
