#pragma once
// What a CSV column is, from pass 1's scan, and what loading makes of it. The same rules serve
// `mtl train --csv`, `mtl init`, the import dialog and loading a project, so a column is read
// the same way everywhere:
//   - numbers only → numeric; integers counting up by one in every row → a row number
//     (an identifier);
//   - numbers but for a few text values (≥ 90 % numbers) → refused with the lines and values,
//     unless declared "numeric, text as missing" (those cells missing) or categorical;
//   - every value a date in one recognised format (data/date_column.h) → date features;
//   - text with a distinct value in (almost) every row (≥ 20 values, ≥ half the rows), free text
//     (values mostly long and with spaces: names, addresses, notes) with a new value every ten
//     rows or more often, or more than kMaxCategories values → an identifier or free text,
//     ignored unless included;
//   - other text → categorical (one-hot), with a warning when it has many categories for the
//     rows (> 20 and more than a tenth of the rows).
// A column's declared role and type (CsvSource) win over the inference.

#include "data/csv_dataset.h"
#include "data/date_column.h"

#include <optional>
#include <string>
#include <vector>

namespace mtl::core {

enum class ColumnKind : std::uint8_t {
    Empty, // missing in every row
    Numeric,
    NumericWithText, // numbers but for a few text values
    Date,
    Categorical,
    HighCardinality, // categorical, but many categories for the rows
    Identifier,      // a distinct value in (almost) every row: names, ids, free text, row numbers
};

const char* columnKindName(ColumnKind kind);

struct ColumnInference {
    ColumnKind kind = ColumnKind::Numeric;
    Index distinct = 0; // distinct values, −1 when more than kMaxCategories
    std::optional<DateFormat> dateFormat;
    bool dateHasTime = false;
    bool dateAmbiguous = false; // a/b/yyyy that no value tells apart: read as mm/dd/yyyy
};

ColumnInference inferColumn(const csv::ColumnScan& scan);

// What loading does with a column: its role, how it is encoded, and what to tell the user.
struct ColumnDecision {
    std::string name;
    ColumnRole role = ColumnRole::Input;
    ColumnInference inferred;
    // Encoding: Numeric, Categorical (one-hot input or class target), Date, NumericOrMissing.
    ColumnType encoding = ColumnType::Numeric;
    Index missing = 0;
    Index textValues = 0; // values that are not numbers
    std::vector<std::string>
        categories;           // Categorical encoding: sorted (numerically when all numbers)
    std::string encodingText; // e.g. "one-hot, 3 categories", "7 date features", "regression"
    std::string notice;       // why it was ignored, a warning, or how text cells were read
    std::string error; // non-empty: loading refuses the column (the message, without the file)
};

// The decision for the column named `name`, given the source's declared roles and types.
ColumnDecision decideColumn(const std::string& name, const csv::ColumnScan& scan,
                            const CsvSource& source);
// Every column of a preview under the source's declarations.
std::vector<ColumnDecision> decideColumns(const CsvPreview& preview, const CsvSource& source);
// The decision in words.
ColumnReport reportOf(const ColumnDecision& decision);

} // namespace mtl::core
