#pragma once
// Matrix vocabulary of the core: float32, row-major [batch, features].
// A mini-batch of b rows is a Map over the first b rows of a buffer sized for the largest batch,
// so nothing is allocated while training.

#include <Eigen/Core>

#include <cstdint>
#include <random>
#include <utility>

namespace mtl::core {

using Index = Eigen::Index;
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;
using RowVector = Eigen::RowVectorXf;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;
using VectorMap = Eigen::Map<Vector>;
using ConstVectorMap = Eigen::Map<const Vector>;
using RowVectorMap = Eigen::Map<RowVector>;
using ConstRowVectorMap = Eigen::Map<const RowVector>;

// One generator per run: initialisation, shuffling and dropout all draw from it.
using Rng = std::mt19937_64;

// The first `rows` rows of a [maxBatch, cols] buffer.
inline MatrixMap topRows(Matrix& buffer, Index rows) {
    return {buffer.data(), rows, buffer.cols()};
}
inline ConstMatrixMap topRows(const Matrix& buffer, Index rows) {
    return {buffer.data(), rows, buffer.cols()};
}

} // namespace mtl::core
