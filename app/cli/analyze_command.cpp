// mtl analyze RUN_DIR [--affinity [--batches N] [--lr η]] [--groups K] [--out DIR]: the task
// relationships of a trained run — the gradient cosines measured during training (relations.csv),
// averaged, overall and per shared layer; optionally the lookahead task affinity of the trained
// model; and the suggested task groupings — as tables, and as CSV files.

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/table.h"

#include "data/csv_dataset.h"
#include "io/csv_writing.h"
#include "io/model_file.h"
#include "io/relations_csv.h"
#include "relations/relation_summary.h"
#include "relations/task_affinity.h"
#include "relations/task_grouping.h"
#include "util/atomic_file.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace mtl::cli {
namespace {

namespace fs = std::filesystem;

std::string matrixTable(const std::vector<double>& m, const std::vector<std::string>& tasks,
                        int digits = 3) {
    std::size_t width = std::size_t(digits) + 5; // sign, integer digit, point, a space between columns
    for (const std::string& t : tasks)
        width = std::max(width, t.size() + 2);
    std::ostringstream out;
    out << "  " << std::setw(int(width)) << "";
    for (const std::string& t : tasks)
        out << std::setw(int(width)) << t;
    out << "\n";
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        out << "  " << std::left << std::setw(int(width)) << tasks[i] << std::right;
        for (std::size_t j = 0; j < tasks.size(); ++j) {
            const double v = m[i * tasks.size() + j];
            std::ostringstream cell;
            if (std::isnan(v))
                cell << "–";
            else
                cell << std::fixed << std::setprecision(digits) << v;
            out << std::setw(int(width) + (std::isnan(v) ? 2 : 0)) << cell.str();
        }
        out << "\n";
    }
    return out.str();
}

std::string matrixCsv(const std::vector<double>& m, const std::vector<std::string>& tasks) {
    std::string out = "task";
    for (const std::string& t : tasks)
        out += "," + core::csvField(t);
    out += "\n";
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        out += core::csvField(tasks[i]);
        for (std::size_t j = 0; j < tasks.size(); ++j) {
            out += ",";
            core::appendNumber(out, m[i * tasks.size() + j]);
        }
        out += "\n";
    }
    return out;
}

std::string groupText(const core::TaskGrouping& g, const std::vector<std::string>& tasks) {
    std::string text;
    for (const auto& group : g.groups) {
        text += text.empty() ? "{" : " {";
        for (std::size_t k = 0; k < group.size(); ++k)
            text += (k == 0 ? "" : ", ") + tasks[std::size_t(group[k])];
        text += "}";
    }
    return text;
}

// Prints the best groupings by `relation` for k = 1 … maxGroups and returns their CSV rows.
std::string printGroupings(const std::vector<double>& relation,
                           const std::vector<std::string>& tasks, int maxGroups,
                           const std::string& by) {
    std::string csv;
    std::cout << "suggested task groupings by " << by << " (the partition with the most " << by
              << " within groups):\n";
    for (const core::TaskGrouping& g :
         core::bestGroupings(relation, int(tasks.size()), maxGroups)) {
        std::cout << "  " << g.groups.size() << (g.groups.size() == 1 ? " group:  " : " groups: ")
                  << groupText(g, tasks) << "   score " << formatNumber(g.score)
                  << (g.exhaustive ? "" : " (heuristic)") << "\n";
        csv += by + "," + std::to_string(g.groups.size()) + "," +
               core::csvField(groupText(g, tasks)) + ",";
        core::appendNumber(csv, g.score);
        csv += "\n";
    }
    return csv;
}

} // namespace

const char* const kAnalyzeHelp =
    R"(Usage: mtl analyze RUN_DIR [--affinity [--batches N] [--lr RATE]] [--groups K] [--out DIR]

The task relationships of a run that `mtl train` wrote (RUN_DIR holds run.mtl.json, model.mtlmodel
and relations.csv): the cosine between every two tasks' gradients on the shared layers, measured
during training and averaged over the run, overall and per shared layer; the gradient-magnitude
similarity; the share of task pairs in conflict (cosine < 0); and the task groupings that keep
the most related tasks together. Writes cosine.csv, magnitude.csv, groupings.csv (and
affinity.csv) to DIR (default: RUN_DIR).

  --affinity          also measure the lookahead task affinity of the trained model (Fifty et al.
                      2021): Z[i→j] = 1 − L_j after a step on task i alone / L_j before
  --batches N         training batches to average the affinity over (default 20)
  --lr RATE           the lookahead step (default: the run's learning rate)
  --groups K          groupings into 1 … K groups (default: up to 3)
)";

int analyzeCommand(const std::vector<std::string>& args) {
    const Arguments a(args, "analyze", {"batches", "lr", "groups", "out"}, {"affinity", "help"});
    if (a.flag("help")) {
        std::cout << kAnalyzeHelp;
        return 0;
    }
    if (a.positionals().size() != 1)
        throw UsageError("mtl analyze needs one run directory (see mtl analyze --help)");
    const fs::path run = a.positionals()[0];
    const fs::path out = a.value("out").value_or(run.string());
    const core::TrainedModel trained = core::readModel((run / "model.mtlmodel").string());
    const core::Model model = core::compile(trained.spec, trained.schema);
    std::vector<std::string> tasks;
    for (const core::TaskInfo& t : model.tasks())
        tasks.push_back(t.name);
    const int maxGroups = a.integer("groups", 1).value_or(3);
    fs::create_directories(out);

    std::string groupings = "relation,groups,grouping,score\n";
    const fs::path relationsPath = run / "relations.csv";
    if (fs::exists(relationsPath)) {
        const auto records = core::readRelationsCsv(relationsPath.string(), tasks);
        const auto summaries = core::summarizeRelations(records);
        if (summaries.empty())
            throw FileError(relationsPath.string() + ": no measurements");
        const core::RelationSummary& all = summaries.front();
        std::cout << run.string() << ": " << tasks.size() << " tasks, " << all.measurements
                  << " measurements of the task gradients (steps " << records.front().step << " to "
                  << records.back().step
                  << ")\n\ngradient cosine, mean over the run (all shared layers):\n"
                  << matrixTable(all.cosine, tasks) << "\ngradient-magnitude similarity, mean:\n"
                  << matrixTable(all.magnitude, tasks)
                  << "\npairs in conflict (cosine < 0): " << formatNumber(100.0 * all.conflictShare)
                  << "% of measurements";
        for (std::size_t k = 1; k < summaries.size(); ++k) {
            std::cout << (k == 1 ? "; per layer: " : ", ") << summaries[k].layer << " "
                      << formatNumber(100.0 * summaries[k].conflictShare) << "%";
        }
        std::cout << "\n\n";
        core::writeFileAtomically((out / "cosine.csv").string(), matrixCsv(all.cosine, tasks));
        core::writeFileAtomically((out / "magnitude.csv").string(),
                                  matrixCsv(all.magnitude, tasks));
        groupings += printGroupings(all.cosine, tasks, maxGroups, "cosine");
    } else {
        std::cout << run.string() << ": no relations.csv (the run measured no task relations)\n";
    }

    if (a.flag("affinity")) {
        core::Project project = loadProject((run / "run.mtl.json").string());
        core::Dataset data = core::loadDataset(project.dataset, run.string());
        core::Trainer trainer(model, std::move(data), project.training);
        trainer.parameters() = trained.parameters;
        const double lr = a.value("lr") ? std::stod(*a.value("lr"))
                                        : double(project.training.optimizer.learningRate);
        const int batches = a.integer("batches", 1).value_or(20);
        const core::AffinityResult affinity = core::measureAffinity(trainer, batches, lr);
        std::cout << "\ntask affinity (a step on the row's task alone: 1 − the column's loss after "
                     "/ before), "
                  << affinity.batches << " batches, step " << formatNumber(lr) << ":\n"
                  << matrixTable(affinity.matrix, tasks, 4) << "\n";
        core::writeFileAtomically((out / "affinity.csv").string(),
                                  matrixCsv(affinity.matrix, tasks));
        groupings += printGroupings(affinity.matrix, tasks, maxGroups, "affinity");
    }
    core::writeFileAtomically((out / "groupings.csv").string(), groupings);
    std::cout << "wrote " << (out / "groupings.csv").string() << " and the matrices as CSV\n";
    return 0;
}

} // namespace mtl::cli
