#pragma once
// New projects: a dataset (built in or a CSV) and a network template for its tasks — a hard-shared
// trunk with one head per task, soft-shared towers, or a single-task baseline.

#include "io/project_file.h"

#include <QString>

#include <string>
#include <vector>

namespace mtl::ui {

enum class BuiltInDataset { Synthetic, SyntheticClassification, Fashion2Task, MultiFashion, Relatedness };
enum class NetworkTemplate { HardTrunk, SoftTowers, SingleTask, Blank };

// Every built-in dataset, in the order menus list them.
const std::vector<BuiltInDataset>& builtInDatasets();
core::DatasetSource builtInSource(BuiltInDataset which);
QString builtInTitle(BuiltInDataset which);

// The dataset's schema, from a small sample where the source allows it (CSV files are read
// whole). Throws mtl::Error with the reason when the data cannot be read.
core::DataSchema probeSchema(const core::DatasetSource& source, const std::string& projectDir);

// One task per target column: cross-entropy for a categorical column, MSE for a numeric one.
std::vector<core::TaskSpec> tasksFromSchema(const core::DataSchema& schema);

// The network for `tasks`: a Dense trunk for tabular inputs, a LeNet trunk for images; Blank is
// the input alone, for building a network from the palette.
core::ModelSpec makeTemplateNetwork(const core::DataSchema& schema, const std::vector<core::TaskSpec>& tasks,
                                    NetworkTemplate kind, const std::string& singleTask = {});

core::Project makeTemplateProject(const core::DatasetSource& source, const core::DataSchema& schema,
                                  NetworkTemplate kind, const std::string& singleTask = {});

// `project` on another dataset. With `rebuild`, the network is replaced by a hard-sharing trunk
// for the dataset's tasks; without, it is kept and a head is added for each target column no
// task uses yet.
core::Project withDataset(const core::Project& project, const core::DatasetSource& source,
                          const core::DataSchema& schema, bool rebuild);

} // namespace mtl::ui
