#pragma once
// The penalties that pull the per-task copies of a soft-shared layer together. With
// W = [w_1 … w_T] the copies' weights as columns (biases and gains excluded: weight mask 1), the
// Gram matrix G = WᵀW and λ the layer's coupling strength:
//
//   mean L2       λ Σ_t ‖w_t − w̄‖²
//   trace norm    λ ‖W‖_*, smoothed to λ tr((G + εI)^½) = λ Σ_i √(σ_i² + ε), ε = kTraceNormEpsilon,
//                 so it has a gradient, λ W (G + εI)^−½, also where copies are equal
//                 (Yang & Hospedales 2017); it lies between λ‖W‖_* and λ(‖W‖_* + T√ε).
//   relationship  λ tr(W Ω⁻¹ Wᵀ) = λ Σ_st (Ω⁻¹)_st G_st, gradient 2λ W Ω⁻¹, with the task
//                 covariance Ω held fixed between updates and updated in closed form
//                 Ω = (G + εI)^½ / tr((G + εI)^½) (Zhang & Yeung 2010), ε = kRelationshipEpsilon ×
//                 tr(G)/T so Ω stays invertible at any weight scale. Ω starts at I/T, where the
//                 penalty is λT Σ_t ‖w_t‖².
//
// Nothing here allocates: the T×T matrices have a fixed maximum size.

#include "model/task_matrix.h"

namespace mtl::core {

struct SoftGroup;

constexpr double kTraceNormEpsilon = 1e-6;
constexpr double kRelationshipEpsilon = 1e-3;

// G = WᵀW over the weights (mask 1) of the group's copies.
SmallMatrix couplingGram(const SoftGroup& group, const float* parameters, const float* mask);

// Each adds its gradient into `gradients` when it is not null and returns the value (λ included).
double meanL2Penalty(const SoftGroup& group, const float* parameters, const float* mask,
                     float* gradients);
double traceNormPenalty(const SoftGroup& group, const float* parameters, const float* mask,
                        float* gradients);
double relationshipPenalty(const SoftGroup& group, const SmallMatrix& omegaInverse,
                           const float* parameters, const float* mask, float* gradients);

// The closed-form Ω of the copies' current weights (symmetric, positive definite, trace 1).
SmallMatrix relationshipCovariance(const SoftGroup& group, const float* parameters,
                                   const float* mask);

} // namespace mtl::core
