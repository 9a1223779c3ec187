#pragma once
// The task covariances Ω that relationship-coupled soft layers learn (model/coupling.h), between
// the trainer's working form (Relationships, by soft group) and the recorded one (by layer id,
// with task names), which runs, model files and exports carry.

#include "model/model.h"
#include "train/records.h"

#include <vector>

namespace mtl::core {

std::vector<LearnedCovariance> learnedCovariances(const Model& model,
                                                  const Relationships& relationships);

// The model's initial relationships with the recorded Ω put back where a layer of that id with
// the same tasks exists (others stay I/T).
Relationships relationshipsFrom(const Model& model, const std::vector<LearnedCovariance>& recorded);

// The correlation Ω_ij / √(Ω_ii Ω_jj) of tasks i and j (indices into covariance.tasks).
double correlation(const LearnedCovariance& covariance, std::size_t i, std::size_t j);

} // namespace mtl::core
