// Activation functions: per feature, no parameters, the shape kept.
#include "layers/activation.h"
#include "model/kinds/kinds.h"

namespace mtl::core::kinds {
namespace {

NodeKindInfo activation(NodeKind kind, std::string_view word, std::string_view title,
                        std::string_view explanation, ActivationKind function) {
    NodeKindInfo info{
        .kind = kind,
        .word = word,
        .title = title,
        .description = "Activation function",
        .explanation = explanation,
        .family = KindFamily::Activation,
        .keepsShape = true,
    };
    // A captureless lambda per function: the enum is the only difference.
    switch (function) {
    case ActivationKind::ReLU:
        info.makeLayer = [](const NodeSpec&, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Activation>(in, ActivationKind::ReLU);
        };
        break;
    case ActivationKind::LeakyReLU:
        info.makeLayer = [](const NodeSpec& n, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Activation>(in, ActivationKind::LeakyReLU, n.slope);
        };
        break;
    case ActivationKind::Tanh:
        info.makeLayer = [](const NodeSpec&, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Activation>(in, ActivationKind::Tanh);
        };
        break;
    case ActivationKind::Sigmoid:
        info.makeLayer = [](const NodeSpec&, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Activation>(in, ActivationKind::Sigmoid);
        };
        break;
    case ActivationKind::GELU:
        info.makeLayer = [](const NodeSpec&, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Activation>(in, ActivationKind::GELU);
        };
        break;
    }
    return info;
}

} // namespace

const NodeKindInfo& relu() {
    static const NodeKindInfo info =
        activation(NodeKind::ReLU, "relu", "ReLU", "max(0, x), per feature. No parameters.",
                   ActivationKind::ReLU);
    return info;
}

const NodeKindInfo& leakyRelu() {
    static const NodeKindInfo info = [] {
        NodeKindInfo i =
            activation(NodeKind::LeakyReLU, "leaky_relu", "Leaky ReLU",
                       "x where x > 0, slope × x elsewhere, per feature. No parameters.",
                       ActivationKind::LeakyReLU);
        i.fields = {{.property = "slope",
                     .json = "slope",
                     .label = "Slope",
                     .help = "The slope for negative inputs",
                     .type = FieldType::Number,
                     .minimum = 0.0,
                     .maximum = 1.0,
                     .decimals = 3,
                     .initial = 0.01,
                     .absent = 0.01,
                     .get = [](const NodeSpec& n) { return double(n.slope); },
                     .set = [](NodeSpec& n, double v) { n.slope = float(v); }}};
        i.nodeDetail = [](const NodeSpec& n) { return "slope " + numberText(n.slope); };
        return i;
    }();
    return info;
}

const NodeKindInfo& tanh() {
    static const NodeKindInfo info =
        activation(NodeKind::Tanh, "tanh", "Tanh",
                   "tanh(x), per feature: values in (−1, 1). No parameters.", ActivationKind::Tanh);
    return info;
}

const NodeKindInfo& sigmoid() {
    static const NodeKindInfo info = activation(
        NodeKind::Sigmoid, "sigmoid", "Sigmoid",
        "1 / (1 + e^−x), per feature: values in (0, 1). No parameters.", ActivationKind::Sigmoid);
    return info;
}

const NodeKindInfo& gelu() {
    static const NodeKindInfo info =
        activation(NodeKind::GELU, "gelu", "GELU",
                   "x · Φ(x) (Φ: the standard normal distribution), per feature. No parameters.",
                   ActivationKind::GELU);
    return info;
}

} // namespace mtl::core::kinds
