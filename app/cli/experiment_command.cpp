// mtl experiment PROJECT: a grid of balancing methods, sharing, learning rates and batch sizes
// over several seeds, with single-task baselines; prints the table papers print. Resumable.

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/run_report.h"
#include "cli/table.h"

#include "data/csv_dataset.h"
#include "experiments/experiment_table.h"
#include "runs/run_places.h"
#include "util/atomic_file.h"

#include <csignal>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace mtl::cli {
namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t g_interrupted = 0;
void onInterrupt(int /*signal*/) {
    g_interrupted = 1;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');)
        parts.push_back(part);
    return parts;
}

double parseListNumber(const std::string& text, const char* option) {
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size())
            return value;
    } catch (const std::exception&) {
    }
    throw UsageError(std::string("--") + option + ": '" + text + "' is not a number");
}

// The grid from the options; none given: nullopt.
std::optional<core::ExperimentSpec> gridFromOptions(const Arguments& a) {
    core::ExperimentSpec spec;
    bool any = false;
    try {
        if (auto methods = a.value("methods")) {
            spec.methods = core::parseMethodList(*methods);
            any = true;
        }
    } catch (const SettingError& e) {
        throw UsageError(std::string("--methods: ") + e.what());
    }
    if (auto sharing = a.value("sharing")) {
        spec.sharing = splitList(*sharing);
        any = true;
    }
    if (auto rates = a.value("lr")) {
        for (const std::string& r : splitList(*rates))
            spec.learningRates.push_back(float(parseListNumber(r, "lr")));
        any = true;
    }
    if (auto batches = a.value("batch")) {
        for (const std::string& b : splitList(*batches))
            spec.batchSizes.push_back(core::Index(parseListNumber(b, "batch")));
        any = true;
    }
    if (auto seeds = a.integer("seeds", 1)) {
        spec.seeds = *seeds;
        any = true;
    }
    if (auto epochs = a.integer("epochs", 1)) {
        spec.epochs = *epochs;
        any = true;
    }
    if (auto atOnce = a.integer("at-once", 1)) {
        spec.runsAtOnce = *atOnce;
        any = true;
    }
    spec.baselines = a.flag("baselines");
    any = any || spec.baselines;
    if (!any)
        return std::nullopt;
    try {
        core::checkExperiment(spec);
    } catch (const SettingError& e) {
        throw UsageError(e.what());
    }
    return spec;
}

class JobPrinter final : public core::ExperimentObserver {
public:
    JobPrinter(core::ExperimentControl& control, bool quiet) : m_control(control), m_quiet(quiet) {}
    void onStep(const core::StepRecord& /*record*/) override {
        if (g_interrupted != 0)
            m_control.requestStop();
    }
    // One at a time, a run's line starts when it starts and ends when it finishes; side by side,
    // the line is written whole when the run finishes, numbered in the order runs finish.
    void onJobStarted(std::size_t job, const core::ExperimentState& state) override {
        if (m_quiet || state.spec.runsAtOnce > 1)
            return;
        std::cout << jobLabel(job, state, state.doneCount() + 1) << " …" << std::flush;
    }
    void onJobFinished(std::size_t job, const core::ExperimentState& state,
                       const core::RunContents* /*run*/) override {
        if (m_quiet)
            return;
        if (state.spec.runsAtOnce > 1)
            std::cout << jobLabel(job, state, state.doneCount()) << ":";
        const core::JobResult& r = state.results[job];
        if (!r.error.empty()) {
            std::cout << " could not train: " << r.error << "\n" << std::flush;
            return;
        }
        std::cout << " " << std::fixed;
        std::cout.precision(1);
        std::cout << r.seconds << " s";
        std::cout.unsetf(std::ios::fixed);
        for (std::size_t t = 0; t < state.tasks.size(); ++t) {
            if (std::isnan(r.metrics[t]))
                continue;
            std::cout << ", " << state.tasks[t].name << " " << formatNumber(r.metrics[t]);
        }
        std::cout << (r.reason == "diverged" ? " (diverged)" : "") << "\n" << std::flush;
    }

private:
    // "[n/N] name": the run's place in the count and its name.
    static std::string jobLabel(std::size_t job, const core::ExperimentState& state,
                                std::size_t n) {
        return "[" + std::to_string(n) + "/" + std::to_string(state.jobs.size()) + "] " +
               state.jobs[job].name;
    }
    core::ExperimentControl& m_control;
    bool m_quiet;
};

void writeTables(const std::string& directory, const core::ExperimentTable& table) {
    core::writeFileAtomically((fs::path(directory) / "table.csv").string(), core::tableCsv(table));
    core::writeFileAtomically((fs::path(directory) / "table.md").string(),
                              core::tableMarkdown(table));
    core::writeFileAtomically((fs::path(directory) / "table.tex").string(),
                              core::tableLatex(table));
}

} // namespace

int experimentCommand(const std::vector<std::string>& args) {
    const Arguments a(args, "experiment",
                      {"methods", "sharing", "lr", "batch", "seeds", "epochs", "at-once", "out",
                       "threads", "format"},
                      {"baselines", "no-record", "quiet", "help"});
    if (a.flag("help")) {
        std::cout << kExperimentHelp;
        return 0;
    }
    if (a.positionals().size() != 1)
        throw UsageError("mtl experiment needs one project file (see mtl experiment --help)");
    const std::string format = a.value("format").value_or("markdown");
    if (format != "markdown" && format != "csv" && format != "latex") {
        throw UsageError("--format expects markdown, csv or latex, got '" + format + "'");
    }
    const std::string& path = a.positionals()[0];
    core::ProjectLoad load = core::readProject(path);
    for (const std::string& warning : load.warnings)
        std::cerr << "mtl: warning: " << warning << "\n";
    core::Project project = load.project; // load.project stays as read: it is what gets recorded
    const RunPlace place =
        runPlace(path, load.warnings, a.flag("no-record"), executableDirectory());
    if (project.name.empty())
        project.name = core::projectStem(path);
    if (auto threads = a.integer("threads", 0))
        project.training.threads = *threads;
    if (project.dataset.kind == core::DatasetKind::Csv) {
        project.dataset.csv.path =
            fs::absolute(core::resolvePath(project.dataset.csv.path, place.projectDir)).string();
    }

    // Which experiment: the one in --out (resumed), the grid the options give, or the project's
    // last.
    std::optional<core::ExperimentSpec> grid = gridFromOptions(a);
    std::string directory;
    if (auto out = a.value("out"))
        directory = *out;
    if (!grid && directory.empty() && !project.experiments.empty()) {
        directory = (fs::path(place.projectDir) / project.experiments.back().directory).string();
        if (!fs::exists(fs::path(directory) / "experiment.json"))
            grid = project.experiments.back().spec;
    }
    const bool resuming = !directory.empty() && fs::exists(fs::path(directory) / "experiment.json");
    if (resuming && grid) {
        throw UsageError(
            directory +
            " already holds an experiment: run it again without grid options to resume it, "
            "or give another --out");
    }
    if (!resuming && !grid) {
        throw UsageError("give the grid (--methods, --sharing, --lr, --batch, --seeds, "
                         "--baselines) or --out with an "
                         "experiment's folder to resume (see mtl experiment --help)");
    }
    core::ExperimentState state;
    if (resuming) {
        state = core::readExperiment(directory);
        if (auto threads = a.integer("threads", 0))
            state.project.training.threads = *threads;
        std::cout << "resuming " << directory << ": " << state.doneCount() << " of "
                  << state.jobs.size() << " runs done\n";
    } else {
        std::vector<std::string> taken;
        for (const core::ExperimentRecord& e : project.experiments)
            taken.push_back(e.spec.name);
        int number = int(project.experiments.size()) + 1;
        grid->name = "experiment " + std::to_string(number);
        while (std::find(taken.begin(), taken.end(), grid->name) != taken.end())
            grid->name = "experiment " + std::to_string(++number);
        if (directory.empty())
            directory = core::uniqueDirectory(place.base, core::runFolderName(grid->name));
    }
    const core::Dataset data =
        core::loadDataset(resuming ? state.project.dataset : project.dataset, place.projectDir);
    if (!resuming) {
        core::Project base = project;
        base.experiments.clear();
        base.runs.clear();
        state = core::createExperiment(directory, *grid, base, data.schema);
        std::cout << grid->name << ": " << core::configurations(*grid).size()
                  << " configurations × " << grid->seeds << (grid->seeds == 1 ? " seed" : " seeds")
                  << (state.jobs.size() >
                              core::configurations(*grid).size() * std::size_t(grid->seeds)
                          ? " + single-task baselines"
                          : "")
                  << " = " << state.jobs.size() << " runs, in " << directory << "\n";
        if (place.record) {
            core::Project recorded = load.project;
            recorded.experiments.push_back(
                {*grid, core::pathForProject(directory, place.projectDir)});
            core::writeProject(recorded, path);
            std::cout << "recorded as '" << grid->name << "' in " << path << "\n";
        }
    }

    core::ExperimentControl control;
    JobPrinter printer(control, a.flag("quiet"));
    g_interrupted = 0;
    std::signal(SIGINT, onInterrupt);
    const bool finished = core::runExperiment(directory, state, data, &printer, &control);
    std::signal(SIGINT, SIG_DFL);
    const core::ExperimentTable table = core::experimentTable(state);
    writeTables(directory, table);
    std::cout << "\n"
              << (format == "csv"     ? core::tableCsv(table)
                  : format == "latex" ? core::tableLatex(table)
                                      : core::tableMarkdown(table));
    std::cout << "wrote " << directory << "/table.csv, table.md and table.tex\n";
    if (!finished) {
        std::cout << "stopped with " << state.doneCount() << " of " << state.jobs.size()
                  << " runs done; resume with: mtl experiment " << path << " --out " << directory
                  << "\n";
        return 130;
    }
    return 0;
}

} // namespace mtl::cli
