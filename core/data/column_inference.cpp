#include "data/column_inference.h"

#include "data/csv_table.h"

namespace mtl::core {
namespace {

using csv::ColumnScan;

// Thresholds of the rules in the header.
constexpr double kNumericShare =
    0.9; // numbers among the values of a "numeric but for a few" column
constexpr Index kIdentifierMinimum = 20; // fewer distinct values are never an identifier
constexpr double kIdentifierShare = 0.5; // distinct values per non-missing value
constexpr double kFreeTextShare = 0.1;   // … for text that reads like prose or addresses
constexpr Index kManyCategories = 20;
constexpr double kManyCategoriesShare = 0.1; // categories per row

std::string examples(const ColumnScan& s, Index count) {
    std::string text;
    for (const csv::TextExample& e : s.textExamples) {
        text +=
            (text.empty() ? "" : ", ") + ("line " + std::to_string(e.line)) + " '" + e.value + "'";
    }
    if (count > Index(s.textExamples.size()))
        text += ", …";
    return text;
}

std::string plural(Index n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Text like names, addresses or notes: most distinct values hold a space and are long.
bool looksLikeFreeText(const ColumnScan& s) {
    std::size_t spaced = 0, length = 0;
    for (const auto& [text, count] : s.counts) {
        spaced += text.find(' ') != std::string::npos ? 1 : 0;
        length += text.size();
    }
    const std::size_t n = std::max<std::size_t>(1, s.counts.size());
    return 2 * spaced >= n && length >= 10 * n;
}

std::optional<DateFormat> chooseDateFormat(const ColumnScan& s, bool& ambiguous) {
    unsigned formats = s.dateFormats;
    if (s.dayAbove12First)
        formats &= ~(1U << int(DateFormat::MonthDayYearSlash));
    if (s.dayAbove12Second)
        formats &= ~(1U << int(DateFormat::DayMonthYearSlash));
    constexpr unsigned bothSlash =
        (1U << int(DateFormat::MonthDayYearSlash)) | (1U << int(DateFormat::DayMonthYearSlash));
    ambiguous = (formats & bothSlash) == bothSlash;
    for (int f = 0; f < kDateFormatCount; ++f) {
        if ((formats >> f & 1U) != 0)
            return DateFormat(f);
    }
    return std::nullopt;
}

// The column as its values are, before roles and declarations.
std::string describe(const ColumnInference& in, Index rows) {
    switch (in.kind) {
    case ColumnKind::Identifier:
        return in.distinct < 0 ? "ignored: more than " + std::to_string(csv::kMaxCategories) +
                                     " distinct text values, an identifier or free text"
               : in.distinct == rows && rows > 0
                   ? "ignored: a distinct value in every row, an identifier"
                   : "ignored: " + std::to_string(in.distinct) + " distinct values in " +
                         std::to_string(rows) + " rows, an identifier or free text";
    case ColumnKind::Empty:
        return "ignored: every value is missing";
    case ColumnKind::Numeric:
    case ColumnKind::NumericWithText:
    case ColumnKind::Date:
    case ColumnKind::Categorical:
    case ColumnKind::HighCardinality:
        return {};
    }
    return {};
}

} // namespace

const char* columnKindName(ColumnKind kind) {
    switch (kind) {
    case ColumnKind::Empty:
        return "empty";
    case ColumnKind::Numeric:
        return "numeric";
    case ColumnKind::NumericWithText:
        return "numeric with text";
    case ColumnKind::Date:
        return "date";
    case ColumnKind::Categorical:
        return "categorical";
    case ColumnKind::HighCardinality:
        return "categorical, many values";
    case ColumnKind::Identifier:
        return "identifier";
    }
    return "?";
}

ColumnInference inferColumn(const ColumnScan& s) {
    ColumnInference in;
    const Index values = s.numbers + s.texts;
    in.distinct = s.tooManyCategories ? -1 : Index(s.counts.size());
    if (values == 0) {
        in.kind = ColumnKind::Empty;
    } else if (s.texts == 0) {
        // Integers counting up by one through every row: a row number, not a measurement.
        in.kind = s.sequential && s.missing == 0 && values >= kIdentifierMinimum
                      ? ColumnKind::Identifier
                      : ColumnKind::Numeric;
    } else if (double(s.numbers) >= kNumericShare * double(values)) {
        in.kind = ColumnKind::NumericWithText;
    } else if (s.numbers == 0 && s.dateFormats != 0) {
        in.kind = ColumnKind::Date;
        in.dateFormat = chooseDateFormat(s, in.dateAmbiguous);
        in.dateHasTime = s.dateHasTime;
    } else if (s.tooManyCategories ||
               (in.distinct >= kIdentifierMinimum &&
                double(in.distinct) >= kIdentifierShare * double(values)) ||
               (in.distinct >= kIdentifierMinimum &&
                double(in.distinct) >= kFreeTextShare * double(values) && looksLikeFreeText(s))) {
        in.kind = ColumnKind::Identifier;
    } else if (in.distinct > kManyCategories &&
               double(in.distinct) > kManyCategoriesShare * double(values)) {
        in.kind = ColumnKind::HighCardinality;
    } else {
        in.kind = ColumnKind::Categorical;
    }
    return in;
}

ColumnDecision decideColumn(const std::string& name, const ColumnScan& s, const CsvSource& source) {
    ColumnDecision d;
    d.name = name;
    d.inferred = inferColumn(s);
    d.missing = s.missing;
    d.textValues = s.texts;
    const Index rows = s.numbers + s.texts + s.missing;
    const ColumnKind kind = d.inferred.kind;
    const auto declaredRole = source.roles.find(name);
    const auto declaredType = source.types.find(name);
    const ColumnType type =
        declaredType == source.types.end() ? ColumnType::Auto : declaredType->second;

    if (declaredRole != source.roles.end()) {
        d.role = declaredRole->second;
    } else if ((kind == ColumnKind::Identifier || kind == ColumnKind::Empty) &&
               type == ColumnType::Auto) {
        d.role = ColumnRole::Ignore;
        d.notice = describe(d.inferred, rows);
    }
    if (d.role == ColumnRole::Ignore) {
        d.encodingText = "—";
        return d;
    }
    const bool target = d.role == ColumnRole::Target;
    switch (type) {
    case ColumnType::Auto:
        d.encoding = kind == ColumnKind::Numeric || kind == ColumnKind::Empty ? ColumnType::Numeric
                     : kind == ColumnKind::Date                               ? ColumnType::Date
                                                : ColumnType::Categorical;
        if (kind == ColumnKind::Identifier && s.numeric())
            d.encoding = ColumnType::Numeric; // an included row number
        if (kind == ColumnKind::NumericWithText) {
            d.error =
                "numbers but for " + plural(s.texts, "text value", "text values") + " (" +
                examples(s, s.texts) + "): fix " + (s.texts == 1 ? "it" : "them") + ", read " +
                (s.texts == 1 ? "it" : "them") + " as missing (mtl: --text-as-missing " + name +
                "; the app: type 'Numeric, text as missing'), or declare the column categorical";
        }
        break;
    case ColumnType::Numeric:
        if (!s.numeric()) {
            const csv::TextExample& e = s.textExamples.front();
            d.error = "line " + std::to_string(e.line) + ": '" + e.value + "' is not a number (" +
                      plural(s.texts, "text value", "text values") +
                      " in all; mtl --text-as-missing " + name +
                      " or the app's type 'Numeric, text as missing' reads them as missing)";
        }
        d.encoding = ColumnType::Numeric;
        break;
    case ColumnType::NumericOrMissing:
        d.encoding = ColumnType::NumericOrMissing;
        if (s.texts > 0)
            d.notice = plural(s.texts, "text value", "text values") + " read as missing (" +
                       examples(s, s.texts) + ")";
        break;
    case ColumnType::Date:
        d.encoding = ColumnType::Date;
        if (kind != ColumnKind::Date) {
            d.error = s.notDate.line > 0
                          ? "line " + std::to_string(s.notDate.line) + ": '" + s.notDate.value +
                                "' is not a date in a format the other values share"
                          : "no values to read as dates";
            d.error += " (formats: yyyy-mm-dd, yyyy/mm/dd, dd.mm.yyyy, mm/dd/yyyy, dd/mm/yyyy, "
                       "with an optional time)";
        }
        break;
    case ColumnType::Categorical:
        d.encoding = ColumnType::Categorical;
        break;
    }
    if (!d.error.empty())
        return d;

    if (d.encoding == ColumnType::Categorical && s.tooManyCategories) {
        d.error =
            "more than " + std::to_string(csv::kMaxCategories) +
            " distinct values, too many to be categorical" +
            (s.numeric() ? std::string(" (declare it numeric)") : std::string(" (ignore it)"));
        return d;
    }
    if (d.encoding == ColumnType::Date) {
        if (target) {
            d.error = "a date column cannot be a task's target (ignore it or make it an input)";
            return d;
        }
        const bool withTime = d.inferred.dateHasTime;
        d.encodingText =
            std::to_string(dateFeatureCount(withTime)) + " date features (" +
            dateFormatName(d.inferred.dateFormat.value_or(DateFormat::YearMonthDayDash)) + ")";
        d.notice = std::string("read as dates: trend, month, day of year, weekday") +
                   (withTime ? ", time of day" : "");
        if (d.inferred.dateAmbiguous)
            d.notice += "; no day above 12 tells mm/dd from dd/mm: read as mm/dd/yyyy";
        return d;
    }
    if (d.encoding == ColumnType::Categorical) {
        const Index categories = Index(s.counts.size());
        d.categories = csv::sortedCategories(s, s.numeric());
        d.encodingText = target ? "classification, " + plural(categories, "class", "classes")
                                : "one-hot, " + plural(categories, "category", "categories");
        if (categories == 0)
            d.error = "no values, only missing ones";
        if (!target && categories > kManyCategories &&
            double(categories) > kManyCategoriesShare * double(rows)) {
            d.notice =
                "warning: " + plural(categories, "category", "categories") + " for " +
                std::to_string(rows) +
                " rows (an input feature each): few rows per category; ignore it unless it matters";
        }
        return d;
    }
    d.encodingText = target ? "regression" : "numeric";
    return d;
}

std::vector<ColumnDecision> decideColumns(const CsvPreview& preview, const CsvSource& source) {
    std::vector<ColumnDecision> out;
    for (std::size_t c = 0; c < preview.header.size(); ++c) {
        out.push_back(decideColumn(preview.header[c], preview.scans[c], source));
    }
    return out;
}

ColumnReport reportOf(const ColumnDecision& d) {
    ColumnReport r;
    r.name = d.name;
    r.role = d.role == ColumnRole::Target   ? "target"
             : d.role == ColumnRole::Ignore ? "ignore"
                                            : "input";
    r.kind = columnKindName(d.inferred.kind);
    r.encoding = d.encodingText;
    r.missing = d.missing;
    r.distinct = d.inferred.distinct;
    r.notice = d.error.empty() ? d.notice : d.error;
    return r;
}

} // namespace mtl::core
