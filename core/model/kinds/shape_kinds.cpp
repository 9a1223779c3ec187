// Layers without weights that change the shape: max pooling and flattening.
#include "layers/flatten.h"
#include "layers/max_pool2d.h"
#include "model/kinds/kinds.h"

namespace mtl::core::kinds {

const NodeKindInfo& maxPool2d() {
    static const NodeKindInfo info{
        .kind = NodeKind::MaxPool2D,
        .word = "maxpool2d",
        .title = "Max pool 2D",
        .description = "Keeps the largest value of each window",
        .explanation = "Keeps the largest value of each window, per channel, moving by the "
                       "stride. No parameters.",
        .family = KindFamily::Shape,
        .fields = {{.property = "kernelSize",
                    .json = "kernel_size",
                    .label = "Window",
                    .help = "Width and height of the window, in pixels",
                    .minimum = 1,
                    .maximum = 99,
                    .initial = 2,
                    .get = [](const NodeSpec& n) { return double(n.kernelSize); },
                    .set = [](NodeSpec& n, double v) { n.kernelSize = int(v); }},
                   {.property = "stride",
                    .json = "stride",
                    .label = "Stride",
                    .help = "How many pixels the window moves each step",
                    .minimum = 1,
                    .maximum = 99,
                    .initial = 2,
                    .absentAs = "kernelSize",
                    .get = [](const NodeSpec& n) { return double(n.stride); },
                    .set = [](NodeSpec& n, double v) { n.stride = int(v); }}},
        .checkInput = [](const NodeSpec& n, Shape in,
                         const IssueSink& report) { checkImageWindow(n, in, 0, report); },
        .makeLayer = [](const NodeSpec& n, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<MaxPool2D>(in, n.kernelSize, n.stride);
        },
        .nodeTitle =
            [](const NodeSpec& n) {
                const std::string k = std::to_string(n.kernelSize);
                return "Max pool " + k + "×" + k;
            },
        .nodeDetail = [](const NodeSpec& n) { return "stride " + std::to_string(n.stride); },
    };
    return info;
}

const NodeKindInfo& flatten() {
    static const NodeKindInfo info{
        .kind = NodeKind::Flatten,
        .word = "flatten",
        .title = "Flatten",
        .description = "Turns an image into a flat feature vector",
        .explanation = "Lays an image's channels × height × width out as one feature vector. No "
                       "parameters.",
        .family = KindFamily::Shape,
        .makeLayer = [](const NodeSpec&, Shape in) -> std::unique_ptr<Layer> {
            return std::make_unique<Flatten>(in);
        },
    };
    return info;
}

} // namespace mtl::core::kinds
