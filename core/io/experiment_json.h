#pragma once
// An experiment's grid in JSON, as the project file and experiment.json hold it:
//   {"name": "experiment 1", "methods": ["equal", "pcgrad", "cagrad:c=0.4"],
//    "sharing": ["hard", "soft:0.01"], "learning_rates": [0.001], "batch_sizes": [64],
//    "seeds": 3, "baselines": true, "epochs": 0, "runs_at_once": 1}
// Empty lists (or absent ones) keep the project's value on that axis.

#include "experiments/experiment_spec.h"
#include "io/json_fields.h"

namespace mtl::core {

io::Json experimentSpecToJson(const ExperimentSpec& spec);
// Throws FileError naming the field (a bad method, sharing, or value out of range).
ExperimentSpec experimentSpecFrom(const io::JsonObject& object);

} // namespace mtl::core
