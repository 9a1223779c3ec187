#pragma once
// What pass 1 of CSV loading learns of each column: numbers and text values, missing values,
// distinct values (up to kMaxCategories), whether the text values are dates, whether the numbers
// count rows. data/column_inference.h turns it into a decision.

#include "data/date_column.h"
#include "util/tensor.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace mtl::core::csv {

// More distinct values than this and a text column is not categorical (an id, free text).
constexpr std::size_t kMaxCategories = 1000;

// Text values kept as examples (line and value) of a column that is otherwise numeric.
constexpr std::size_t kTextExamples = 5;

struct TextExample {
    long line = 0;
    std::string value;
};

// What pass 1 learns of a column.
struct ColumnScan {
    Index numbers = 0;                     // values that read as numbers
    Index texts = 0;                       // values that do not
    std::vector<TextExample> textExamples; // the first kTextExamples of them
    Index missing = 0;
    bool tooManyCategories = false;
    std::unordered_map<std::string, Index> counts;       // text value → occurrences
    unsigned dateFormats = (1U << kDateFormatCount) - 1; // formats every text value matches
    bool dateHasTime = false;                            // some date value carries a time of day
    bool dayAbove12First = false;  // some a/b/yyyy value has a > 12 (so it is dd/mm/yyyy)
    bool dayAbove12Second = false; // … has b > 12 (so it is mm/dd/yyyy)
    TextExample notDate;           // the first value that ended the column's chance to be dates
    bool sequential = true;        // every value an integer, the previous one + 1 (a row number)
    double last = 0.0;

    bool numeric() const { return texts == 0; }
};

} // namespace mtl::core::csv
