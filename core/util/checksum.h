#pragma once
// FNV-1a, 64 bit: a fast checksum that detects damaged or truncated files (not tampering).

#include <cstdint>
#include <string_view>

namespace mtl::core {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;

constexpr std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = kFnvOffset) {
    for (char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

} // namespace mtl::core
