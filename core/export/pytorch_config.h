#pragma once
// The exported PyTorch package's config.json: tasks, soft-sharing groups with their couplings,
// the shared parameters the balancing methods combine gradients on, and the training settings.

#include "export/export_plan.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mtl::core {

// A Python identifier for a module key ("task 2" → "task_2").
std::string pythonKey(const std::string& name);

nlohmann::ordered_json pytorchConfig(const TrainedModel& trained, const ExportPlan& plan,
                                     const Model& model);

} // namespace mtl::core
