#include "data/csv_table.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace mtl::core::csv {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

namespace {

// A text value against the date formats still possible for its column.
void scanDate(ColumnScan& s, std::string_view v, long line) {
    if (s.dateFormats == 0) return;
    s.dateFormats &= dateFormatsMatching(v);
    if (s.dateFormats == 0) {
        s.notDate = {line, std::string(v)};
        return;
    }
    s.dateHasTime |= v.find(':') != std::string_view::npos;
    const std::size_t slash = v.find('/');
    if (slash == 0 || slash > 2) return; // not a/b/yyyy
    const int first = std::atoi(std::string(v.substr(0, slash)).c_str());
    const int second = std::atoi(std::string(v.substr(slash + 1, 2)).c_str());
    s.dayAbove12First |= first > 12;
    s.dayAbove12Second |= second > 12;
}

} // namespace

void scanValue(ColumnScan& s, std::string_view v, long line) {
    if (const auto number = parseNumber(v)) {
        const bool next = s.numbers + s.texts == 0 || double(*number) == s.last + 1.0;
        s.sequential = s.sequential && next && std::floor(*number) == *number;
        s.last = *number;
        ++s.numbers;
        if (s.dateFormats != 0) {
            s.dateFormats = 0;
            s.notDate = {line, std::string(v)};
        }
    } else {
        if (s.textExamples.size() < kTextExamples) s.textExamples.push_back({line, std::string(v)});
        ++s.texts;
        s.sequential = false;
        scanDate(s, v, line);
    }
    if (s.tooManyCategories) return;
    ++s.counts[std::string(v)];
    if (s.counts.size() > kMaxCategories) {
        s.tooManyCategories = true;
        s.counts.clear();
    }
}

// Pass 1: types, categories, missing values, and the rows that pass 2 will keep.
std::vector<ColumnScan> scanColumns(CsvFile& file, Index& rows, const std::vector<char>& keepIfMissing,
                                    const ProgressCallback& progress, double weight,
                                    std::vector<std::vector<std::string>>* firstRows, Index keep) {
    std::vector<ColumnScan> scans(file.header().size());
    std::vector<std::string> fields;
    rows = 0;
    while (file.next(fields)) {
        if (firstRows != nullptr && Index(firstRows->size()) < keep) firstRows->push_back(fields);
        bool dropped = false;
        for (std::size_t c = 0; c < fields.size(); ++c) {
            ColumnScan& s = scans[c];
            const std::string_view v = trim(fields[c]);
            if (isMissingValue(v)) {
                ++s.missing;
                s.sequential = false;
                dropped |= keepIfMissing[c] == 0;
                continue;
            }
            scanValue(s, v, file.line());
        }
        rows += dropped ? 0 : 1;
        if (progress && rows % 65536 == 0) progress(weight * file.fraction());
    }
    return scans;
}

std::vector<std::string> sortedCategories(const ColumnScan& s, bool numeric) {
    std::vector<std::string> labels;
    for (const auto& [text, count] : s.counts) labels.push_back(text);
    if (numeric) {
        std::sort(labels.begin(), labels.end(), [](const std::string& a, const std::string& b) {
            return *parseNumber(a) < *parseNumber(b);
        });
    } else {
        std::sort(labels.begin(), labels.end());
    }
    return labels;
}

int mostFrequent(const ColumnScan& s, const std::vector<std::string>& labels) {
    int best = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (s.counts.at(labels[i]) > s.counts.at(labels[std::size_t(best)])) best = int(i);
    }
    return best;
}

} // namespace mtl::core::csv
