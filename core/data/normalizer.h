#pragma once
// Input preparation with statistics from the training rows only: a missing (NaN) value becomes
// the feature's mean, then x' = (x − mean) / std when standardising. Stored with a trained model
// so that predictions take raw values, missing ones included.

#include "util/tensor.h"

#include <span>
#include <vector>

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

namespace mtl::core {

// Standardisation of regression targets, so tasks on different scales (prices in thousands,
// ratios near 1) pull on the shared layers comparably: t' = (t − mean) · scale per target column,
// with statistics from the training rows. Losses are then in standard units; metrics and
// predictions are turned back into the column's own units with restore().
struct TargetScaling {
    RowVector mean;  // [target columns]; empty: identity
    RowVector scale; // 1 / std; 1 for columns left as they are

    bool isIdentity() const { return mean.size() == 0; }
    // Scales the columns whose flag is set (NaN targets stay missing).
    static TargetScaling fit(const Matrix& targets, std::span<const Index> rows,
                             const std::vector<bool>& scaleColumn);
    void apply(Matrix& targets) const;
    // outputs: [n, columns.size()], the values of these target columns in standard units.
    void restore(Matrix& outputs, const std::vector<int>& columns) const;
};

} // namespace mtl::core
