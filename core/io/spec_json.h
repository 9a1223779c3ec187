#pragma once
// JSON form of the values that both project and model files hold: the model spec, the data
// schema, training and synthetic-data settings. Writers emit only the fields that matter for
// a node's kind, in a fixed order, so writing the same value twice gives the same bytes.

#include "data/dataset.h"
#include "data/synthetic.h"
#include "data/synthetic_relatedness.h"
#include "io/json_fields.h"
#include "model/model_spec.h"
#include "train/training_settings.h"

namespace mtl::core::io {

Json toJson(const ModelSpec& spec);
ModelSpec modelSpecFrom(const JsonObject& object);

Json toJson(const DataSchema& schema);
DataSchema dataSchemaFrom(const JsonObject& object);

Json toJson(const TrainingSettings& settings);
TrainingSettings trainingSettingsFrom(const JsonObject& object);
Json toJson(const BalancingSettings& settings);
BalancingSettings balancingFrom(const JsonObject& object);

Json toJson(const SyntheticSettings& settings);
SyntheticSettings syntheticSettingsFrom(const JsonObject& object);

// Refuses settings out of range, naming the field (findProblem's rules).
Json toJson(const RelatednessSettings& settings);
RelatednessSettings relatednessSettingsFrom(const JsonObject& object);

} // namespace mtl::core::io
