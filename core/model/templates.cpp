#include "model/templates.h"

#include "model/graph_index.h"

#include <algorithm>
#include <set>

namespace mtl::core {
namespace {

constexpr double kColumn = 180.0;
constexpr double kRow = 120.0;

class Assembler {
public:
    explicit Assembler(ModelSpec& spec) : m_spec(spec) {}

    std::string add(NodeSpec node, const std::string& from, double column, double row) {
        node.x = column * kColumn;
        node.y = row * kRow;
        m_spec.nodes.push_back(node);
        if (!from.empty()) m_spec.edges.push_back({from, node.id});
        return node.id;
    }

private:
    ModelSpec& m_spec;
};

} // namespace

int outputWidth(const TaskSpec& task, const DataSchema& schema) {
    if (task.loss == LossKind::SoftmaxCrossEntropy && task.targets.size() == 1) {
        const int c = schema.findTarget(task.targets[0]);
        if (c >= 0) return std::max<int>(1, int(schema.targets[c].classLabels.size()));
    }
    return std::max<int>(1, int(task.targets.size()));
}

ModelSpec makeTrunkModel(const TrunkTemplate& recipe, const DataSchema& schema) {
    ModelSpec spec;
    Assembler a(spec);
    const double middle = (double(recipe.tasks.size()) - 1.0) / 2.0;
    NodeSpec input;
    input.id = "input";
    input.kind = NodeKind::Input;
    std::string last = a.add(input, "", 0, middle);
    double column = 1;
    for (std::size_t i = 0; i < recipe.sharedUnits.size(); ++i) {
        NodeSpec dense;
        dense.id = "shared" + std::to_string(i + 1);
        dense.units = recipe.sharedUnits[i];
        dense.sharing = recipe.sharing;
        dense.couplingStrength = recipe.couplingStrength;
        last = a.add(dense, last, column++, middle);
        NodeSpec act;
        act.id = dense.id + "_act";
        act.kind = recipe.activation;
        last = a.add(act, last, column++, middle);
    }
    const std::string trunk = last;
    for (std::size_t t = 0; t < recipe.tasks.size(); ++t) {
        const TaskSpec& task = recipe.tasks[t];
        std::string from = trunk;
        double c = column;
        for (std::size_t i = 0; i < recipe.headUnits.size(); ++i) {
            NodeSpec dense;
            dense.id = task.name + "_hidden" + std::to_string(i + 1);
            dense.units = recipe.headUnits[i];
            from = a.add(dense, from, c++, double(t));
            NodeSpec act;
            act.id = dense.id + "_act";
            act.kind = recipe.activation;
            from = a.add(act, from, c++, double(t));
        }
        NodeSpec out;
        out.id = task.name + "_out";
        out.units = outputWidth(task, schema);
        out.init = Init::Xavier;
        from = a.add(out, from, c++, double(t));
        NodeSpec head;
        head.id = task.name;
        head.kind = NodeKind::TaskHead;
        head.task = task;
        a.add(head, from, c, double(t));
    }
    return spec;
}

ModelSpec makeLeNetModel(const std::vector<TaskSpec>& tasks, const DataSchema& schema) {
    ModelSpec spec;
    Assembler a(spec);
    const double middle = (double(tasks.size()) - 1.0) / 2.0;
    auto node = [](const char* id, NodeKind kind) {
        NodeSpec n;
        n.id = id;
        n.kind = kind;
        return n;
    };
    NodeSpec conv1 = node("conv1", NodeKind::Conv2D);
    conv1.filters = 10;
    conv1.kernelSize = 5;
    NodeSpec conv2 = node("conv2", NodeKind::Conv2D);
    conv2.filters = 20;
    conv2.kernelSize = 5;
    NodeSpec pool1 = node("pool1", NodeKind::MaxPool2D);
    pool1.kernelSize = pool1.stride = 2;
    NodeSpec pool2 = node("pool2", NodeKind::MaxPool2D);
    pool2.kernelSize = pool2.stride = 2;
    NodeSpec shared = node("shared", NodeKind::Dense);
    shared.units = 50;
    std::string last;
    double column = 0;
    for (const NodeSpec& n : {node("input", NodeKind::Input), conv1, pool1, node("relu1", NodeKind::ReLU),
                              conv2, pool2, node("relu2", NodeKind::ReLU), node("flatten", NodeKind::Flatten),
                              shared, node("shared_act", NodeKind::ReLU)}) {
        last = a.add(n, last, column++, middle);
    }
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        const std::string& name = tasks[t].name;
        NodeSpec hidden = node("", NodeKind::Dense);
        hidden.id = name + "_hidden";
        hidden.units = 50;
        NodeSpec act = node("", NodeKind::ReLU);
        act.id = name + "_hidden_act";
        NodeSpec out = node("", NodeKind::Dense);
        out.id = name + "_out";
        out.units = outputWidth(tasks[t], schema);
        out.init = Init::Xavier;
        NodeSpec head = node("", NodeKind::TaskHead);
        head.id = name;
        head.task = tasks[t];
        std::string from = last;
        double c = column;
        for (const NodeSpec& n : {hidden, act, out, head}) from = a.add(n, from, c++, double(t));
    }
    return spec;
}

ModelSpec singleTaskBaseline(const ModelSpec& spec, const std::string& task) {
    // Keep the nodes on the paths from the input to this task's head (through every expert of a
    // gate), nothing else.
    const GraphIndex g = indexGraph(spec);
    std::set<std::string> keep;
    std::vector<int> pending;
    for (int t : g.taskNodes) {
        if (spec.nodes[t].task.name == task)
            pending.push_back(t);
    }
    while (!pending.empty()) {
        const int n = pending.back();
        pending.pop_back();
        if (!keep.insert(spec.nodes[std::size_t(n)].id).second)
            continue;
        for (int in : g.inputs[std::size_t(n)])
            pending.push_back(in);
    }
    ModelSpec out;
    for (const NodeSpec& n : spec.nodes) {
        if (keep.contains(n.id)) out.nodes.push_back(n);
    }
    for (const EdgeSpec& e : spec.edges) {
        if (keep.contains(e.from) && keep.contains(e.to)) out.edges.push_back(e);
    }
    return out;
}

} // namespace mtl::core
