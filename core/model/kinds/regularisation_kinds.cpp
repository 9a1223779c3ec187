// Dropout and layer normalisation: keep the shape, steady the training.
#include "layers/dropout.h"
#include "layers/layer_norm.h"
#include "model/kinds/kinds.h"

namespace mtl::core::kinds {

const NodeKindInfo& dropout() {
    static const NodeKindInfo info{
        .kind = NodeKind::Dropout,
        .word = "dropout",
        .title = "Dropout",
        .description = "Zeroes a random fraction of features while training",
        .explanation = "While training, sets each feature to zero with probability rate and "
                       "scales the rest by 1 / (1 − rate); passes features unchanged when "
                       "predicting. No parameters.",
        .family = KindFamily::Regularisation,
        .keepsShape = true,
        .fields = {{.property = "rate",
                    .json = "rate",
                    .label = "Rate",
                    .help = "The probability that a feature is zeroed while training",
                    .type = FieldType::Number,
                    .minimum = 0.0,
                    .maximum = 0.99,
                    .decimals = 2,
                    .initial = 0.5,
                    .absent = 0.5,
                    .get = [](const NodeSpec& n) { return double(n.rate); },
                    .set = [](NodeSpec& n, double v) { n.rate = float(v); }}},
        .makeLayer = [](const NodeSpec& n, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Dropout>(in, n.rate);
        },
        .nodeTitle = [](const NodeSpec& n) { return "Dropout " + numberText(n.rate); },
    };
    return info;
}

const NodeKindInfo& layerNorm() {
    static const NodeKindInfo info{
        .kind = NodeKind::LayerNorm,
        .word = "layernorm",
        .title = "Layer norm",
        .description = "Normalises each sample's features; can be shared",
        .explanation = "Subtracts each sample's mean over its features, divides by their "
                       "standard deviation, then scales and shifts per feature (2 × features "
                       "parameters).",
        .family = KindFamily::Weights,
        .hasParameters = true,
        .keepsShape = true,
        .makeLayer = [](const NodeSpec&, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<LayerNorm>(in);
        },
    };
    return info;
}

} // namespace mtl::core::kinds
