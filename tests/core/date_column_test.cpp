// Dates in CSV columns: each recognised format, impossible dates refused, times of day, and the
// features a date becomes.

#include "data/date_column.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace mtl::core;

namespace {

long days(std::string_view text, DateFormat format) {
    const auto d = parseDate(text, format);
    EXPECT_TRUE(d.has_value()) << text;
    return d ? d->daysSince1970 : -1;
}

} // namespace

TEST(DateColumn, EveryFormatReadsTheSameDay) {
    // 2012-03-04 is day 15403 since 1970-01-01.
    EXPECT_EQ(days("1970-01-01", DateFormat::YearMonthDayDash), 0);
    EXPECT_EQ(days("2012-03-04", DateFormat::YearMonthDayDash), 15403);
    EXPECT_EQ(days("2012/03/04", DateFormat::YearMonthDaySlash), 15403);
    EXPECT_EQ(days("04.03.2012", DateFormat::DayMonthYearDot), 15403);
    EXPECT_EQ(days("03/04/2012", DateFormat::MonthDayYearSlash), 15403);
    EXPECT_EQ(days("04/03/2012", DateFormat::DayMonthYearSlash), 15403);
    EXPECT_EQ(days("3/4/2012", DateFormat::MonthDayYearSlash), 15403);
}

TEST(DateColumn, ImpossibleDatesAndOtherTextAreRefused) {
    for (const char* text :
         {"2023-02-29", "2023-13-01", "2023-00-10", "2023-1-32", "12-03-04", "2012-03-04x",
          "2012/03-04", "2012-03-04 25:00", "2012-03-04T10:61", "abc", "20120304"}) {
        EXPECT_FALSE(parseDate(text, DateFormat::YearMonthDayDash)) << text;
    }
    EXPECT_TRUE(parseDate("2024-02-29", DateFormat::YearMonthDayDash)); // a leap year
    EXPECT_FALSE(parseDate("13/01/2012", DateFormat::MonthDayYearSlash));
}

TEST(DateColumn, TimesOfDayInBothStyles) {
    const auto a = parseDate("2010/01/01 06:30", DateFormat::YearMonthDaySlash);
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->hasTime);
    EXPECT_DOUBLE_EQ(a->secondOfDay, 6.5 * 3600);
    const auto b = parseDate("2010-01-01T18:00:30.5Z", DateFormat::YearMonthDayDash);
    ASSERT_TRUE(b);
    EXPECT_DOUBLE_EQ(b->secondOfDay, 18 * 3600 + 30.5);
    EXPECT_TRUE(parseDate("2010-01-01T18:00:30+02:00", DateFormat::YearMonthDayDash));
    EXPECT_FALSE(
        parseDate("2010-01-01 18:00Z", DateFormat::YearMonthDayDash)); // a zone only after 'T'
}

TEST(DateColumn, FormatsMatchingAValue) {
    const unsigned slashBoth =
        (1U << int(DateFormat::MonthDayYearSlash)) | (1U << int(DateFormat::DayMonthYearSlash));
    EXPECT_EQ(dateFormatsMatching("03/04/2012"), slashBoth);
    EXPECT_EQ(dateFormatsMatching("13/04/2012"), 1U << int(DateFormat::DayMonthYearSlash));
    EXPECT_EQ(dateFormatsMatching("2012-03-04"), 1U << int(DateFormat::YearMonthDayDash));
    EXPECT_EQ(dateFormatsMatching("4.3.2012"), 1U << int(DateFormat::DayMonthYearDot));
    EXPECT_EQ(dateFormatsMatching("4.3.12"), 0U); // too short to be taken for a date
    EXPECT_EQ(dateFormatsMatching("04.03.2012"), 1U << int(DateFormat::DayMonthYearDot));
    EXPECT_EQ(dateFormatsMatching("Paris"), 0U);
}

TEST(DateColumn, FeaturesAreTrendAndCycles) {
    constexpr double kTwoPi = 2.0 * std::numbers::pi;
    std::vector<float> f(std::size_t(dateFeatureCount(false)));
    // 1970-01-01 was a Thursday (weekday 4, Sunday = 0), day 0 of the year, month 0.
    dateFeatures(*parseDate("1970-01-01", DateFormat::YearMonthDayDash), false, f);
    EXPECT_FLOAT_EQ(f[0], 0.0f);
    EXPECT_FLOAT_EQ(f[1], 0.0f);
    EXPECT_FLOAT_EQ(f[2], 1.0f);
    EXPECT_FLOAT_EQ(f[3], 0.0f);
    EXPECT_FLOAT_EQ(f[5], float(std::sin(kTwoPi * 4 / 7)));
    EXPECT_FLOAT_EQ(f[6], float(std::cos(kTwoPi * 4 / 7)));
    // 2020-12-31: month 11, day 365 of a 366-day year, trend ≈ 51 years.
    dateFeatures(*parseDate("2020-12-31", DateFormat::YearMonthDayDash), false, f);
    EXPECT_NEAR(f[0], 18627.0 / 365.25, 1e-4);
    EXPECT_FLOAT_EQ(f[1], float(std::sin(kTwoPi * 11 / 12)));
    EXPECT_FLOAT_EQ(f[3], float(std::sin(kTwoPi * 365 / 366)));
    // Noon: time of day half way round.
    std::vector<float> t(std::size_t(dateFeatureCount(true)));
    dateFeatures(*parseDate("2020-06-01 12:00", DateFormat::YearMonthDayDash), true, t);
    EXPECT_NEAR(t[7], 0.0f, 1e-6);
    EXPECT_FLOAT_EQ(t[8], -1.0f);
    EXPECT_EQ(dateFeatureSuffixes(true).size(), t.size());
}
