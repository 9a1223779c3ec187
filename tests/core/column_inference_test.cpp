// CSV columns as people have them: names and ids (ignored unless included), dates in the common
// formats (features), a numeric column with a stray text value (refused naming the lines, or read
// as missing when asked), many categories for few rows (a warning), row numbers. Each table is
// written by the test in the shape of a real one.

#include "data/column_inference.h"
#include "data/csv_dataset.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <unistd.h>

using namespace mtl::core;
namespace fs = std::filesystem;

namespace {

class CsvColumns : public ::testing::Test {
protected:
    fs::path dir = fs::temp_directory_path() / ("mtl-columns-" + std::to_string(::getpid()));
    void SetUp() override { fs::create_directories(dir); }
    void TearDown() override { fs::remove_all(dir); }

    std::string write(const std::string& name, const std::string& text) {
        writeFileAtomically((dir / name).string(), text);
        return (dir / name).string();
    }
    Dataset load(const std::string& text, CsvSource source) {
        source.path = write("t.csv", text);
        return loadCsvDataset(source, "");
    }
    std::string errorFor(const std::string& text, CsvSource source) {
        try {
            load(text, std::move(source));
        } catch (const mtl::FileError& e) {
            std::string message = e.what();
            return message.substr(message.find("t.csv"));
        }
        ADD_FAILURE() << "accepted";
        return "";
    }
    static const ColumnReport& column(const Dataset& d, const std::string& name) {
        for (const ColumnReport& c : d.columns) {
            if (c.name == name)
                return c;
        }
        throw std::runtime_error("no column " + name);
    }
};

CsvSource target(const std::string& column) {
    CsvSource s;
    s.roles[column] = ColumnRole::Target;
    return s;
}

// Cars-like: a name per car (mostly distinct), a date per model year, a number and a class.
std::string cars(int rows) {
    std::string text = "Name,Horsepower,Year,Origin\n";
    for (int i = 0; i < rows; ++i) {
        text += "car model " + std::to_string(i * 7 % (rows - rows / 4)) + "," +
                std::to_string(60 + i % 90) + "," + std::to_string(1970 + i % 12) + "-01-01," +
                (i % 3 == 0   ? "USA"
                 : i % 3 == 1 ? "Europe"
                              : "Japan") +
                "\n";
    }
    return text;
}

} // namespace

TEST_F(CsvColumns, NamesAreIgnoredAndDatesBecomeFeatures) {
    const Dataset d = load(cars(400), target("Origin"));
    EXPECT_EQ(column(d, "Name").role, "ignore");
    EXPECT_EQ(column(d, "Name").kind, "identifier");
    EXPECT_NE(column(d, "Name").notice.find("distinct values in 400 rows"), std::string::npos);
    EXPECT_EQ(column(d, "Year").kind, "date");
    EXPECT_EQ(column(d, "Year").encoding, "7 date features (yyyy-mm-dd)");
    // Horsepower + 7 date features: no one-hot of names or dates.
    ASSERT_EQ(d.schema.inputShape.size(), 8);
    EXPECT_EQ(d.schema.inputNames[1], "Year:trend");
    EXPECT_NEAR(d.inputs(1, 1), (365.0) / 365.25, 1e-5); // 1971-01-01
    EXPECT_EQ(d.schema.inputColumns[1].dateFormat, "yyyy-mm-dd");
}

TEST_F(CsvColumns, AnIncludedIdentifierIsOneHot) {
    CsvSource s = target("Origin");
    s.roles["Name"] = ColumnRole::Input;
    const Dataset d = load(cars(400), s);
    EXPECT_EQ(column(d, "Name").role, "input");
    EXPECT_GT(d.schema.inputShape.size(), 200);
    EXPECT_EQ(column(d, "Name").notice.rfind("warning: ", 0), 0U) << column(d, "Name").notice;
}

TEST_F(CsvColumns, SlashAndDotDatesAndDayMonthOrder) {
    std::string text = "date,dots,us,eu,y\n";
    for (int i = 0; i < 40; ++i) {
        const int day = 1 + i % 28, month = 1 + i % 12;
        char line[128];
        std::snprintf(line, sizeof line, "2012/%02d/%02d,%02d.%02d.2013,%d/%d/2014,%d/%d/2015,%d\n",
                      month, day, day, month, month, day, day, month, i);
        text += line;
    }
    const Dataset d = load(text, target("y"));
    EXPECT_EQ(column(d, "date").encoding, "7 date features (yyyy/mm/dd)");
    EXPECT_EQ(column(d, "dots").encoding, "7 date features (dd.mm.yyyy)");
    EXPECT_EQ(column(d, "us").encoding, "7 date features (mm/dd/yyyy)");
    EXPECT_EQ(column(d, "eu").encoding, "7 date features (dd/mm/yyyy)");
    EXPECT_EQ(column(d, "us").notice.find("mm/dd from dd/mm"), std::string::npos);
}

TEST_F(CsvColumns, SlashDatesNoValueTellsApartAreReadAsMonthFirstAndSaySo) {
    std::string text = "d,y\n";
    for (int i = 1; i <= 12; ++i)
        text +=
            std::to_string(i) + "/" + std::to_string(13 - i) + "/2020," + std::to_string(i) + "\n";
    const Dataset d = load(text, target("y"));
    EXPECT_EQ(column(d, "d").encoding, "7 date features (mm/dd/yyyy)");
    EXPECT_NE(column(d, "d").notice.find("read as mm/dd/yyyy"), std::string::npos);
}

TEST_F(CsvColumns, DateTimesAddTheTimeOfDay) {
    const Dataset d =
        load("when,y\n2010/01/01 00:00,1\n2010/01/01 06:00,2\n2010/01/01 12:00,3\n", target("y"));
    EXPECT_EQ(column(d, "when").encoding, "9 date features (yyyy/mm/dd)");
    EXPECT_NEAR(d.inputs(2, 8), -1.0f, 1e-6); // cos of noon
}

TEST_F(CsvColumns, AStrayTextValueIsRefusedNamingItsLine) {
    std::string text = "x,z,y\n";
    for (int i = 0; i < 400; ++i)
        text += (i == 56 ? std::string("abc") : std::to_string(i % 17 * 1.5)) + ",1," +
                std::to_string(i % 5) + "\n";
    EXPECT_EQ(errorFor(text, target("y")), "t.csv: column 'x': numbers but for 1 text value (line "
                                           "58 'abc'): fix it, read it as missing "
                                           "(mtl: --text-as-missing x; the app: type 'Numeric, "
                                           "text as missing'), or declare the column "
                                           "categorical");
    CsvSource asMissing = target("y");
    asMissing.types["x"] = ColumnType::NumericOrMissing;
    const Dataset d = load(text, asMissing);
    EXPECT_EQ(d.schema.inputShape.size(), 2); // not a 400-way one-hot
    EXPECT_TRUE(std::isnan(d.inputs(56, 0)));
    EXPECT_EQ(column(d, "x").notice, "1 text value read as missing (line 58 'abc')");
    EXPECT_TRUE(d.schema.inputColumns[0].textAsMissing);
}

TEST_F(CsvColumns, AStrayTextValueInATargetIsMissingWhenAsked) {
    std::string text = "x,y\n";
    for (int i = 0; i < 30; ++i)
        text +=
            std::to_string(i % 4) + "," + (i == 3 ? std::string("n.a.") : std::to_string(i)) + "\n";
    CsvSource s = target("y");
    EXPECT_NE(errorFor(text, s).find("column 'y': numbers but for 1 text value (line 5 'n.a.')"),
              std::string::npos);
    s.types["y"] = ColumnType::NumericOrMissing;
    const Dataset d = load(text, s);
    EXPECT_TRUE(std::isnan(d.targets(3, 0)));
    EXPECT_FALSE(d.schema.targets[0].isCategorical());
}

TEST_F(CsvColumns, ManyCategoriesForFewRowsWarn) {
    std::string text = "shop,y\n";
    for (int i = 0; i < 300; ++i)
        text += "shop" + std::to_string(i % 60) + "," + std::to_string(i % 2) + "\n";
    const Dataset d = load(text, target("y"));
    EXPECT_EQ(column(d, "shop").role, "input");
    EXPECT_EQ(column(d, "shop").kind, "categorical, many values");
    EXPECT_EQ(column(d, "shop").notice.rfind("warning: 60 categories for 300 rows", 0), 0U)
        << column(d, "shop").notice;
    EXPECT_EQ(d.schema.inputShape.size(), 60);
}

TEST_F(CsvColumns, RowNumbersAreIdentifiersButMeasurementsAreNot) {
    std::string text = "id,weight,y\n";
    for (int i = 0; i < 50; ++i)
        text += std::to_string(i + 1) + "," + std::to_string(1000 + 37 * i) + "," +
                std::to_string(i % 3) + "\n";
    const Dataset d = load(text, target("y"));
    EXPECT_EQ(column(d, "id").role, "ignore");
    EXPECT_EQ(column(d, "weight").role, "input");
    EXPECT_EQ(d.schema.inputNames, std::vector<std::string>{"weight"});
}

TEST_F(CsvColumns, DeclaredTypesAndTheirMessages) {
    const std::string text = "d,y\n2020-01-01,1\n2020-02-30,2\n";
    CsvSource s = target("y");
    s.types["d"] = ColumnType::Date;
    EXPECT_EQ(errorFor(text, s),
              "t.csv: column 'd': line 3: '2020-02-30' is not a date in a format the other values "
              "share (formats: yyyy-mm-dd, yyyy/mm/dd, dd.mm.yyyy, mm/dd/yyyy, dd/mm/yyyy, with an "
              "optional time)");
    CsvSource dateTarget;
    dateTarget.roles["d"] = ColumnRole::Target;
    EXPECT_NE(errorFor("d,x\n2020-01-01,1\n2020-01-02,2\n", dateTarget)
                  .find("a date column cannot be a task's target"),
              std::string::npos);
    CsvSource numeric = target("y");
    numeric.types["d"] = ColumnType::Numeric;
    EXPECT_NE(errorFor(text, numeric).find("line 2: '2020-01-01' is not a number"),
              std::string::npos);
}

TEST_F(CsvColumns, EmptyColumnsAreIgnored) {
    const Dataset d = load("a,empty,y\n1,,2\n2,NA,3\n", target("y"));
    EXPECT_EQ(column(d, "empty").role, "ignore");
    EXPECT_EQ(column(d, "empty").notice, "ignored: every value is missing");
}

TEST_F(CsvColumns, PredictionEncodesDatesAndTextAsMissingLikeTraining) {
    std::string text = "when,x,y\n";
    for (int i = 0; i < 30; ++i)
        text += "2021-03-" + std::to_string(10 + i % 9) + "," +
                (i == 4 ? "?x" : std::to_string(i)) + "," + std::to_string(i) + "\n";
    CsvSource s = target("y");
    s.types["x"] = ColumnType::NumericOrMissing;
    const Dataset d = load(text, s);
    const Matrix x = encodeCsvInputs(write("new.csv", "x,when\nfoo,2021-03-10\n3,\n"), d.schema);
    ASSERT_EQ(x.cols(), 8);
    EXPECT_EQ(x.row(0).head(7), d.inputs.row(0).head(7));
    EXPECT_TRUE(std::isnan(x(0, 7)));
    EXPECT_TRUE(std::isnan(x(1, 0)));
    EXPECT_EQ(x(1, 7), 3.0f);
    EXPECT_THROW(encodeCsvInputs(write("bad.csv", "x,when\n1,10/03/2021\n"), d.schema),
                 mtl::FileError);
}

TEST_F(CsvColumns, DropRowIgnoresMissingValuesOfIgnoredColumns) {
    CsvSource s = target("y");
    s.missingInputs = MissingInputs::DropRow;
    std::string text = "note,x,y\n";
    for (int i = 0; i < 40; ++i)
        text += (i % 2 ? "" : "note " + std::to_string(i)) + "," +
                (i == 5 ? "" : std::to_string(i % 7)) + "," + std::to_string(i) + "\n";
    const Dataset d = load(text, s);
    EXPECT_EQ(column(d, "note").role, "ignore");
    EXPECT_EQ(d.rows(), 39); // only the row missing x is dropped
    EXPECT_EQ(d.targets(5, 0), 6.0f);
}
