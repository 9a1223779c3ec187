// mtl train PROJECT.mtl.json: train, print the epoch table, write the run's folder (the files the
// app writes) and, for a project of the user's, record the run in the project like the app.

#include "cli/arguments.h"
#include "cli/column_table.h"
#include "cli/commands.h"
#include "cli/csv_project.h"
#include "cli/run_report.h"

#include "model/names.h"
#include "model/templates.h"
#include "model/validate.h"
#include "runs/run_places.h"
#include "runs/run_training.h"
#include "train/covariances.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

namespace mtl::cli {
namespace {

namespace fs = std::filesystem;

struct Loaded {
    core::Project project;
    core::Dataset data;
    RunPlace place;
};

std::vector<std::string> runNames(const core::Project& project) {
    std::vector<std::string> names;
    for (const core::RunRecord& r : project.runs)
        names.push_back(r.name);
    return names;
}

// The task correlations Ω_ij/√(Ω_ii Ω_jj) that relationship-coupled layers learned.
void printLearnedCorrelations(const std::vector<core::LearnedCovariance>& covariances) {
    for (const core::LearnedCovariance& c : covariances) {
        std::cout << "learned task correlation (" << c.nodeId << "):\n";
        const std::size_t n = c.tasks.size();
        std::size_t width = 0;
        for (const std::string& t : c.tasks)
            width = std::max(width, t.size());
        for (std::size_t i = 0; i < n; ++i) {
            std::cout << "  " << c.tasks[i] << std::string(width - c.tasks[i].size(), ' ');
            for (std::size_t j = 0; j < n; ++j) {
                char cell[16];
                std::snprintf(cell, sizeof cell, " %6.2f", core::correlation(c, i, j));
                std::cout << cell;
            }
            std::cout << "\n";
        }
    }
}

// Which experts each task's gate used in the last epoch (mean gate weights).
void printGateUse(const std::vector<core::GateUse>& gates) {
    std::string gate;
    for (const core::GateUse& g : gates) {
        if (g.nodeId != gate) {
            gate = g.nodeId;
            std::cout << "expert use (" << gate << ", mean gate weights):";
            for (const std::string& e : g.experts)
                std::cout << " " << e;
            std::cout << "\n";
        }
        std::cout << "  " << g.task << ":";
        for (double w : g.weights) {
            char cell[16];
            std::snprintf(cell, sizeof cell, " %.2f", w);
            std::cout << cell;
        }
        std::cout << "\n";
    }
}

// Trains one run, writes it to `out` and records it; returns it.
core::RunContents trainAndKeep(const core::Project& trained, core::Dataset data, Loaded& loaded,
                               const std::string& name, const std::string& out, bool quiet) {
    for (const core::SpecIssue& issue : core::validate(trained.model, data.schema)) {
        if (issue.severity == core::Severity::Warning) std::cerr << "mtl: " << issue.toString() << "\n";
    }
    core::RunContents run = trainInTerminal(trained, std::move(data), quiet);
    writeRun(run, out);
    if (!quiet) {
        printLearnedCorrelations(run.covariances);
        printGateUse(run.gates);
    }
    std::cout << "wrote " << out << "/ (run.mtl.json, metrics.csv, steps.csv"
              << (run.relations.empty() ? "" : ", relations.csv")
              << (run.test.empty() ? "" : ", test.csv") << ", model.mtlmodel)\n";
    if (loaded.place.record)
        recordRun(loaded.project, loaded.place, name, out, run);
    return run;
}

} // namespace

int trainCommand(const std::vector<std::string>& args) {
    std::set<std::string> options{"epochs", "seed", "threads", "out", "balancing"};
    options.insert(csvProjectOptions().begin(), csvProjectOptions().end());
    const Arguments a(args, "train", options, {"quiet", "help", "no-record", "baselines"});
    if (a.flag("help")) {
        std::cout << kTrainHelp << kCsvOptionsHelp;
        return 0;
    }
    Loaded loaded;
    std::string stem;
    if (a.value("csv")) {
        if (!a.positionals().empty()) throw UsageError("give a project file or --csv, not both");
        CsvProject made = projectFromCsv(a, *a.value("csv"));
        if (!a.flag("quiet")) printColumnTable(std::cout, made.data, *a.value("csv"));
        loaded.project = std::move(made.project);
        loaded.data = std::move(made.data);
        stem = core::projectStem(*a.value("csv"));
        loaded.place = runPlace("", {}, true, executableDirectory());
    } else {
        if (a.positionals().size() != 1) {
            throw UsageError("mtl train needs one project file, or --csv DATA.csv --task … (see mtl train --help)");
        }
        const std::string& path = a.positionals()[0];
        core::ProjectLoad load = core::readProject(path);
        for (const std::string& warning : load.warnings)
            std::cerr << "mtl: warning: " << warning << "\n";
        loaded.project = std::move(load.project);
        loaded.place = runPlace(path, load.warnings, a.flag("no-record"), executableDirectory());
        if (auto sharing = a.value("sharing"))
            overrideSharing(loaded.project.model, *sharing);
        loaded.data = core::loadDataset(loaded.project.dataset, loaded.place.projectDir);
        if (!a.flag("quiet"))
            printColumnNotices(std::cout, loaded.data);
        stem = core::projectStem(path);
    }
    core::Project project = loaded.project; // as trained: the options applied
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
    if (project.name.empty()) project.name = stem;
    project.runs.clear();
    if (project.dataset.kind == core::DatasetKind::Csv) {
        // The snapshot names its CSV absolutely, so the run's folder can live anywhere.
        project.dataset.csv.path =
            fs::absolute(core::resolvePath(project.dataset.csv.path, loaded.place.projectDir))
                .string();
    }
    const bool quiet = a.flag("quiet");
    const std::string name = core::nextRunName(runNames(loaded.project));
    const std::string out = a.value("out").value_or(
        loaded.place.record ? core::uniqueDirectory(loaded.place.base, core::runFolderName(name))
                            : loaded.place.base);
    if (!loaded.place.record && !loaded.place.projectFile.empty() && !quiet) {
        std::cout << "not recorded in the project: " << loaded.place.whyNot << "\n";
    }
    const bool baselines = a.flag("baselines");
    core::Dataset data = baselines ? loaded.data : std::move(loaded.data);
    const core::RunContents run = trainAndKeep(project, std::move(data), loaded, name, out, quiet);
    if (run.reason == core::StopReason::Diverged) {
        std::cerr << "mtl: training diverged: " << run.stopMessage << "\n";
        return 3;
    }
    std::cout << run.stopMessage << "\n";
    if (!baselines || run.reason == core::StopReason::Stopped)
        return 0;

    // One single-task run per task: the same network cut down to that task's head, same settings.
    std::vector<core::RunContents> singles;
    for (const core::TaskInfo& task : run.model->tasks()) {
        core::Project single = project;
        single.model = core::singleTaskBaseline(project.model, task.name);
        const std::string baselineName = "baseline " + task.name;
        const std::string folder = core::runFolderName(baselineName);
        const std::string where = loaded.place.record && !a.value("out")
                                      ? core::uniqueDirectory(loaded.place.base, folder)
                                      : out + "-" + folder;
        std::cout << "\n" << baselineName << ":\n";
        singles.push_back(trainAndKeep(single, loaded.data, loaded, baselineName, where, true));
        singles.back().baselineTask = task.name;
        if (singles.back().reason == core::StopReason::Stopped)
            return 0;
    }
    std::vector<const core::RunContents*> pointers;
    for (const core::RunContents& single : singles)
        pointers.push_back(&single);
    printBaselineComparison(run, pointers);
    return 0;
}

} // namespace mtl::cli
