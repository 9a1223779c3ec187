#pragma once
// A project made from command-line options: a CSV file, its task columns, a shared trunk.
//   --csv DATA.csv --task NAME=COLUMN[:regression|:classification] … [--ignore COL,…]
//   [--hidden 128,64] [--head-hidden 32] [--sharing hard|soft[:λ]] [--delimiter ';']

#include "cli/arguments.h"

#include "data/dataset.h"
#include "io/project_file.h"

#include <set>
#include <string>

namespace mtl::cli {

// The options above, for Arguments.
const std::set<std::string>& csvProjectOptions();

struct CsvProject {
    core::Project project;
    core::Dataset data;
};

// csvPathInProject is how the project file will refer to the CSV (relative to its folder).
CsvProject projectFromCsv(const Arguments& args, const std::string& csvPathInProject);

// "hard", "soft" or "soft:λ" applied to every layer with weights.
void overrideSharing(core::ModelSpec& spec, const std::string& text);

} // namespace mtl::cli
