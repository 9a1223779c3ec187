#include "document/spec_edits.h"

#include "model/graph_index.h"
#include "model/names.h"
#include "model/node_kind_info.h"
#include "model/templates.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace mtl::ui {

using core::ModelSpec;
using core::NodeKind;
using core::NodeSpec;

namespace {

constexpr double kColumnWidth = 190.0;
constexpr double kRowHeight = 120.0;
// Top to bottom: a level per row; columns leave room for a shared layer's badge beside it.
constexpr double kDownColumnWidth = 230.0;
constexpr double kDownRowHeight = 110.0;

bool taskNameTaken(const ModelSpec& spec, const std::string& name) {
    return std::any_of(spec.nodes.begin(), spec.nodes.end(), [&](const NodeSpec& n) {
        return n.kind == NodeKind::TaskHead && n.task.name == name;
    });
}

} // namespace

std::string uniqueNodeId(const ModelSpec& spec, const std::string& stem) {
    for (int i = 1;; ++i) {
        std::string id = stem + std::to_string(i);
        if (spec.find(id) == nullptr) return id;
    }
}

std::string uniqueTaskName(const ModelSpec& spec, const std::string& stem) {
    if (!taskNameTaken(spec, stem) && spec.find(stem) == nullptr) return stem;
    for (int i = 2;; ++i) {
        std::string name = stem + " " + std::to_string(i);
        if (!taskNameTaken(spec, name) && spec.find(name) == nullptr) return name;
    }
}

NodeSpec makeNode(const ModelSpec& spec, NodeKind kind, double x, double y) {
    NodeSpec node = core::newNode(kind);
    node.x = x;
    node.y = y;
    if (kind == NodeKind::TaskHead)
        node.task.name = uniqueTaskName(spec, "task");
    node.id = kind == NodeKind::TaskHead ? uniqueNodeId(spec, "head")
                                         : uniqueNodeId(spec, std::string(core::toString(kind)));
    return node;
}

std::string connectionProblem(const ModelSpec& spec, const std::string& from, const std::string& to) {
    const NodeSpec* source = spec.find(from);
    const NodeSpec* target = spec.find(to);
    if (source == nullptr || target == nullptr) return "no such node";
    if (from == to) return "a node cannot feed itself";
    if (source->kind == NodeKind::TaskHead) return "a task head ends its task; it has no output";
    if (target->kind == NodeKind::Input) return "the input node takes no input";
    if (target->kind == NodeKind::ExpertGate && source->kind == NodeKind::Input)
        return "an expert gate mixes experts: connect each expert's last layer into it";
    const bool exists = std::any_of(spec.edges.begin(), spec.edges.end(), [&](const core::EdgeSpec& e) {
        return e.from == from && e.to == to;
    });
    if (exists) return "already connected";
    return {};
}

void addEdge(ModelSpec& spec, const std::string& from, const std::string& to) {
    // An expert gate reads every expert connected into it; any other node reads one input.
    const NodeSpec* target = spec.find(to);
    const bool gathers = target != nullptr && target->kind == NodeKind::ExpertGate;
    std::erase_if(spec.edges, [&](const core::EdgeSpec& e) {
        return e.to == to && (!gathers || e.from == from);
    });
    spec.edges.push_back({from, to});
}

void removeEdge(ModelSpec& spec, const std::string& from, const std::string& to) {
    std::erase_if(spec.edges, [&](const core::EdgeSpec& e) { return e.from == from && e.to == to; });
}

void removeNodes(ModelSpec& spec, const std::vector<std::string>& ids) {
    const std::set<std::string> gone(ids.begin(), ids.end());
    std::erase_if(spec.nodes, [&](const NodeSpec& n) { return gone.contains(n.id); });
    std::erase_if(spec.edges, [&](const core::EdgeSpec& e) {
        return gone.contains(e.from) || gone.contains(e.to);
    });
}

ModelSpec extract(const ModelSpec& spec, const std::vector<std::string>& ids) {
    const std::set<std::string> keep(ids.begin(), ids.end());
    ModelSpec part;
    for (const NodeSpec& n : spec.nodes) {
        if (keep.contains(n.id)) part.nodes.push_back(n);
    }
    for (const core::EdgeSpec& e : spec.edges) {
        if (keep.contains(e.from) && keep.contains(e.to)) part.edges.push_back(e);
    }
    return part;
}

std::vector<std::string> paste(ModelSpec& spec, ModelSpec pasted, double dx, double dy) {
    std::map<std::string, std::string> renamed;
    std::vector<std::string> added;
    for (NodeSpec& n : pasted.nodes) {
        std::string stem = n.id;
        while (!stem.empty() && std::isdigit(static_cast<unsigned char>(stem.back())) != 0) stem.pop_back();
        if (stem.empty()) stem = "node";
        const std::string fresh = spec.find(n.id) == nullptr ? n.id : uniqueNodeId(spec, stem);
        renamed[n.id] = fresh;
        n.id = fresh;
        n.x += dx;
        n.y += dy;
        if (n.kind == NodeKind::TaskHead) n.task.name = uniqueTaskName(spec, n.task.name);
        spec.nodes.push_back(n);
        added.push_back(fresh);
    }
    for (const core::EdgeSpec& e : pasted.edges) {
        if (renamed.contains(e.from) && renamed.contains(e.to)) {
            spec.edges.push_back({renamed[e.from], renamed[e.to]});
        }
    }
    return added;
}

void autoLayout(ModelSpec& spec) {
    const core::GraphIndex graph = core::indexGraph(spec);
    const std::size_t count = spec.nodes.size();
    std::vector<int> depth(count, -1);
    for (int i : graph.order) {
        // After the deepest of its inputs (an expert gate has several).
        int deepest = -1;
        for (int in : graph.inputs[static_cast<std::size_t>(i)])
            deepest = std::max(deepest, depth[static_cast<std::size_t>(in)]);
        depth[static_cast<std::size_t>(i)] = deepest + 1;
    }
    // Leaves take rows in depth-first order (children in spec order, so heads keep their order);
    // then, children before parents, each parent the mean of its children's rows.
    std::vector<double> row(count, -1.0);
    double nextLeaf = 0.0;
    if (graph.input >= 0) {
        std::vector<int> stack{graph.input};
        std::vector<bool> seen(count, false);
        while (!stack.empty()) {
            const auto i = static_cast<std::size_t>(stack.back());
            stack.pop_back();
            if (seen[i]) continue;
            seen[i] = true;
            std::vector<int> kids = graph.children[i];
            std::sort(kids.begin(), kids.end(), std::greater<>());
            if (kids.empty()) row[i] = nextLeaf++;
            for (int c : kids) stack.push_back(c);
        }
    }
    for (auto it = graph.order.rbegin(); it != graph.order.rend(); ++it) {
        const auto i = static_cast<std::size_t>(*it);
        if (row[i] >= 0.0) continue;
        double sum = 0.0;
        int placed = 0;
        for (int c : graph.children[i]) {
            if (row[static_cast<std::size_t>(c)] >= 0.0) {
                sum += row[static_cast<std::size_t>(c)];
                ++placed;
            }
        }
        row[i] = placed > 0 ? sum / placed : nextLeaf++;
    }
    // Unreachable nodes go in a line below (or beside, when data flows down).
    const bool down = spec.flow == core::LayoutFlow::TopToBottom;
    double loose = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        NodeSpec& n = spec.nodes[i];
        const double along = depth[i] < 0 ? loose++ : double(depth[i]);
        const double across = depth[i] < 0 ? nextLeaf + 0.5 : row[i];
        n.x = down ? across * kDownColumnWidth : along * kColumnWidth;
        n.y = down ? along * kDownRowHeight : across * kRowHeight;
    }
}

std::string trunkEnd(const ModelSpec& spec) {
    const core::GraphIndex graph = core::indexGraph(spec);
    if (graph.input < 0) return {};
    const core::TaskMask all = graph.tasksBelow[static_cast<std::size_t>(graph.input)];
    int node = graph.input;
    for (;;) {
        const auto& kids = graph.children[static_cast<std::size_t>(node)];
        int next = -1;
        for (int c : kids) {
            const auto k = static_cast<std::size_t>(c);
            if (spec.nodes[k].kind == NodeKind::TaskHead) continue;
            if (all == 0 ? kids.size() == 1 : (graph.tasksBelow[k] & all) == all) next = c;
        }
        if (next < 0 || graph.parent[static_cast<std::size_t>(next)] != node) break;
        node = next;
    }
    return spec.nodes[static_cast<std::size_t>(node)].id;
}

std::string addTask(ModelSpec& spec, const core::TaskSpec& task, const core::DataSchema& schema) {
    const std::string from = trunkEnd(spec);
    const NodeSpec* anchor = spec.find(from);
    const double x = anchor != nullptr ? anchor->x + kColumnWidth : 0.0;
    double y = 0.0;
    for (const NodeSpec& n : spec.nodes) y = std::max(y, n.y + kRowHeight);

    NodeSpec out = makeNode(spec, NodeKind::Dense, x, y);
    out.id = uniqueNodeId(spec, "out");
    out.units = core::outputWidth(task, schema);
    out.init = core::Init::Xavier;
    spec.nodes.push_back(out);
    if (!from.empty()) spec.edges.push_back({from, out.id});

    NodeSpec head = makeNode(spec, NodeKind::TaskHead, x + kColumnWidth, y);
    head.task = task;
    head.task.name = uniqueTaskName(spec, task.name);
    spec.nodes.push_back(head);
    spec.edges.push_back({out.id, head.id});
    return head.id;
}

} // namespace mtl::ui
