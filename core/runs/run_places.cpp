#include "runs/run_places.h"

#include <filesystem>

namespace mtl::core {

namespace fs = std::filesystem;

namespace {

fs::path resolved(fs::path path) {
    if (path.empty())
        path = ".";
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(fs::absolute(path), error);
    return error ? fs::absolute(path).lexically_normal() : canonical;
}

} // namespace

std::string projectStem(const std::string& path) {
    std::string name = fs::path(path).filename().string();
    for (const std::string_view suffix : {".mtl.json", ".json", ".csv"}) {
        if (name.size() > suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            return name.substr(0, name.size() - suffix.size());
        }
    }
    return name.empty() ? "project" : name;
}

std::string uniqueDirectory(const std::string& base, const std::string& stem) {
    fs::path directory = fs::path(base) / stem;
    for (int n = 2; fs::exists(directory); ++n)
        directory = fs::path(base) / (stem + "-" + std::to_string(n));
    return directory.string();
}

std::string runsBesideProject(const std::string& projectFile) {
    return (resolved(projectFile).parent_path() / "mtl-runs" / projectStem(projectFile)).string();
}

std::string pathForProject(const std::string& directory, const std::string& projectDir) {
    const fs::path absolute = resolved(directory);
    const fs::path relative = absolute.lexically_relative(resolved(projectDir));
    if (relative.empty() || *relative.begin() == "..")
        return absolute.string();
    return relative.string();
}

std::string bundledExamplesDirectory(const std::string& executableDir) {
    const fs::path app(executableDir);
    for (const fs::path& candidate :
         {app / "../share/mtl-workbench/examples", app / "../../resources/examples",
          app / "../resources/examples"}) {
        if (fs::is_regular_file(candidate / "synthetic-hard.mtl.json"))
            return resolved(candidate).string();
    }
    return {};
}

bool isInDirectory(const std::string& file, const std::string& directory) {
    return !directory.empty() && resolved(file).parent_path() == resolved(directory);
}

} // namespace mtl::core
