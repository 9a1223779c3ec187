#include "relations/learned_correlation.h"

#include <cmath>
#include <limits>

namespace mtl::ui {

std::vector<double> learnedCorrelation(const core::LearnedCovariance& c,
                                       const std::vector<QString>& tasks) {
    const std::size_t n = tasks.size();
    const std::size_t k = c.tasks.size();
    std::vector<double> matrix(n * n, std::numeric_limits<double>::quiet_NaN());
    std::vector<int> position(k, -1);
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t t = 0; t < n; ++t) {
            if (tasks[t].toStdString() == c.tasks[a])
                position[a] = int(t);
        }
    }
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = 0; b < k; ++b) {
            if (position[a] < 0 || position[b] < 0)
                continue;
            const double r =
                c.omega[a * k + b] / std::sqrt(c.omega[a * k + a] * c.omega[b * k + b]);
            matrix[std::size_t(position[a]) * n + std::size_t(position[b])] = r;
        }
    }
    return matrix;
}

} // namespace mtl::ui
