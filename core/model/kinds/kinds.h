#pragma once
// The description of each node kind, one function per kind (model/node_kind_info.h reads them).

#include "model/node_kind_info.h"

// The descriptions use designated initializers naming only the members a kind sets; the rest
// keep their defaults. GCC 12 warns about those omitted members all the same.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

namespace mtl::core::kinds {

const NodeKindInfo& input();
const NodeKindInfo& dense();
const NodeKindInfo& conv2d();
const NodeKindInfo& maxPool2d();
const NodeKindInfo& flatten();
const NodeKindInfo& dropout();
const NodeKindInfo& layerNorm();
const NodeKindInfo& relu();
const NodeKindInfo& leakyRelu();
const NodeKindInfo& tanh();
const NodeKindInfo& sigmoid();
const NodeKindInfo& gelu();
const NodeKindInfo& expertGate();
const NodeKindInfo& taskHead();

// Shared by the kinds: "must need an image input" and the window-fits check.
void checkImageWindow(const NodeSpec& node, Shape input, int padding, const IssueSink& report);

} // namespace mtl::core::kinds
