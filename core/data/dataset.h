#pragma once
// A dataset in memory: one input matrix and one target matrix, and the schema that names their
// columns. Categorical targets hold class indices (0 … classes−1) and keep their labels; a NaN
// target is missing for that column only.

#include "util/shape.h"
#include "util/tensor.h"

#include <string>
#include <vector>

namespace mtl::core {

struct TargetColumn {
    std::string name;
    std::vector<std::string> classLabels; // empty: numeric column
    bool isCategorical() const { return !classLabels.empty(); }
    bool operator==(const TargetColumn&) const = default;
};

// A source column that feeds the inputs: numeric (one feature) or categorical (one-hot, one
// feature per category). Kept with a trained model so predictions encode raw rows the same way.
struct InputColumn {
    std::string name;
    std::vector<std::string> categories; // empty: numeric
    int fillCategory = 0;                // categorical: used where the value is missing
    bool isCategorical() const { return !categories.empty(); }
    bool operator==(const InputColumn&) const = default;
};

struct DataSchema {
    Shape inputShape;
    std::vector<std::string> inputNames; // one per input feature (may be empty for images)
    std::vector<InputColumn> inputColumns; // tabular data only: how features came from columns
    std::vector<TargetColumn> targets;

    // Index of the target column with this name, or −1.
    int findTarget(const std::string& name) const;
    bool operator==(const DataSchema&) const = default;
};

struct Dataset {
    DataSchema schema;
    Matrix inputs;  // [samples, inputShape.size()]
    Matrix targets; // [samples, schema.targets.size()], NaN = missing
    Index rows() const { return inputs.rows(); }
};

} // namespace mtl::core
