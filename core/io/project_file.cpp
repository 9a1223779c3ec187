#include "io/project_file.h"

#include "io/experiment_json.h"

#include "io/spec_json.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace mtl::core {
namespace {

using io::Json;
using io::JsonObject;

const char* roleName(ColumnRole role) {
    return role == ColumnRole::Target ? "target" : role == ColumnRole::Ignore ? "ignore" : "input";
}

const char* typeName(ColumnType type) {
    switch (type) {
    case ColumnType::Auto: return "auto";
    case ColumnType::Numeric: return "numeric";
    case ColumnType::Categorical: return "categorical";
    case ColumnType::Date: return "date";
    case ColumnType::NumericOrMissing: return "numeric_text_as_missing";
    }
    return "auto";
}

Json csvToJson(const CsvSource& csv) {
    Json j{{"source", "csv"}, {"path", csv.path}};
    if (csv.delimiter != 0) j["delimiter"] = std::string(1, csv.delimiter);
    Json roles = Json::object();
    for (const auto& [name, role] : csv.roles) roles[name] = roleName(role);
    j["roles"] = roles;
    Json types = Json::object();
    for (const auto& [name, type] : csv.types) types[name] = typeName(type);
    j["types"] = types;
    j["missing_inputs"] = csv.missingInputs == MissingInputs::DropRow ? "drop_row" : "impute";
    return j;
}

// A JSON object of column name → word, each word one of `words`.
template <typename Enum>
std::map<std::string, Enum> wordMap(const JsonObject& o, const char* key,
                                    const std::vector<std::pair<std::string, Enum>>& words) {
    std::map<std::string, Enum> out;
    if (!o.has(key)) return out;
    const Json& map = o.raw(key);
    if (!map.is_object()) o.fail(key, "expected an object {\"column\": \"…\"}");
    std::string valid;
    for (const auto& [word, value] : words) valid += (valid.empty() ? "" : ", ") + word;
    for (const auto& item : map.items()) {
        const std::string text = item.value().is_string() ? item.value().template get<std::string>() : "";
        const auto it = std::find_if(words.begin(), words.end(), [&](const auto& w) { return w.first == text; });
        if (it == words.end()) {
            o.fail(key, "column '" + item.key() + "': " + item.value().dump() + " is not one of " + valid);
        }
        out[item.key()] = it->second;
    }
    return out;
}

CsvSource csvFrom(const JsonObject& o) {
    CsvSource csv;
    csv.path = o.string("path");
    const std::string delimiter = o.string("delimiter", "");
    if (delimiter.size() > 1) o.fail("delimiter", "expected one character, e.g. \",\", \";\" or \"\\t\"");
    csv.delimiter = delimiter.empty() ? 0 : delimiter[0];
    csv.roles = wordMap<ColumnRole>(o, "roles", {{"input", ColumnRole::Input}, {"target", ColumnRole::Target},
                                                 {"ignore", ColumnRole::Ignore}});
    csv.types = wordMap<ColumnType>(o, "types", {{"auto", ColumnType::Auto}, {"numeric", ColumnType::Numeric},
                                                 {"categorical", ColumnType::Categorical}, {"date", ColumnType::Date},
                                                 {"numeric_text_as_missing", ColumnType::NumericOrMissing}});
    const std::string missing = o.string("missing_inputs", "impute");
    if (missing != "impute" && missing != "drop_row") o.fail("missing_inputs", "expected \"impute\" or \"drop_row\"");
    csv.missingInputs = missing == "drop_row" ? MissingInputs::DropRow : MissingInputs::Impute;
    return csv;
}

Json fashionToJson(const FashionSettings& f) {
    Json j{{"source", f.tasks == FashionTasks::MultiFashion ? "multifashion" : "fashion_2task"},
           {"split", f.split == FashionSplit::Test           ? "test"
                     : f.split == FashionSplit::TrainAndTest ? "train+test"
                                                             : "train"},
           {"samples", f.samples}};
    if (f.tasks == FashionTasks::MultiFashion) j["seed"] = f.seed;
    return j;
}

FashionSettings fashionFrom(const JsonObject& o, FashionTasks tasks) {
    FashionSettings f;
    f.tasks = tasks;
    const std::string split = o.string("split", "train");
    if (split != "train" && split != "test" && split != "train+test") {
        o.fail(
            "split",
            "expected \"train\", \"test\" or \"train+test\" (the test images as the test split)");
    }
    f.split = split == "test"         ? FashionSplit::Test
              : split == "train+test" ? FashionSplit::TrainAndTest
                                      : FashionSplit::Train;
    f.samples = o.integer("samples", 0);
    if (f.samples < 0) o.fail("samples", "must be ≥ 0 (0: every image)");
    if (tasks == FashionTasks::MultiFashion) f.seed = o.unsignedInteger("seed", f.seed);
    return f;
}

Json datasetToJson(const DatasetSource& source) {
    switch (source.kind) {
    case DatasetKind::Csv:
        return csvToJson(source.csv);
    case DatasetKind::Fashion:
        return fashionToJson(source.fashion);
    case DatasetKind::Relatedness:
        return Json{{"source", "relatedness"}, {"relatedness", io::toJson(source.relatedness)}};
    case DatasetKind::Synthetic:
        break;
    }
    return Json{{"source", "synthetic"}, {"synthetic", io::toJson(source.synthetic)}};
}

DatasetSource datasetFrom(const JsonObject& o) {
    DatasetSource source;
    const std::string kind = o.string("source");
    if (kind == "synthetic") {
        source.synthetic = io::syntheticSettingsFrom(o.object("synthetic"));
    } else if (kind == "csv") {
        source.kind = DatasetKind::Csv;
        source.csv = csvFrom(o);
    } else if (kind == "fashion_2task" || kind == "multifashion") {
        source.kind = DatasetKind::Fashion;
        source.fashion = fashionFrom(o, kind == "multifashion" ? FashionTasks::MultiFashion : FashionTasks::ItemAndGroup);
    } else if (kind == "relatedness") {
        source.kind = DatasetKind::Relatedness;
        source.relatedness = io::relatednessSettingsFrom(o.object("relatedness"));
    } else {
        o.fail("source", "unknown dataset source \"" + kind +
                             "\" (valid: synthetic, csv, fashion_2task, multifashion, relatedness)");
    }
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
                                  r.string("stop_reason", ""), r.integer("epochs", 0),
                                  r.string("note", "")});
            }
        }
        if (o.has("experiments")) {
            for (const JsonObject& e : o.objects("experiments")) {
                p.experiments.push_back({experimentSpecFrom(e), e.string("directory")});
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
                            {"epochs", r.epochs},
                            {"note", r.note}});
    }
    Json root{{"format_version", kProjectFormatVersion}, {"name", p.name},
              {"dataset", datasetToJson(p.dataset)},     {"model", io::toJson(p.model)},
              {"training", io::toJson(p.training)},      {"runs", runs}};
    if (!p.experiments.empty()) {
        Json experiments = Json::array();
        for (const ExperimentRecord& e : p.experiments) {
            Json j = experimentSpecToJson(e.spec);
            j["directory"] = e.directory;
            experiments.push_back(j);
        }
        root["experiments"] = experiments;
    }
    return root.dump(2) + "\n";
}

void writeProject(const Project& project, const std::string& path) {
    writeFileAtomically(path, projectToJson(project));
}

Dataset loadDataset(const DatasetSource& source, const std::string& projectDir,
                    const ProgressCallback& progress) {
    switch (source.kind) {
    case DatasetKind::Csv:
        return loadCsvDataset(source.csv, projectDir, progress);
    case DatasetKind::Fashion:
        return loadFashionDataset(source.fashion);
    case DatasetKind::Relatedness:
        return makeRelatednessDataset(source.relatedness);
    case DatasetKind::Synthetic:
        break;
    }
    return makeSyntheticDataset(source.synthetic);
}

std::string projectDirectory(const std::string& projectPath) {
    return std::filesystem::path(projectPath).parent_path().string();
}

} // namespace mtl::core
