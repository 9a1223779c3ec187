// mtl export MODEL --format onnx|pytorch|native --out PATH [--task NAME] [--project PROJECT]
#include "arguments.h"
#include "commands.h"

#include "export/export_plan.h"
#include "export/onnx_export.h"
#include "export/pytorch_export.h"
#include "io/model_file.h"

#include <filesystem>
#include <iostream>

namespace mtl::cli {

namespace fs = std::filesystem;

namespace {

// The project the model was trained from: --project, else run.mtl.json beside the model.
std::optional<core::Project> trainingProject(const Arguments& a, const std::string& modelPath, std::string& directory) {
    std::string path;
    if (auto given = a.value("project")) {
        path = *given;
    } else {
        const fs::path beside = fs::path(modelPath).parent_path() / "run.mtl.json";
        if (!fs::exists(beside)) return std::nullopt;
        path = beside.string();
    }
    directory = core::projectDirectory(path);
    return loadProject(path);
}

} // namespace

int exportCommand(const std::vector<std::string>& args) {
    const Arguments a(args, "export", {"format", "out", "task", "project"}, {"help"});
    if (a.flag("help")) {
        std::cout << kExportHelp;
        return 0;
    }
    if (a.positionals().size() != 1) throw UsageError("mtl export needs one model file (see mtl export --help)");
    const std::string format = a.value("format").value_or("");
    const auto out = a.value("out");
    if (format != "onnx" && format != "pytorch" && format != "native") {
        throw UsageError("--format must be onnx, pytorch or native");
    }
    if (!out) throw UsageError("--out PATH is required");
    const std::string& modelPath = a.positionals()[0];
    const core::TrainedModel trained = core::readModel(modelPath);
    const std::vector<std::string> tasks = a.values("task");

    if (format == "onnx") {
        core::writeOnnx(trained, *out, {tasks});
        std::cout << "wrote " << *out << " (outputs:";
        for (const auto& name : core::onnxOutputNames(trained, {tasks})) std::cout << " " << name;
        std::cout << ")\n";
    } else if (format == "pytorch") {
        core::PyTorchExportOptions options;
        options.tasks = tasks;
        std::string directory;
        core::Dataset sample;
        if (auto project = trainingProject(a, modelPath, directory)) {
            sample = core::loadDataset(project->dataset, directory);
            options.sample = &sample;
        }
        for (const auto& file : core::exportPyTorch(trained, *out, options)) std::cout << "wrote " << file << "\n";
        if (options.sample == nullptr) {
            std::cout << "(no sample data: give --project PROJECT.mtl.json to include some training rows)\n";
        }
    } else {
        // Native: the model file itself (read and checked above), refused like the others.
        const core::Model model = core::compile(trained.spec, trained.schema);
        (void)core::makeExportPlan(model, trained);
        if (!tasks.empty()) throw UsageError("--task applies to onnx and pytorch exports");
        core::writeModel(trained, *out);
        std::cout << "wrote " << *out << "\n";
    }
    return 0;
}

} // namespace mtl::cli
