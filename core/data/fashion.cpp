#include "data/fashion.h"

#include "data/idx_file.h"
#include "util/error.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>

namespace mtl::core {
namespace {

constexpr int kSide = 28;
constexpr int kCanvas = 36;
constexpr int kOffset = 6;

const std::vector<std::string> kItems{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
const std::vector<std::string> kGroups{"tops", "bottoms", "footwear", "bags"};
// Item → group. Dresses count as tops: upper-body garments, as the coats and shirts they resemble.
constexpr std::array<int, 10> kGroupOf{0, 1, 0, 0, 0, 2, 0, 2, 3, 2};

struct Images {
    Matrix pixels;                // [n, 784] in [0, 1]
    std::vector<int> labels;      // [n]
};

Images readSplit(FashionSplit split, Index limit) {
    const std::string dir = fashionMnistDirectory();
    const std::string prefix = split == FashionSplit::Train ? "train" : "t10k";
    const std::string imagesPath = dir + "/" + prefix + "-images-idx3-ubyte.gz";
    const std::string labelsPath = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
    if (!std::filesystem::exists(imagesPath)) {
        throw FileError("Fashion-MNIST is not installed: " + imagesPath +
                        " is missing (install the Debian package dataset-fashion-mnist: "
                        "sudo apt-get install dataset-fashion-mnist)");
    }
    const IdxArray images = readIdx(imagesPath);
    const IdxArray labels = readIdx(labelsPath);
    if (images.dims.size() != 3 || images.dims[1] != kSide || images.dims[2] != kSide) {
        throw FileError(imagesPath + ": expected images of 28×28 pixels");
    }
    if (labels.dims.size() != 1 || labels.dims[0] != images.dims[0]) {
        throw FileError(labelsPath + ": expected one label per image (" + std::to_string(images.dims[0]) + ")");
    }
    const Index n = limit > 0 ? std::min<Index>(limit, images.dims[0]) : images.dims[0];
    Images out;
    out.pixels.resize(n, kSide * kSide);
    for (Index i = 0; i < out.pixels.size(); ++i) out.pixels.data()[i] = float(images.data[std::size_t(i)]) / 255.0f;
    for (Index i = 0; i < n; ++i) {
        const int label = labels.data[std::size_t(i)];
        if (label > 9) throw FileError(labelsPath + ": label " + std::to_string(label) + " of image " + std::to_string(i + 1) + " is not 0–9");
        out.labels.push_back(label);
    }
    return out;
}

} // namespace

std::string fashionMnistDirectory() {
    const char* dir = std::getenv("MTL_FASHION_MNIST_DIR");
    return dir != nullptr && *dir != '\0' ? dir : "/usr/share/datasets/fashion-mnist";
}

void composeMultiFashion(const float* left, const float* right, float* out) {
    std::array<float, kCanvas * kCanvas> canvas{};
    for (int y = 0; y < kSide; ++y) {
        for (int x = 0; x < kSide; ++x) canvas[std::size_t(y * kCanvas + x)] = left[y * kSide + x];
    }
    for (int y = 0; y < kSide; ++y) {
        for (int x = 0; x < kSide; ++x) {
            float& cell = canvas[std::size_t((y + kOffset) * kCanvas + x + kOffset)];
            cell = std::max(cell, right[y * kSide + x]); // overlap: the brighter pixel
        }
    }
    // Nearest neighbour as PIL samples it: the source of pixel i is floor((i + ½) · 36 / 28).
    for (int y = 0; y < kSide; ++y) {
        const int sy = (2 * y + 1) * kCanvas / (2 * kSide);
        for (int x = 0; x < kSide; ++x) {
            const int sx = (2 * x + 1) * kCanvas / (2 * kSide);
            out[y * kSide + x] = canvas[std::size_t(sy * kCanvas + sx)];
        }
    }
}

namespace {

Dataset fashionSplit(const FashionSettings& settings, FashionSplit split) {
    const Images images = readSplit(split, settings.samples);
    const Index n = images.pixels.rows();
    Dataset data;
    data.schema.inputShape = Shape{kSide, kSide, 1};
    data.targets.resize(n, 2);
    if (settings.tasks == FashionTasks::ItemAndGroup) {
        data.schema.targets = {{"item", kItems}, {"group", kGroups}};
        data.inputs = images.pixels;
        for (Index i = 0; i < n; ++i) {
            data.targets(i, 0) = float(images.labels[std::size_t(i)]);
            data.targets(i, 1) = float(kGroupOf[std::size_t(images.labels[std::size_t(i)])]);
        }
        return data;
    }
    data.schema.targets = {{"left", kItems}, {"right", kItems}};
    data.inputs.resize(n, kSide * kSide);
    Rng rng(settings.seed);
    std::uniform_int_distribution<Index> other(0, std::max<Index>(0, n - 2));
    for (Index i = 0; i < n; ++i) {
        Index partner = n > 1 ? other(rng) : 0;
        if (n > 1 && partner >= i) ++partner; // any image but itself
        composeMultiFashion(images.pixels.row(i).data(), images.pixels.row(partner).data(),
                            data.inputs.row(i).data());
        data.targets(i, 0) = float(images.labels[std::size_t(i)]);
        data.targets(i, 1) = float(images.labels[std::size_t(partner)]);
    }
    return data;
}

} // namespace

Dataset loadFashionDataset(const FashionSettings& settings) {
    if (settings.split != FashionSplit::TrainAndTest)
        return fashionSplit(settings, settings.split);
    Dataset data = fashionSplit(settings, FashionSplit::Train);
    const Dataset test = fashionSplit(settings, FashionSplit::Test);
    const Index train = data.rows();
    data.inputs.conservativeResize(train + test.rows(), Eigen::NoChange);
    data.inputs.bottomRows(test.rows()) = test.inputs;
    data.targets.conservativeResize(train + test.rows(), Eigen::NoChange);
    data.targets.bottomRows(test.rows()) = test.targets;
    data.testRows = test.rows();
    return data;
}

} // namespace mtl::core
