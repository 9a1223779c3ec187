#pragma once
// Shape of one sample's activation. Images are stored channels-last (height, width, channels)
// so that a convolution's matrix product writes its output in place; flat features have
// height = width = 1.

#include <string>

namespace mtl::core {

struct Shape {
    int height = 1;
    int width = 1;
    int channels = 1;

    static Shape flat(int features) { return {1, 1, features}; }
    int size() const { return height * width * channels; }
    bool isImage() const { return height > 1 || width > 1; }
    bool operator==(const Shape&) const = default;
    std::string toString() const;
};

} // namespace mtl::core
