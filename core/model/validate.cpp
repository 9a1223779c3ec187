#include "model/validate.h"

#include "layers/expert_gate.h"
#include "model/graph_index.h"
#include "model/layer_factory.h"
#include "model/node_kind_info.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <set>

namespace mtl::core {
namespace {

class Checker {
public:
    Checker(const ModelSpec& spec, const DataSchema& schema)
        : m_spec(spec), m_schema(schema), m_graph(indexGraph(spec)) {
        m_result.outputShapes.resize(spec.nodes.size());
        m_result.parameterCounts.assign(spec.nodes.size(), 0);
        m_result.flopsPerNode.assign(spec.nodes.size(), 0.0);
    }

    SpecAnalysis run() {
        checkIds();
        checkEdges();
        checkStructure();
        checkTasks();
        checkShapes();
        return std::move(m_result);
    }

private:
    void error(const std::string& node, const std::string& property, std::string message) {
        m_result.issues.push_back({Severity::Error, node, property, std::move(message)});
    }
    void warning(const std::string& node, const std::string& property, std::string message) {
        m_result.issues.push_back({Severity::Warning, node, property, std::move(message)});
    }

    void checkIds() {
        std::set<std::string> seen;
        for (const NodeSpec& n : m_spec.nodes) {
            if (n.id.empty()) error("", "id", "a node has an empty id");
            else if (!seen.insert(n.id).second) error(n.id, "id", "two nodes share this id");
        }
    }

    void checkEdges() {
        std::set<std::pair<std::string, std::string>> seen;
        for (const EdgeSpec& e : m_spec.edges) {
            const std::string where = "edge " + e.from + " → " + e.to + ": ";
            if (m_spec.find(e.from) == nullptr) error("", "edges", where + "no node '" + e.from + "'");
            if (m_spec.find(e.to) == nullptr) error("", "edges", where + "no node '" + e.to + "'");
            if (e.from == e.to) error(e.from, "edges", "is connected to itself");
            if (!seen.insert({e.from, e.to}).second) error(e.to, "edges", where + "appears twice");
        }
    }

    void checkStructure() {
        const std::vector<bool> cyclic = nodesInCycles();
        int inputs = 0;
        for (std::size_t i = 0; i < m_spec.nodes.size(); ++i) {
            const NodeSpec& n = m_spec.nodes[i];
            const int in = m_graph.inDegree[i];
            const bool feedsTask = m_graph.tasksBelow[i] != 0;
            if (n.kind == NodeKind::Input) {
                if (++inputs > 1) error(n.id, "", "the model has more than one input node");
                if (in > 0) error(n.id, "edges", "the input node cannot take an input");
                if (!feedsTask) warning(n.id, "", "the input feeds no task head");
                continue;
            }
            if (n.kind == NodeKind::TaskHead && !m_graph.children[i].empty()) {
                error(n.id, "edges", "a task head ends its task; it cannot feed another node");
            }
            if (in > 1 && n.kind != NodeKind::ExpertGate) {
                error(n.id, "edges", "takes one input, but " + std::to_string(in) + " are connected");
            }
            if (in == 0) {
                if (n.kind == NodeKind::TaskHead) error(n.id, "edges", "task head has no input");
                else if (n.kind == NodeKind::ExpertGate && feedsTask)
                    error(n.id, "edges",
                          "has no experts: connect each expert's last layer into it");
                else if (feedsTask) error(n.id, "edges", "has no input");
                else warning(n.id, "", "is not connected (dangling node)");
                continue;
            }
            const int parent = m_graph.parent[i];
            if (n.kind == NodeKind::TaskHead && m_spec.nodes[parent].kind == NodeKind::Input) {
                error(n.id, "edges", "connect at least one layer between the input and this head");
            }
            if (n.kind != NodeKind::TaskHead && !feedsTask) {
                warning(n.id, "", "its output is not used by any task (dangling node)");
            }
            if (cyclic[i])
                error(n.id, "edges", "is part of a cycle");
        }
        if (inputs == 0) error("", "", "the model has no input node");
    }

    // The nodes a path of edges leads back to: along every input, not only the first (an expert
    // gate takes several).
    std::vector<bool> nodesInCycles() const {
        const std::size_t count = m_spec.nodes.size();
        std::vector<bool> cyclic(count, false);
        std::vector<bool> seen(count);
        std::vector<int> pending;
        for (std::size_t i = 0; i < count; ++i) {
            std::fill(seen.begin(), seen.end(), false);
            pending.assign(m_graph.children[i].begin(), m_graph.children[i].end());
            while (!pending.empty() && !cyclic[i]) {
                const auto next = std::size_t(pending.back());
                pending.pop_back();
                cyclic[i] = next == i;
                if (seen[next])
                    continue;
                seen[next] = true;
                pending.insert(pending.end(), m_graph.children[next].begin(),
                               m_graph.children[next].end());
            }
        }
        return cyclic;
    }

    void checkTasks() {
        if (m_graph.taskNodes.empty()) {
            error("", "",
                  "the network has no task head: add a Task head from the palette for each task");
            return;
        }
        if (m_graph.taskNodes.size() > static_cast<std::size_t>(kMaxTasks)) {
            error("", "", "at most " + std::to_string(kMaxTasks) + " tasks are supported");
        }
        std::set<std::string> names;
        bool anyWeight = false;
        for (int t : m_graph.taskNodes) {
            const NodeSpec& n = m_spec.nodes[t];
            const TaskSpec& task = n.task;
            if (task.name.empty()) error(n.id, "name", "the task has no name");
            else if (!names.insert(task.name).second)
                error(n.id, "name", "another task is also named '" + task.name + "'");
            if (!std::isfinite(task.weight) || task.weight < 0.0f)
                error(n.id, "weight", "must be a number ≥ 0");
            else if (task.weight > 0.0f) anyWeight = true;
            if (task.loss == LossKind::Huber && !(task.huberDelta > 0.0f))
                error(n.id, "huberDelta", "must be greater than 0");
            checkTargets(n);
        }
        if (!anyWeight) {
            error("", "weight", "all task weights are zero: nothing would be trained");
        }
    }

    void checkTargets(const NodeSpec& n) {
        const TaskSpec& task = n.task;
        if (task.targets.empty()) {
            error(n.id, "targets", "head without target: choose the column(s) this task predicts");
            return;
        }
        for (const std::string& column : task.targets) {
            const int c = m_schema.findTarget(column);
            if (c < 0) {
                error(n.id, "targets", "no target column '" + column + "' in the dataset" +
                                           availableTargets());
                continue;
            }
            const TargetColumn& col = m_schema.targets[c];
            if (task.loss == LossKind::SoftmaxCrossEntropy && !col.isCategorical())
                error(n.id, "loss",
                      "Cross-entropy needs a categorical column; '" + column +
                          "' is numeric (use MSE, MAE or Huber)");
            if (!isClassification(task.loss) && col.isCategorical())
                error(n.id, "loss", "'" + column + "' is categorical; use Cross-entropy");
            if (task.loss == LossKind::BinaryCrossEntropy && col.classLabels.size() > 2)
                error(n.id, "loss",
                      "Binary cross-entropy needs 0/1 labels; '" + column + "' has " +
                          std::to_string(col.classLabels.size()) + " classes (use Cross-entropy)");
        }
        if (task.loss == LossKind::SoftmaxCrossEntropy && task.targets.size() != 1)
            error(n.id, "targets", "Cross-entropy takes exactly one class column");
    }

    std::string availableTargets() const {
        std::string list;
        for (const TargetColumn& c : m_schema.targets) list += (list.empty() ? "" : ", ") + c.name;
        return list.empty() ? " (it has no target columns)" : " (available: " + list + ")";
    }

    // Outputs a head expects: classes for softmax, one per target column otherwise.
    std::optional<int> expectedOutputs(const TaskSpec& task) const {
        if (task.loss == LossKind::SoftmaxCrossEntropy) {
            if (task.targets.size() != 1) return std::nullopt;
            const int c = m_schema.findTarget(task.targets[0]);
            // A numeric column under cross-entropy is reported as a loss error; no width to expect.
            if (c < 0 || !m_schema.targets[c].isCategorical()) return std::nullopt;
            return static_cast<int>(m_schema.targets[c].classLabels.size());
        }
        return static_cast<int>(task.targets.size());
    }

    void checkShapes();
    std::optional<Shape> gateShape(int gate);
    void countLayer(int index, const Layer& layer, int copies);
    void headWidthMismatch(int head, int parent, int expected, int given);
    std::optional<Shape> layerShape(const NodeSpec& n, Shape in);
    void checkField(const NodeSpec& n, const NodeField& f);

    const ModelSpec& m_spec;
    const DataSchema& m_schema;
    GraphIndex m_graph;
    SpecAnalysis m_result;
};

void Checker::checkShapes() {
    if (m_graph.input < 0) return;
    if (m_schema.inputShape.size() <= 0) {
        error(m_spec.nodes[m_graph.input].id, "", "the dataset has no input columns");
        return;
    }
    m_result.outputShapes[m_graph.input] = m_schema.inputShape;
    for (int i : m_graph.order) {
        const NodeSpec& n = m_spec.nodes[i];
        if (n.kind == NodeKind::ExpertGate) {
            m_result.outputShapes[i] = gateShape(i);
            continue;
        }
        const int p = m_graph.parent[i];
        // A second input node fed by a layer is an error reported above; it has no shape.
        if (p < 0 || !m_result.outputShapes[p] || m_graph.inDegree[i] != 1 || n.kind == NodeKind::Input) continue;
        const Shape in = *m_result.outputShapes[p];
        if (n.kind == NodeKind::TaskHead) {
            const auto expected = expectedOutputs(n.task);
            if (expected && *expected != in.size())
                headWidthMismatch(i, p, *expected, in.size());
            m_result.outputShapes[i] = in;
            continue;
        }
        m_result.outputShapes[i] = layerShape(n, in);
    }
}

namespace {

std::string outputs(int n) {
    return std::to_string(n) + (n == 1 ? " output" : " outputs");
}

} // namespace

// A head that gets the wrong number of outputs. When one Dense layer decides that number and
// feeds only this head, the problem is pinned on its Units (the setting that fixes it) and the
// head carries a warning pointing there; otherwise the head carries the error.
void Checker::headWidthMismatch(int head, int parent, int expected, int given) {
    const NodeSpec& h = m_spec.nodes[head];
    int decider = parent;
    while (decider >= 0 && kindInfo(m_spec.nodes[decider].kind).keepsShape &&
           m_graph.children[decider].size() == 1) {
        decider = m_graph.parent[decider];
    }
    const bool pinned = decider >= 0 && m_spec.nodes[decider].kind == NodeKind::Dense &&
                        m_graph.children[decider].size() == 1;
    const std::string expects = "expects " + outputs(expected) + " from '" +
                                m_spec.nodes[parent].id + "', which gives " + std::to_string(given);
    if (!pinned) {
        error(h.id, "targets", expects);
        return;
    }
    const NodeSpec& dense = m_spec.nodes[decider];
    error(dense.id, "units",
          "gives " + outputs(given) + ", but task head '" + h.id + "' expects " +
              std::to_string(expected) + ": set Units to " + std::to_string(expected));
    warning(h.id, "targets", expects + " (see the Units of '" + dense.id + "')");
}

// A field outside its range; the range is the one the inspector offers.
void Checker::checkField(const NodeSpec& n, const NodeField& f) {
    const double value = f.get(n);
    const std::string property(f.property);
    if (f.type == FieldType::Choice)
        return; // an enum: files and the inspector only give valid ones
    if (f.type == FieldType::Number) {
        if (!std::isfinite(value))
            error(n.id, property, "must be a finite number");
        else if (value < f.minimum || value > f.maximum)
            error(n.id, property,
                  "must be in [" + numberText(f.minimum) + ", " + numberText(f.maximum) + "]");
        return;
    }
    if (value < f.minimum)
        error(n.id, property, "must be at least " + numberText(f.minimum));
    else if (value > f.maximum)
        error(n.id, property, "must be at most " + std::to_string(std::int64_t(f.maximum)));
}

std::optional<Shape> Checker::layerShape(const NodeSpec& n, Shape in) {
    const std::size_t before = m_result.issues.size();
    const NodeKindInfo& kind = kindInfo(n.kind);
    for (const NodeField& f : kind.fields)
        checkField(n, f);
    const bool rangesHold = m_result.issues.size() == before;
    if (rangesHold && kind.checkInput) {
        kind.checkInput(n, in, [&](std::string_view property, std::string message) {
            error(n.id, std::string(property), std::move(message));
        });
    }
    if (n.sharing == SharingMode::Soft) {
        if (!std::isfinite(n.couplingStrength) || n.couplingStrength < 0.0f)
            error(n.id, "couplingStrength", "must be a number ≥ 0");
        if (n.relationshipEvery < 0)
            error(n.id, "relationshipEvery", "must be at least 0 (0: once per epoch)");
        if (!hasParameters(n.kind))
            warning(n.id, "sharing", "soft sharing has no effect on a layer without weights");
    }
    if (n.crossStitch && n.sharing != SharingMode::Soft)
        error(n.id, "crossStitch",
              "a cross-stitch unit mixes the per-task copies of a soft-shared layer: set Sharing "
              "to soft");
    // Any error found here means the layer cannot be built (its shape would be meaningless).
    for (std::size_t i = before; i < m_result.issues.size(); ++i) {
        if (m_result.issues[i].severity == Severity::Error) return std::nullopt;
    }
    const auto layer = makeLayer(n, in);
    const int index = m_graph.byId.at(n.id);
    const int tasks = std::popcount(m_graph.tasksBelow[index]);
    const int copies = n.sharing == SharingMode::Soft && hasParameters(n.kind) ? std::max(1, tasks) : 1;
    countLayer(index, *layer, copies);
    return layer->outputShape();
}

// Parameters (a cross-stitch unit's T×T mixing matrix included) and FLOPs of a node's copies.
void Checker::countLayer(int index, const Layer& layer, int copies) {
    const NodeSpec& n = m_spec.nodes[std::size_t(index)];
    m_result.parameterCounts[index] = layer.parameterCount() * copies;
    if (n.crossStitch && copies > 1 && hasParameters(n.kind) && layer.parameterCount() > 0)
        m_result.parameterCounts[index] += copies * copies;
    if (m_graph.tasksBelow[index] == 0)
        return; // dangling: shown on its node, not compiled
    m_result.totalParameters += m_result.parameterCounts[index];
    if (m_result.totalParameters > kMaxParameters && m_result.totalParameters - m_result.parameterCounts[index] <= kMaxParameters) {
        error(n.id, "", "the model passes " + std::to_string(kMaxParameters / 1'000'000) +
                            " million parameters here, more than this version trains");
    }
    m_result.flopsPerNode[index] = 2.0 * layer.multiplyAddsPerSample() * copies;
    m_result.flopsPerSample += m_result.flopsPerNode[index];
}

// An expert gate: its experts give one shape, which it gives; one gate per task below it.
std::optional<Shape> Checker::gateShape(int gate) {
    const NodeSpec& n = m_spec.nodes[std::size_t(gate)];
    const std::vector<int>& experts = m_graph.inputs[std::size_t(gate)];
    const int source = m_graph.source[std::size_t(gate)];
    for (int e : experts) {
        if (!m_result.outputShapes[std::size_t(e)])
            return std::nullopt; // reported on the expert
    }
    if (experts.empty())
        return std::nullopt;
    if (source < 0 || !m_result.outputShapes[std::size_t(source)]) {
        error(n.id, "edges",
              "its experts must branch from one layer's output (connect layers, not the input "
              "itself, into the gate)");
        return std::nullopt;
    }
    const Shape shape = *m_result.outputShapes[std::size_t(experts[0])];
    for (int e : experts) {
        const Shape other = *m_result.outputShapes[std::size_t(e)];
        if (other != shape) {
            error(n.id, "edges",
                  "its experts must give the same shape: '" +
                      m_spec.nodes[std::size_t(experts[0])].id + "' gives " + shape.toString() +
                      ", '" + m_spec.nodes[std::size_t(e)].id + "' gives " + other.toString());
            return std::nullopt;
        }
    }
    const ExpertGate layer(*m_result.outputShapes[std::size_t(source)], int(experts.size()), shape);
    countLayer(gate, layer, std::max(1, std::popcount(m_graph.tasksBelow[std::size_t(gate)])));
    return shape;
}

} // namespace

std::string SpecIssue::toString() const {
    std::string out = severity == Severity::Error ? "error: " : "warning: ";
    if (!nodeId.empty()) {
        out += "node '" + nodeId + "'";
        if (!property.empty()) out += " (" + property + ")";
        out += ": ";
    } else if (!property.empty()) {
        out += property + ": ";
    }
    return out + message;
}

SpecAnalysis analyze(const ModelSpec& spec, const DataSchema& schema) {
    return Checker(spec, schema).run();
}

std::vector<SpecIssue> validate(const ModelSpec& spec, const DataSchema& schema) {
    return analyze(spec, schema).issues;
}

bool hasErrors(const std::vector<SpecIssue>& issues) {
    for (const SpecIssue& i : issues) {
        if (i.severity == Severity::Error) return true;
    }
    return false;
}

} // namespace mtl::core
