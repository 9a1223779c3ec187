#include "data/date_column.h"

#include <array>
#include <chrono>
#include <cmath>
#include <numbers>

namespace mtl::core {
namespace {

namespace chr = std::chrono;

constexpr std::array<const char*, kDateFormatCount> kNames{"yyyy-mm-dd", "yyyy/mm/dd", "dd.mm.yyyy",
                                                           "mm/dd/yyyy", "dd/mm/yyyy"};

// Reads 1 to maxDigits digits (exactly `exact` when non-zero) at pos.
std::optional<int> digits(std::string_view s, std::size_t& pos, int maxDigits, int exact = 0) {
    int value = 0;
    int count = 0;
    while (pos < s.size() && count < maxDigits && s[pos] >= '0' && s[pos] <= '9') {
        value = value * 10 + (s[pos++] - '0');
        ++count;
    }
    if (count == 0 || (exact != 0 && count != exact))
        return std::nullopt;
    return value;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c)
        return false;
    ++pos;
    return true;
}

// " hh:mm[:ss[.fff]]" or "Thh:mm[:ss[.fff]][Z|±hh[:mm]]" from pos to the end.
std::optional<double> timeOfDay(std::string_view s, std::size_t pos) {
    const bool iso = s[pos] == 'T';
    if (!iso && s[pos] != ' ')
        return std::nullopt;
    ++pos;
    const auto hour = digits(s, pos, 2);
    if (!hour || !expect(s, pos, ':'))
        return std::nullopt;
    const auto minute = digits(s, pos, 2, 2);
    if (!minute || *hour > 23 || *minute > 59)
        return std::nullopt;
    double seconds = 0.0;
    if (expect(s, pos, ':')) {
        const auto second = digits(s, pos, 2, 2);
        if (!second || *second > 60)
            return std::nullopt;
        seconds = *second;
        if (expect(s, pos, '.')) {
            double scale = 0.1;
            const std::size_t start = pos;
            for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, scale /= 10)
                seconds += scale * (s[pos] - '0');
            if (pos == start)
                return std::nullopt;
        }
    }
    if (iso && pos < s.size()) {
        if (s[pos] == 'Z') {
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            ++pos;
            if (!digits(s, pos, 2, 2))
                return std::nullopt;
            if (expect(s, pos, ':') && !digits(s, pos, 2, 2))
                return std::nullopt;
        }
    }
    if (pos != s.size())
        return std::nullopt;
    return *hour * 3600.0 + *minute * 60.0 + seconds;
}

} // namespace

const char* dateFormatName(DateFormat format) {
    return kNames[std::size_t(format)];
}

std::optional<DateFormat> parseDateFormat(std::string_view name) {
    for (int f = 0; f < kDateFormatCount; ++f) {
        if (name == kNames[std::size_t(f)])
            return DateFormat(f);
    }
    return std::nullopt;
}

std::optional<DateTime> parseDate(std::string_view s, DateFormat format) {
    std::size_t pos = 0;
    std::optional<int> year, month, day;
    switch (format) {
    case DateFormat::YearMonthDayDash:
    case DateFormat::YearMonthDaySlash: {
        const char sep = format == DateFormat::YearMonthDayDash ? '-' : '/';
        year = digits(s, pos, 4, 4);
        if (!year || !expect(s, pos, sep) || !(month = digits(s, pos, 2)) || !expect(s, pos, sep))
            return std::nullopt;
        day = digits(s, pos, 2);
        break;
    }
    case DateFormat::DayMonthYearDot:
    case DateFormat::DayMonthYearSlash:
    case DateFormat::MonthDayYearSlash: {
        const char sep = format == DateFormat::DayMonthYearDot ? '.' : '/';
        const auto first = digits(s, pos, 2);
        if (!first || !expect(s, pos, sep))
            return std::nullopt;
        const auto second = digits(s, pos, 2);
        if (!second || !expect(s, pos, sep))
            return std::nullopt;
        year = digits(s, pos, 4, 4);
        day = format == DateFormat::MonthDayYearSlash ? second : first;
        month = format == DateFormat::MonthDayYearSlash ? first : second;
        break;
    }
    }
    if (!year || !month || !day)
        return std::nullopt;
    const chr::year_month_day date{chr::year{*year}, chr::month{unsigned(*month)},
                                   chr::day{unsigned(*day)}};
    if (!date.ok())
        return std::nullopt;
    DateTime out;
    out.daysSince1970 = chr::sys_days(date).time_since_epoch().count();
    if (pos < s.size()) {
        const auto time = timeOfDay(s, pos);
        if (!time)
            return std::nullopt;
        out.secondOfDay = *time;
        out.hasTime = true;
    }
    return out;
}

unsigned dateFormatsMatching(std::string_view text) {
    // Cheap rejection first: a date starts with a digit and holds a separator.
    if (text.size() < 8 || text[0] < '0' || text[0] > '9')
        return 0;
    unsigned mask = 0;
    for (int f = 0; f < kDateFormatCount; ++f) {
        if (parseDate(text, DateFormat(f)))
            mask |= 1U << f;
    }
    return mask;
}

int dateFeatureCount(bool withTime) {
    return withTime ? 9 : 7;
}

std::vector<std::string> dateFeatureSuffixes(bool withTime) {
    std::vector<std::string> names{"trend",           "month_sin",       "month_cos",
                                   "day_of_year_sin", "day_of_year_cos", "weekday_sin",
                                   "weekday_cos"};
    if (withTime) {
        names.emplace_back("time_sin");
        names.emplace_back("time_cos");
    }
    return names;
}

void dateFeatures(const DateTime& date, bool withTime, std::span<float> out) {
    constexpr double kTwoPi = 2.0 * std::numbers::pi;
    const chr::sys_days days{chr::days{date.daysSince1970}};
    const chr::year_month_day ymd{days};
    const chr::sys_days newYear{ymd.year() / chr::January / 1};
    const double yearLength = ymd.year().is_leap() ? 366.0 : 365.0;
    const double dayOfYear = double((days - newYear).count());      // 0-based
    const double month = double(unsigned(ymd.month()) - 1);         // 0-based
    const double weekday = double(chr::weekday{days}.c_encoding()); // 0 = Sunday
    const double time = withTime ? date.secondOfDay / 86400.0 : 0.0;
    out[0] = float((double(date.daysSince1970) + time) / 365.25); // years since 1970
    out[1] = float(std::sin(kTwoPi * month / 12.0));
    out[2] = float(std::cos(kTwoPi * month / 12.0));
    out[3] = float(std::sin(kTwoPi * dayOfYear / yearLength));
    out[4] = float(std::cos(kTwoPi * dayOfYear / yearLength));
    out[5] = float(std::sin(kTwoPi * weekday / 7.0));
    out[6] = float(std::cos(kTwoPi * weekday / 7.0));
    if (withTime) {
        out[7] = float(std::sin(kTwoPi * time));
        out[8] = float(std::cos(kTwoPi * time));
    }
}

} // namespace mtl::core
