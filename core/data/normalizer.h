#pragma once
// Input preparation with statistics from the training rows only: a missing (NaN) value becomes
// the feature's mean, then x' = (x − mean) / std when standardising. Stored with a trained model
// so that predictions take raw values, missing ones included.

#include "util/tensor.h"

#include <span>

namespace mtl::core {

struct Normalizer {
    RowVector mean;  // [features]; empty: identity
    RowVector scale; // 1 / std, [features]; all 1 when not standardising
    RowVector fill;  // replaces NaN before scaling: the training mean, [features]

    bool isIdentity() const { return mean.size() == 0; }
    static Normalizer fit(const Matrix& inputs, std::span<const Index> rows, bool standardize);
    void apply(Matrix& inputs) const; // in place, every row
};

} // namespace mtl::core
