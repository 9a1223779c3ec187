#include "model/graph_index.h"

namespace mtl::core {
namespace {

// Tasks below a node: its own (if a head) plus its children's. Iterative post-order so a cycle
// cannot recurse forever; `state` 1 = on the stack, 2 = done.
void collectTasks(const GraphIndex& g, std::vector<TaskMask>& below, std::vector<int>& state,
                  int start) {
    std::vector<std::pair<int, std::size_t>> stack{{start, 0}};
    state[start] = 1;
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < g.children[node].size()) {
            const int child = g.children[node][next++];
            if (state[child] == 0) {
                state[child] = 1;
                stack.emplace_back(child, 0);
            }
            continue;
        }
        for (int child : g.children[node]) below[node] |= below[child];
        state[node] = 2;
        stack.pop_back();
    }
}

// Sources in topological order: a node's parent; an expert gate's the deepest node that all its
// inputs descend from along the sources, strictly above each of them.
void findSources(const ModelSpec& spec, GraphIndex& g) {
    std::vector<int> depth(spec.nodes.size(), 0);
    for (int i : g.order) {
        if (spec.nodes[i].kind != NodeKind::ExpertGate) {
            g.source[i] = g.parent[i];
        } else if (!g.inputs[i].empty()) {
            int a = g.source[g.inputs[i][0]];
            for (std::size_t k = 1; k < g.inputs[i].size() && a >= 0; ++k) {
                int b = g.source[g.inputs[i][k]];
                while (a >= 0 && b >= 0 && a != b) {
                    if (depth[a] >= depth[b])
                        a = g.source[a];
                    else
                        b = g.source[b];
                }
                a = b < 0 ? -1 : a;
            }
            g.source[i] = a;
        }
        depth[i] = g.source[i] < 0 ? 0 : depth[g.source[i]] + 1;
    }
}

} // namespace

GraphIndex indexGraph(const ModelSpec& spec) {
    GraphIndex g;
    const int n = static_cast<int>(spec.nodes.size());
    g.parent.assign(n, -1);
    g.inputs.resize(n);
    g.source.assign(n, -1);
    g.inDegree.assign(n, 0);
    g.children.resize(n);
    g.tasksBelow.assign(n, 0);
    for (int i = 0; i < n; ++i) {
        g.byId.emplace(spec.nodes[i].id, i);
        if (spec.nodes[i].kind == NodeKind::Input && g.input < 0) g.input = i;
        if (spec.nodes[i].kind == NodeKind::TaskHead) {
            if (static_cast<int>(g.taskNodes.size()) < kMaxTasks) {
                g.tasksBelow[i] = TaskMask{1} << g.taskNodes.size();
            }
            g.taskNodes.push_back(i);
        }
    }
    for (const EdgeSpec& e : spec.edges) {
        auto from = g.byId.find(e.from);
        auto to = g.byId.find(e.to);
        if (from == g.byId.end() || to == g.byId.end() || from->second == to->second) continue;
        g.children[from->second].push_back(to->second);
        if (g.inDegree[to->second]++ == 0) g.parent[to->second] = from->second;
        g.inputs[to->second].push_back(from->second);
    }
    std::vector<int> state(n, 0);
    for (int i = 0; i < n; ++i) {
        if (state[i] == 0) collectTasks(g, g.tasksBelow, state, i);
    }
    // Breadth-first from the input along first-parent links (one input per node), an expert gate
    // once all its inputs are placed: a topological order of everything the input reaches.
    if (g.input >= 0) {
        std::vector<char> seen(n, 0);
        std::vector<int> placedInputs(n, 0);
        g.order.push_back(g.input);
        seen[g.input] = 1;
        for (std::size_t k = 0; k < g.order.size(); ++k) {
            for (int child : g.children[g.order[k]]) {
                const bool gate = spec.nodes[child].kind == NodeKind::ExpertGate;
                const bool ready = gate ? ++placedInputs[child] == g.inDegree[child]
                                        : g.parent[child] == g.order[k];
                if (!seen[child] && ready) {
                    seen[child] = 1;
                    g.order.push_back(child);
                }
            }
        }
    }
    findSources(spec, g);
    return g;
}

} // namespace mtl::core
