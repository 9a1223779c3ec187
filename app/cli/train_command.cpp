// mtl train PROJECT.mtl.json: train, print the epoch table, write metrics.csv and model.mtlmodel.

#include "cli/arguments.h"
#include "cli/column_table.h"
#include "cli/commands.h"
#include "cli/csv_project.h"
#include "cli/progress.h"

#include "io/metrics_csv.h"
#include "io/relations_csv.h"
#include "io/model_file.h"
#include "model/names.h"
#include "model/validate.h"
#include "train/trainer.h"

#include <cstdlib>
#include <set>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace mtl::cli {
namespace {

namespace fs = std::filesystem;

std::string projectStem(const std::string& path) {
    std::string name = fs::path(path).filename().string();
    for (const char* suffix : {".mtl.json", ".json", ".csv"}) {
        const std::string s = suffix;
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
            return name.substr(0, name.size() - s.size());
        }
    }
    return name;
}

void printFinalMetrics(const core::Model& model, const core::SplitEvaluation& split,
                       const char* title) {
    if (split.empty()) return;
    std::cout << title << " (" << withThousands(split.rows) << " rows):\n";
    for (std::size_t t = 0; t < model.tasks().size(); ++t) {
        const core::TaskInfo& task = model.tasks()[t];
        std::cout << "  " << task.name << ": loss " << formatNumber(split.loss[t]);
        for (std::size_t m = 0; m < task.metrics.size(); ++m) {
            std::cout << ", " << core::metricName(task.metrics[m]) << " "
                      << formatNumber(split.metrics[t][m]);
        }
        std::cout << "\n";
    }
}

// Trains and reports; returns the exit status.
int trainProject(const core::Project& project, core::Dataset data, const std::string& projectDir, const fs::path& out,
                 bool quiet) {
    for (const core::SpecIssue& issue : core::validate(project.model, data.schema)) {
        if (issue.severity == core::Severity::Warning) std::cerr << "mtl: " << issue.toString() << "\n";
    }
    const core::Model model = core::compile(project.model, data.schema);
    const core::Index samples = data.rows();
    core::Trainer trainer(model, std::move(data), project.training);

    const std::size_t tasks = model.tasks().size();
    std::cout << project.name << ": " << tasks << (tasks == 1 ? " task, " : " tasks, ")
              << withThousands(model.parameterCount()) << " parameters, "
              << withThousands(samples) << " samples ("
              << withThousands(long(trainer.split().train.size())) << " train, "
              << withThousands(long(trainer.split().validation.size())) << " validation), "
              << trainer.threads() << (trainer.threads() == 1 ? " thread" : " threads")
              << (project.training.threads > 0 ? "" : " (automatic)") << "\n";
    if (project.training.balancing.kind != core::BalancingKind::Static) {
        const core::BalancingMethod& method = core::balancingMethod(project.training.balancing.kind);
        std::cout << "balancing: " << method.title << " (" << core::formatBalancing(project.training.balancing)
                  << "; " << method.cost << "); validation totals use the task weights\n";
    }
    core::RunResult result;
    std::vector<core::RelationRecord> relations;
    {
        ProgressReporter progress(trainer, project.training.epochs, ::isatty(STDOUT_FILENO) == 1,
                                  quiet, std::cout);
        result = trainer.run(&progress);
        relations = progress.relations();
    }
    if (!result.history.empty()) {
        printFinalMetrics(model, trainer.evaluate(trainer.split().validation), "validation");
    }
    printFinalMetrics(model, result.test, "test");

    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw FileError("cannot create '" + out.string() + "': " + ec.message());
    core::writeMetricsCsv(model, result.history, (out / "metrics.csv").string());
    core::writeModel({project.model, model.schema(), trainer.normalizer(), trainer.targetScaling(),
                      trainer.parameters(),
                      core::TrainingRecord{std::string(core::toString(result.reason)), result.epochs, project.training}},
                     (out / "model.mtlmodel").string());
    // The project as trained, beside its model (mtl export reads its data and settings).
    core::Project snapshot = project;
    snapshot.runs.clear();
    if (snapshot.dataset.kind == core::DatasetKind::Csv) {
        snapshot.dataset.csv.path = fs::absolute(core::resolvePath(snapshot.dataset.csv.path, projectDir)).string();
    }
    core::writeProject(snapshot, (out / "run.mtl.json").string());
    std::vector<std::string> taskNames;
    for (const core::TaskInfo& task : model.tasks()) taskNames.push_back(task.name);
    if (!relations.empty()) core::writeRelationsCsv(relations, taskNames, (out / "relations.csv").string());
    std::cout << "wrote " << (out / "metrics.csv").string() << (relations.empty() ? " and " : ", relations.csv and ")
              << (out / "model.mtlmodel").string() << "\n";
    if (result.reason == core::StopReason::Diverged) {
        std::cerr << "mtl: training diverged: " << result.message << "\n";
        return 3;
    }
    std::cout << result.message << "\n";
    return 0;
}

} // namespace

int trainCommand(const std::vector<std::string>& args) {
    std::set<std::string> options{"epochs", "seed", "threads", "out", "balancing"};
    options.insert(csvProjectOptions().begin(), csvProjectOptions().end());
    const Arguments a(args, "train", options, {"quiet", "help"});
    if (a.flag("help")) {
        std::cout << kTrainHelp << kCsvOptionsHelp;
        return 0;
    }
    core::Project project;
    core::Dataset data;
    std::string stem;
    std::string projectDir = ".";
    if (a.value("csv")) {
        if (!a.positionals().empty()) throw UsageError("give a project file or --csv, not both");
        CsvProject made = projectFromCsv(a, *a.value("csv"));
        if (!a.flag("quiet")) printColumnTable(std::cout, made.data, *a.value("csv"));
        project = std::move(made.project);
        data = std::move(made.data);
        stem = projectStem(*a.value("csv"));
    } else {
        if (a.positionals().size() != 1) {
            throw UsageError("mtl train needs one project file, or --csv DATA.csv --task … (see mtl train --help)");
        }
        const std::string& path = a.positionals()[0];
        project = loadProject(path);
        if (auto sharing = a.value("sharing")) overrideSharing(project.model, *sharing);
        projectDir = core::projectDirectory(path);
        data = core::loadDataset(project.dataset, projectDir);
        if (!a.flag("quiet")) printColumnNotices(std::cout, data);
        stem = projectStem(path);
    }
    if (auto epochs = a.integer("epochs", 1)) project.training.epochs = *epochs;
    if (auto seed = a.unsignedInteger("seed")) project.training.seed = *seed;
    if (auto threads = a.integer("threads", 0)) project.training.threads = *threads;
    if (auto balancing = a.value("balancing")) {
        try {
            project.training.balancing = core::parseBalancing(*balancing);
        } catch (const SettingError& e) {
            throw UsageError(std::string("--balancing: ") + e.what());
        }
    }
    const fs::path out = a.value("out").value_or("mtl-runs/" + stem);
    if (project.name.empty()) project.name = stem;
    return trainProject(project, std::move(data), projectDir, out, a.flag("quiet"));
}

} // namespace mtl::cli
