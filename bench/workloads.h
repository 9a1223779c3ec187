#pragma once
// The reference workloads of shared/benchmarks.md as model specs over random data: 784 inputs
// (or 1×28×28 images), 10 classes per task, task weights 0.5/0.3/0.2 (two tasks: 0.5/0.5).

#include "data/dataset.h"
#include "model/model_spec.h"

#include <string>
#include <vector>

namespace mtl::bench {

struct Workload {
    std::string name;
    core::ModelSpec spec;
    core::Dataset data;
    core::Index batch = 128;
};

std::vector<std::string> workloadNames();
// Throws mtl::SettingError for an unknown name. width overrides the shared layers' width and
// batch the batch size (for the scaling tables); 0 keeps the workload's own.
Workload makeWorkload(const std::string& name, int width = 0, core::Index batch = 0);

} // namespace mtl::bench
