// Dense: y = W·x + b.
#include "layers/dense.h"
#include "model/kinds/kinds.h"

namespace mtl::core::kinds {

const NodeKindInfo& dense() {
    static const NodeKindInfo info{
        .kind = NodeKind::Dense,
        .word = "dense",
        .title = "Dense",
        .description = "Fully connected layer; can be shared hard or soft",
        .explanation = "y = W·x + b: every output is a weighted sum of all inputs. Parameters: "
                       "inputs × units weights and units biases.",
        .family = KindFamily::Weights,
        .hasParameters = true,
        .fields = {{.property = "units",
                    .json = "units",
                    .label = "Units",
                    .help = "How many outputs the layer has",
                    .minimum = 1,
                    .maximum = 1'000'000,
                    .initial = 32,
                    .get = [](const NodeSpec& n) { return double(n.units); },
                    .set = [](NodeSpec& n, double v) { n.units = int(v); }},
                   {.property = "init",
                    .json = "init",
                    .label = "Initialisation",
                    .help = "How the weights are drawn before training",
                    .type = FieldType::Choice,
                    .initial = double(Init::He),
                    .absent = double(Init::He),
                    .choices = {{int(Init::He), "he", "He (for ReLU)"},
                                {int(Init::Xavier), "xavier", "Xavier (for tanh, outputs)"}},
                    .get = [](const NodeSpec& n) { return double(n.init); },
                    .set = [](NodeSpec& n, double v) { n.init = Init(int(v)); }}},
        .makeLayer = [](const NodeSpec& n, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Dense>(in, n.units, n.init);
        },
        .nodeTitle = [](const NodeSpec& n) { return "Dense " + std::to_string(n.units); },
    };
    return info;
}

} // namespace mtl::core::kinds
