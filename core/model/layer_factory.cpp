#include "model/layer_factory.h"

#include "model/names.h"
#include "model/node_kind_info.h"
#include "util/error.h"

namespace mtl::core {

std::unique_ptr<Layer> makeLayer(const NodeSpec& node, Shape input) {
    if (const auto make = kindInfo(node.kind).makeLayer)
        return make(node, input);
    throw SpecError("node '" + node.id + "': an " + std::string(toString(node.kind)) + " node is not a layer");
}

} // namespace mtl::core
