#include "data/normalizer.h"

#include <cmath>

namespace mtl::core {

Normalizer Normalizer::fit(const Matrix& inputs, std::span<const Index> rows, bool standardize) {
    Normalizer n;
    const Index d = inputs.cols();
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(d);
    Eigen::RowVectorXd squares = Eigen::RowVectorXd::Zero(d);
    Eigen::RowVectorXd count = Eigen::RowVectorXd::Zero(d);
    for (Index r : rows) {
        for (Index j = 0; j < d; ++j) {
            const double x = inputs(r, j);
            if (std::isnan(x)) continue; // missing: left out of the statistics
            sum[j] += x;
            squares[j] += x * x;
            count[j] += 1.0;
        }
    }
    n.mean.resize(d);
    n.scale.resize(d);
    n.fill.resize(d);
    for (Index j = 0; j < d; ++j) {
        const double c = std::max(1.0, count[j]);
        const double mean = sum[j] / c;
        const double sd = std::sqrt(std::max(0.0, squares[j] / c - mean * mean));
        n.fill[j] = float(mean);
        n.mean[j] = standardize ? float(mean) : 0.0f;
        // A constant feature (e.g. an always-black pixel) is centred but not scaled.
        n.scale[j] = standardize && sd > 1e-8 ? float(1.0 / sd) : 1.0f;
    }
    return n;
}

void Normalizer::apply(Matrix& inputs) const {
    if (isIdentity()) return;
    for (Index r = 0; r < inputs.rows(); ++r) {
        for (Index j = 0; j < inputs.cols(); ++j) {
            float& x = inputs(r, j);
            if (std::isnan(x)) x = fill[j];
            x = (x - mean[j]) * scale[j];
        }
    }
}

} // namespace mtl::core

namespace mtl::core {

TargetScaling TargetScaling::fit(const Matrix& targets, std::span<const Index> rows,
                                 const std::vector<bool>& scaleColumn) {
    TargetScaling s;
    const Index d = targets.cols();
    s.mean = RowVector::Zero(d);
    s.scale = RowVector::Ones(d);
    for (Index j = 0; j < d; ++j) {
        if (!scaleColumn[std::size_t(j)]) continue;
        double sum = 0.0, squares = 0.0, count = 0.0;
        for (Index r : rows) {
            const double t = targets(r, j);
            if (std::isnan(t)) continue;
            sum += t;
            squares += t * t;
            count += 1.0;
        }
        if (count == 0.0) continue;
        const double mean = sum / count;
        const double sd = std::sqrt(std::max(0.0, squares / count - mean * mean));
        s.mean[j] = float(mean);
        s.scale[j] = sd > 1e-12 ? float(1.0 / sd) : 1.0f;
    }
    return s;
}

void TargetScaling::apply(Matrix& targets) const {
    if (isIdentity()) return;
    targets.rowwise() -= mean; // NaN stays NaN
    targets.array().rowwise() *= scale.array();
}

void TargetScaling::restore(Matrix& outputs, const std::vector<int>& columns) const {
    if (isIdentity()) return;
    for (std::size_t k = 0; k < columns.size(); ++k) {
        const auto j = Index(columns[k]);
        outputs.col(Index(k)) = (outputs.col(Index(k)).array() / scale[j] + mean[j]).matrix();
    }
}

} // namespace mtl::core
