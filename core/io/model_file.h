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

#include <string>

namespace mtl::core {

constexpr int kModelFormatVersion = 1;

struct TrainedModel {
    ModelSpec spec;
    DataSchema schema;
    Normalizer normalizer;
    TargetScaling targetScaling;
    Vector parameters;
};

std::string modelToBytes(const TrainedModel& model);
// Throws FileError naming the file and what is wrong.
TrainedModel modelFromBytes(const std::string& bytes, const std::string& fileName);
void writeModel(const TrainedModel& model, const std::string& path);
TrainedModel readModel(const std::string& path);

} // namespace mtl::core
