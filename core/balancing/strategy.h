#pragma once
// BalancingStrategy: one task-balancing method at work during a run. Each step it is given the
// present tasks' losses — and for gradient-based methods the Gram matrix G = J Jᵀ of their
// gradients on the shared parameters (J: one row per task) — and returns one weight per present
// task. The trainer then updates the shared parameters along d = Σ_t w_t g_t (task-specific
// parameters get their own task's gradient, as in LibMTL); loss-based methods' weights multiply
// the losses of one backward pass instead. A method whose direction is not such a combination
// (DB-MTL) writes it itself.
//
// Tasks absent from a batch (no target) are left out of the step: `tasks` lists the present ones
// by index, and a method keeps its per-task state by those indices. Nothing here allocates after
// construction: the small matrices have a fixed maximum size (kMaxTasks).

#include "balancing/balancing_method.h"
#include "model/graph_index.h"
#include "model/task_matrix.h"
#include "util/tensor.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace mtl::core {

struct BalancingInput {
    std::span<const int> tasks;          // the present tasks' indices, T' of them
    const SmallVector* losses = nullptr; // [T'] their batch losses
    const SmallMatrix* gram = nullptr;   // [T', T'] G of their gradients (gradient methods)
    std::span<const float> userWeights;  // [T] the task weights as set
    float learningRate = 0.0f;
    long step = 0; // counts from 1
    Rng* rng = nullptr;
};

class BalancingStrategy {
public:
    virtual ~BalancingStrategy() = default;

    // Weights [T'] for the present tasks.
    virtual void combine(const BalancingInput& input, SmallVector& weights) = 0;

    // FAMO: after the optimizer step, the same batch's losses again (NaN where absent).
    virtual bool needsLossesAfterStep() const { return false; }
    virtual void afterStep(std::span<const float> /*lossesAfter*/) {}
    // DWA: each task's mean training loss over the epoch just finished (NaN: none).
    virtual void endEpoch(std::span<const double> /*meanLosses*/) {}

    // DB-MTL: the direction over the shared parameters is not Σ w_t g_t. writeDirection is called
    // instead of combine() with J [T, shared] (absent tasks' rows zero) and writes d [shared] and
    // the weights it reports.
    virtual bool writesDirection() const { return false; }
    virtual void writeDirection(const BalancingInput& /*input*/, const Matrix& /*jacobian*/,
                                std::span<float> /*direction*/, SmallVector& /*weights*/) {}

    // A per-task quantity worth charting besides the weights (uncertainty weighting: σ_t), its
    // name, or empty.
    virtual std::string stateName() const { return {}; }
    virtual void state(std::span<float> /*perTask*/) const {}
};

// Throws SettingError for parameters out of range. sharedSize: the length of a task gradient
// (parameters or representation), for methods that keep gradients (DB-MTL).
std::unique_ptr<BalancingStrategy> makeBalancingStrategy(const BalancingSettings& settings,
                                                         int tasks, Index sharedSize);

} // namespace mtl::core
