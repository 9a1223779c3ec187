#include "model/model_spec.h"

#include <algorithm>
#include <cassert>

namespace mtl::core {

const NodeSpec* ModelSpec::find(const std::string& id) const {
    auto it = std::find_if(nodes.begin(), nodes.end(), [&](const NodeSpec& n) { return n.id == id; });
    return it == nodes.end() ? nullptr : &*it;
}

NodeSpec* ModelSpec::find(const std::string& id) {
    return const_cast<NodeSpec*>(std::as_const(*this).find(id));
}

bool hasParameters(NodeKind kind) {
    return kind == NodeKind::Dense || kind == NodeKind::Conv2D || kind == NodeKind::LayerNorm;
}

bool isActivation(NodeKind kind) {
    return kind == NodeKind::ReLU || kind == NodeKind::LeakyReLU || kind == NodeKind::Tanh ||
           kind == NodeKind::Sigmoid || kind == NodeKind::GELU;
}

ActivationKind activationOf(NodeKind kind) {
    switch (kind) {
    case NodeKind::LeakyReLU: return ActivationKind::LeakyReLU;
    case NodeKind::Tanh: return ActivationKind::Tanh;
    case NodeKind::Sigmoid: return ActivationKind::Sigmoid;
    case NodeKind::GELU: return ActivationKind::GELU;
    default:
        assert(kind == NodeKind::ReLU);
        return ActivationKind::ReLU;
    }
}

} // namespace mtl::core
