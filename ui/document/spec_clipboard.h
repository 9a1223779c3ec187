#pragma once
// Nodes on the clipboard: a part of a model spec as JSON text (the project file's own form).

#include "model/model_spec.h"

#include <optional>
#include <string>

namespace mtl::ui {

std::string specToClipboardText(const core::ModelSpec& part);
// Nothing when the text is not a model part (a user may paste anything).
std::optional<core::ModelSpec> specFromClipboardText(const std::string& text);

} // namespace mtl::ui
