#pragma once
// PyTorch export: a self-contained Python package in a folder —
//   model.py        an nn.Module mirroring the network (hard-shared layers as one module used by
//                   every task branch, soft-shared ones as one copy per task plus penalty()),
//                   taking raw features like the app; predict() gives values in the columns'
//                   units and class probabilities
//   weights.npz     its state_dict, read with numpy
//   config.json     tasks, weights, losses, target columns and scaling, training settings, the
//                   shared parameters (hard-shared layers, which several tasks' losses reach)
//   train.py        continues training with the same optimizer, schedule, task weights,
//                   soft-sharing penalty and task-balancing method; runs on a GPU when there is
//                   one, and under torchrun (DistributedDataParallel)
//   balancing.py    the app's task-balancing methods (balancing_solvers.py: their small solvers)
//   sample_data.npz some rows of the training data (raw inputs and targets), when given
//   README.md       how to use them

#include "data/dataset.h"
#include "io/model_file.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace mtl::core {

struct PyTorchExportOptions {
    std::vector<std::string> tasks;  // non-empty: only these tasks' sub-network
    const Dataset* sample = nullptr; // raw data to ship as sample_data.npz
    Index sampleRows = 2000;
};

// Writes the files into `directory` (created if needed); returns the paths written.
std::vector<std::string> exportPyTorch(const TrainedModel& trained, const std::string& directory,
                                       const PyTorchExportOptions& options = {});

// README.md of the package written with config.json's contents and the project's balancing.
std::string pytorchReadme(const nlohmann::ordered_json& config, const BalancingSettings& balancing);

// The train.py script (it does not depend on the model).
const char* pytorchTrainScript();
// balancing.py: the method table (from balancingMethods()) and parsing, then the methods
// (pytorchBalancingMethodsScript()); balancing_solvers.py. None depends on the model.
std::string pytorchBalancingScript();
const char* pytorchBalancingMethodsScript();
const char* pytorchBalancingSolversScript();

} // namespace mtl::core
