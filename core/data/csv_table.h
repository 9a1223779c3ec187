#pragma once
// The pieces of CSV table loading that the dataset loader and the preview share: a CSV file
// with a header and rows checked against it, and pass 1's per-column scan.

#include "data/csv_dataset.h"
#include "data/column_scan.h"
#include "data/csv_reader.h"
#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace mtl::core::csv {

std::string_view trim(std::string_view s);

class CsvFile {
public:
    CsvFile(const std::string& path, char delimiter) : m_path(path), m_in(path, std::ios::binary) {
        if (!m_in) throw FileError("cannot read '" + path + "': " + std::strerror(errno));
        std::error_code ec;
        m_size = std::filesystem::file_size(path, ec);
        std::string first;
        std::getline(m_in, first);
        if (first.empty() && m_in.eof()) throw FileError(path + ": the file is empty");
        if (first.rfind("\xEF\xBB\xBF", 0) == 0) first.erase(0, 3);
        m_delimiter = delimiter != 0 ? delimiter : detectDelimiter(first);
        m_in.clear();
        m_in.seekg(0);
        m_reader = std::make_unique<CsvReader>(m_in, path, m_delimiter);
        if (!m_reader->next(m_header)) throw FileError(path + ": the file is empty");
        for (std::size_t i = 0; i < m_header.size(); ++i) {
            m_header[i] = std::string(trim(m_header[i]));
            if (m_header[i].empty()) m_header[i] = "column" + std::to_string(i + 1);
        }
    }

    // The next data row; checks it has as many fields as the header.
    bool next(std::vector<std::string>& fields) {
        if (!m_reader->next(fields)) return false;
        if (fields.size() != m_header.size()) {
            throw FileError(m_path + ":" + std::to_string(m_reader->recordLine()) + ": " +
                            std::to_string(fields.size()) + " fields, but the header has " +
                            std::to_string(m_header.size()) + " columns (is the delimiter " +
                            delimiterName(m_delimiter) + " right?)");
        }
        return true;
    }

    const std::vector<std::string>& header() const { return m_header; }
    char delimiter() const { return m_delimiter; }
    long line() const { return m_reader->recordLine(); }
    double fraction() const { return m_size > 0 ? double(m_reader->bytesRead()) / double(m_size) : 1.0; }
    int column(const std::string& name) const {
        const auto it = std::find(m_header.begin(), m_header.end(), name);
        return it == m_header.end() ? -1 : int(it - m_header.begin());
    }
    std::string columnList() const {
        std::string list;
        for (const std::string& h : m_header) list += (list.empty() ? "" : ", ") + h;
        return list;
    }

private:
    std::string m_path;
    std::ifstream m_in;
    std::uintmax_t m_size = 0;
    char m_delimiter = ',';
    std::unique_ptr<CsvReader> m_reader;
    std::vector<std::string> m_header;
};

// Pass 1: reads every row; counts the rows pass 2 keeps (a row with a missing value in a column
// whose keepIfMissing is 0 is dropped). Reports progress as weight × the fraction of the file
// read. When firstRows is given, the first `keep` rows are copied into it as text.
std::vector<ColumnScan> scanColumns(CsvFile& file, Index& rows, const std::vector<char>& keepIfMissing,
                                    const ProgressCallback& progress, double weight,
                                    std::vector<std::vector<std::string>>* firstRows = nullptr,
                                    Index keep = 0);
// Adds one value to a column's scan.
void scanValue(ColumnScan& scan, std::string_view value, long line);
std::vector<std::string> sortedCategories(const ColumnScan& s, bool numeric);
int mostFrequent(const ColumnScan& s, const std::vector<std::string>& labels);

} // namespace mtl::core::csv
