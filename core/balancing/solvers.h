#pragma once
// The small dense problems the gradient-based balancing methods solve each step, written once,
// in terms of the Gram matrix G = J Jᵀ of the task gradients (T ≤ kMaxTasks; nothing here
// allocates: every matrix has a fixed maximum size).
//
//   minNormOnSimplex      argmin_{λ ∈ Δ} ‖Jᵀλ‖² = λᵀGλ — the min-norm point of the convex hull of
//                         the gradients (MGDA). Wolfe's algorithm (P. Wolfe, "Finding the nearest
//                         point in a polytope", Math. Programming 11, 1976), exact up to rounding.
//   fairWeights           w > 0 with (Gw)_t = w_t^(−1/α): the minimiser of ½wᵀGw − Σ_t h(w_t),
//                         h(w) = log w (α = 1, Nash-MTL's bargaining solution) or
//                         w^(1−1/α)/(1−1/α) (FairGrad). Damped Newton's method.
//   nonnegativeQp         argmin_{v ≥ 0} ½vᵀQv + bᵀv for positive definite Q (UPGrad's projection
//                         onto the dual cone). Active set (Lawson & Hanson, "Solving least squares
//                         problems", 1974, ch. 23, in quadratic form).
//   cagradWeights         argmin_{λ ∈ Δ} λᵀb + s·√(λᵀGλ) (CAGrad's dual). Active set with the
//                         closed-form minimiser on each face.

#include "balancing/strategy.h"

#include <array>

namespace mtl::core::balancing {

// The tasks whose gradient is not zero (their positions in G), and G restricted to them: methods
// that normalise by or solve for each gradient leave the others out with weight 0.
struct NonZeroTasks {
    std::array<Index, kMaxTasks> index{};
    Index count = 0;
    SmallMatrix gram;
};
NonZeroTasks nonZeroTasks(const SmallMatrix& gram);

// λ on the simplex; `distance2` (if given) receives λᵀGλ.
SmallVector minNormOnSimplex(const SmallMatrix& gram, double* distance2 = nullptr);

// True when no convex combination of the gradients is (nearly) zero: then a direction exists
// that lowers every task, and fairWeights has a solution.
bool commonDescentExists(const SmallMatrix& gram);

// Returns false (w untouched) when the problem has no solution or Newton's method fails.
// `alpha` is FairGrad's α (1 for Nash-MTL).
bool fairWeights(const SmallMatrix& gram, double alpha, SmallVector& w);

SmallVector nonnegativeQp(const SmallMatrix& q, const SmallVector& b);

// λ and, in `gradientNorm`, ‖Jᵀλ‖ at the solution (0 when the optimum has Jᵀλ = 0).
SmallVector cagradWeights(const SmallMatrix& gram, const SmallVector& b, double s,
                          double& gradientNorm);

} // namespace mtl::core::balancing
