#include "data/normalizer.h"

#include <cmath>

namespace mtl::core {

Normalizer Normalizer::fit(const Matrix& inputs, std::span<const Index> rows) {
    Normalizer n;
    const Index d = inputs.cols();
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(d);
    Eigen::RowVectorXd squares = Eigen::RowVectorXd::Zero(d);
    for (Index r : rows) {
        const Eigen::RowVectorXd x = inputs.row(r).cast<double>();
        sum += x;
        squares += x.array().square().matrix();
    }
    const double count = std::max<double>(1.0, double(rows.size()));
    n.mean = (sum / count).cast<float>();
    n.scale.resize(d);
    for (Index j = 0; j < d; ++j) {
        const double variance = std::max(0.0, squares[j] / count - std::pow(sum[j] / count, 2));
        const double sd = std::sqrt(variance);
        // A constant feature (e.g. an always-black pixel) is centred but not scaled.
        n.scale[j] = sd > 1e-8 ? float(1.0 / sd) : 1.0f;
    }
    return n;
}

void Normalizer::apply(Matrix& inputs) const {
    if (isIdentity()) return;
    inputs.rowwise() -= mean;
    inputs.array().rowwise() *= scale.array();
}

} // namespace mtl::core
