// The two-objective toy problem of the CAGrad and Nash-MTL papers (tests/balancing/toy_problem.h):
// its gradients against finite differences, and the outcome the papers report from their three
// starts with Adam (lr 1e-3, 100,000 steps): equal weights stall where one loss dominates;
// MGDA, PCGrad, CAGrad and Nash-MTL reach the Pareto front (x1 ∈ [−7, 7], x2 ≈ −8.3552) from
// every start; CAGrad reaches it at the minimum of the average loss (x1 ≈ 0), MGDA elsewhere.

#include "../balancing/toy_problem.h"

#include <gtest/gtest.h>

using namespace mtl;

namespace {

constexpr double kFront = -8.3552;
constexpr long kSteps = 100000;

toy::Point end(const char* method, std::size_t start) {
    return toy::trajectory(core::parseBalancing(method), toy::starts()[start], kSteps, kSteps)
        .back();
}

bool onParetoFront(toy::Point p) {
    return std::abs(p.x2 - kFront) < 0.1 && std::abs(p.x1) <= 7.05;
}

} // namespace

TEST(BalancingToy, GradientsMatchFiniteDifferences) {
    for (toy::Point p : {toy::Point{-8.5, 7.5}, toy::Point{1.3, -4.0}, toy::Point{9.0, 9.0},
                         toy::Point{-2.0, 0.7}}) {
        const toy::Evaluation e = toy::evaluate(p);
        constexpr double h = 1e-6;
        for (int k = 0; k < 2; ++k) {
            const double d1 = (toy::evaluate({p.x1 + h, p.x2}).loss[k] -
                               toy::evaluate({p.x1 - h, p.x2}).loss[k]) /
                              (2 * h);
            const double d2 = (toy::evaluate({p.x1, p.x2 + h}).loss[k] -
                               toy::evaluate({p.x1, p.x2 - h}).loss[k]) /
                              (2 * h);
            EXPECT_NEAR(e.gradient[std::size_t(k)].x1, d1, 1e-5 * (1 + std::abs(d1)));
            EXPECT_NEAR(e.gradient[std::size_t(k)].x2, d2, 1e-5 * (1 + std::abs(d2)));
        }
    }
}

TEST(BalancingToy, EqualWeightsStallWhereOneLossDominates) {
    for (std::size_t start : {0U, 2U}) {
        const toy::Point p = end("equal", start);
        EXPECT_FALSE(onParetoFront(p)) << start << ": " << p.x1 << ", " << p.x2;
        EXPECT_GT(p.x2, 0.0);
    }
    EXPECT_TRUE(onParetoFront(end("equal", 1)));
}

TEST(BalancingToy, GradientMethodsReachTheParetoFrontFromEveryStart) {
    for (const char* method : {"mgda", "pcgrad", "cagrad", "nash_mtl"}) {
        for (std::size_t start = 0; start < 3; ++start) {
            const toy::Point p = end(method, start);
            EXPECT_TRUE(onParetoFront(p))
                << method << " from start " << start << " ends at " << p.x1 << ", " << p.x2;
        }
    }
}

TEST(BalancingToy, CaGradFindsTheBestAverageOnTheFrontMgdaDoesNot) {
    for (std::size_t start = 0; start < 3; ++start) {
        EXPECT_LT(std::abs(end("cagrad", start).x1), 0.1) << start;
        EXPECT_GT(std::abs(end("mgda", start).x1), 1.0) << start;
    }
}
