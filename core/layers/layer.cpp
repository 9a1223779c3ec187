#include "layers/layer.h"

#include <algorithm>

namespace mtl::core {

void Layer::markWeights(std::span<std::uint8_t> isWeight) const {
    std::fill(isWeight.begin(), isWeight.end(), std::uint8_t{0});
}

void Layer::initialize(std::span<float> params, Rng& /*rng*/) const {
    std::fill(params.begin(), params.end(), 0.0f);
}

std::unique_ptr<LayerState> Layer::makeState(Index /*maxBatch*/) const { return nullptr; }

} // namespace mtl::core
