#include "document/spec_clipboard.h"

#include "io/spec_json.h"

namespace mtl::ui {

std::string specToClipboardText(const core::ModelSpec& part) {
    core::io::Json root;
    root["mtl_nodes"] = core::io::toJson(part);
    return root.dump(2);
}

std::optional<core::ModelSpec> specFromClipboardText(const std::string& text) {
    try {
        const core::io::Json root = core::io::parseJson(text, "clipboard");
        core::io::JsonContext context{"clipboard", {}};
        core::io::JsonObject object(root, "", context);
        return core::io::modelSpecFrom(object.object("mtl_nodes"));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace mtl::ui
