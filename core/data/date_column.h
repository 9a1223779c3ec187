#pragma once
// Dates and date-times in CSV columns: the formats we recognise, parsing by format, and the
// numeric features a date becomes. Recognised formats (each optionally followed by a time,
// " hh:mm[:ss[.fff]]" or ISO 8601 "Thh:mm[:ss[.fff]][Z|±hh[:mm]]"):
//   yyyy-mm-dd  yyyy/mm/dd  dd.mm.yyyy  mm/dd/yyyy  dd/mm/yyyy
// A column is a date column when every value parses in one format; mm/dd and dd/mm are told
// apart by a value above 12 in either place. When no value tells, the column reads as
// mm/dd/yyyy and its report says so.
//
// Features of a date: trend (years since 1970, fractional), month and day of year as sine and
// cosine (a cycle each), weekday as sine and cosine; a date-time adds the time of day as sine
// and cosine. Cycles keep December next to January and Sunday next to Monday.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mtl::core {

enum class DateFormat : std::uint8_t {
    YearMonthDayDash,
    YearMonthDaySlash,
    DayMonthYearDot,
    MonthDayYearSlash,
    DayMonthYearSlash
};
inline constexpr int kDateFormatCount = 5;

// "yyyy-mm-dd", "yyyy/mm/dd", "dd.mm.yyyy", "mm/dd/yyyy", "dd/mm/yyyy".
const char* dateFormatName(DateFormat format);
std::optional<DateFormat> parseDateFormat(std::string_view name);

struct DateTime {
    long daysSince1970 = 0; // the civil date
    double secondOfDay = 0; // local time as written; an ISO offset is ignored
    bool hasTime = false;
};

std::optional<DateTime> parseDate(std::string_view text, DateFormat format);

// The formats a text value could be in, one bit per DateFormat (bit = 1 << int(format)).
unsigned dateFormatsMatching(std::string_view text);

// Features of one date; `withTime` adds the time of day. featureCount() floats are written.
int dateFeatureCount(bool withTime);
void dateFeatures(const DateTime& date, bool withTime, std::span<float> out);
// Suffixes of the feature names, e.g. "trend", "month_sin" (a column's features are
// "<column>:<suffix>").
std::vector<std::string> dateFeatureSuffixes(bool withTime);

} // namespace mtl::core
