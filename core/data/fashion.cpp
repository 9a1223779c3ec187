#include "data/fashion.h"

#include "data/idx_file.h"
#include "util/error.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <vector>

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

// One split as the files hold it: bytes, not yet floats, so that loading writes each image's
// floats once, straight into the dataset (the training split alone is 188 MB of floats).
struct RawSplit {
    IdxArray images; // [n, 28, 28] bytes
    IdxArray labels; // [n]
    Index n = 0;
};

RawSplit readSplit(FashionSplit split, Index limit) {
    const std::string dir = fashionMnistDirectory();
    const std::string prefix = split == FashionSplit::Train ? "train" : "t10k";
    const std::string imagesPath = dir + "/" + prefix + "-images-idx3-ubyte.gz";
    const std::string labelsPath = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
    if (!std::filesystem::exists(imagesPath)) {
        throw FileError("Fashion-MNIST is not installed: " + imagesPath +
                        " is missing (install the Debian package dataset-fashion-mnist: "
                        "sudo apt-get install dataset-fashion-mnist)");
    }
    RawSplit out;
    out.images = readIdx(imagesPath);
    out.labels = readIdx(labelsPath);
    const IdxArray& images = out.images;
    const IdxArray& labels = out.labels;
    if (images.dims.size() != 3 || images.dims[1] != kSide || images.dims[2] != kSide) {
        throw FileError(imagesPath + ": expected images of 28×28 pixels");
    }
    if (labels.dims.size() != 1 || labels.dims[0] != images.dims[0]) {
        throw FileError(labelsPath + ": expected one label per image (" + std::to_string(images.dims[0]) + ")");
    }
    out.n = limit > 0 ? std::min<Index>(limit, images.dims[0]) : images.dims[0];
    for (Index i = 0; i < out.n; ++i) {
        const int label = labels.data[std::size_t(i)];
        if (label > 9)
            throw FileError(labelsPath + ": label " + std::to_string(label) + " of image " +
                            std::to_string(i + 1) + " is not 0–9");
    }
    return out;
}

// Image i of the split as floats in [0, 1].
void imageFloats(const RawSplit& raw, Index i, float* out) {
    const std::uint8_t* pixels = raw.images.data.data() + i * kSide * kSide;
    for (int p = 0; p < kSide * kSide; ++p)
        out[p] = float(pixels[p]) / 255.0f;
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

// The split's images as rows first… of data: inputs and the two targets. Images are
// independent, so they are written in parallel (a split is tens of megabytes of new memory, and
// first touching it costs as much as computing it); MultiFashion's partners are drawn first, in
// order, so the dataset does not depend on the thread count.
void fillRows(const FashionSettings& settings, const RawSplit& raw, Dataset& data, Index first) {
    const Index n = raw.n;
    const auto label = [&](Index i) { return int(raw.labels.data[std::size_t(i)]); };
    if (settings.tasks == FashionTasks::ItemAndGroup) {
#pragma omp parallel for schedule(static)
        for (Index i = 0; i < n; ++i)
            imageFloats(raw, i, data.inputs.row(first + i).data());
        for (Index i = 0; i < n; ++i) {
            data.targets(first + i, 0) = float(label(i));
            data.targets(first + i, 1) = float(kGroupOf[std::size_t(label(i))]);
        }
        return;
    }
    std::vector<Index> partners(std::size_t(n), 0);
    Rng rng(settings.seed);
    std::uniform_int_distribution<Index> other(0, std::max<Index>(0, n - 2));
    for (Index i = 0; i < n; ++i) {
        Index partner = n > 1 ? other(rng) : 0;
        if (n > 1 && partner >= i) ++partner; // any image but itself
        partners[std::size_t(i)] = partner;
    }
#pragma omp parallel for schedule(static)
    for (Index i = 0; i < n; ++i) {
        std::array<float, kSide * kSide> left, right; // written whole by imageFloats
        imageFloats(raw, i, left.data());
        imageFloats(raw, partners[std::size_t(i)], right.data());
        composeMultiFashion(left.data(), right.data(), data.inputs.row(first + i).data());
    }
    for (Index i = 0; i < n; ++i) {
        data.targets(first + i, 0) = float(label(i));
        data.targets(first + i, 1) = float(label(partners[std::size_t(i)]));
    }
}

} // namespace

Dataset loadFashionDataset(const FashionSettings& settings) {
    const bool withTest = settings.split == FashionSplit::TrainAndTest;
    const RawSplit main =
        readSplit(withTest ? FashionSplit::Train : settings.split, settings.samples);
    RawSplit test;
    if (withTest)
        test = readSplit(FashionSplit::Test, settings.samples);
    Dataset data;
    data.schema.inputShape = Shape{kSide, kSide, 1};
    if (settings.tasks == FashionTasks::ItemAndGroup)
        data.schema.targets = {{"item", kItems}, {"group", kGroups}};
    else
        data.schema.targets = {{"left", kItems}, {"right", kItems}};
    data.inputs.resize(main.n + test.n, kSide * kSide);
    data.targets.resize(main.n + test.n, 2);
    fillRows(settings, main, data, 0);
    if (withTest) {
        fillRows(settings, test, data, main.n);
        data.testRows = test.n;
    }
    return data;
}

} // namespace mtl::core
