#include "model/model_spec.h"

#include "model/node_kind_info.h"

#include <algorithm>
#include <utility>

namespace mtl::core {

const NodeSpec* ModelSpec::find(const std::string& id) const {
    auto it = std::find_if(nodes.begin(), nodes.end(), [&](const NodeSpec& n) { return n.id == id; });
    return it == nodes.end() ? nullptr : &*it;
}

NodeSpec* ModelSpec::find(const std::string& id) {
    return const_cast<NodeSpec*>(std::as_const(*this).find(id));
}

bool hasParameters(NodeKind kind) {
    return kindInfo(kind).hasParameters;
}

bool isActivation(NodeKind kind) {
    return kindInfo(kind).family == KindFamily::Activation;
}

} // namespace mtl::core
