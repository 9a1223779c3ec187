#pragma once
// IDX files (the MNIST format), plain or gzip-compressed: a big-endian header — two zero bytes,
// a type byte (0x08: unsigned bytes), the number of dimensions — then each dimension's size,
// then the data. Malformed files throw FileError naming the file and the fault.

#include <cstdint>
#include <string>
#include <vector>

namespace mtl::core {

struct IdxArray {
    std::vector<int> dims;
    std::vector<std::uint8_t> data;
};

IdxArray readIdx(const std::string& path);

} // namespace mtl::core
