#pragma once
// Builds the Layer that a node describes, for a given input shape. The node's parameters must
// already have passed validate(). Throws SpecError for nodes that are not layers (input, head).

#include "layers/layer.h"
#include "model/model_spec.h"

#include <memory>

namespace mtl::core {

std::unique_ptr<Layer> makeLayer(const NodeSpec& node, Shape input);

} // namespace mtl::core
