#pragma once
// The two-objective toy problem of CAGrad (Liu et al. 2021, also used by Nash-MTL): two losses of
// a point x ∈ R² with conflicting valleys. Below the x1 axis both are quadratics centred at
// (±7, −8); above it, log-valleys. Their Pareto front is the segment x1 ∈ [−7, 7] at
// x2 ≈ −8.3552, and the average loss is lowest at its middle. Written from the paper's code's
// equations, with gradients by hand (the tests check them by finite differences).

#include "balancing/strategy.h"
#include "train/optimizer.h"

#include <array>
#include <cmath>
#include <vector>

namespace mtl::toy {

constexpr double kLower = 0.000005; // the log's argument is clamped here

struct Point {
    double x1 = 0, x2 = 0;
};

struct Evaluation {
    std::array<double, 2> loss{};
    std::array<Point, 2> gradient{};
};

inline Evaluation evaluate(Point p) {
    const double t2 = std::tanh(p.x2);
    const double a1 = -0.5 * p.x1 - 3.5 + t2; // 0.5(−x1 − 7) − tanh(−x2)
    const double a2 = -0.5 * p.x1 + 3.5 - t2; // 0.5(−x1 + 3) + tanh(−x2) + 2
    const double th = std::tanh(0.5 * p.x2);
    const double c1 = std::max(th, 0.0), c2 = std::max(-th, 0.0);
    const double dc1 = th > 0 ? 0.5 * (1 - th * th) : 0.0;  // dc1/dx2
    const double dc2 = th < 0 ? -0.5 * (1 - th * th) : 0.0; // dc2/dx2
    const double sech2 = 1 - t2 * t2;
    Evaluation e;
    const std::array<double, 2> a{a1, a2};
    const std::array<double, 2> da2{sech2, -sech2}; // da/dx2 (da/dx1 = −0.5 for both)
    const std::array<double, 2> centre{7.0, -7.0};
    for (int k = 0; k < 2; ++k) {
        const bool clamped = std::abs(a[k]) < kLower;
        const double log = std::log(clamped ? kLower : std::abs(a[k])) + 6.0;
        const double dlog = clamped ? 0.0 : 1.0 / a[k]; // d log|a| / da
        const double dx1 = p.x1 - centre[std::size_t(k)];
        const double square = (dx1 * dx1 + 0.1 * (p.x2 + 8) * (p.x2 + 8)) / 10.0 - 20.0;
        e.loss[std::size_t(k)] = c1 * log + c2 * square;
        e.gradient[std::size_t(k)].x1 = c1 * dlog * -0.5 + c2 * 0.2 * dx1;
        e.gradient[std::size_t(k)].x2 =
            dc1 * log + c1 * dlog * da2[std::size_t(k)] + dc2 * square + c2 * 0.02 * (p.x2 + 8);
    }
    return e;
}

// Adam (lr 1e-3, as the paper) along the direction the balancing method chooses, from `start`;
// the path every `every` steps.
inline std::vector<Point> trajectory(const core::BalancingSettings& method, Point start, long steps,
                                     long every) {
    auto strategy = core::makeBalancingStrategy(method, 2, 2);
    core::OptimizerSettings adam;
    adam.learningRate = 1e-3f;
    core::Optimizer optimizer(adam, 2);
    core::Vector x(2), g(2);
    x << float(start.x1), float(start.x2);
    const core::Vector decay = core::Vector::Zero(2);
    const std::array<int, 2> tasks{0, 1};
    const std::vector<float> user{1.0f, 1.0f};
    core::Rng rng(1);
    std::vector<Point> path;
    for (long s = 0; s < steps; ++s) {
        const Evaluation e = evaluate({x(0), x(1)});
        if (s % every == 0)
            path.push_back({x(0), x(1)});
        core::SmallVector losses(2);
        losses << e.loss[0], e.loss[1];
        core::SmallMatrix gram(2, 2);
        for (int i = 0; i < 2; ++i) {
            for (int j = 0; j < 2; ++j) {
                gram(i, j) = e.gradient[std::size_t(i)].x1 * e.gradient[std::size_t(j)].x1 +
                             e.gradient[std::size_t(i)].x2 * e.gradient[std::size_t(j)].x2;
            }
        }
        core::BalancingInput in;
        in.tasks = tasks;
        in.losses = &losses;
        in.gram = &gram;
        in.userWeights = user;
        in.learningRate = 1e-3f;
        in.step = s + 1;
        in.rng = &rng;
        core::SmallVector w;
        strategy->combine(in, w);
        g << float(w(0) * e.gradient[0].x1 + w(1) * e.gradient[1].x1),
            float(w(0) * e.gradient[0].x2 + w(1) * e.gradient[1].x2);
        optimizer.stepAndClear(x, g, decay, 1e-3f);
    }
    path.push_back({x(0), x(1)});
    return path;
}

// The starts of the papers' figures.
inline const std::array<Point, 3>& starts() {
    static const std::array<Point, 3> points{Point{-8.5, 7.5}, Point{-8.5, -5.0}, Point{9.0, 9.0}};
    return points;
}

} // namespace mtl::toy
