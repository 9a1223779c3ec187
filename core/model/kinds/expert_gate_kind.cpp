// Expert gate: one softmax gate per task over the experts drawn into it (MMoE, CGC). It has no
// fields: its experts are the nodes connected into it, its input is where they branch from.
#include "model/kinds/kinds.h"

namespace mtl::core::kinds {

const NodeKindInfo& expertGate() {
    static const NodeKindInfo info{
        .kind = NodeKind::ExpertGate,
        .word = "expert_gate",
        .title = "Expert gate",
        .description = "Mixes the experts connected into it, one gate per task (MMoE, CGC)",
        .explanation =
            "Connect the last layer of each expert into it. Each task gets its own gate, "
            "softmax(W·x + b) over the experts, where x is the input the experts branch from, and "
            "its output is the experts' outputs weighted by that gate. Experts shared hard serve "
            "every task (MMoE); an expert shared soft with λ = 0 is one expert per task (CGC). "
            "Parameters per task: (inputs + 1) × experts.",
        .family = KindFamily::Weights,
        .nodeDetail = [](const NodeSpec&) { return std::string("one gate per task"); },
    };
    return info;
}

} // namespace mtl::core::kinds
