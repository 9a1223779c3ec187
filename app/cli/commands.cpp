#include "cli/commands.h"

#include <iostream>

namespace mtl::cli {
namespace {

const char* const kMainHelp = R"(mtl — train and compare multi-task neural networks (MTL Workbench)

Usage: mtl <command> [options]

Commands:
  train PROJECT.mtl.json   train a project; prints a per-epoch table, writes metrics and model
  check PROJECT.mtl.json   validate a project's model; exit status 1 if it has errors
  help [COMMAND]           show help (also: mtl COMMAND --help)

Options:
  --help                   show this help
  --version                show the version

Exit status: 0 success, 1 error, 2 wrong usage, 3 training diverged.
)";

} // namespace

const char* const kTrainHelp = R"(Usage: mtl train PROJECT.mtl.json [options]

Trains the project's model on its dataset and prints one row per epoch with each task's train
and validation loss. Writes DIR/metrics.csv (one row per epoch and task) and DIR/model.mtlmodel.
Ctrl-C stops after the current step and still writes both files.

Options:
  --epochs N          number of epochs (default: the project's)
  --seed S            random seed for initialisation, split and shuffling (default: the project's)
  --threads T         threads to use (default: the project's; 0 = automatic: every core
                      when the model is large enough to gain from it, else one)
  --sharing MODE      override every shared layer: hard, or soft[:λ] (e.g. soft:0.01)
  --out DIR           where to write results (default: mtl-runs/<project name>)
  --quiet             print only the final summary
)";

const char* const kCheckHelp = R"(Usage: mtl check PROJECT.mtl.json

Validates the project's model against its dataset and prints every problem, naming the node and
property at fault. Exit status 1 if there is any error (warnings alone exit 0).
)";

core::Project loadProject(const std::string& path) {
    core::ProjectLoad load = core::readProject(path);
    for (const std::string& warning : load.warnings) std::cerr << "mtl: warning: " << warning << "\n";
    return std::move(load.project);
}

int runCommand(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kMainHelp;
        return args.empty() ? 2 : 0;
    }
    const std::string& command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--version") {
        std::cout << "mtl " << MTL_VERSION << "\n";
        return 0;
    }
    if (command == "help") {
        if (rest.empty()) std::cout << kMainHelp;
        else if (rest[0] == "train") std::cout << kTrainHelp;
        else if (rest[0] == "check") std::cout << kCheckHelp;
        else throw UsageError("no command '" + rest[0] + "' (commands: train, check)");
        return 0;
    }
    if (command == "train") return trainCommand(rest);
    if (command == "check") return checkCommand(rest);
    throw UsageError("no command '" + command + "' (commands: train, check; see mtl --help)");
}

} // namespace mtl::cli
