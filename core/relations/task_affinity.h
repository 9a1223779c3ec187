#pragma once
// Inter-task affinity (Fifty et al., "Efficiently identifying task groupings for multi-task
// learning", NeurIPS 2021): how a step on task i's loss alone changes task j's loss,
//   Z_{i→j} = 1 − L_j(θ_s − η∇_{θ_s}L_i, θ_j) / L_j(θ_s, θ_j)
// on the shared parameters θ_s (the tasks' own θ_j unchanged), averaged over training batches.
// Positive: i's step helps j; negative: it hurts. Asymmetric.

#include "train/trainer.h"

#include <vector>

namespace mtl::core {

struct AffinityResult {
    int tasks = 0;
    std::vector<double> matrix; // [i × tasks + j] = Z_{i→j}; the diagonal is each task's own gain
    int batches = 0;
    double learningRate = 0.0;
};

// Over `batches` batches of the trainer's training rows (in its current order), at its current
// parameters, with lookahead step η = learningRate (plain gradient step). Throws SettingError
// when the model has no shared parameters.
AffinityResult measureAffinity(Trainer& trainer, int batches, double learningRate);

} // namespace mtl::core
