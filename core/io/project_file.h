#pragma once
// Project file (*.mtl.json): the dataset source, the model spec with node positions, the
// training settings and the list of runs. Saving then loading then saving gives the same bytes.
// Fields this version does not know are reported as warnings, never dropped without a word.

#include "data/dataset.h"
#include "data/synthetic.h"
#include "model/model_spec.h"
#include "train/training_settings.h"

#include <string>
#include <vector>

namespace mtl::core {

constexpr int kProjectFormatVersion = 1;

enum class DatasetKind : std::uint8_t { Synthetic };

struct DatasetSource {
    DatasetKind kind = DatasetKind::Synthetic;
    SyntheticSettings synthetic;
    bool operator==(const DatasetSource&) const = default;
};

// A finished run as the project remembers it; its files live in `directory`.
struct RunRecord {
    std::string name;
    std::string directory;
    std::string stopReason;
    int epochs = 0;
    bool operator==(const RunRecord&) const = default;
};

struct Project {
    std::string name;
    DatasetSource dataset;
    ModelSpec model;
    TrainingSettings training;
    std::vector<RunRecord> runs;
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

// The dataset the source describes.
Dataset loadDataset(const DatasetSource& source);

} // namespace mtl::core
