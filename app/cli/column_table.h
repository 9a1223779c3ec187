#pragma once
// The schema table `mtl train --csv` and `mtl init` print before training: per column of the
// table its role, what its values are, what it became, missing and distinct values; then the
// notices (ignored identifiers, dates, text read as missing, warnings) with the option that
// changes each.

#include "data/dataset.h"

#include <ostream>
#include <string>

namespace mtl::cli {

void printColumnTable(std::ostream& out, const core::Dataset& data, const std::string& file);
// The notices alone (for a project whose table was set up before).
void printColumnNotices(std::ostream& out, const core::Dataset& data);

} // namespace mtl::cli
