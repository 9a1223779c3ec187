#include "data/csv_reader.h"

#include "util/error.h"

#include <array>

namespace mtl::core {
namespace {

constexpr std::size_t kChunk = 1 << 16;

std::string printable(int c) {
    if (c == '\t') return "a tab";
    if (c >= 32 && c < 127) return std::string("'") + char(c) + "'";
    return "byte " + std::to_string(c);
}

} // namespace

CsvReader::CsvReader(std::istream& in, std::string fileName, char delimiter)
    : m_in(in), m_fileName(std::move(fileName)), m_delimiter(delimiter), m_buffer(kChunk) {}

int CsvReader::peek() {
    if (m_pos == m_end) {
        m_in.read(m_buffer.data(), std::streamsize(m_buffer.size()));
        m_end = static_cast<std::size_t>(m_in.gcount());
        m_pos = 0;
        if (m_end == 0) return -1;
    }
    return static_cast<unsigned char>(m_buffer[m_pos]);
}

int CsvReader::get() {
    const int c = peek();
    if (c < 0) return c;
    ++m_pos;
    ++m_bytes;
    if (c == '\n') {
        ++m_line;
        m_column = 0;
    } else {
        ++m_column;
    }
    return c;
}

void CsvReader::fail(const std::string& message) const {
    throw FileError(m_fileName + ":" + std::to_string(m_line) + ":" + std::to_string(m_column) +
                    ": " + message);
}

bool CsvReader::next(std::vector<std::string>& fields) {
    if (!m_started) {
        m_started = true;
        // Skip a UTF-8 byte-order mark.
        if (peek() == 0xEF && m_end - m_pos >= 3 && static_cast<unsigned char>(m_buffer[m_pos + 1]) == 0xBB &&
            static_cast<unsigned char>(m_buffer[m_pos + 2]) == 0xBF) {
            m_pos += 3;
            m_bytes += 3;
        }
    }
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };
    for (;;) { // one record; blank lines are skipped
        std::size_t count = 0;
        auto field = [&]() -> std::string& {
            if (fields.size() <= count) fields.emplace_back();
            return fields[count];
        };
        field().clear();
        State state = State::FieldStart;
        m_recordLine = m_line;
        long quoteLine = 0, quoteColumn = 0;
        bool anyCharacter = false;
        for (;;) {
            int c = get();
            if (c == '\r' && state != State::Quoted) {
                if (peek() == '\n') c = get(); // CRLF
                else c = '\n';                 // a lone CR ends a record too
            }
            if (c < 0) {
                if (state == State::Quoted) {
                    throw FileError(m_fileName + ":" + std::to_string(quoteLine) + ":" +
                                    std::to_string(quoteColumn) +
                                    ": unterminated quoted field (no closing \" before the end of the file)");
                }
                if (!anyCharacter) return false;
                break;
            }
            anyCharacter = true;
            if (state == State::Quoted) {
                if (c == '"') state = State::QuoteInQuoted;
                else field() += char(c);
                continue;
            }
            if (c == '\n') break;
            if (c == m_delimiter) {
                ++count;
                field().clear();
                state = State::FieldStart;
                continue;
            }
            switch (state) {
            case State::FieldStart:
                if (c == '"') {
                    state = State::Quoted;
                    quoteLine = m_line;
                    quoteColumn = m_column;
                } else {
                    field() += char(c);
                    state = State::Unquoted;
                }
                break;
            case State::Unquoted:
                field() += char(c); // a stray quote inside an unquoted field is kept as text
                break;
            case State::QuoteInQuoted:
                if (c != '"') {
                    fail("unexpected " + printable(c) + " after a closing quote (a quote inside a "
                         "quoted field is written \"\")");
                }
                field() += '"';
                state = State::Quoted;
                break;
            case State::Quoted:
                break;
            }
        }
        fields.resize(count + 1);
        const bool blank = count == 0 && fields[0].empty() && state == State::FieldStart;
        if (!blank) return true;
        if (!anyCharacter) return false;
    }
}

char detectDelimiter(std::string_view headerLine) {
    std::array<int, 3> counts{};
    constexpr std::array<char, 3> kCandidates{',', ';', '\t'};
    bool quoted = false;
    for (char c : headerLine) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        for (std::size_t i = 0; i < kCandidates.size(); ++i) counts[i] += c == kCandidates[i];
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < counts.size(); ++i) {
        if (counts[i] > counts[best]) best = i;
    }
    return kCandidates[best];
}

std::string delimiterName(char delimiter) {
    switch (delimiter) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    default: return std::string("'") + delimiter + "'";
    }
}

} // namespace mtl::core
