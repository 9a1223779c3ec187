#pragma once
// Multi-task datasets built from Fashion-MNIST (Debian package dataset-fashion-mnist):
//  - Fashion 2-task: from each image, its item (10 classes) and its group (tops, bottoms,
//    footwear, bags);
//  - MultiFashion, built as MultiMNIST in Sener & Koltun (2018): each image gets a random partner;
//    on a 36×36 canvas the image is placed at (0, 0) and its partner at (6, 6), overlapping pixels
//    take the maximum, and the canvas is resized to 28×28 by nearest neighbour. Tasks: the left
//    (first) item and the right (partner) item. The seed decides the partners.
// Images are 28×28×1 with pixels in [0, 1].

#include "data/dataset.h"

#include <cstdint>
#include <string>

namespace mtl::core {

// TrainAndTest: the training images for training and validation, and the dataset's own 10,000
// test images as the run's test split (Dataset::testRows), as papers report.
enum class FashionSplit : std::uint8_t { Train, Test, TrainAndTest };
enum class FashionTasks : std::uint8_t { ItemAndGroup, MultiFashion };

struct FashionSettings {
    FashionTasks tasks = FashionTasks::ItemAndGroup;
    FashionSplit split = FashionSplit::Train;
    Index samples = 0;       // the first N images of the split (of each, for TrainAndTest); 0: all
    std::uint64_t seed = 1;  // MultiFashion partners
    bool operator==(const FashionSettings&) const = default;
};

// Where the package puts the files; MTL_FASHION_MNIST_DIR overrides it.
std::string fashionMnistDirectory();

// Throws FileError naming the package when it is not installed.
Dataset loadFashionDataset(const FashionSettings& settings);

// MultiFashion's composition of two 28×28 images (row-major, one channel) into one.
void composeMultiFashion(const float* left, const float* right, float* out);

} // namespace mtl::core
