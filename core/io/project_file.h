#pragma once
// Project file (*.mtl.json): the dataset source, the model spec with node positions, the
// training settings and the list of runs. Saving then loading then saving gives the same bytes.
// Fields this version does not know are reported as warnings, never dropped without a word.

#include "data/csv_dataset.h"
#include "data/dataset.h"
#include "data/fashion.h"
#include "data/synthetic.h"
#include "data/synthetic_relatedness.h"
#include "experiments/experiment_spec.h"
#include "model/model_spec.h"
#include "train/training_settings.h"

#include <string>
#include <vector>

namespace mtl::core {

constexpr int kProjectFormatVersion = 1;

enum class DatasetKind : std::uint8_t { Synthetic, Csv, Fashion, Relatedness };

// Where a project's data comes from; only the settings of `kind` are used and stored.
struct DatasetSource {
    DatasetKind kind = DatasetKind::Synthetic;
    SyntheticSettings synthetic;
    CsvSource csv;
    FashionSettings fashion;
    RelatednessSettings relatedness;
    bool operator==(const DatasetSource&) const = default;
};

// A finished run as the project remembers it; its files live in `directory`.
struct RunRecord {
    std::string name;
    std::string directory;
    std::string stopReason;
    int epochs = 0;
    std::string note; // the user's, free text
    bool operator==(const RunRecord&) const = default;
};

// An experiment defined on the project (experiments/experiment_spec.h); its runs and results
// live in `directory` (experiments/experiment_run.h).
struct ExperimentRecord {
    ExperimentSpec spec;
    std::string directory;
    bool operator==(const ExperimentRecord&) const = default;
};

struct Project {
    std::string name;
    DatasetSource dataset;
    ModelSpec model;
    TrainingSettings training;
    std::vector<RunRecord> runs;
    std::vector<ExperimentRecord> experiments; // written only when there are any
    bool operator==(const Project&) const = default;
};

struct ProjectLoad {
    Project project;
    std::vector<std::string> warnings; // unknown fields, by path
};

// Throws FileError naming the file and the field (or line and column for bad JSON).
ProjectLoad parseProject(const std::string& text, const std::string& fileName);
ProjectLoad readProject(const std::string& path);
std::string projectToJson(const Project& project);
void writeProject(const Project& project, const std::string& path);

// The dataset the source describes. A CSV path is resolved against projectDir.
Dataset loadDataset(const DatasetSource& source, const std::string& projectDir = "",
                    const ProgressCallback& progress = {});
// The folder holding a project file (for resolving the paths it contains).
std::string projectDirectory(const std::string& projectPath);

} // namespace mtl::core
