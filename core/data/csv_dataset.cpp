#include "data/csv_dataset.h"

#include "data/column_inference.h"
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
    preview.scans = scanColumns(file, preview.rowCount, keepAll, {}, 1.0, &preview.rows, previewRows);
    return preview;
}

namespace {

// One usable column of the table: where it is, what it becomes.
struct ColumnPlan {
    int column = 0;
    ColumnRole role = ColumnRole::Input;
    ColumnType encoding = ColumnType::Numeric; // Numeric, NumericOrMissing, Categorical or Date
    std::vector<std::string> categories;
    std::unordered_map<std::string, int> index; // category → position
    int fill = 0;
    DateFormat dateFormat = DateFormat::YearMonthDayDash;
    bool dateHasTime = false;
    Index firstFeature = 0; // inputs: first feature; targets: target column

    Index features() const {
        return encoding == ColumnType::Categorical ? Index(categories.size())
               : encoding == ColumnType::Date      ? dateFeatureCount(dateHasTime)
                                                   : 1;
    }
};

std::vector<ColumnPlan> planColumns(const std::vector<ColumnDecision>& decisions, const std::vector<ColumnScan>& scans,
                                    const std::string& path) {
    std::vector<ColumnPlan> plans;
    Index features = 0, targets = 0;
    for (std::size_t c = 0; c < decisions.size(); ++c) {
        const ColumnDecision& d = decisions[c];
        if (!d.error.empty()) throw FileError(path + ": column '" + d.name + "': " + d.error);
        if (d.role == ColumnRole::Ignore) continue;
        ColumnPlan plan;
        plan.column = int(c);
        plan.role = d.role;
        plan.encoding = d.encoding;
        if (plan.encoding == ColumnType::Categorical) {
            plan.categories = d.categories;
            for (std::size_t i = 0; i < plan.categories.size(); ++i) plan.index[plan.categories[i]] = int(i);
            plan.fill = mostFrequent(scans[c], plan.categories);
        }
        if (plan.encoding == ColumnType::Date) {
            plan.dateFormat = d.inferred.dateFormat.value_or(DateFormat::YearMonthDayDash);
            plan.dateHasTime = d.inferred.dateHasTime;
        }
        plan.firstFeature = plan.role == ColumnRole::Input ? features : targets++;
        if (plan.role == ColumnRole::Input) features += plan.features();
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
        InputColumn column;
        column.name = name;
        column.categories = p.categories;
        column.fillCategory = p.fill;
        column.textAsMissing = p.encoding == ColumnType::NumericOrMissing;
        if (p.encoding == ColumnType::Date) {
            column.dateFormat = dateFormatName(p.dateFormat);
            column.dateHasTime = p.dateHasTime;
            for (const std::string& suffix : dateFeatureSuffixes(p.dateHasTime)) schema.inputNames.push_back(name + ":" + suffix);
        } else if (p.encoding != ColumnType::Categorical) {
            schema.inputNames.push_back(name);
        }
        for (const std::string& category : p.categories) schema.inputNames.push_back(name + "=" + category);
        schema.inputColumns.push_back(std::move(column));
    }
    schema.inputShape = Shape::flat(int(schema.inputNames.size()));
    return schema;
}

[[noreturn]] void changedWhileRead(const std::string& path) {
    throw FileError(path + ": the file changed while it was read");
}

// Writes one cell of a kept row into the dataset.
void fillCell(const ColumnPlan& p, std::string_view v, const std::string& path, Dataset& data, Index r) {
    const bool missing = isMissingValue(v);
    float value = kNaN;
    switch (p.encoding) {
    case ColumnType::Categorical: {
        const auto it = missing ? p.index.end() : p.index.find(std::string(v));
        if (!missing && it == p.index.end()) changedWhileRead(path);
        const int category = missing ? (p.role == ColumnRole::Input ? p.fill : -1) : it->second;
        if (p.role == ColumnRole::Input) {
            data.inputs(r, p.firstFeature + category) = 1.0f;
            return;
        }
        if (category >= 0) value = float(category);
        break;
    }
    case ColumnType::Date: {
        const auto date = missing ? std::nullopt : parseDate(v, p.dateFormat);
        if (!missing && !date) changedWhileRead(path);
        auto row = data.inputs.row(r).segment(p.firstFeature, p.features());
        if (!date) {
            row.setConstant(kNaN); // the normaliser fills in the training mean
            return;
        }
        dateFeatures(*date, p.dateHasTime, std::span<float>(row.data(), std::size_t(row.size())));
        return;
    }
    case ColumnType::Auto:
    case ColumnType::Numeric:
    case ColumnType::NumericOrMissing: {
        const auto number = missing ? std::nullopt : parseNumber(v);
        if (!missing && !number && p.encoding != ColumnType::NumericOrMissing) changedWhileRead(path);
        if (number) value = *number;
        break;
    }
    }
    if (p.role == ColumnRole::Input) data.inputs(r, p.firstFeature) = value;
    else data.targets(r, p.firstFeature) = value;
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
    // Pass 1 keeps every row: which columns are inputs, and so which missing values drop a row,
    // is known only from its scan (an identifier it ignores must not drop rows).
    std::vector<char> keepIfMissing(scan.header().size(), 1);
    Index rows = 0;
    std::vector<ColumnScan> scans = scanColumns(scan, rows, keepIfMissing, progress, 0.5);
    if (rows == 0) throw FileError(path + ": no data rows below the header");
    std::vector<ColumnDecision> decisions;
    for (std::size_t c = 0; c < scans.size(); ++c) decisions.push_back(decideColumn(scan.header()[c], scans[c], source));
    const std::vector<ColumnPlan> plans = planColumns(decisions, scans, path);
    if (source.missingInputs == MissingInputs::DropRow) {
        for (const ColumnPlan& p : plans) keepIfMissing[std::size_t(p.column)] = p.role == ColumnRole::Input ? 0 : 1;
    }

    Dataset data;
    data.schema = schemaOf(scan, plans);
    for (const ColumnDecision& d : decisions) data.columns.push_back(reportOf(d));

    // Pass 2 fills the rows in order; when rows with a missing input are dropped, fewer than pass 1
    // counted are filled and the matrices are cut to them at the end.
    CsvFile file(path, scan.delimiter());
    std::vector<std::string> fields;
    const Index features = data.schema.inputShape.size();
    data.inputs = Matrix::Zero(rows, features);
    data.targets.resize(rows, Index(data.schema.targets.size()));
    Index r = 0;
    while (file.next(fields) && r < rows) {
        bool dropped = false;
        for (std::size_t c = 0; c < fields.size(); ++c) dropped |= keepIfMissing[c] == 0 && isMissingValue(fields[c]);
        if (dropped) continue;
        for (const ColumnPlan& p : plans) fillCell(p, trim(fields[std::size_t(p.column)]), path, data, r);
        ++r;
        if (progress && r % 65536 == 0) progress(0.5 + 0.5 * file.fraction());
    }
    if (r == 0) {
        throw FileError(path + (source.missingInputs == MissingInputs::DropRow
                                    ? ": every row misses an input value and was dropped"
                                    : ": no data rows below the header"));
    }
    data.inputs.conservativeResize(r, features);
    data.targets.conservativeResize(r, data.targets.cols());
    if (progress) progress(1.0);
    return data;
}

Matrix encodeCsvInputs(const std::string& path, const DataSchema& schema, Index* unknown) {
    CsvFile file(path, 0);
    // Models trained without a table (synthetic data) take one numeric column per input name.
    std::vector<InputColumn> columns = schema.inputColumns;
    if (columns.empty()) {
        for (const std::string& name : schema.inputNames) {
            columns.emplace_back();
            columns.back().name = name;
        }
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
            if (c.isDate()) {
                const int count = dateFeatureCount(c.dateHasTime);
                const auto date = isMissingValue(v) ? std::nullopt : parseDate(v, *parseDateFormat(c.dateFormat));
                if (!date && !isMissingValue(v)) {
                    throw FileError(path + ":" + std::to_string(file.line()) + ": column '" + c.name + "': '" +
                                    std::string(v) + "' is not a date in the model's format " + c.dateFormat);
                }
                const std::span<float> out(values.data() + row + feature, std::size_t(count));
                if (date) dateFeatures(*date, c.dateHasTime, out);
                else std::fill(out.begin(), out.end(), kNaN);
                feature += std::size_t(count);
                continue;
            }
            if (!c.isCategorical()) {
                auto number = isMissingValue(v) ? std::optional<float>(kNaN) : parseNumber(v);
                if (!number && c.textAsMissing) number = kNaN;
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
