#pragma once
// Input standardisation: x' = (x − mean) / std per feature, with statistics from the training
// rows only. Stored with a trained model so that predictions take raw values.

#include "util/tensor.h"

#include <span>

namespace mtl::core {

struct Normalizer {
    RowVector mean;  // [features]; empty: identity
    RowVector scale; // 1 / std, [features]

    bool isIdentity() const { return mean.size() == 0; }
    static Normalizer fit(const Matrix& inputs, std::span<const Index> rows);
    void apply(Matrix& inputs) const; // in place, every row
};

} // namespace mtl::core
