#pragma once
// The per-epoch table `mtl train` prints: one row per epoch, a train and a validation loss
// column per task, the weighted total and the elapsed time.

#include "model/model.h"
#include "train/records.h"

#include <string>

namespace mtl::cli {

class EpochTable {
public:
    EpochTable(const core::Model& model, bool hasValidation);
    std::string header() const;
    std::string row(const core::EpochRecord& record) const;

private:
    std::vector<std::string> m_titles;
    std::vector<int> m_widths;
    bool m_validation;
    std::size_t m_tasks;
};

// 1234567 → "1,234,567"
std::string withThousands(long long value);
// A value with 4 significant digits, or "–" for NaN.
std::string formatNumber(double value);

} // namespace mtl::cli
