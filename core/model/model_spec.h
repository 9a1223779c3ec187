#pragma once
// ModelSpec: the user's network as a plain value — nodes {id, kind, parameters, position} and
// edges {from, to}. It is what the editor edits and the project file stores. validate() says
// what is wrong with it; compile() turns a valid one into an immutable Model.
//
// Every non-input node takes exactly one input, except an expert gate, which takes its experts'
// outputs and reads the input they branch from (model/graph_index.h); a node may feed several. A
// layer that more than one task flows through is shared: `hard` uses one parameter set for all of
// them, `soft` gives each task its own copy, pulled together with strength couplingStrength (λ) by
// the chosen coupling: towards the copies' mean, to a low rank, or along learned relationships.

#include "layers/activation.h"
#include "layers/dense.h"
#include "train/loss.h"

#include <optional>
#include <string>
#include <vector>

namespace mtl::core {

enum class NodeKind : std::uint8_t {
    Input,
    Dense,
    Conv2D,
    MaxPool2D,
    Flatten,
    Dropout,
    LayerNorm,
    ReLU,
    LeakyReLU,
    Tanh,
    Sigmoid,
    GELU,
    ExpertGate,
    TaskHead
};

enum class SharingMode : std::uint8_t { Hard, Soft };

// How the per-task copies of a soft-shared layer are pulled together (model/coupling.h).
enum class Coupling : std::uint8_t {
    MeanL2,    // λ Σ_t ‖W_t − W̄‖²
    TraceNorm, // λ ‖[W_1 … W_T]‖_* (Yang & Hospedales 2017)
    Relationship // λ tr(W Ω⁻¹ Wᵀ), Ω learned (multi-task relationship learning, Zhang & Yeung 2010)
};

// What a task is: its name, where its targets come from, how it is scored and weighted.
struct TaskSpec {
    std::string name;
    LossKind loss = LossKind::MSE;
    std::vector<std::string> targets; // target column names
    float weight = 1.0f;              // w_t in Σ_t w_t L_t
    float huberDelta = 1.0f;          // Huber loss only
    bool operator==(const TaskSpec&) const = default;
};

struct NodeSpec {
    std::string id;
    NodeKind kind = NodeKind::Dense;

    int units = 0;             // Dense
    Init init = Init::He;      // Dense
    int filters = 0;           // Conv2D
    int kernelSize = 3;        // Conv2D, MaxPool2D
    int stride = 1;            // Conv2D, MaxPool2D
    int padding = 0;           // Conv2D
    float rate = 0.5f;         // Dropout
    float slope = 0.01f;       // LeakyReLU
    SharingMode sharing = SharingMode::Hard;
    float couplingStrength = 0.0f; // λ of soft sharing
    Coupling coupling = Coupling::MeanL2;
    int relationshipEvery = 0; // Relationship: steps between updates of Ω; 0 = once per epoch
    bool crossStitch = false;  // soft only: a cross-stitch unit mixes the copies' outputs
    TaskSpec task;             // TaskHead
    double x = 0.0;            // canvas position
    double y = 0.0;

    bool operator==(const NodeSpec&) const = default;
};

struct EdgeSpec {
    std::string from;
    std::string to;
    bool operator==(const EdgeSpec&) const = default;
};

// Which way the editor draws data flowing: from the input on the left to the heads on the right,
// or from the top down (long chains). Only the drawing; the network is the same.
enum class LayoutFlow : std::uint8_t { LeftToRight, TopToBottom };

struct ModelSpec {
    std::vector<NodeSpec> nodes;
    std::vector<EdgeSpec> edges;
    LayoutFlow flow = LayoutFlow::LeftToRight;

    const NodeSpec* find(const std::string& id) const;
    NodeSpec* find(const std::string& id);
    bool operator==(const ModelSpec&) const = default;
};

// Layer kinds that carry parameters (model/node_kind_info.h describes every kind) (and so can be
// shared hard or soft).
bool hasParameters(NodeKind kind);
bool isActivation(NodeKind kind);

} // namespace mtl::core
