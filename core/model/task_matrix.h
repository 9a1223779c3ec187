#pragma once
// Matrices and vectors with one row or column per task: a fixed maximum size (kMaxTasks), so
// they live on the stack and nothing that uses them allocates.

#include "model/graph_index.h"
#include "util/tensor.h"

namespace mtl::core {

using SmallMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, kMaxTasks, kMaxTasks>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kMaxTasks, 1>;

} // namespace mtl::core
