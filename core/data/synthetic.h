#pragma once
// Synthetic multi-task data with controllable relatedness. All tasks read one shared latent
// representation z = tanh(x A); task t's target is z · (w₀ + v_t) + noise. taskSpread is the
// scale of v_t: 0 gives identical tasks, large values unrelated ones. The classification variant
// gives task t the class argmax(z · W_t) over `classes` classes, W_t built the same way.

#include "data/dataset.h"

#include <cstdint>

namespace mtl::core {

struct SyntheticSettings {
    Index samples = 2000;
    int features = 16;
    int latent = 8;
    int tasks = 2;
    float taskSpread = 0.3f;
    float noise = 0.1f;
    bool classification = false;
    int classes = 3;
    std::uint64_t seed = 7;
    bool operator==(const SyntheticSettings&) const = default;
};

// Inputs are named x1…xF; targets task1…taskT.
Dataset makeSyntheticDataset(const SyntheticSettings& settings);

} // namespace mtl::core
