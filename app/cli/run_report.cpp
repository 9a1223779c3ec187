#include "cli/run_report.h"

#include "cli/progress.h"
#include "cli/table.h"

#include "model/names.h"
#include "runs/delta_m.h"
#include "runs/run_places.h"
#include "runs/run_training.h"
#include "train/metrics.h"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace mtl::cli {

namespace fs = std::filesystem;

namespace {

void printFinalMetrics(const core::Model& model, const core::SplitEvaluation& split,
                       const char* title) {
    if (split.empty())
        return;
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

bool writable(const fs::path& path) {
    return ::access(path.c_str(), W_OK) == 0;
}

} // namespace

core::RunContents trainInTerminal(const core::Project& project, core::Dataset data, bool quiet) {
    core::checkSettings(project.training);
    auto model = std::make_shared<const core::Model>(core::compile(project.model, data.schema));
    core::RunContents run = core::newRun(project, model, data);
    const core::Index samples = data.rows();
    core::Trainer trainer(*model, std::move(data), project.training);

    const std::size_t tasks = model->tasks().size();
    std::cout << project.name << ": " << tasks << (tasks == 1 ? " task, " : " tasks, ")
              << withThousands(model->parameterCount()) << " parameters, " << withThousands(samples)
              << " samples (" << withThousands(long(trainer.split().train.size())) << " train, "
              << withThousands(long(trainer.split().validation.size())) << " validation"
              << (trainer.split().test.empty()
                      ? ""
                      : ", " + withThousands(long(trainer.split().test.size())) + " test")
              << "), " << trainer.threads() << (trainer.threads() == 1 ? " thread" : " threads")
              << (project.training.threads > 0 ? "" : " (automatic)") << "\n";
    if (project.training.balancing.kind != core::BalancingKind::Static) {
        const core::BalancingMethod& method =
            core::balancingMethod(project.training.balancing.kind);
        std::cout << "balancing: " << method.title << " ("
                  << core::formatBalancing(project.training.balancing) << "; " << method.cost
                  << "); validation totals use the task weights\n";
    }
    core::RunResult result;
    {
        ProgressReporter progress(trainer, project.training.epochs, ::isatty(STDOUT_FILENO) == 1,
                                  quiet, std::cout);
        core::RunCapture capture(run, &progress);
        result = trainer.run(&capture);
    }
    if (!result.history.empty())
        printFinalMetrics(*model, trainer.evaluate(trainer.split().validation), "validation");
    printFinalMetrics(*model, result.test, "test");
    run.reason = result.reason;
    run.epochs = result.epochs;
    run.stopMessage = result.message;
    run.test = result.test;
    run.trained = std::make_shared<const core::TrainedModel>(
        core::keptModel(trainer, project.model, result, project.training));
    return run;
}

void writeRun(const core::RunContents& run, const std::string& directory) {
    core::writeRunDirectory(run, directory);
    core::writeModel(*run.trained, (fs::path(directory) / "model.mtlmodel").string());
}

RunPlace runPlace(const std::string& projectFile, const std::vector<std::string>& warnings,
                  bool noRecord, const std::string& executableDir) {
    RunPlace place;
    place.projectFile = projectFile;
    if (projectFile.empty()) {
        place.whyNot = "there is no project file";
    } else if (noRecord) {
        place.whyNot = "--no-record";
    } else if (core::isInDirectory(projectFile, core::bundledExamplesDirectory(executableDir))) {
        place.whyNot = "it is a bundled example (save a copy to keep runs with it)";
    } else if (!writable(projectFile) || !writable(fs::absolute(projectFile).parent_path())) {
        place.whyNot = "the project file or its folder is read-only";
    } else if (!warnings.empty()) {
        place.whyNot =
            "the project has fields this version does not know, which rewriting it would drop";
    }
    if (!projectFile.empty())
        place.projectDir = core::projectDirectory(projectFile);
    place.record = place.whyNot.empty();
    const std::string stem = projectFile.empty() ? "project" : core::projectStem(projectFile);
    place.base = place.record ? core::runsBesideProject(projectFile)
                              : (fs::path("mtl-runs") / stem).string();
    return place;
}

void recordRun(core::Project& project, const RunPlace& place, const std::string& name,
               const std::string& directory, const core::RunContents& run) {
    project.runs.push_back(
        {name, core::pathForProject(directory, place.projectDir), run.stopMessage, run.epochs, ""});
    core::writeProject(project, place.projectFile);
    std::cout << "recorded as '" << name << "' in " << place.projectFile << "\n";
}

void printBaselineComparison(const core::RunContents& multiTask,
                             const std::vector<const core::RunContents*>& baselines) {
    const core::BaselineComparison comparison = core::compareWithBaselines(multiTask, baselines);
    std::size_t width = 4;
    for (const auto& row : comparison.tasks)
        width = std::max(width, row.task.size());
    std::cout << "\nmulti-task against single-task (validation metric of each run's kept epoch):\n";
    std::cout << "  " << std::left << std::setw(int(width)) << "task"
              << "  metric     multi-task  single-task  relative\n";
    for (const auto& row : comparison.tasks) {
        std::string relative = "–";
        if (row.relative) {
            std::ostringstream text;
            text << std::showpos << std::fixed << std::setprecision(2) << 100.0 * *row.relative
                 << " %";
            relative = text.str();
        }
        std::cout << "  " << std::left << std::setw(int(width)) << row.task << "  " << std::setw(9)
                  << row.metric << "  " << std::right << std::setw(10)
                  << formatNumber(row.multiTask) << "  " << std::setw(11)
                  << (row.singleTask ? formatNumber(*row.singleTask) : "–") << "  " << std::setw(8)
                  << relative << std::left << "\n";
    }
    if (comparison.deltaM) {
        std::cout << "Δm = " << std::showpos << std::fixed << std::setprecision(2)
                  << 100.0 * *comparison.deltaM << std::noshowpos << " % ("
                  << (*comparison.deltaM > 0 ? "multi-task learning helped"
                                             : "multi-task learning did not help")
                  << " on average)\n";
        std::cout.unsetf(std::ios::fixed);
    }
}

} // namespace mtl::cli
