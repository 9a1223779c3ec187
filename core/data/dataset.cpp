#include "data/dataset.h"

namespace mtl::core {

int DataSchema::findTarget(const std::string& name) const {
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

} // namespace mtl::core
