// mtl train PROJECT.mtl.json: train, print the epoch table, write metrics.csv and model.mtlmodel.

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/progress.h"

#include "io/metrics_csv.h"
#include "io/model_file.h"
#include "model/names.h"
#include "model/validate.h"
#include "train/trainer.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace mtl::cli {
namespace {

namespace fs = std::filesystem;

// "hard", "soft" or "soft:λ" applied to every layer with weights.
void overrideSharing(core::ModelSpec& spec, const std::string& text) {
    const auto colon = text.find(':');
    const std::string mode = text.substr(0, colon);
    const auto sharing = core::parseSharingMode(mode);
    if (!sharing) throw UsageError("--sharing expects hard, soft or soft:λ, got '" + text + "'");
    float lambda = -1.0f;
    if (colon != std::string::npos) {
        char* end = nullptr;
        const std::string number = text.substr(colon + 1);
        lambda = std::strtof(number.c_str(), &end);
        if (*sharing != core::SharingMode::Soft || number.empty() || *end != '\0' || !(lambda >= 0.0f)) {
            throw UsageError("--sharing expects hard, soft or soft:λ with λ ≥ 0, got '" + text + "'");
        }
    }
    for (core::NodeSpec& node : spec.nodes) {
        if (!core::hasParameters(node.kind)) continue;
        node.sharing = *sharing;
        if (lambda >= 0.0f) node.couplingStrength = lambda;
        else if (*sharing == core::SharingMode::Soft && node.couplingStrength <= 0.0f) node.couplingStrength = 1e-3f;
    }
}

std::string projectStem(const std::string& path) {
    std::string name = fs::path(path).filename().string();
    for (const char* suffix : {".mtl.json", ".json"}) {
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

} // namespace

int trainCommand(const std::vector<std::string>& args) {
    const Arguments a(args, "train", {"epochs", "seed", "threads", "out", "sharing"}, {"quiet", "help"});
    if (a.flag("help")) {
        std::cout << kTrainHelp;
        return 0;
    }
    if (a.positionals().size() != 1) {
        throw UsageError("mtl train needs one project file (see mtl train --help)");
    }
    const std::string path = a.positionals()[0];
    core::Project project = loadProject(path);
    if (auto epochs = a.integer("epochs", 1)) project.training.epochs = *epochs;
    if (auto seed = a.unsignedInteger("seed")) project.training.seed = *seed;
    if (auto threads = a.integer("threads", 0)) project.training.threads = *threads;
    if (auto sharing = a.value("sharing")) overrideSharing(project.model, *sharing);
    const fs::path out = a.value("out").value_or("mtl-runs/" + projectStem(path));

    core::Dataset data = core::loadDataset(project.dataset, core::projectDirectory(path));
    for (const core::SpecIssue& issue : core::validate(project.model, data.schema)) {
        if (issue.severity == core::Severity::Warning) std::cerr << "mtl: " << issue.toString() << "\n";
    }
    const core::Model model = core::compile(project.model, data.schema);
    const core::Index samples = data.rows();
    core::Trainer trainer(model, std::move(data), project.training);

    std::cout << (project.name.empty() ? projectStem(path) : project.name) << ": "
              << model.tasks().size() << " tasks, " << withThousands(model.parameterCount())
              << " parameters, " << withThousands(samples) << " samples ("
              << withThousands(long(trainer.split().train.size())) << " train, "
              << withThousands(long(trainer.split().validation.size())) << " validation), "
              << trainer.threads() << (trainer.threads() == 1 ? " thread" : " threads")
              << (project.training.threads > 0 ? "" : " (automatic)") << "\n";
    core::RunResult result;
    {
        ProgressReporter progress(trainer, project.training.epochs, ::isatty(STDOUT_FILENO) == 1,
                                  a.flag("quiet"), std::cout);
        result = trainer.run(&progress);
    }
    if (!result.history.empty()) {
        printFinalMetrics(model, trainer.evaluate(trainer.split().validation), "validation");
    }
    printFinalMetrics(model, result.test, "test");

    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw FileError("cannot create '" + out.string() + "': " + ec.message());
    core::writeMetricsCsv(model, result.history, (out / "metrics.csv").string());
    core::writeModel({project.model, model.schema(), trainer.normalizer(), trainer.parameters()},
                     (out / "model.mtlmodel").string());
    std::cout << "wrote " << (out / "metrics.csv").string() << " and "
              << (out / "model.mtlmodel").string() << "\n";
    if (result.reason == core::StopReason::Diverged) {
        std::cerr << "mtl: training diverged: " << result.message << "\n";
        return 3;
    }
    std::cout << result.message << "\n";
    return 0;
}

} // namespace mtl::cli
