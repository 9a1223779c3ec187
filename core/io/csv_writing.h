#pragma once
// Writing CSV cells: text quoted as RFC 4180 requires, numbers in the shortest form that reads
// back to the same value, NaN as an empty cell.

#include <charconv>
#include <cmath>
#include <string>

namespace mtl::core {

std::string csvField(const std::string& text);

template <typename Number>
void appendNumber(std::string& out, Number value) {
    if (std::isnan(value)) return;
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

} // namespace mtl::core
