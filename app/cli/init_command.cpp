// mtl init --csv DATA.csv --task … : a project file for a CSV table, ready to train or to open.

#include "cli/arguments.h"
#include "cli/column_table.h"
#include "cli/commands.h"
#include "cli/csv_project.h"

#include <filesystem>
#include <iostream>

namespace mtl::cli {

int initCommand(const std::vector<std::string>& args) {
    std::set<std::string> options{"out"};
    options.insert(csvProjectOptions().begin(), csvProjectOptions().end());
    const Arguments a(args, "init", options, {"help"});
    if (a.flag("help")) {
        std::cout << kInitHelp << kCsvOptionsHelp;
        return 0;
    }
    if (!a.positionals().empty()) throw UsageError("mtl init takes options only (see mtl init --help)");
    const auto csv = a.value("csv");
    if (!csv) throw UsageError("mtl init needs --csv DATA.csv and at least one --task NAME=COLUMN");
    namespace fs = std::filesystem;
    const auto out = a.value("out");
    // The project refers to the CSV relative to its own folder, so the two can move together.
    const fs::path projectDir = out ? fs::absolute(*out).parent_path() : fs::current_path();
    const std::string relative = fs::absolute(*csv).lexically_relative(projectDir).string();
    const CsvProject made = projectFromCsv(a, relative.empty() ? *csv : relative);
    printColumnTable(std::cerr, made.data, *csv);
    if (!out) {
        std::cout << core::projectToJson(made.project);
        return 0;
    }
    core::writeProject(made.project, *out);
    std::cerr << "wrote " << *out << " (" << made.project.model.nodes.size() << " nodes, "
              << made.data.rows() << " rows of " << *csv << ")\n";
    return 0;
}

} // namespace mtl::cli
