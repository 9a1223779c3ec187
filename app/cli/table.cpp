#include "cli/table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mtl::cli {

EpochTable::EpochTable(const core::Model& model, bool hasValidation)
    : m_validation(hasValidation), m_tasks(model.tasks().size()) {
    m_titles.emplace_back("epoch");
    for (const core::TaskInfo& task : model.tasks()) {
        m_titles.push_back(task.name + " train");
        if (hasValidation) m_titles.push_back(task.name + " val");
    }
    m_titles.emplace_back(hasValidation ? "total val" : "total train");
    m_titles.emplace_back("time");
    for (const std::string& title : m_titles) {
        m_widths.push_back(std::max<int>(9, static_cast<int>(title.size())));
    }
}

std::string EpochTable::header() const {
    std::string out;
    for (std::size_t i = 0; i < m_titles.size(); ++i) {
        const auto pad = static_cast<std::size_t>(m_widths[i]) - m_titles[i].size();
        out += (i ? "  " : "") + std::string(pad, ' ') + m_titles[i];
    }
    return out;
}

std::string EpochTable::row(const core::EpochRecord& r) const {
    std::vector<std::string> cells{std::to_string(r.epoch)};
    for (std::size_t t = 0; t < m_tasks; ++t) {
        cells.push_back(formatNumber(r.train.loss[t]));
        if (m_validation) cells.push_back(formatNumber(r.validation.loss[t]));
    }
    cells.push_back(formatNumber(m_validation ? r.validation.total : r.train.total));
    char time[32];
    std::snprintf(time, sizeof time, r.seconds < 10 ? "%.2fs" : "%.1fs", r.seconds);
    cells.emplace_back(time);
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto width = static_cast<std::size_t>(m_widths[i]);
        const std::size_t pad = width > cells[i].size() ? width - cells[i].size() : 0;
        out += (i ? "  " : "") + std::string(pad, ' ') + cells[i];
    }
    return out;
}

std::string withThousands(long long value) {
    const std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out = value < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string formatNumber(double value) {
    if (std::isnan(value)) return "–";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return buffer;
}

} // namespace mtl::cli
