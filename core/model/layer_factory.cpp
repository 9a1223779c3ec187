#include "model/layer_factory.h"

#include "layers/conv2d.h"
#include "layers/dropout.h"
#include "layers/flatten.h"
#include "layers/layer_norm.h"
#include "layers/max_pool2d.h"
#include "model/names.h"
#include "util/error.h"


namespace mtl::core {

std::unique_ptr<Layer> makeLayer(const NodeSpec& node, Shape input) {
    switch (node.kind) {
    case NodeKind::Dense:
        return std::make_unique<Dense>(input, node.units, node.init);
    case NodeKind::Conv2D:
        return std::make_unique<Conv2D>(input, node.filters, node.kernelSize, node.stride,
                                        node.padding);
    case NodeKind::MaxPool2D:
        return std::make_unique<MaxPool2D>(input, node.kernelSize, node.stride);
    case NodeKind::Flatten:
        return std::make_unique<Flatten>(input);
    case NodeKind::Dropout:
        return std::make_unique<Dropout>(input, node.rate);
    case NodeKind::LayerNorm:
        return std::make_unique<LayerNorm>(input);
    case NodeKind::ReLU:
    case NodeKind::LeakyReLU:
    case NodeKind::Tanh:
    case NodeKind::Sigmoid:
    case NodeKind::GELU:
        return std::make_unique<Activation>(input, activationOf(node.kind), node.slope);
    case NodeKind::Input:
    case NodeKind::TaskHead:
        break;
    }
    throw SpecError("node '" + node.id + "': an " + std::string(toString(node.kind)) + " node is not a layer");
}

} // namespace mtl::core
