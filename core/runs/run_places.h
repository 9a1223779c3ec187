#pragma once
// Where runs go on disk, the same for the app and the command line: beside a user's project in
// mtl-runs/<project>/<run>/, recorded in the project by a path relative to its file.

#include <string>

namespace mtl::core {

// "houses" for ".../houses.mtl.json" (also strips .json and .csv).
std::string projectStem(const std::string& path);
// `base`/`stem`, or `base`/`stem`-2, -3 … when taken.
std::string uniqueDirectory(const std::string& base, const std::string& stem);
// The folder of a user's project where its runs go: <project folder>/mtl-runs/<stem>.
std::string runsBesideProject(const std::string& projectFile);
// `directory` relative to `projectDir` when it is at or below it, else absolute.
std::string pathForProject(const std::string& directory, const std::string& projectDir);
// The bundled example projects beside an executable in `executableDir` (installed, or in a build
// tree), or empty.
std::string bundledExamplesDirectory(const std::string& executableDir);
// True when `file` is directly in `directory` (both resolved through links).
bool isInDirectory(const std::string& file, const std::string& directory);

} // namespace mtl::core
