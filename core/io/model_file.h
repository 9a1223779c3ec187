#pragma once
// Model file (*.mtlmodel): everything needed to predict — the model spec, the data schema
// (input shape, target names, class labels), the input normalisation and the trained weights.
//
// Layout: a line "MTLMODEL <version>", a line "<header bytes> <weight bytes> <checksum>", the
// JSON header, then the weights as little-endian float32. The checksum (FNV-1a 64, hex) covers
// header and weights, so a damaged or truncated file is refused with a clear message.

#include "data/dataset.h"
#include "data/normalizer.h"
#include "model/model_spec.h"
#include "train/records.h"
#include "train/training_settings.h"

#include <optional>
#include <string>

namespace mtl::core {

constexpr int kModelFormatVersion = 1;

// How the weights came to be: the run's end ("completed", "early_stopped", "stopped",
// "diverged"), its completed epochs and its settings (an export continues with them).
struct TrainingRecord {
    std::string status;
    int epochs = 0;
    TrainingSettings settings;
    std::vector<LearnedCovariance> covariances; // Ω of relationship-coupled layers, at the end
    std::vector<GateUse> gates;                 // expert gates' use in the last epoch
};

struct TrainedModel {
    ModelSpec spec;
    DataSchema schema;
    Normalizer normalizer;
    TargetScaling targetScaling;
    Vector parameters;
    std::optional<TrainingRecord> training; // absent in files written before it was recorded
};

std::string modelToBytes(const TrainedModel& model);
// Throws FileError naming the file and what is wrong.
TrainedModel modelFromBytes(const std::string& bytes, const std::string& fileName);
void writeModel(const TrainedModel& model, const std::string& path);
TrainedModel readModel(const std::string& path);

} // namespace mtl::core
