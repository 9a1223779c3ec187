#include "cli/commands.h"

#include <filesystem>
#include <iostream>

namespace mtl::cli {
namespace {

const char* const kMainHelp = R"(mtl — train and compare multi-task neural networks (MTL Workbench)

Usage: mtl <command> [options]

Commands:
  train PROJECT.mtl.json   train a project; prints a per-epoch table, writes metrics and model
  train --csv DATA.csv --task NAME=COLUMN …
                           train a shared-trunk model straight from a CSV table
  init --csv DATA.csv --task NAME=COLUMN … [--out PROJECT.mtl.json]
                           write the project for a CSV table instead of training it
  check PROJECT.mtl.json   validate a project's model; exit status 1 if it has errors
  predict MODEL INPUT.csv  predict every task for each row of a CSV table
  export MODEL --format onnx|pytorch|native --out PATH
                           write a trained model for ONNX Runtime, PyTorch or C++
  analyze RUN_DIR [--affinity] [--groups K]
                           the task relationships of a run: gradient cosines, affinity, groupings
  help [COMMAND]           show help (also: mtl COMMAND --help)
  help balancing           the task-balancing methods, their parameters and defaults

Options:
  --help                   show this help
  --version                show the version

Exit status: 0 success, 1 error, 2 wrong usage, 3 training diverged.
)";

} // namespace

const char* const kCsvOptionsHelp = R"(
From a CSV table:
  --csv DATA.csv      the table; its first row names the columns
  --task NAME=COLUMN[:regression|:classification]
                      a task predicting COLUMN (repeat for each task); text columns, or
                      :classification, give a classification task, numbers a regression task
  --ignore COL,…      columns that are neither inputs nor targets; every other column is an
                      input: numbers as they are, text one-hot encoded, dates (yyyy-mm-dd,
                      yyyy/mm/dd, dd.mm.yyyy, mm/dd/yyyy, dd/mm/yyyy) as trend, month, day of
                      year and weekday. Identifiers (a distinct value in almost every row,
                      free text, row numbers) are ignored unless included. A table of the
                      columns and what each became is printed first.
  --include COL,…     use these columns as inputs although they look like identifiers
  --text-as-missing COL,…
                      read text cells of these numeric columns as missing values (a numeric
                      column with a few text values is refused otherwise, naming them)
  --hidden 128,64     widths of the shared layers (default 64,64)
  --head-hidden 32    widths of each task's own layers before its output (default none)
  --delimiter C       ',', ';' or tab (default: detected from the header)
)";

const char* const kTrainHelp = R"(Usage: mtl train PROJECT.mtl.json [options]
       mtl train --csv DATA.csv --task NAME=COLUMN … [options]

Trains the project's model on its dataset and prints one row per epoch with each task's train
and validation loss. Writes the run's folder, the same files the app writes: run.mtl.json (the
project as trained), metrics.csv (one row per epoch and task), steps.csv, relations.csv,
test.csv (with a test split) and model.mtlmodel. For a project file of yours the run goes to
mtl-runs/<project>/<run>/ beside it and is recorded in the project as "run N", as the app
records it; a bundled example, a read-only project or --no-record writes mtl-runs/<project>/ in
the current folder and leaves the project file alone. Ctrl-C stops after the current step and
still writes the run.

Options:
  --epochs N          number of epochs (default: the project's)
  --seed S            random seed for initialisation, split and shuffling (default: the project's)
  --threads T         threads to use (default: the project's; 0 = automatic: every core
                      when the model is large enough to gain from it, else one)
  --sharing MODE      every shared layer hard, or soft[:λ]: one copy per task, pulled
                      together by λ (e.g. soft:0.01); overrides the project's choice
  --balancing NAME[:PARAM=VALUE,…]
                      how each step combines the tasks, e.g. pcgrad, cagrad:c=0.4,
                      mgda:normalization=l2 (default: the project's; see mtl help balancing)
  --baselines         then train one single-task baseline per task (same network cut to that
                      task's head, same settings) and print Δm, multi-task against single-task
  --out DIR           where to write the run (default: see above)
  --no-record         do not record the run in the project file
  --quiet             print only the final summary
)";

const char* const kExperimentHelp =
    R"(Usage: mtl experiment PROJECT.mtl.json [grid options] [--out DIR]
       mtl experiment PROJECT.mtl.json --out DIR        (resume a stopped experiment)

Trains every configuration of a grid over the project with several seeds, plus one single-task
baseline per task and seed, and prints a table: per task the metric's mean ± standard deviation
over seeds (on the test split when the project has one — test_fraction, or the Fashion datasets'
own test images with "split": "train+test" — else on validation, each run at the epoch it kept),
Δm ± std against the baselines of the same seeds, the time per run and the rank. The runs, the
state and table.csv/.md/.tex go to DIR (default: mtl-runs/<project>/experiment-N beside a
project of yours, recorded in the project as the app records it). Ctrl-C stops after the
current step; run the same command with --out DIR to resume: finished runs are kept.
Without grid options, the project's last experiment is run (or resumed).

Grid (each a comma-separated list; an axis left out keeps the project's value):
  --methods LIST      balancing methods, e.g. ew,uw,pcgrad,mgda,cagrad:c=0.4,nash_mtl
                      (LibMTL's names work too; see mtl help balancing)
  --sharing LIST      hard, soft, soft:λ for every shared layer, e.g. hard,soft:0.01
  --lr LIST           learning rates, e.g. 0.001,0.0003
  --batch LIST        batch sizes
  --seeds N           seeds per configuration (default 3): the project's seed, +1, …
  --baselines         with single-task baselines (needed for Δm)
  --epochs N          epochs per run (default: the project's)
  --at-once N         train N runs side by side, the cores split between them (default 1;
                      on 2 cores, 2 finishes MultiFashion about 15–20 % sooner)
Other options:
  --out DIR           the experiment's folder (an existing one is resumed)
  --threads T         threads per run (default: the project's)
  --format F          how to print the table: markdown (default), csv or latex
  --no-record         do not record the experiment in the project file
  --quiet             print the table only
)";

const char* const kInitHelp = R"(Usage: mtl init --csv DATA.csv --task NAME=COLUMN … [--out PROJECT.mtl.json]

Writes a project for a CSV table — dataset, column roles, a shared trunk with one head per task,
training settings — to PROJECT.mtl.json (or to standard output without --out). The project
refers to the CSV relative to its own folder. Edit it, then: mtl train PROJECT.mtl.json

  --out FILE          where to write the project (default: standard output)
  --sharing MODE      hard (default), or soft[:λ]: one copy per task, pulled together by λ
)";

const char* const kPredictHelp = R"(Usage: mtl predict MODEL.mtlmodel INPUT.csv [--out PRED.csv]

Predicts every task for each row of INPUT.csv, whose columns are found by name (extra columns
are ignored; missing values are filled as in training). Writes one row per input row: for a
regression task its value; for a classification task the predicted class and p(task=class) for
every class. Without --out the predictions go to standard output.
)";

const char* const kExportHelp = R"(Usage: mtl export MODEL.mtlmodel --format onnx|pytorch|native --out PATH [--task NAME]
                  [--project PROJECT.mtl.json]

Writes the trained model for use elsewhere:
  onnx      one ONNX file (opset 17) taking raw features; per task "<task>" (values in the
            column's units) or "<task>_logits" and "<task>_probabilities"; task names and class
            labels in its metadata; checked with ONNX's checker
  pytorch   a folder: model.py (an nn.Module), weights.npz, config.json, train.py (continues
            training, on a GPU or under torchrun) and sample_data.npz (training rows, from the
            project beside the model — run.mtl.json — or --project)
  native    the *.mtlmodel file (read by mtl::core::Predictor; see docs/cpp-inference.md)

  --task NAME   export only this task and the layers it uses (onnx, pytorch; repeat for several)
A model whose run diverged, or that was never trained, is refused.
)";

const char* const kCheckHelp = R"(Usage: mtl check PROJECT.mtl.json

Validates the project's model against its dataset and prints every problem, naming the node and
property at fault. Exit status 1 if there is any error (warnings alone exit 0).
)";

std::string executableDirectory() {
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string(".") : self.parent_path().string();
}

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
        else if (rest[0] == "train") std::cout << kTrainHelp << kCsvOptionsHelp;
        else if (rest[0] == "check") std::cout << kCheckHelp;
        else if (rest[0] == "init") std::cout << kInitHelp << kCsvOptionsHelp;
        else if (rest[0] == "predict") std::cout << kPredictHelp;
        else if (rest[0] == "export") std::cout << kExportHelp;
        else if (rest[0] == "analyze") std::cout << kAnalyzeHelp;
        else if (rest[0] == "experiment")
            std::cout << kExperimentHelp;
        else if (rest[0] == "balancing") std::cout << balancingHelp();
        else
            throw UsageError("no command '" + rest[0] +
                             "' (commands: train, experiment, init, check, predict, export, "
                             "analyze; or balancing)");
        return 0;
    }
    if (command == "train") return trainCommand(rest);
    if (command == "experiment")
        return experimentCommand(rest);
    if (command == "check") return checkCommand(rest);
    if (command == "init") return initCommand(rest);
    if (command == "predict") return predictCommand(rest);
    if (command == "export") return exportCommand(rest);
    if (command == "analyze") return analyzeCommand(rest);
    throw UsageError("no command '" + command + "' (commands: train, init, check, predict, export, analyze; see mtl --help)");
}

} // namespace mtl::cli
