// compile(): ModelSpec + DataSchema → Model. Walks the graph from the input in topological order,
// giving every layer its parameter copies and every (layer, task branch) pair an instance.

#include "layers/expert_gate.h"
#include "model/layer_factory.h"
#include "model/model.h"
#include "model/validate.h"
#include "util/error.h"

#include <bit>

namespace mtl::core {

class ModelBuilder {
public:
    ModelBuilder(const ModelSpec& spec, const DataSchema& schema)
        : m_graph(indexGraph(spec)), m_shapes(spec.nodes.size()),
          m_branches(spec.nodes.size()) {
        m_model.m_spec = spec;
        m_model.m_schema = schema;
    }

    Model build() {
        addTasks();
        const int input = m_graph.input;
        m_shapes[input] = m_model.m_schema.inputShape;
        m_branches[input] = {{-1, m_graph.tasksBelow[input]}};
        for (int node : m_graph.order) {
            if (node == input || m_graph.tasksBelow[node] == 0) continue;
            const NodeSpec& n = m_model.m_spec.nodes[node];
            if (n.kind == NodeKind::TaskHead) {
                connectHead(node);
            } else if (n.kind == NodeKind::ExpertGate) {
                addGate(node);
            } else {
                addLayer(node);
            }
        }
        finishWeights();
        // An instance serves every task that something it feeds serves: a no-op without
        // cross-stitch units; with them, a task's branch between two units serves all the tasks
        // the second unit mixes.
        auto& instances = m_model.m_instances;
        for (std::size_t k = instances.size(); k-- > 0;) {
            if (instances[k].input >= 0)
                instances[std::size_t(instances[k].input)].tasks |= instances[k].tasks;
            for (int e : instances[k].experts)
                instances[std::size_t(e)].tasks |= instances[k].tasks;
        }
        // Per instance: the unit mixing after it (its last copy) and the unit it is a copy of.
        m_model.m_stitchAfter.assign(instances.size(), -1);
        m_model.m_stitchOf.assign(instances.size(), -1);
        for (std::size_t u = 0; u < m_model.m_stitches.size(); ++u) {
            const std::vector<int>& copies = m_model.m_stitches[u].instances;
            m_model.m_stitchAfter[std::size_t(copies.back())] = int(u);
            for (int k : copies)
                m_model.m_stitchOf[std::size_t(k)] = int(u);
        }
        return std::move(m_model);
    }

private:
    struct Branch {
        int instance; // −1: the model input
        TaskMask tasks;
    };

    void addTasks() {
        for (int node : m_graph.taskNodes) {
            const NodeSpec& n = m_model.m_spec.nodes[node];
            TaskInfo task;
            task.name = n.task.name;
            task.nodeId = n.id;
            task.loss = n.task.loss;
            task.weight = n.task.weight;
            task.huberDelta = n.task.huberDelta;
            for (const std::string& column : n.task.targets) {
                task.targetColumns.push_back(m_model.m_schema.findTarget(column));
            }
            m_model.m_tasks.push_back(std::move(task));
        }
    }

    void connectHead(int node) {
        const int task = std::countr_zero(m_graph.tasksBelow[node]);
        for (const Branch& b : m_branches[m_graph.parent[node]]) {
            if ((b.tasks >> task & 1U) != 0) {
                TaskInfo& info = m_model.m_tasks[task];
                info.headInstance = b.instance;
                info.outputs = m_shapes[m_graph.parent[node]].size();
                info.metrics = defaultMetrics(info.loss, info.outputs);
            }
        }
    }

    void addLayer(int node) {
        const NodeSpec& n = m_model.m_spec.nodes[node];
        const int parent = m_graph.parent[node];
        const TaskMask below = m_graph.tasksBelow[node];
        auto layer = makeLayer(n, m_shapes[parent]);
        m_shapes[node] = layer->outputShape();
        const Index count = layer->parameterCount();
        const bool split = n.sharing == SharingMode::Soft && count > 0 && std::popcount(below) > 1;

        // Parameter copies: one per task below a soft-shared layer, else one.
        const int layerIndex = registerLayer(n.id, std::move(layer), split ? below : 1, count > 0);
        const std::vector<Index>& copies = m_model.m_layerCopies.back();
        std::vector<Index> copyOfTask(kMaxTasks, 0);
        std::size_t copy = 0;
        for (TaskMask m = below; split && m != 0; m &= m - 1)
            copyOfTask[std::countr_zero(m)] = copies[copy++];
        if (split) {
            m_model.m_softGroups.push_back(
                {n.id, n.couplingStrength, copies, count, n.coupling, n.relationshipEvery, below});
        }

        const auto firstInstance = m_model.m_instances.size();
        for (const Branch& b : m_branches[parent]) {
            const TaskMask tasks = b.tasks & below;
            if (tasks == 0) continue;
            if (!split) {
                addInstance(node, layerIndex, b.instance, tasks, m_model.m_layerCopies.back()[0]);
                continue;
            }
            for (TaskMask m = tasks; m != 0; m &= m - 1) {
                const int t = std::countr_zero(m);
                addInstance(node, layerIndex, b.instance, TaskMask{1} << t, copyOfTask[t]);
            }
        }
        if (split && n.crossStitch)
            addCrossStitch(n, firstInstance, below);
    }

    // An expert gate: one parameter copy and one instance per task below it, each reading that
    // task's branch of the source and of every expert.
    void addGate(int node) {
        const NodeSpec& n = m_model.m_spec.nodes[node];
        const std::vector<int>& experts = m_graph.inputs[node];
        const int source = m_graph.source[node];
        const TaskMask below = m_graph.tasksBelow[node];
        auto layer = std::make_unique<ExpertGate>(m_shapes[source], int(experts.size()),
                                                  m_shapes[experts[0]]);
        m_shapes[node] = layer->outputShape();
        const int layerIndex = registerLayer(n.id, std::move(layer), below, true);
        const std::vector<Index> copies = m_model.m_layerCopies.back();
        std::size_t copy = 0;
        for (TaskMask m = below; m != 0; m &= m - 1) {
            const int t = std::countr_zero(m);
            addInstance(node, layerIndex, branchOf(source, t), TaskMask{1} << t, copies[copy++]);
            m_model.m_instances.back().gateTask = t;
            for (int e : experts)
                m_model.m_instances.back().experts.push_back(branchOf(e, t));
        }
    }

    // Adds a layer with one parameter copy per task in `copyFor` (in task order; 1 for a single
    // copy); returns its index.
    int registerLayer(const std::string& id, std::unique_ptr<Layer> layer, TaskMask copyFor,
                      bool trainable) {
        const Index count = layer->parameterCount();
        std::vector<Index> copies;
        for (TaskMask m = copyFor; m != 0; m &= m - 1) {
            copies.push_back(m_model.m_parameterCount);
            m_model.m_parameterCount += count;
        }
        m_trainable.push_back(trainable);
        m_model.m_layers.push_back({id, std::move(layer)});
        m_model.m_layerCopies.push_back(std::move(copies));
        return static_cast<int>(m_model.m_layers.size()) - 1;
    }

    // The instance of a node's branch that task t flows through (−1: the model input).
    int branchOf(int node, int task) const {
        for (const Branch& b : m_branches[node]) {
            if ((b.tasks >> task & 1U) != 0)
                return b.instance;
        }
        return -1;
    }

    // The unit after a soft-shared layer's copies (instances firstInstance…, one per task, in
    // task order): its T×T mixing matrix after the parameters so far; each copy now serves all.
    void addCrossStitch(const NodeSpec& n, std::size_t firstInstance, TaskMask tasks) {
        CrossStitchUnit unit{n.id, {}, m_model.m_parameterCount, tasks};
        for (std::size_t k = firstInstance; k < m_model.m_instances.size(); ++k) {
            unit.instances.push_back(static_cast<int>(k));
            m_model.m_instances[k].tasks = tasks;
        }
        const auto copies = static_cast<Index>(unit.instances.size());
        m_model.m_parameterCount += copies * copies;
        m_model.m_stitches.push_back(std::move(unit));
    }

    void addInstance(int node, int layer, int input, TaskMask tasks, Index offset) {
        Instance inst;
        inst.layer = layer;
        inst.input = input;
        inst.tasks = tasks;
        inst.parameterOffset = offset;
        // The input needs a gradient only if something above it has parameters.
        inst.inputNeedsGradient = input >= 0 && m_upstreamTrainable[input];
        m_upstreamTrainable.push_back(m_trainable[layer] || inst.inputNeedsGradient);
        m_branches[node].push_back({static_cast<int>(m_model.m_instances.size()), tasks});
        m_model.m_instances.push_back(inst);
    }

    void finishWeights() {
        std::vector<std::uint8_t> mask(static_cast<std::size_t>(m_model.m_parameterCount), 0);
        for (std::size_t l = 0; l < m_model.m_layers.size(); ++l) {
            const Layer& layer = *m_model.m_layers[l].layer;
            const auto count = static_cast<std::size_t>(layer.parameterCount());
            for (Index offset : m_model.m_layerCopies[l]) {
                layer.markWeights(std::span(mask).subspan(static_cast<std::size_t>(offset), count));
            }
        }
        m_model.m_weightMask.resize(m_model.m_parameterCount);
        for (std::size_t i = 0; i < mask.size(); ++i) {
            m_model.m_weightMask[static_cast<Index>(i)] = mask[i];
        }
    }

    Model m_model;
    GraphIndex m_graph;
    std::vector<Shape> m_shapes;                // per node
    std::vector<std::vector<Branch>> m_branches; // per node: its instances and their tasks
    std::vector<bool> m_trainable;              // per layer
    std::vector<bool> m_upstreamTrainable;      // per instance
};

Model compile(const ModelSpec& spec, const DataSchema& schema) {
    const std::vector<SpecIssue> issues = validate(spec, schema);
    if (hasErrors(issues)) {
        std::string message = "the model is not valid:";
        for (const SpecIssue& issue : issues) {
            if (issue.severity == Severity::Error) message += "\n  " + issue.toString();
        }
        throw SpecError(message);
    }
    return ModelBuilder(spec, schema).build();
}

} // namespace mtl::core
