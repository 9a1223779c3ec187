#include "data/synthetic_relatedness.h"

#include "util/error.h"

#include <Eigen/QR>

#include <cmath>
#include <sstream>

namespace mtl::core {
namespace {

constexpr int kRoughDirections = 4;   // K: the directions of the conflicting pair's D
constexpr double kRoughFrequency = 3; // ω

int directionCount(const RelatednessSettings& s) {
    return 1 + int(s.rho.size()) + (s.conflictingPair ? 1 + kRoughDirections : 0);
}

// `count` orthonormal directions in R^d, as columns: Q of a Gaussian matrix's QR decomposition.
Eigen::MatrixXd orthonormalDirections(int d, int count, Rng& rng) {
    std::normal_distribution<double> normal;
    Eigen::MatrixXd g(d, count);
    for (Index i = 0; i < g.size(); ++i)
        g.data()[i] = normal(rng);
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
    return qr.householderQ() * Eigen::MatrixXd::Identity(d, count); // [d, count]
}

// The tasks' shared non-linearity f(z) = z + Σ_i sin(α_i z + β_i).
struct Nonlinearity {
    std::vector<double> alpha, beta;
    double operator()(double z) const {
        double y = z;
        for (std::size_t i = 0; i < alpha.size(); ++i)
            y += std::sin(alpha[i] * z + beta[i]);
        return y;
    }
};

// Task 1 reads u₁ (column 0 of z); task k+2 reads ρ_k u₁ + √(1 − ρ_k²) v_{k+2} (column k+1).
// z: [n, directions], y: [n, tasks]; fills y's first 1 + rho.size() columns.
void relatedTargets(const RelatednessSettings& s, const Nonlinearity& f, const Eigen::MatrixXd& z,
                    Eigen::MatrixXd& y) {
    const double c = s.scale;
    y.col(0) = c * z.col(0);
    for (std::size_t k = 0; k < s.rho.size(); ++k) {
        const double r = s.rho[k];
        y.col(Index(k) + 1) = c * (r * z.col(0) + std::sqrt(1.0 - r * r) * z.col(Index(k) + 1));
    }
    const Index related = Index(s.rho.size()) + 1;
    y.leftCols(related) = y.leftCols(related).unaryExpr(f); // y = f(w·x)
}

// The conflicting pair in y's last two columns: c·u_s·x ± γc·D(x), u_s the z column after the
// related tasks' and D from the K columns after it.
void conflictingTargets(const RelatednessSettings& s, const Eigen::MatrixXd& z,
                        Eigen::MatrixXd& y) {
    const Index first = Index(s.rho.size()) + 1;
    const double c = s.scale;
    const Eigen::VectorXd shared = c * z.col(first);
    // D = √(2/K) Σ_j sin(ω z_j): Var sin(ωz) = (1 − e^{−2ω²})/2 ≈ ½ for z ~ N(0, 1), so Var D ≈ 1.
    const Eigen::VectorXd rough =
        std::sqrt(2.0 / kRoughDirections) *
        (kRoughFrequency * z.middleCols(first + 1, kRoughDirections)).array().sin().rowwise().sum();
    const double gamma = s.disagreement * c;
    y.col(first) = shared + gamma * rough;
    y.col(first + 1) = shared - gamma * rough;
}

} // namespace

std::optional<RelatednessProblem> findProblem(const RelatednessSettings& s) {
    if (s.samples < 1)
        return RelatednessProblem{"samples", "must be at least 1"};
    if (s.nonlinearTerms < 0)
        return RelatednessProblem{"nonlinear_terms", "must be ≥ 0"};
    if (!(s.scale > 0))
        return RelatednessProblem{"scale", "must be > 0"};
    if (!(s.noise >= 0))
        return RelatednessProblem{"noise", "must be ≥ 0"};
    if (s.conflictingPair && !(s.disagreement > 0)) {
        return RelatednessProblem{"disagreement", "must be > 0"};
    }
    for (std::size_t k = 0; k < s.rho.size(); ++k) {
        if (!(std::abs(s.rho[k]) <= 1.0f)) {
            std::ostringstream value;
            value << s.rho[k];
            return RelatednessProblem{"rho[" + std::to_string(k) + "]",
                                      value.str() + " is not a correlation (task" +
                                          std::to_string(k + 2) + "'s with task1; valid: −1 … 1)"};
        }
    }
    const int directions = directionCount(s);
    if (s.features < directions) {
        return RelatednessProblem{"features",
                                  "must be at least " + std::to_string(directions) +
                                      ": task1 and each rho need an input direction of their own" +
                                      (s.conflictingPair ? ", the conflicting pair 5" : "")};
    }
    return std::nullopt;
}

int relatednessTaskCount(const RelatednessSettings& s) {
    return 1 + int(s.rho.size()) + (s.conflictingPair ? 2 : 0);
}

Dataset makeRelatednessDataset(const RelatednessSettings& s) {
    if (const auto problem = findProblem(s)) {
        throw SettingError("relatedness data: " + problem->field + " " + problem->message);
    }
    Rng rng(s.seed);
    std::normal_distribution<double> normal;
    const Eigen::MatrixXd dirs = orthonormalDirections(s.features, directionCount(s), rng);
    Nonlinearity f;
    for (int i = 0; i < s.nonlinearTerms; ++i) {
        f.alpha.push_back(normal(rng));
        f.beta.push_back(normal(rng));
    }
    Eigen::MatrixXd x(s.samples, s.features); // x: [n, d]
    for (Index i = 0; i < x.size(); ++i)
        x.data()[i] = normal(rng);
    const Eigen::MatrixXd z = x * dirs; // z: [n, directions], each column N(0, 1)

    const int tasks = relatednessTaskCount(s);
    Eigen::MatrixXd y(s.samples, tasks); // y: [n, tasks]
    relatedTargets(s, f, z, y);
    if (s.conflictingPair)
        conflictingTargets(s, z, y);
    for (Index i = 0; i < y.size(); ++i)
        y.data()[i] += s.noise * normal(rng);

    Dataset data;
    data.schema.inputShape = Shape::flat(s.features);
    for (int j = 0; j < s.features; ++j)
        data.schema.inputNames.push_back("x" + std::to_string(j + 1));
    for (int t = 0; t < tasks; ++t)
        data.schema.targets.push_back({"task" + std::to_string(t + 1), {}});
    data.inputs = x.cast<float>();
    data.targets = y.cast<float>();
    return data;
}

} // namespace mtl::core
