#pragma once
// Seeded train / validation / test split of a dataset's rows.

#include "util/tensor.h"

#include <cstdint>
#include <vector>

namespace mtl::core {

struct DataSplit {
    std::vector<Index> train;
    std::vector<Index> validation;
    std::vector<Index> test;
};

// Shuffles rows 0…n−1 with the seed, then takes the validation and test fractions off the end.
DataSplit splitRows(Index rows, float validationFraction, float testFraction, std::uint64_t seed);

} // namespace mtl::core
