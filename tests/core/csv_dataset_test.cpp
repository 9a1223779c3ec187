// CSV tables as datasets: roles, types, one-hot inputs, class targets, missing values, and a
// message naming file, line and column for each kind of malformed table.

#include "data/column_inference.h"
#include "data/csv_dataset.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

using namespace mtl::core;
namespace fs = std::filesystem;

namespace {

class CsvDataset : public ::testing::Test {
protected:
    fs::path dir = fs::temp_directory_path() / ("mtl-csv-" + std::to_string(::getpid()));
    void SetUp() override { fs::create_directories(dir); }
    void TearDown() override { fs::remove_all(dir); }

    std::string write(const std::string& name, const std::string& text) {
        writeFileAtomically((dir / name).string(), text);
        return name;
    }
    Dataset load(const std::string& text, CsvSource source = {}) {
        source.path = write("t.csv", text);
        return loadCsvDataset(source, dir.string());
    }
    std::string errorFor(const std::string& text, CsvSource source = {}) {
        try {
            load(text, std::move(source));
        } catch (const mtl::FileError& e) {
            std::string message = e.what();
            const std::string prefix = (dir / "").string();
            if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
            return message;
        }
        ADD_FAILURE() << "accepted:\n" << text;
        return "";
    }
};

const char* kPeople = "age;city;score;grade\n"
                      "31;Paris;1.5;b\n"
                      "NA;Lyon;2.5;a\n"
                      "40;;?;a\n"
                      "22;Paris;0.5;\n";

CsvSource peopleRoles() {
    CsvSource s;
    s.roles = {{"score", ColumnRole::Target}, {"grade", ColumnRole::Target}};
    return s;
}

} // namespace

TEST_F(CsvDataset, RolesTypesAndEncoding) {
    const Dataset d = load(kPeople, peopleRoles());
    // Inputs: age (numeric), city one-hot over {Lyon, Paris} (sorted).
    EXPECT_EQ(d.schema.inputNames, (std::vector<std::string>{"age", "city=Lyon", "city=Paris"}));
    EXPECT_EQ(d.schema.inputShape, Shape::flat(3));
    ASSERT_EQ(d.schema.targets.size(), 2U);
    EXPECT_FALSE(d.schema.targets[0].isCategorical());
    EXPECT_EQ(d.schema.targets[1].classLabels, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(d.rows(), 4);
    EXPECT_EQ(d.inputs.row(0), (RowVector(3) << 31, 0, 1).finished());
    EXPECT_TRUE(std::isnan(d.inputs(1, 0)));                       // missing number: NaN, filled at training
    EXPECT_EQ(d.inputs.row(2).tail(2), (RowVector(2) << 0, 1).finished()); // missing city: most frequent
    EXPECT_EQ(d.targets(0, 1), 1.0f);                             // "b"
    EXPECT_TRUE(std::isnan(d.targets(2, 0)));                     // "?" score: missing
    EXPECT_TRUE(std::isnan(d.targets(3, 1)));                     // empty grade: missing
    EXPECT_EQ(d.schema.inputColumns[1].categories, (std::vector<std::string>{"Lyon", "Paris"}));
}

TEST_F(CsvDataset, DropRowsWithMissingInputs) {
    CsvSource s = peopleRoles();
    s.missingInputs = MissingInputs::DropRow;
    const Dataset d = load(kPeople, s);
    EXPECT_EQ(d.rows(), 2); // rows 2 (age NA) and 3 (city empty) dropped; missing targets don't drop
    EXPECT_EQ(d.inputs(1, 0), 22.0f);
}

TEST_F(CsvDataset, NumericColumnDeclaredCategoricalKeepsNumericOrder) {
    CsvSource s;
    s.roles = {{"digit", ColumnRole::Target}};
    s.types = {{"digit", ColumnType::Categorical}};
    const Dataset d = load("x,digit\n1,10\n2,9\n3,10\n", s);
    EXPECT_EQ(d.schema.targets[0].classLabels, (std::vector<std::string>{"9", "10"}));
    EXPECT_EQ(d.targets(1, 0), 0.0f);
}

TEST_F(CsvDataset, QuotedCrlfAndByteOrderMark) {
    CsvSource s;
    s.roles = {{"y", ColumnRole::Target}};
    const Dataset d = load("\xEF\xBB\xBF\"x, in quotes\",y\r\n1,2\r\n3,4\r\n", s);
    EXPECT_EQ(d.schema.inputNames[0], "x, in quotes");
    EXPECT_EQ(d.targets(1, 0), 4.0f);
}

TEST_F(CsvDataset, IgnoredColumnsAreLeftOut) {
    CsvSource s = peopleRoles();
    s.roles["city"] = ColumnRole::Ignore;
    EXPECT_EQ(load(kPeople, s).schema.inputNames, std::vector<std::string>{"age"});
}

TEST_F(CsvDataset, RaggedRow) {
    EXPECT_EQ(errorFor("a,b,c\n1,2,3\n4,5\n"),
              "t.csv:3: 2 fields, but the header has 3 columns (is the delimiter comma right?)");
}

TEST_F(CsvDataset, NonNumericValueInANumericColumn) {
    CsvSource s;
    s.types = {{"age", ColumnType::Numeric}};
    EXPECT_EQ(errorFor("id,age\n1,30\n2,31\n3,thirty\n", s),
              "t.csv: column 'age': line 4: 'thirty' is not a number (1 text value in all; mtl "
              "--text-as-missing age or the app's type 'Numeric, text as missing' reads them as missing)");
}

TEST_F(CsvDataset, UnknownColumnName) {
    CsvSource s;
    s.roles = {{"pricee", ColumnRole::Target}};
    EXPECT_EQ(errorFor("price,size\n1,2\n", s), "t.csv: no column 'pricee' (columns: price, size)");
}

TEST_F(CsvDataset, EmptyFileAndHeaderOnly) {
    EXPECT_EQ(errorFor(""), "t.csv: the file is empty");
    EXPECT_EQ(errorFor("a,b\n"), "t.csv: no data rows below the header");
}

TEST_F(CsvDataset, UnterminatedQuote) {
    EXPECT_EQ(errorFor("a,b\n1,\"2\n"),
              "t.csv:2:3: unterminated quoted field (no closing \" before the end of the file)");
}

TEST_F(CsvDataset, TooManyDistinctTextValues) {
    std::string text = "name,y\n";
    for (int i = 0; i < 1500; ++i) text += "person" + std::to_string(i) + "," + std::to_string(i) + "\n";
    CsvSource s;
    s.roles = {{"y", ColumnRole::Target}};
    // Left to the inference, such a column is an identifier and ignored; used as an input, it is refused.
    EXPECT_EQ(errorFor(text, s), "t.csv: no input columns (every column is a target or ignored)");
    s.roles["name"] = ColumnRole::Input;
    EXPECT_EQ(errorFor(text, s), "t.csv: column 'name': more than 1000 distinct values, too many to be "
                                 "categorical (ignore it)");
}

TEST_F(CsvDataset, NoInputColumns) {
    CsvSource s;
    s.roles = {{"y", ColumnRole::Target}};
    EXPECT_EQ(errorFor("y\n1\n", s), "t.csv: no input columns (every column is a target or ignored)");
}

TEST_F(CsvDataset, MissingFile) {
    CsvSource s;
    s.path = "nowhere.csv";
    EXPECT_THROW(loadCsvDataset(s, dir.string()), mtl::FileError);
}

TEST_F(CsvDataset, ProgressReachesOneAndNeverGoesBack) {
    std::string text = "a,b\n";
    for (int i = 0; i < 200000; ++i) text += std::to_string(i) + "," + std::to_string(i % 7) + "\n";
    CsvSource s;
    s.path = write("big.csv", text);
    std::vector<double> seen;
    const Dataset d = loadCsvDataset(s, dir.string(), [&](double f) { seen.push_back(f); });
    EXPECT_EQ(d.rows(), 200000);
    ASSERT_GE(seen.size(), 3U);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_DOUBLE_EQ(seen.back(), 1.0);
}

TEST_F(CsvDataset, PredictionInputsAreEncodedLikeTraining) {
    const Dataset d = load(kPeople, peopleRoles());
    // Other column order, an unknown city, a missing age.
    const std::string path = (dir / write("new.csv", "city,age\nParis,31\nRome,50\nLyon,\n")).string();
    Index unknown = 0;
    const Matrix x = encodeCsvInputs(path, d.schema, &unknown);
    ASSERT_EQ(x.rows(), 3);
    EXPECT_EQ(x.row(0), d.inputs.row(0));
    EXPECT_EQ(x.row(1), (RowVector(3) << 50, 0, 0).finished());
    EXPECT_EQ(unknown, 1);
    EXPECT_TRUE(std::isnan(x(2, 0)));
    EXPECT_THROW(encodeCsvInputs((dir / write("bad.csv", "age\n1\n")).string(), d.schema, nullptr),
                 mtl::FileError);
}

TEST(CsvValues, MissingAndNumbers) {
    for (const char* m : {"", "  ", "NA", "na", "N/A", "NaN", "nan", "?", "NULL"}) EXPECT_TRUE(isMissingValue(m)) << m;
    EXPECT_FALSE(isMissingValue("0"));
    EXPECT_EQ(parseNumber(" 1.5 "), 1.5f);
    EXPECT_EQ(parseNumber("+2e3"), 2000.0f);
    EXPECT_FALSE(parseNumber("1,5"));
    EXPECT_FALSE(parseNumber("inf"));
    EXPECT_FALSE(parseNumber("12abc"));
}

TEST_F(CsvDataset, PreviewDetectsTypesOverTheWholeFileAndKeepsTheFirstRows) {
    const std::string path = (dir / write("p.csv", kPeople)).string();
    const CsvPreview p = previewCsv(path, 0, 2);
    EXPECT_EQ(p.delimiter, ';');
    EXPECT_EQ(p.header, (std::vector<std::string>{"age", "city", "score", "grade"}));
    EXPECT_EQ(p.rowCount, 4);
    ASSERT_EQ(p.rows.size(), 2U);
    EXPECT_EQ(p.rows[1][1], "Lyon");
    const std::vector<ColumnDecision> columns = decideColumns(p, {});
    EXPECT_EQ(columns[0].inferred.kind, ColumnKind::Numeric);
    EXPECT_EQ(columns[0].missing, 1);
    EXPECT_EQ(columns[1].inferred.kind, ColumnKind::Categorical);
    EXPECT_EQ(columns[1].categories, (std::vector<std::string>{"Lyon", "Paris"}));
    EXPECT_EQ(columns[3].missing, 1);
}
