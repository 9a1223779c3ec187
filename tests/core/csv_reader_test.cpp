// RFC 4180 reading: quoting, line endings, byte-order mark, delimiters, malformed input.

#include "data/csv_reader.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace mtl::core;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows read(const std::string& text, char delimiter = ',') {
    std::istringstream in(text);
    CsvReader reader(in, "t.csv", delimiter);
    Rows rows;
    std::vector<std::string> fields;
    while (reader.next(fields)) rows.push_back(fields);
    return rows;
}

std::string errorFor(const std::string& text) {
    try {
        read(text);
    } catch (const mtl::FileError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted: " << text;
    return "";
}

} // namespace

TEST(CsvReader, PlainRows) {
    EXPECT_EQ(read("a,b\n1,2\n"), (Rows{{"a", "b"}, {"1", "2"}}));
    EXPECT_EQ(read("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}})); // no final newline
    EXPECT_EQ(read("a,,c\n,\n"), (Rows{{"a", "", "c"}, {"", ""}}));
}

TEST(CsvReader, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
    EXPECT_EQ(read("\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"),
              (Rows{{"x, y", "say \"hi\"", "two\nlines"}}));
    EXPECT_EQ(read("\"\",b\n"), (Rows{{"", "b"}}));
}

TEST(CsvReader, LineEndingsAndBlankLines) {
    EXPECT_EQ(read("a,b\r\n1,2\r\n\r\n3,4\r\n"), (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
    EXPECT_EQ(read("a\rb\r"), (Rows{{"a"}, {"b"}}));
    EXPECT_EQ(read("\"in\r\nside\"\n"), (Rows{{"in\r\nside"}})); // kept as written inside quotes
    EXPECT_EQ(read(""), Rows{});
    EXPECT_EQ(read("\n\n"), Rows{});
}

TEST(CsvReader, ByteOrderMarkIsSkipped) {
    EXPECT_EQ(read("\xEF\xBB\xBFname,value\n"), (Rows{{"name", "value"}}));
}

TEST(CsvReader, OtherDelimiters) {
    EXPECT_EQ(read("a;b,c\n", ';'), (Rows{{"a", "b,c"}}));
    EXPECT_EQ(read("a\tb\n", '\t'), (Rows{{"a", "b"}}));
    EXPECT_EQ(detectDelimiter("a;b;c"), ';');
    EXPECT_EQ(detectDelimiter("a\tb,c\td"), '\t');
    EXPECT_EQ(detectDelimiter("\"a;b\",c"), ',');
    EXPECT_EQ(detectDelimiter("single"), ',');
}

TEST(CsvReader, StrayQuoteInsideAnUnquotedFieldIsText) {
    EXPECT_EQ(read("5\" screen,x\n"), (Rows{{"5\" screen", "x"}}));
}

TEST(CsvReader, UnterminatedQuoteNamesWhereItOpened) {
    EXPECT_EQ(errorFor("a,b\n1,\"open\n2,3\n"),
              "t.csv:2:3: unterminated quoted field (no closing \" before the end of the file)");
}

TEST(CsvReader, TextAfterClosingQuote) {
    EXPECT_EQ(errorFor("\"ab\"c,d\n"),
              "t.csv:1:5: unexpected 'c' after a closing quote (a quote inside a quoted field is "
              "written \"\")");
}

TEST(CsvReader, RecordLineIsWhereTheRecordStarted) {
    std::istringstream in("a\n\"x\ny\"\nz\n");
    CsvReader reader(in, "t.csv", ',');
    std::vector<std::string> f;
    reader.next(f);
    reader.next(f);
    EXPECT_EQ(reader.recordLine(), 2);
    reader.next(f);
    EXPECT_EQ(reader.recordLine(), 4);
}
