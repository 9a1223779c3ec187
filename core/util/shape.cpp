#include "util/shape.h"

namespace mtl::core {

std::string Shape::toString() const {
    if (!isImage()) {
        return std::to_string(channels);
    }
    return std::to_string(channels) + "×" + std::to_string(height) + "×" + std::to_string(width);
}

} // namespace mtl::core
