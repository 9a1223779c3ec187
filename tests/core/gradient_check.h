#pragma once
// Finite-difference gradient checks shared by the core tests. Central differences of a scalar
// function, accumulated in double, compared with the analytic gradient at a sample of indices.

#include "layers/layer.h"

#include <gtest/gtest.h>

#include <functional>

namespace mtl::test {

using core::Index;

// Compares analytic[i] with (f(x + ε e_i) − f(x − ε e_i)) / 2ε for up to maxChecks indices of x.
// f reads x (which the check perturbs and restores). Failures name the index.
void expectGradientMatches(const std::string& what, float* x, Index size, const float* analytic,
                           const std::function<double()>& f, int maxChecks = 80,
                           float epsilon = 1e-2f, double tolerance = 2e-2);

// Checks a layer's backward() against its forward() for L = Σ y ⊙ R (R random): both the
// parameter gradient and the input gradient. `input` values are used as given.
void expectLayerGradients(const core::Layer& layer, const core::Matrix& input,
                          std::uint64_t seed = 11);

// Inputs in ±[0.1, 1.1]: away from the kinks of ReLU-like functions.
core::Matrix inputsAwayFromZero(Index rows, Index cols, std::uint64_t seed);

} // namespace mtl::test
