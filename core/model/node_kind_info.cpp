#include "model/node_kind_info.h"

#include "model/kinds/kinds.h"

#include <cstdio>

namespace mtl::core {

const NodeKindInfo& kindInfo(NodeKind kind) {
    // No default: a new NodeKind without a description is a compiler warning (-Wswitch) here.
    switch (kind) {
    case NodeKind::Input:
        return kinds::input();
    case NodeKind::Dense:
        return kinds::dense();
    case NodeKind::Conv2D:
        return kinds::conv2d();
    case NodeKind::MaxPool2D:
        return kinds::maxPool2d();
    case NodeKind::Flatten:
        return kinds::flatten();
    case NodeKind::Dropout:
        return kinds::dropout();
    case NodeKind::LayerNorm:
        return kinds::layerNorm();
    case NodeKind::ReLU:
        return kinds::relu();
    case NodeKind::LeakyReLU:
        return kinds::leakyRelu();
    case NodeKind::Tanh:
        return kinds::tanh();
    case NodeKind::Sigmoid:
        return kinds::sigmoid();
    case NodeKind::GELU:
        return kinds::gelu();
    case NodeKind::ExpertGate:
        return kinds::expertGate();
    case NodeKind::TaskHead:
        return kinds::taskHead();
    }
    return kinds::input(); // unreachable for a valid enum value
}

const std::vector<NodeKind>& allNodeKinds() {
    static const std::vector<NodeKind> order{
        NodeKind::Dense,    NodeKind::Conv2D,    NodeKind::MaxPool2D, NodeKind::Flatten,
        NodeKind::Dropout,  NodeKind::LayerNorm, NodeKind::ReLU,      NodeKind::LeakyReLU,
        NodeKind::Tanh,     NodeKind::Sigmoid,   NodeKind::GELU,      NodeKind::ExpertGate,
        NodeKind::TaskHead, NodeKind::Input};
    return order;
}

const NodeField* findField(NodeKind kind, std::string_view property) {
    for (const NodeField& f : kindInfo(kind).fields) {
        if (f.property == property)
            return &f;
    }
    return nullptr;
}

NodeSpec newNode(NodeKind kind) {
    NodeSpec node;
    node.kind = kind;
    for (const NodeField& f : kindInfo(kind).fields)
        f.set(node, f.initial);
    return node;
}

std::string numberText(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

} // namespace mtl::core
