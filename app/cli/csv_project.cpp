#include "cli/csv_project.h"

#include "experiments/experiment_spec.h"

#include "cli/commands.h"

#include "model/names.h"
#include "model/templates.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace mtl::cli {
namespace {

std::vector<int> widths(const Arguments& args, const std::string& name, std::vector<int> fallback) {
    const auto text = args.value(name);
    if (!text) return fallback;
    std::vector<int> out;
    if (text->empty()) return out;
    std::size_t start = 0;
    while (start <= text->size()) {
        const std::size_t end = std::min(text->find(',', start), text->size());
        int n = 0;
        const auto [ptr, error] = std::from_chars(text->data() + start, text->data() + end, n);
        if (error != std::errc() || ptr != text->data() + end || n < 1) {
            throw UsageError("--" + name + " expects layer widths like 128,64, got '" + *text + "'");
        }
        out.push_back(n);
        start = end + 1;
    }
    return out;
}

std::vector<std::string> commaList(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const std::string& v : values) {
        std::size_t start = 0;
        while (start <= v.size()) {
            const std::size_t end = std::min(v.find(',', start), v.size());
            if (end > start) out.push_back(v.substr(start, end - start));
            start = end + 1;
        }
    }
    return out;
}

struct TaskOption {
    std::string name;
    std::string column;
    core::ColumnType type = core::ColumnType::Auto;
};

TaskOption parseTask(const std::string& text) {
    TaskOption task;
    std::string rest = text;
    if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        const std::string kind = rest.substr(colon + 1);
        if (kind == "regression") task.type = core::ColumnType::Numeric;
        else if (kind == "classification") task.type = core::ColumnType::Categorical;
        else throw UsageError("--task '" + text + "': the kind after ':' must be regression or classification");
        rest = rest.substr(0, colon);
    }
    const auto eq = rest.find('=');
    task.name = eq == std::string::npos ? rest : rest.substr(0, eq);
    task.column = eq == std::string::npos ? rest : rest.substr(eq + 1);
    if (task.name.empty() || task.column.empty()) {
        throw UsageError("--task expects NAME=COLUMN[:regression|:classification], got '" + text + "'");
    }
    return task;
}

} // namespace

const std::set<std::string>& csvProjectOptions() {
    static const std::set<std::string> options{"csv",    "task",        "ignore",  "include",  "text-as-missing",
                                               "hidden", "head-hidden", "sharing", "delimiter"};
    return options;
}

void overrideSharing(core::ModelSpec& spec, const std::string& text) {
    try {
        core::applySharing(spec, text);
    } catch (const SettingError& e) {
        throw UsageError(std::string("--") + e.what());
    }
}

CsvProject projectFromCsv(const Arguments& args, const std::string& csvPathInProject) {
    const auto csv = args.value("csv");
    if (!csv) throw UsageError("--csv DATA.csv is required here");
    std::vector<TaskOption> tasks;
    for (const std::string& t : args.values("task")) tasks.push_back(parseTask(t));
    if (tasks.empty()) throw UsageError("give at least one --task NAME=COLUMN (the column it predicts)");

    CsvProject out;
    core::Project& p = out.project;
    p.name = "Tasks from " + std::filesystem::path(*csv).filename().string();
    p.dataset.kind = core::DatasetKind::Csv;
    core::CsvSource& source = p.dataset.csv;
    source.path = csvPathInProject;
    if (const auto d = args.value("delimiter")) {
        const std::string text = *d == "\\t" || *d == "tab" ? "\t" : *d;
        if (text.size() != 1) throw UsageError("--delimiter expects one character, got '" + *d + "'");
        source.delimiter = text[0];
    }
    for (const TaskOption& t : tasks) {
        source.roles[t.column] = core::ColumnRole::Target;
        if (t.type != core::ColumnType::Auto) source.types[t.column] = t.type;
    }
    for (const std::string& column : commaList(args.values("ignore"))) source.roles[column] = core::ColumnRole::Ignore;
    for (const std::string& column : commaList(args.values("include"))) source.roles[column] = core::ColumnRole::Input;
    for (const std::string& column : commaList(args.values("text-as-missing"))) {
        source.types[column] = core::ColumnType::NumericOrMissing;
    }

    // The data decides each task's loss (categorical → cross-entropy) and head width.
    core::CsvSource here = source;
    here.path = *csv;
    out.data = core::loadCsvDataset(here, "");
    // What the inference decided is written into the project, so the file says how each column
    // is read and stays so whatever later versions infer.
    for (const core::ColumnReport& c : out.data.columns) {
        if (c.role == "ignore" && !source.roles.contains(c.name)) source.roles[c.name] = core::ColumnRole::Ignore;
        if (c.kind == "date" && c.role == "input" && !source.types.contains(c.name)) {
            source.types[c.name] = core::ColumnType::Date;
        }
    }
    core::TrunkTemplate recipe;
    recipe.sharedUnits = widths(args, "hidden", {64, 64});
    recipe.headUnits = widths(args, "head-hidden", {});
    for (const TaskOption& t : tasks) {
        core::TaskSpec task;
        task.name = t.name;
        task.targets = {t.column};
        const int column = out.data.schema.findTarget(t.column);
        task.loss = out.data.schema.targets[std::size_t(column)].isCategorical()
                        ? core::LossKind::SoftmaxCrossEntropy
                        : core::LossKind::MSE;
        recipe.tasks.push_back(task);
    }
    p.model = core::makeTrunkModel(recipe, out.data.schema);
    if (const auto sharing = args.value("sharing")) overrideSharing(p.model, *sharing);
    return out;
}

} // namespace mtl::cli
