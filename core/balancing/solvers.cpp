#include "balancing/solvers.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>

#include <array>
#include <cmath>
#include <limits>

namespace mtl::core::balancing {
namespace {

using KktMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor,
                                kMaxTasks + 1, kMaxTasks + 1>;
using KktVector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kMaxTasks + 1, 1>;

// A subset of the tasks, in increasing order.
struct Subset {
    std::array<Index, kMaxTasks> index{};
    Index size = 0;
    std::array<bool, kMaxTasks> member{};

    void add(Index i) {
        member[std::size_t(i)] = true;
        index[std::size_t(size++)] = i;
    }
    void keepIf(const SmallVector& lambda, double floor) {
        Index kept = 0;
        for (Index k = 0; k < size; ++k) {
            const Index i = index[std::size_t(k)];
            if (lambda(i) > floor || (kept == 0 && k == size - 1))
                index[std::size_t(kept++)] = i;
            else
                member[std::size_t(i)] = false;
        }
        size = kept;
    }
};

SmallMatrix restrict(const SmallMatrix& g, const Subset& s) {
    SmallMatrix out(s.size, s.size);
    for (Index a = 0; a < s.size; ++a) {
        for (Index b = 0; b < s.size; ++b)
            out(a, b) = g(s.index[std::size_t(a)], s.index[std::size_t(b)]);
    }
    return out;
}

double largestDiagonal(const SmallMatrix& g) {
    return g.rows() == 0 ? 0.0
                         : std::max(g.diagonal().maxCoeff(), std::numeric_limits<double>::min());
}

// Wolfe's minor cycle: the point of least norm on the affine hull of the subset's gradients,
// as weights summing to 1 (from [G_SS 1; 1ᵀ 0][α; μ] = [0; 1]).
KktVector affineMinimiser(const SmallMatrix& gram, const Subset& s) {
    const Index m = s.size;
    KktMatrix kkt(m + 1, m + 1);
    kkt.topLeftCorner(m, m) = restrict(gram, s);
    kkt.col(m).setOnes();
    kkt.row(m).setOnes();
    kkt(m, m) = 0.0;
    KktVector rhs = KktVector::Zero(m + 1);
    rhs(m) = 1.0;
    const Eigen::FullPivLU<KktMatrix> lu(kkt);
    return lu.solve(rhs).head(m);
}

} // namespace

NonZeroTasks nonZeroTasks(const SmallMatrix& gram) {
    NonZeroTasks out;
    for (Index k = 0; k < gram.rows(); ++k) {
        if (gram(k, k) > 0.0)
            out.index[std::size_t(out.count++)] = k;
    }
    out.gram.resize(out.count, out.count);
    for (Index a = 0; a < out.count; ++a) {
        for (Index b = 0; b < out.count; ++b)
            out.gram(a, b) = gram(out.index[std::size_t(a)], out.index[std::size_t(b)]);
    }
    return out;
}

SmallVector minNormOnSimplex(const SmallMatrix& gram, double* distance2) {
    const Index n = gram.rows();
    SmallVector lambda = SmallVector::Zero(n);
    if (n == 0)
        return lambda;
    const double scale = largestDiagonal(gram);
    Index start = 0;
    gram.diagonal().minCoeff(&start);
    lambda(start) = 1.0;
    Subset s;
    s.add(start);
    for (int major = 0; major < 50 + 10 * int(n); ++major) {
        const SmallVector gl = gram * lambda; // (Gλ)_i = x·g_i, x = Jᵀλ
        Index j = 0;
        const double lowest = gl.minCoeff(&j);
        // x is optimal when no gradient lies further along −x than x itself.
        if (lambda.dot(gl) - lowest <= 1e-13 * scale || s.member[std::size_t(j)])
            break;
        s.add(j);
        for (int minor = 0; minor <= int(n); ++minor) {
            const KktVector alpha = affineMinimiser(gram, s);
            if (alpha.minCoeff() > 1e-15) {
                for (Index k = 0; k < s.size; ++k)
                    lambda(s.index[std::size_t(k)]) = alpha(k);
                break;
            }
            // Step from λ towards α until a weight reaches zero; drop it.
            double theta = 1.0;
            for (Index k = 0; k < s.size; ++k) {
                const double l = lambda(s.index[std::size_t(k)]);
                if (alpha(k) <= 1e-15 && l - alpha(k) > 0)
                    theta = std::min(theta, l / (l - alpha(k)));
            }
            for (Index k = 0; k < s.size; ++k) {
                double& l = lambda(s.index[std::size_t(k)]);
                l += theta * (alpha(k) - l);
            }
            for (Index k = 0; k < s.size; ++k) {
                double& l = lambda(s.index[std::size_t(k)]);
                if (l <= 1e-15)
                    l = 0.0;
            }
            s.keepIf(lambda, 0.0);
        }
    }
    lambda = lambda.cwiseMax(0.0);
    lambda /= lambda.sum();
    if (distance2 != nullptr)
        *distance2 = std::max(0.0, lambda.dot(gram * lambda));
    return lambda;
}

bool commonDescentExists(const SmallMatrix& gram) {
    double distance2 = 0.0;
    minNormOnSimplex(gram, &distance2);
    return distance2 > 1e-8 * largestDiagonal(gram);
}

bool fairWeights(const SmallMatrix& gram, double alpha, SmallVector& w) {
    const Index n = gram.rows();
    if (n == 0 || gram.diagonal().minCoeff() <= 0.0 || !commonDescentExists(gram))
        return false;
    // Scale-free: with G = s·G', w = s^(−α/(α+1)) · w'.
    const double scale = largestDiagonal(gram);
    const SmallMatrix g = gram / scale;
    const double power = -1.0 / alpha;
    // f(w) = ½wᵀGw − Σ h(w_i), h'(w) = w^(−1/α); each w_i alone would solve G_ii w = w^(−1/α).
    auto objective = [&](const SmallVector& v) {
        double barrier = 0.0;
        for (Index i = 0; i < n; ++i) {
            barrier += alpha == 1.0 ? std::log(v(i)) : std::pow(v(i), 1.0 + power) / (1.0 + power);
        }
        return 0.5 * v.dot(g * v) - barrier;
    };
    SmallVector x(n);
    for (Index i = 0; i < n; ++i)
        x(i) = std::pow(g(i, i), -alpha / (alpha + 1.0));
    Eigen::LLT<SmallMatrix> llt(n);
    bool converged = false;
    for (int iteration = 0; iteration < 200 && !converged; ++iteration) {
        SmallVector gradient = g * x;
        SmallMatrix hessian = g;
        for (Index i = 0; i < n; ++i) {
            gradient(i) -= std::pow(x(i), power);                 // Gw − w^(−1/α)
            hessian(i, i) += std::pow(x(i), power - 1.0) / alpha; // −h''(w) = (1/α) w^(−1/α−1)
        }
        llt.compute(hessian);
        if (llt.info() != Eigen::Success)
            return false;
        const SmallVector step = -llt.solve(gradient);
        const double decrement = -gradient.dot(step); // Newton decrement squared
        // Near the solution Newton's method converges quadratically, and the decrement stalls at
        // rounding level: one last full step, then stop.
        if (decrement < 1e-16 * (1.0 + x.squaredNorm())) {
            if ((x + step).minCoeff() > 0.0)
                x += step;
            converged = true;
            break;
        }
        double t = 1.0;
        while ((x + t * step).minCoeff() <= 0.0 && t > 1e-12)
            t *= 0.5;
        const double f0 = objective(x);
        while (objective(x + t * step) > f0 - 1e-4 * t * decrement && t > 1e-12)
            t *= 0.5;
        x += t * step;
    }
    if (!converged || !x.allFinite())
        return false;
    w = x * std::pow(scale, -alpha / (alpha + 1.0));
    return true;
}

SmallVector nonnegativeQp(const SmallMatrix& q, const SmallVector& b) {
    const Index n = q.rows();
    SmallVector v = SmallVector::Zero(n);
    const double tolerance =
        1e-14 * std::max({largestDiagonal(q), b.cwiseAbs().maxCoeff(), 1e-300});
    Subset free;
    Eigen::LLT<SmallMatrix> llt(n);
    for (int outer = 0; outer < 10 + 3 * int(n); ++outer) {
        const SmallVector gradient = q * v + b;
        Index j = -1;
        double lowest = -tolerance;
        for (Index i = 0; i < n; ++i) {
            if (!free.member[std::size_t(i)] && gradient(i) < lowest) {
                lowest = gradient(i);
                j = i;
            }
        }
        if (j < 0)
            break;
        free.add(j);
        for (int inner = 0; inner <= int(n); ++inner) {
            // The unconstrained minimiser on the free set: Q_FF s = −b_F.
            SmallVector rhs(free.size);
            for (Index k = 0; k < free.size; ++k)
                rhs(k) = -b(free.index[std::size_t(k)]);
            llt.compute(restrict(q, free));
            const SmallVector s = llt.solve(rhs);
            if (s.minCoeff() > 0.0) {
                for (Index k = 0; k < free.size; ++k)
                    v(free.index[std::size_t(k)]) = s(k);
                break;
            }
            double theta = 1.0;
            for (Index k = 0; k < free.size; ++k) {
                const double x = v(free.index[std::size_t(k)]);
                if (s(k) <= 0.0 && x - s(k) > 0)
                    theta = std::min(theta, x / (x - s(k)));
            }
            for (Index k = 0; k < free.size; ++k) {
                double& x = v(free.index[std::size_t(k)]);
                x += theta * (s(k) - x);
                if (x <= 1e-300)
                    x = 0.0;
            }
            free.keepIf(v, 0.0);
            if (free.size == 1 && v(free.index[0]) == 0.0) {
                free.member[std::size_t(free.index[0])] = false;
                free.size = 0;
                break;
            }
        }
    }
    return v;
}

namespace {

// CAGrad on one face F of the simplex: the minimiser of bᵀλ + s‖Jᵀλ‖ on the face's affine hull.
// Stationarity: b_F + s·Hλ/q = ν𝟙 with H = G_FF, q = √(λᵀHλ); so λ = (q/s)·H⁺(ν𝟙 − b_F), where
// s² = (ν𝟙 − b)ᵀH⁺(ν𝟙 − b) fixes ν and Σλ = 1 fixes q. False when no stationary point with q > 0.
bool cagradFace(const SmallMatrix& gram, const SmallVector& b, double s, const Subset& face,
                SmallVector& out) {
    const SmallMatrix h = restrict(gram, face);
    const Eigen::SelfAdjointEigenSolver<SmallMatrix> eigen(h);
    const double largest = eigen.eigenvalues().maxCoeff();
    if (!(largest > 0.0))
        return false;
    SmallVector inverse = eigen.eigenvalues();
    for (Index i = 0; i < inverse.size(); ++i)
        inverse(i) = inverse(i) > 1e-12 * largest ? 1.0 / inverse(i) : 0.0;
    const SmallMatrix& v = eigen.eigenvectors();
    SmallVector beta(face.size);
    for (Index k = 0; k < face.size; ++k)
        beta(k) = b(face.index[std::size_t(k)]);
    const SmallVector u =
        v * inverse.asDiagonal() * (v.transpose() * SmallVector::Ones(face.size)); // H⁺𝟙
    const SmallVector w = v * inverse.asDiagonal() * (v.transpose() * beta);       // H⁺b
    const double a = u.sum(), bb = w.sum(), c = beta.dot(w);
    const double discriminant = bb * bb - a * (c - s * s);
    if (a <= 0.0 || discriminant <= 0.0)
        return false;
    const double nu = (bb + std::sqrt(discriminant)) / a;
    out = (nu * u - w) / (nu * a - bb);
    return out.allFinite();
}

double cagradObjective(const SmallMatrix& gram, const SmallVector& b, double s,
                       const SmallVector& lambda) {
    return lambda.dot(b) + s * std::sqrt(std::max(0.0, lambda.dot(gram * lambda)));
}

} // namespace

SmallVector cagradWeights(const SmallMatrix& gram, const SmallVector& b, double s,
                          double& gradientNorm) {
    const Index n = gram.rows();
    SmallVector lambda = SmallVector::Zero(n);
    const double scale = largestDiagonal(gram);
    // Start at the best vertex whose gradient is not zero.
    Index start = -1;
    for (Index i = 0; i < n; ++i) {
        if (gram(i, i) <= 1e-300)
            continue;
        if (start < 0 ||
            b(i) + s * std::sqrt(gram(i, i)) < b(start) + s * std::sqrt(gram(start, start)))
            start = i;
    }
    if (start < 0 || s <= 0.0) { // every gradient zero, or a linear objective: any vertex will do
        Index best = 0;
        b.minCoeff(&best);
        lambda(best) = 1.0;
        gradientNorm = std::sqrt(std::max(0.0, gram(best, best)));
        return lambda;
    }
    lambda(start) = 1.0;
    Subset face;
    face.add(start);
    SmallVector faceLambda;
    for (int iteration = 0; iteration < 20 + 10 * int(n); ++iteration) {
        if (!cagradFace(gram, b, s, face, faceLambda))
            break;
        if (faceLambda.minCoeff() > 0.0) {
            for (Index k = 0; k < face.size; ++k)
                lambda(face.index[std::size_t(k)]) = faceLambda(k);
            const double q = std::sqrt(lambda.dot(gram * lambda));
            const SmallVector gradient = b + (s / q) * (gram * lambda);
            const double nu = lambda.dot(gradient);
            Index j = -1;
            double lowest = nu - 1e-12 * (std::abs(nu) + scale);
            for (Index i = 0; i < n; ++i) {
                if (!face.member[std::size_t(i)] && gradient(i) < lowest) {
                    lowest = gradient(i);
                    j = i;
                }
            }
            if (j < 0)
                break;
            face.add(j);
            continue;
        }
        double theta = 1.0;
        for (Index k = 0; k < face.size; ++k) {
            const double l = lambda(face.index[std::size_t(k)]);
            if (faceLambda(k) <= 0.0 && l - faceLambda(k) > 0)
                theta = std::min(theta, l / (l - faceLambda(k)));
        }
        for (Index k = 0; k < face.size; ++k) {
            double& l = lambda(face.index[std::size_t(k)]);
            l += theta * (faceLambda(k) - l);
            if (l <= 1e-15)
                l = 0.0;
        }
        face.keepIf(lambda, 0.0);
    }
    lambda = lambda.cwiseMax(0.0);
    lambda /= lambda.sum();
    gradientNorm = std::sqrt(std::max(0.0, lambda.dot(gram * lambda)));
    // When 0 is in the convex hull the optimum may be a point with Jᵀλ = 0 (objective 0).
    double distance2 = 0.0;
    const SmallVector hull = minNormOnSimplex(gram, &distance2);
    if (distance2 <= 1e-8 * scale &&
        cagradObjective(gram, b, s, lambda) >= -1e-12 * (scale + b.cwiseAbs().maxCoeff())) {
        gradientNorm = 0.0;
        return hull;
    }
    return lambda;
}

} // namespace mtl::core::balancing
