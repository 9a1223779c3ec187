#include "cli/column_table.h"

#include "cli/table.h"

#include <algorithm>
#include <array>

namespace mtl::cli {
namespace {

// The option that undoes or changes what loading decided for a column.
std::string hint(const core::ColumnReport& c) {
    if (c.role == "ignore" && !c.notice.empty())
        return " (--include " + c.name + " to use it)";
    if (c.kind == "date" && c.role == "input")
        return " (--ignore " + c.name + " to leave it out)";
    if (c.notice.rfind("warning", 0) == 0)
        return " (--ignore " + c.name + ")";
    if (c.kind == "numeric with text" && c.notice.find("read as missing") == std::string::npos) {
        return " (--text-as-missing " + c.name + ")";
    }
    return {};
}

// Characters, not bytes: UTF-8 continuation bytes do not take a column.
std::size_t displayWidth(const std::string& text) {
    return std::size_t(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

} // namespace

void printColumnTable(std::ostream& out, const core::Dataset& data, const std::string& file) {
    if (data.columns.empty())
        return;
    const std::array<std::string, 6> titles{"column",   "role",    "values",
                                            "encoding", "missing", "distinct"};
    std::array<std::size_t, 6> width{};
    for (std::size_t i = 0; i < titles.size(); ++i)
        width[i] = titles[i].size();
    auto cells = [](const core::ColumnReport& c) {
        return std::array<std::string, 6>{c.name,
                                          c.role,
                                          c.kind,
                                          c.encoding,
                                          withThousands(c.missing),
                                          c.distinct < 0 ? std::string(">1000")
                                                         : withThousands(c.distinct)};
    };
    for (const core::ColumnReport& c : data.columns) {
        const auto row = cells(c);
        for (std::size_t i = 0; i < row.size(); ++i)
            width[i] = std::max(width[i], displayWidth(row[i]));
    }
    auto print = [&](const std::array<std::string, 6>& row) {
        out << " ";
        for (std::size_t i = 0; i < row.size(); ++i) {
            const std::string pad(width[i] - displayWidth(row[i]), ' ');
            out << " " << (i >= 4 ? pad + row[i] : row[i] + pad);
        }
        out << "\n";
    };
    out << "columns of " << file << " (" << withThousands(data.rows()) << " rows):\n";
    print(titles);
    for (const core::ColumnReport& c : data.columns)
        print(cells(c));
    printColumnNotices(out, data);
}

void printColumnNotices(std::ostream& out, const core::Dataset& data) {
    bool first = true;
    for (const core::ColumnReport& c : data.columns) {
        if (c.notice.empty())
            continue;
        if (first)
            out << "notes:\n";
        first = false;
        out << "  " << c.name << ": " << c.notice << hint(c) << "\n";
    }
}

} // namespace mtl::cli
