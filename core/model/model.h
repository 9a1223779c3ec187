#pragma once
// Model: a compiled, immutable multi-task network. compile() expands the spec into *instances*:
// one per (layer, task branch). A hard-shared layer has one parameter set used by every branch
// through it; a soft-shared layer has one copy per task, each its own branch from there on.
// Parameters live in one flat vector laid out by the model; per-use scratch lives in a
// Workspace, so one Model can serve several trainers or predictors at once.

#include "data/dataset.h"
#include "layers/layer.h"
#include "model/graph_index.h"
#include "model/model_spec.h"
#include "model/task_matrix.h"
#include "train/metrics.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace mtl::core {

class Workspace;

struct TaskInfo {
    std::string name;
    std::string nodeId;
    LossKind loss = LossKind::MSE;
    float weight = 1.0f; // as set in the spec
    float huberDelta = 1.0f;
    std::vector<int> targetColumns; // into Dataset::targets
    int outputs = 0;                // width of the head's input
    int headInstance = -1;          // the instance whose output the loss reads
    std::vector<MetricKind> metrics;
};

// One use of a layer on one task branch.
struct Instance {
    int layer = 0;              // into layers()
    int input = -1;             // producing instance, −1 = the model input
    TaskMask tasks = 0;         // tasks that flow through this instance
    Index parameterOffset = 0;  // start of its parameter slice
    bool inputNeedsGradient = false;
    std::vector<int> experts; // an expert gate's: its experts' instances, in its input order
    // An expert gate's: the task whose gate this is (`tasks` grows when a cross-stitch unit after
    // it mixes the tasks' branches).
    int gateTask = -1;
};

// Copies of a soft-shared layer, coupled over their weights by one of model/coupling.h's
// penalties with strength λ.
struct SoftGroup {
    std::string nodeId;
    float couplingStrength = 0.0f;
    std::vector<Index> copyOffsets;
    Index copySize = 0;
    Coupling coupling = Coupling::MeanL2;
    int relationshipEvery = 0; // steps between updates of Ω; 0 = once per epoch
    TaskMask tasks = 0;        // copy k serves the k-th task in this mask
};

// A cross-stitch unit (Misra et al. 2016) after a soft-shared layer: the T per-task copies'
// outputs x_s become y_t = Σ_s A[t][s] x_s, with the learned T×T matrix A stored row-major at
// parameterOffset (initialised to 0.9 own / 0.1 others, rows normalised). After the unit every
// copy serves all of the unit's tasks, so the copies' instances carry all their tasks.
struct CrossStitchUnit {
    std::string nodeId;
    std::vector<int> instances; // the copies' instances, in task order
    Index parameterOffset = 0;
    TaskMask tasks = 0;
};

// The task covariance Ω of each soft group (used by relationship-coupled ones; I/T until
// learned), and its inverse. Training state: a Workspace carries one.
struct Relationships {
    std::vector<SmallMatrix> omega;
    std::vector<SmallMatrix> omegaInverse;
    // Ω of one group, and its inverse with it.
    void set(std::size_t group, const SmallMatrix& value);
};

struct CompiledLayer {
    std::string nodeId;
    std::unique_ptr<Layer> layer;
};

class Model {
public:
    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;
    ~Model();

    const ModelSpec& spec() const { return m_spec; }
    const DataSchema& schema() const { return m_schema; }
    const std::vector<TaskInfo>& tasks() const { return m_tasks; }
    const std::vector<Instance>& instances() const { return m_instances; }
    const std::vector<SoftGroup>& softGroups() const { return m_softGroups; }
    const std::vector<CrossStitchUnit>& crossStitches() const { return m_stitches; }
    // The unit whose mixing follows instance k (its last copy), or −1.
    int stitchAfter(std::size_t instance) const { return m_stitchAfter[instance]; }
    // The unit whose copy instance k is, or −1.
    int stitchOf(std::size_t instance) const { return m_stitchOf[instance]; }
    const Layer& layer(int index) const { return *m_layers[index].layer; }
    const std::string& layerNodeId(int index) const { return m_layers[index].nodeId; }
    int layerCount() const { return static_cast<int>(m_layers.size()); }
    // Start of each parameter copy of a layer (one unless the layer is soft-shared).
    const std::vector<Index>& layerCopies(int index) const { return m_layerCopies[index]; }
    // The layer built for a node, or −1 (input, task heads, dangling nodes).
    int findLayer(const std::string& nodeId) const;
    Index parameterCount() const { return m_parameterCount; }
    Index inputSize() const { return m_schema.inputShape.size(); }
    // 1 where a parameter is a weight (decayed, soft-coupled), 0 for biases and gains.
    const Vector& weightMask() const { return m_weightMask; }
    TaskMask allTasks() const;
    // Forward-pass multiply-adds for one sample, over every instance (soft copies included).
    double multiplyAddsPerSample() const;

    // Initialises every layer from rng; the copies of a soft-shared layer start equal.
    void initialize(Vector& parameters, Rng& rng) const;

    // Forward pass over ws.input's first `batch` rows.
    void forward(const Vector& parameters, Workspace& ws, Index batch,
                 const ForwardContext& context) const;

    // Per-task losses of the last forward pass into ws.taskLoss (NaN where a task had no
    // target in the batch). Returns Σ_t w_t L_t over tasks with targets.
    double evaluateLosses(Workspace& ws, Index batch, std::span<const float> weights) const;

    // Gradient of Σ_{t ∈ tasks} w_t L_t (+ the soft-sharing penalty when includePenalty) with
    // respect to all parameters, written into gradients. Needs the forward pass and
    // evaluateLosses of the same batch. One task in `tasks` gives that task's own gradient.
    // Returns the penalty's value (0 unless includePenalty). gradientsAreZero: the caller
    // vouches that `gradients` is all zeros already (Optimizer::stepAndClear leaves it so).
    double backward(const Vector& parameters, Workspace& ws, Index batch,
                  std::span<const float> weights, TaskMask tasks, bool includePenalty,
                  Vector& gradients, bool gradientsAreZero = false) const;

    // For gradients on the shared representation (balancing/task_gradients.h): the backward pass
    // of task t's loss alone (weight 1) through the instances that serve one task, stopping at
    // the shared instances, whose deltas then hold dL_t/d(output). Clears the deltas first;
    // adds the task's own parameter gradients into `gradients`.
    void backwardToShared(const Vector& parameters, Workspace& ws, Index batch, int task,
                          Vector& gradients) const;
    // The backward pass through the instances that serve several tasks, from the deltas the
    // caller put into ws; adds into `gradients`.
    void backwardShared(const Vector& parameters, Workspace& ws, Index batch, Vector& gradients) const;

    // Σ over soft groups of their coupling penalties (model/coupling.h); adds the gradient into
    // gradients if non-null. Relationship couplings use `relationships` (Ω = I/T when null).
    double softPenalty(const Vector& parameters, Vector* gradients,
                       const Relationships* relationships = nullptr) const;
    // Ω = I/T for every soft group.
    Relationships initialRelationships() const;
    // Ω learned in closed form from the current weights, for the relationship-coupled groups
    // whose update is due after this step (every relationshipEvery steps, or at an epoch's end).
    void updateRelationships(const Vector& parameters, Relationships& relationships, long step,
                             bool epochEnd) const;
    void clearDeltas(Workspace& ws, Index batch) const;

    // Outputs of task t for the last forward pass: [batch, outputs].
    ConstMatrixMap taskOutput(const Workspace& ws, int task, Index batch) const;

private:
    // Backward through the instances `take` accepts, from the deltas in ws.
    template <typename Take>
    void backwardInstances(const Vector& parameters, Workspace& ws, Index batch, Take take, Vector& gradients) const;
    void addTaskLossGradient(Workspace& ws, Index batch, std::size_t task, float weight) const;
    void mixStitch(const CrossStitchUnit& unit, const Vector& parameters, Workspace& ws,
                   Index batch) const;
    void unmixStitch(const CrossStitchUnit& unit, const Vector& parameters, Workspace& ws,
                     Index batch, Vector& gradients) const;
    // An expert gate's row [gate input | experts' outputs] into ws.gathered, and its gradient
    // back into the deltas of the input and the experts.
    void gather(std::size_t instance, Workspace& ws, Index batch) const;
    void scatter(std::size_t instance, Workspace& ws, Index batch) const;

    friend Model compile(const ModelSpec& spec, const DataSchema& schema);
    friend class ModelBuilder;
    Model() = default;

    ModelSpec m_spec;
    DataSchema m_schema;
    std::vector<CompiledLayer> m_layers;
    std::vector<Instance> m_instances;
    std::vector<TaskInfo> m_tasks;
    std::vector<SoftGroup> m_softGroups;
    std::vector<CrossStitchUnit> m_stitches;
    std::vector<int> m_stitchAfter;                // per instance
    std::vector<int> m_stitchOf;                   // per instance
    std::vector<std::vector<Index>> m_layerCopies; // parameter offsets of each layer's copies
    Vector m_weightMask;
    Index m_parameterCount = 0;
};

// Throws SpecError listing validate()'s errors when the spec is not valid for the schema.
Model compile(const ModelSpec& spec, const DataSchema& schema);

} // namespace mtl::core
