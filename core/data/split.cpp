#include "data/split.h"

#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mtl::core {

DataSplit splitRows(Index rows, float validationFraction, float testFraction, std::uint64_t seed) {
    if (!(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1)) {
        throw SettingError("validationFraction and testFraction must be ≥ 0 with a sum below 1");
    }
    std::vector<Index> order(static_cast<std::size_t>(rows));
    std::iota(order.begin(), order.end(), Index{0});
    Rng rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    const auto validation = static_cast<std::size_t>(std::floor(double(rows) * validationFraction));
    const auto test = static_cast<std::size_t>(std::floor(double(rows) * testFraction));
    const std::size_t train = order.size() - validation - test;
    if (train == 0) throw SettingError("the split leaves no rows to train on");
    DataSplit split;
    split.train.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(train));
    split.validation.assign(order.begin() + static_cast<std::ptrdiff_t>(train),
                            order.begin() + static_cast<std::ptrdiff_t>(train + validation));
    split.test.assign(order.begin() + static_cast<std::ptrdiff_t>(train + validation), order.end());
    return split;
}

} // namespace mtl::core
