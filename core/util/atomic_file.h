#pragma once
// Files are written whole or not at all: the bytes go to a temporary file beside the target,
// which is then renamed over it. A crash mid-save leaves the old file untouched.

#include <string>
#include <string_view>

namespace mtl::core {

// Throws FileError naming the path and the reason.
void writeFileAtomically(const std::string& path, std::string_view bytes);
std::string readFile(const std::string& path);

} // namespace mtl::core
