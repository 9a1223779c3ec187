#pragma once
// NumPy's .npz: a zip archive of .npy arrays (format 1.0, little-endian float32), stored
// uncompressed. Read with numpy.load(path)[name].

#include <cstddef>
#include <string>
#include <vector>

namespace mtl::core {

struct NpyArray {
    std::string name;              // without ".npy"
    std::vector<std::size_t> shape;
    std::vector<float> values;     // row-major; shape's product
};

std::string npyBytes(const NpyArray& array);
std::string npzBytes(const std::vector<NpyArray>& arrays);
void writeNpz(const std::string& path, const std::vector<NpyArray>& arrays);

} // namespace mtl::core
