#include "io/project_file.h"

#include "io/spec_json.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <filesystem>

namespace mtl::core {
namespace {

using io::Json;
using io::JsonObject;

Json datasetToJson(const DatasetSource& source) {
    return Json{{"source", "synthetic"}, {"synthetic", io::toJson(source.synthetic)}};
}

DatasetSource datasetFrom(const JsonObject& o) {
    DatasetSource source;
    const std::string kind = o.string("source");
    if (kind != "synthetic") o.fail("source", "unknown dataset source \"" + kind + "\" (valid: synthetic)");
    source.synthetic = io::syntheticSettingsFrom(o.object("synthetic"));
    return source;
}

} // namespace

ProjectLoad parseProject(const std::string& text, const std::string& fileName) {
    const Json root = io::parseJson(text, fileName);
    io::JsonContext context{fileName, {}};
    ProjectLoad load;
    {
        const JsonObject o(root, "", context);
        const int version = o.integer("format_version");
        if (version < 1 || version > kProjectFormatVersion) {
            o.fail("format_version", "this is version " + std::to_string(version) +
                                         "; this program reads versions 1 to " +
                                         std::to_string(kProjectFormatVersion));
        }
        Project& p = load.project;
        p.name = o.string("name", "");
        p.dataset = datasetFrom(o.object("dataset"));
        p.model = io::modelSpecFrom(o.object("model"));
        if (o.has("training")) p.training = io::trainingSettingsFrom(o.object("training"));
        if (o.has("runs")) {
            for (const JsonObject& r : o.objects("runs")) {
                p.runs.push_back({r.string("name"), r.string("directory"),
                                  r.string("stop_reason", ""), r.integer("epochs", 0)});
            }
        }
    }
    for (const std::string& field : context.unknownFields) {
        load.warnings.push_back(fileName + ": " + field +
                                ": unknown field (written by a newer version?) — ignored");
    }
    return load;
}

ProjectLoad readProject(const std::string& path) { return parseProject(readFile(path), path); }

std::string projectToJson(const Project& p) {
    Json runs = Json::array();
    for (const RunRecord& r : p.runs) {
        runs.push_back(Json{{"name", r.name},
                            {"directory", r.directory},
                            {"stop_reason", r.stopReason},
                            {"epochs", r.epochs}});
    }
    const Json root{{"format_version", kProjectFormatVersion},
                    {"name", p.name},
                    {"dataset", datasetToJson(p.dataset)},
                    {"model", io::toJson(p.model)},
                    {"training", io::toJson(p.training)},
                    {"runs", runs}};
    return root.dump(2) + "\n";
}

void writeProject(const Project& project, const std::string& path) {
    writeFileAtomically(path, projectToJson(project));
}

Dataset loadDataset(const DatasetSource& source) {
    switch (source.kind) {
    case DatasetKind::Synthetic:
        return makeSyntheticDataset(source.synthetic);
    }
    throw Error("unknown dataset source");
}

} // namespace mtl::core
