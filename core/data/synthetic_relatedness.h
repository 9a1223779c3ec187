#pragma once
// Regression tasks whose relatedness is set, not hoped for: the recipe of Ma et al. 2018 (MMoE,
// section 4.1) for several tasks, plus an optional pair of tasks that conflict on a shared trunk.
// Inputs x ~ N(0, I_d). Orthonormal directions u₁, v₂ … v_T, one per task: task 1 reads
// w₁ = c·u₁, task k reads w_k = c·(ρ_k u₁ + √(1 − ρ_k²) v_k). So the linear parts of tasks 1 and k
// correlate with ρ_k, those of tasks j and k (both ≥ 2) with ρ_j ρ_k. Every task's target:
//   y = f(w·x) + ε,   f(z) = z + Σ_{i=1}^{m} sin(α_i z + β_i),   ε ~ N(0, noise²),
// α_i, β_i ~ N(0, 1) drawn once and shared by the tasks. The sines keep the ranking of the
// targets' correlations but shrink them (the defaults: 0.9 → 0.89, 0.5 → 0.48, −0.9 → −0.83).
//
// The conflicting pair (tasks T+1 and T+2) agree on one part and disagree in sign on another,
// on directions of their own (u_s, and K = 4 directions d_j):
//   y = c·u_s·x ± γc·D(x) + ε,   D(x) = √(2/K) Σ_j sin(ω d_j·x),  ω = 3 (Var D ≈ 1).
// The shared part is linear and learnt first, by both heads from the same trunk features: the
// heads come to read the trunk alike. D is rough (frequency 3 in four directions): a trunk like
// the example's does not learn it, and it stays in the residuals, +γcD in one task's and −γcD in
// the other's, sample by sample. Sent back through heads that read the trunk alike, the two tasks
// ask the shared weights to move in opposite directions: a negative gradient cosine, although the
// targets correlate positively ((1 − γ²)/(1 + γ²), 0.34 at γ = 0.7). With a smooth D (ω = 0.5) the
// trunk learns it, the heads read it with opposite signs and the pair cooperates. So does ρ = −0.9:
// opposite heads and opposite residuals make the same request of the trunk (a positive cosine).

#include "data/dataset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mtl::core {

struct RelatednessSettings {
    Index samples = 4000;
    int features = 16;                               // d
    std::vector<float> rho{0.9f, 0.5f, 0.0f, -0.9f}; // rho[k]: task k+2's correlation with task 1
    bool conflictingPair = true;                     // two more tasks that conflict (see above)
    float disagreement = 0.7f;                       // γ: the part they disagree on, relative to c
    int nonlinearTerms = 3;                          // m
    float scale = 1.0f;                              // c
    float noise = 0.1f;                              // ε's standard deviation
    std::uint64_t seed = 7;
    bool operator==(const RelatednessSettings&) const = default;
};

// A setting out of range: its field name in the project file, and what would be valid.
struct RelatednessProblem {
    std::string field;
    std::string message;
};
std::optional<RelatednessProblem> findProblem(const RelatednessSettings& settings);

// The number of tasks: 1 + rho.size(), and 2 more with the conflicting pair.
int relatednessTaskCount(const RelatednessSettings& settings);

// Inputs x1…xd; targets task1…taskN. Throws SettingError (see findProblem) for bad settings.
Dataset makeRelatednessDataset(const RelatednessSettings& settings);

} // namespace mtl::core
