#pragma once
// Tables from CSV files: which column is an input, a target or ignored; numeric and categorical
// columns (detected or declared); missing values. Loading reads the file twice — once to learn
// each column's type, categories and missing values, once to fill the matrices — so memory stays
// close to the size of the resulting float matrices whatever the file's size.
//
// Encoding: a numeric input is one feature; a categorical input is one-hot (one feature per
// category); a date input is a few numeric features (data/date_column.h). Which a column is, and
// whether it is used at all, follows data/column_inference.h unless the source declares it.
// A categorical target holds class indices, its labels kept. Missing values (empty,
// NA, N/A, NaN, ?, null — any case): in an input, imputed (numeric: NaN here, the training mean at
// training time; categorical: the most frequent category) or the row dropped, by choice; in a
// target, missing for that column only.

#include "data/column_scan.h"
#include "data/dataset.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mtl::core {

enum class ColumnRole : std::uint8_t { Input, Target, Ignore };
// Auto: as data/column_inference.h decides. NumericOrMissing: numeric, and a text value in it is a
// missing value rather than an error.
enum class ColumnType : std::uint8_t { Auto, Numeric, Categorical, Date, NumericOrMissing };
enum class MissingInputs : std::uint8_t { Impute, DropRow };

struct CsvSource {
    std::string path;     // as the project writes it: relative to the project's folder, or absolute
    char delimiter = 0;   // 0: detect from the header
    std::map<std::string, ColumnRole> roles; // columns not listed are inputs
    std::map<std::string, ColumnType> types; // columns not listed are detected
    MissingInputs missingInputs = MissingInputs::Impute;
    bool operator==(const CsvSource&) const = default;
};

struct CsvPreview {
    char delimiter = ',';
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows; // the first rows, as text
    std::vector<csv::ColumnScan> scans;         // per column, over the whole file
    Index rowCount = 0;
};

// Called with the fraction of the work done (0…1) while a file is read.
using ProgressCallback = std::function<void(double)>;

// Resolves source.path against baseDir (the project's folder) unless it is absolute.
std::string resolvePath(const std::string& path, const std::string& baseDir);

CsvPreview previewCsv(const std::string& path, char delimiter = 0, Index previewRows = 20);
Dataset loadCsvDataset(const CsvSource& source, const std::string& baseDir,
                       const ProgressCallback& progress = {});

// Encodes the inputs of a CSV file the way `schema` was built (for prediction): columns found by
// name, categories mapped to the same one-hot features, missing values left NaN (the model's
// normaliser fills them). Unknown categories become all-zero one-hot rows, counted in `unknown`.
Matrix encodeCsvInputs(const std::string& path, const DataSchema& schema, Index* unknown = nullptr);

bool isMissingValue(std::string_view text);
std::optional<float> parseNumber(std::string_view text);

} // namespace mtl::core
