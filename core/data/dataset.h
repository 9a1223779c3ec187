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
    std::string dateFormat;              // non-empty: a date column in this format (date_column.h)
    bool dateHasTime = false;            // date: its features include the time of day
    bool textAsMissing = false;          // numeric: a text value is a missing value, not an error
    bool isCategorical() const { return !categories.empty(); }
    bool isDate() const { return !dateFormat.empty(); }
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

// How loading read one column of a table (CSV only), in words: for the schema table `mtl`
// prints and the dataset panel.
struct ColumnReport {
    std::string name;
    std::string role;     // input, target, ignore
    std::string kind;     // what its values are: numeric, date, categorical, identifier, …
    std::string encoding; // what it became: "numeric", "one-hot, 3 categories", "7 date features (…)"
    Index missing = 0;
    Index distinct = 0;   // −1: more than can be counted as categories
    std::string notice;   // why it was ignored, a warning, how text cells were read
    bool operator==(const ColumnReport&) const = default;
};

struct Dataset {
    DataSchema schema;
    std::vector<ColumnReport> columns; // tables only
    Matrix inputs;  // [samples, inputShape.size()]
    Matrix targets; // [samples, schema.targets.size()], NaN = missing
    // The last testRows rows are a fixed test split (a dataset's own test images): training
    // splits the rows before them into train and validation, and ignores testFraction.
    Index testRows = 0;
    Index rows() const { return inputs.rows(); }
};

} // namespace mtl::core
