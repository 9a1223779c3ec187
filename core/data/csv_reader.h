#pragma once
// RFC 4180 CSV reader over a stream: quoted fields may hold delimiters, doubled quotes and line
// breaks; records end with LF or CRLF; a UTF-8 byte-order mark is skipped; blank lines are
// skipped. Reads in chunks, so a file of any size streams through a small buffer. Malformed
// input throws FileError naming the file, line and column.

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace mtl::core {

class CsvReader {
public:
    CsvReader(std::istream& in, std::string fileName, char delimiter);

    // The next record's fields (reusing their storage); false at the end of the input.
    bool next(std::vector<std::string>& fields);
    long recordLine() const { return m_recordLine; } // line the last record started on
    std::uint64_t bytesRead() const { return m_bytes; }
    const std::string& fileName() const { return m_fileName; }

private:
    int get(); // next byte or −1; tracks line and column
    int peek();
    [[noreturn]] void fail(const std::string& message) const;

    std::istream& m_in;
    std::string m_fileName;
    char m_delimiter;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_bytes = 0;
    long m_line = 1;
    long m_column = 0;
    long m_recordLine = 1;
    bool m_started = false;
};

// The delimiter of a header line: the most frequent of ',', ';' and tab outside quotes
// (',' when none occurs).
char detectDelimiter(std::string_view headerLine);

// "comma", "semicolon", "tab": for messages and files.
std::string delimiterName(char delimiter);

} // namespace mtl::core
