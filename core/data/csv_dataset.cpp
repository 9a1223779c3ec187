#include "data/csv_dataset.h"

#include "data/csv_table.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unordered_map>

namespace mtl::core {

using namespace csv;
namespace fs = std::filesystem;

namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
} // namespace

bool isMissingValue(std::string_view text) {
    text = trim(text);
    if (text.empty() || text == "?") return true;
    std::string lower(text.size(), ' ');
    std::transform(text.begin(), text.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return lower == "na" || lower == "n/a" || lower == "nan" || lower == "null";
}

std::optional<float> parseNumber(std::string_view text) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    float value = 0.0f;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::string resolvePath(const std::string& path, const std::string& baseDir) {
    const fs::path p(path);
    if (p.is_absolute() || baseDir.empty()) return path;
    return (fs::path(baseDir) / p).lexically_normal().string();
}

CsvPreview previewCsv(const std::string& path, char delimiter, Index previewRows) {
    CsvFile file(path, delimiter);
    CsvPreview preview;
    preview.delimiter = file.delimiter();
    preview.header = file.header();
    // Types need every value: the whole file is scanned, keeping the first rows as text.
    const std::vector<char> keepAll(file.header().size(), 1);
    const std::vector<ColumnScan> scans =
        scanColumns(file, preview.rowCount, keepAll, {}, 1.0, &preview.rows, previewRows);
    for (std::size_t c = 0; c < scans.size(); ++c) {
        CsvColumnSummary summary{file.header()[c], scans[c].numeric ? ColumnType::Numeric : ColumnType::Categorical,
                                 scans[c].missing, {}};
        if (!scans[c].numeric) summary.categories = sortedCategories(scans[c], false);
        preview.columns.push_back(std::move(summary));
    }
    return preview;
}

namespace {

// One usable column of the table: where it is, what it becomes.
struct ColumnPlan {
    int column = 0;
    ColumnRole role = ColumnRole::Input;
    bool categorical = false;
    std::vector<std::string> categories;
    std::unordered_map<std::string, int> index; // category → position
    int fill = 0;
    Index firstFeature = 0; // inputs: first feature; targets: target column
};

std::vector<ColumnPlan> planColumns(const CsvFile& file, const CsvSource& source,
                                    const std::vector<ColumnScan>& scans, const std::string& path) {
    std::vector<ColumnPlan> plans;
    Index features = 0, targets = 0;
    for (std::size_t c = 0; c < file.header().size(); ++c) {
        const std::string& name = file.header()[c];
        const auto role = source.roles.contains(name) ? source.roles.at(name) : ColumnRole::Input;
        if (role == ColumnRole::Ignore) continue;
        const auto declared = source.types.contains(name) ? source.types.at(name) : ColumnType::Auto;
        const ColumnScan& s = scans[c];
        const std::string where = path + ": column '" + name + "'";
        if (declared == ColumnType::Numeric && !s.numeric) {
            throw FileError(path + ":" + std::to_string(s.firstTextLine) + ": column '" + name +
                            "' (column " + std::to_string(c + 1) + "): '" + s.firstText +
                            "' is not a number");
        }
        ColumnPlan plan;
        plan.column = int(c);
        plan.role = role;
        plan.categorical = declared == ColumnType::Categorical || (declared == ColumnType::Auto && !s.numeric);
        if (plan.categorical) {
            if (s.tooManyCategories) {
                throw FileError(where + " has more than " + std::to_string(kMaxCategories) +
                                " distinct values, too many to be categorical" +
                                (s.numeric ? std::string(" (declare it numeric)")
                                           : " (first text value: '" + s.firstText + "' on line " +
                                                 std::to_string(s.firstTextLine) +
                                                 "); mark it ignore or fix its values"));
            }
            if (s.counts.empty()) throw FileError(where + " has no values, only missing ones");
            plan.categories = sortedCategories(s, s.numeric);
            for (std::size_t i = 0; i < plan.categories.size(); ++i) plan.index[plan.categories[i]] = int(i);
            plan.fill = mostFrequent(s, plan.categories);
        }
        if (role == ColumnRole::Input) {
            plan.firstFeature = features;
            features += plan.categorical ? Index(plan.categories.size()) : 1;
        } else {
            plan.firstFeature = targets++;
        }
        plans.push_back(std::move(plan));
    }
    if (features == 0) throw FileError(path + ": no input columns (every column is a target or ignored)");
    return plans;
}

DataSchema schemaOf(const CsvFile& file, const std::vector<ColumnPlan>& plans) {
    DataSchema schema;
    for (const ColumnPlan& p : plans) {
        const std::string& name = file.header()[std::size_t(p.column)];
        if (p.role == ColumnRole::Target) {
            schema.targets.push_back({name, p.categories});
            continue;
        }
        schema.inputColumns.push_back({name, p.categories, p.fill});
        if (!p.categorical) schema.inputNames.push_back(name);
        for (const std::string& category : p.categories) schema.inputNames.push_back(name + "=" + category);
    }
    schema.inputShape = Shape::flat(int(schema.inputNames.size()));
    return schema;
}

} // namespace

Dataset loadCsvDataset(const CsvSource& source, const std::string& baseDir,
                       const ProgressCallback& progress) {
    const std::string path = resolvePath(source.path, baseDir);
    CsvFile scan(path, source.delimiter);
    auto checkNames = [&](const auto& map) {
        for (const auto& [name, value] : map) {
            if (scan.column(name) < 0) {
                throw FileError(path + ": no column '" + name + "' (columns: " + scan.columnList() + ")");
            }
        }
    };
    checkNames(source.roles);
    checkNames(source.types);
    std::vector<char> keepIfMissing(scan.header().size(), 1);
    for (std::size_t c = 0; c < scan.header().size(); ++c) {
        const auto it = source.roles.find(scan.header()[c]);
        const bool input = it == source.roles.end() || it->second == ColumnRole::Input;
        keepIfMissing[c] = !(input && source.missingInputs == MissingInputs::DropRow);
    }
    Index rows = 0;
    const std::vector<ColumnScan> scans = scanColumns(scan, rows, keepIfMissing, progress, 0.5);
    const std::vector<ColumnPlan> plans = planColumns(scan, source, scans, path);

    Dataset data;
    data.schema = schemaOf(scan, plans);
    if (rows == 0) {
        throw FileError(path + (source.missingInputs == MissingInputs::DropRow
                                    ? ": every row misses an input value and was dropped"
                                    : ": no data rows below the header"));
    }
    data.inputs = Matrix::Zero(rows, data.schema.inputShape.size());
    data.targets.resize(rows, Index(data.schema.targets.size()));

    CsvFile file(path, scan.delimiter());
    std::vector<std::string> fields;
    Index r = 0;
    while (file.next(fields) && r < rows) {
        bool dropped = false;
        for (std::size_t c = 0; c < fields.size(); ++c) dropped |= keepIfMissing[c] == 0 && isMissingValue(fields[c]);
        if (dropped) continue;
        for (const ColumnPlan& p : plans) {
            const std::string_view v = trim(fields[std::size_t(p.column)]);
            const bool missing = isMissingValue(v);
            float value = kNaN;
            if (p.categorical) {
                const auto it = missing ? p.index.end() : p.index.find(std::string(v));
                if (!missing && it == p.index.end()) throw FileError(path + ": the file changed while it was read");
                const int category = missing ? (p.role == ColumnRole::Input ? p.fill : -1) : it->second;
                if (p.role == ColumnRole::Input) {
                    data.inputs(r, p.firstFeature + category) = 1.0f;
                    continue;
                }
                if (category >= 0) value = float(category);
            } else if (!missing) {
                const auto number = parseNumber(v);
                if (!number) throw FileError(path + ": the file changed while it was read");
                value = *number;
            }
            if (p.role == ColumnRole::Input) data.inputs(r, p.firstFeature) = value;
            else data.targets(r, p.firstFeature) = value;
        }
        ++r;
        if (progress && r % 65536 == 0) progress(0.5 + 0.5 * file.fraction());
    }
    if (progress) progress(1.0);
    return data;
}

Matrix encodeCsvInputs(const std::string& path, const DataSchema& schema, Index* unknown) {
    CsvFile file(path, 0);
    // Models trained without a table (synthetic data) take one numeric column per input name.
    std::vector<InputColumn> columns = schema.inputColumns;
    if (columns.empty()) {
        for (const std::string& name : schema.inputNames) columns.push_back({name, {}, 0});
    }
    std::vector<int> at;
    for (const InputColumn& c : columns) {
        at.push_back(file.column(c.name));
        if (at.back() < 0) {
            std::string needed;
            for (const InputColumn& n : columns) needed += (needed.empty() ? "" : ", ") + n.name;
            throw FileError(path + ": no column '" + c.name + "' (the model needs: " + needed + ")");
        }
    }
    std::vector<float> values;
    std::vector<std::string> fields;
    const auto width = std::size_t(schema.inputShape.size());
    Index unknownCount = 0;
    while (file.next(fields)) {
        const std::size_t row = values.size();
        values.resize(row + width, 0.0f);
        std::size_t feature = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const std::string_view v = trim(fields[std::size_t(at[i])]);
            const InputColumn& c = columns[i];
            if (!c.isCategorical()) {
                const auto number = isMissingValue(v) ? std::optional<float>(kNaN) : parseNumber(v);
                if (!number) {
                    throw FileError(path + ":" + std::to_string(file.line()) + ": column '" + c.name +
                                    "': '" + std::string(v) + "' is not a number");
                }
                values[row + feature++] = *number;
                continue;
            }
            int category = c.fillCategory;
            if (!isMissingValue(v)) {
                const auto it = std::find(c.categories.begin(), c.categories.end(), v);
                category = it == c.categories.end() ? -1 : int(it - c.categories.begin());
                unknownCount += category < 0;
            }
            if (category >= 0) values[row + feature + std::size_t(category)] = 1.0f;
            feature += c.categories.size();
        }
    }
    if (unknown != nullptr) *unknown = unknownCount;
    const auto rows = Index(values.size() / std::max<std::size_t>(1, width));
    return ConstMatrixMap(values.data(), rows, Index(width));
}

} // namespace mtl::core
