// Conv 2D: filters slid over an image.
#include "layers/conv2d.h"
#include "model/kinds/kinds.h"

namespace mtl::core::kinds {

void checkImageWindow(const NodeSpec& n, Shape in, int padding, const IssueSink& report) {
    if (!in.isImage()) {
        report("", "needs an image input; it gets " + in.toString() +
                       " flat features (is a Flatten or Dense before it?)");
        return;
    }
    if (n.kernelSize > in.height + 2 * padding || n.kernelSize > in.width + 2 * padding) {
        report("kernelSize", "the " + std::to_string(n.kernelSize) +
                                 "-pixel window is larger than the input " + in.toString());
    }
}

const NodeKindInfo& conv2d() {
    static const NodeKindInfo info{
        .kind = NodeKind::Conv2D,
        .word = "conv2d",
        .title = "Conv 2D",
        .description = "2-D convolution over an image; can be shared hard or soft",
        .explanation = "Slides each filter (channels × k × k weights and a bias) over the image "
                       "with the stride and padding; one output channel per filter.",
        .family = KindFamily::Weights,
        .hasParameters = true,
        .fields = {{.property = "filters",
                    .json = "filters",
                    .label = "Filters",
                    .help = "Output channels: one per filter",
                    .minimum = 1,
                    .maximum = 100'000,
                    .initial = 8,
                    .get = [](const NodeSpec& n) { return double(n.filters); },
                    .set = [](NodeSpec& n, double v) { n.filters = int(v); }},
                   {.property = "kernelSize",
                    .json = "kernel_size",
                    .label = "Kernel size",
                    .help = "Width and height of each filter, in pixels",
                    .minimum = 1,
                    .maximum = 99,
                    .initial = 3,
                    .get = [](const NodeSpec& n) { return double(n.kernelSize); },
                    .set = [](NodeSpec& n, double v) { n.kernelSize = int(v); }},
                   {.property = "stride",
                    .json = "stride",
                    .label = "Stride",
                    .help = "How many pixels the filter moves each step",
                    .minimum = 1,
                    .maximum = 99,
                    .initial = 1,
                    .absent = 1,
                    .get = [](const NodeSpec& n) { return double(n.stride); },
                    .set = [](NodeSpec& n, double v) { n.stride = int(v); }},
                   {.property = "padding",
                    .json = "padding",
                    .label = "Padding",
                    .help = "Zero pixels added on every side",
                    .minimum = 0,
                    .maximum = 99,
                    .initial = 1,
                    .absent = 0,
                    .get = [](const NodeSpec& n) { return double(n.padding); },
                    .set = [](NodeSpec& n, double v) { n.padding = int(v); }}},
        .checkInput = [](const NodeSpec& n, Shape in,
                         const IssueSink& report) { checkImageWindow(n, in, n.padding, report); },
        .makeLayer = [](const NodeSpec& n, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Conv2D>(in, n.filters, n.kernelSize, n.stride, n.padding);
        },
        .nodeTitle =
            [](const NodeSpec& n) {
                const std::string k = std::to_string(n.kernelSize);
                return "Conv " + std::to_string(n.filters) + "@" + k + "×" + k;
            },
        .nodeDetail =
            [](const NodeSpec& n) {
                return "stride " + std::to_string(n.stride) + ", pad " + std::to_string(n.padding);
            },
    };
    return info;
}

} // namespace mtl::core::kinds
