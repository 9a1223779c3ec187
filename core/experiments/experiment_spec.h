#pragma once
// An experiment: a grid over a project — task-balancing methods, sharing, learning rates, batch
// sizes — each configuration trained with several seeds, plus (optionally) one single-task
// baseline per task and seed, so every configuration's Δm can be averaged over the same seeds.

#include "balancing/balancing_method.h"
#include "model/model_spec.h"
#include "util/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mtl::core {

struct ExperimentSpec {
    std::string name;                       // "experiment 1"
    std::vector<BalancingSettings> methods; // empty: the project's method
    std::vector<std::string> sharing; // "hard", "soft:0.01" (applySharing); empty: the project's
    std::vector<float> learningRates; // empty: the project's
    std::vector<Index> batchSizes;    // empty: the project's
    int seeds = 3;                    // seeds s, s+1, … from the project's seed s
    bool baselines = true;            // one single-task run per task and seed
    int epochs = 0;                   // 0: the project's
    // Runs trained side by side, the cores split between them (on 2 cores, two one-thread runs
    // finish MultiFashion 15–20 % sooner than one two-thread run after another).
    int runsAtOnce = 1;
    bool operator==(const ExperimentSpec&) const = default;
};

// One point of the grid (an unset axis keeps the project's value).
struct ExperimentConfig {
    std::optional<BalancingSettings> method;
    std::optional<std::string> sharing;
    std::optional<float> learningRate;
    std::optional<Index> batchSize;
    // "pcgrad · soft:0.01 · lr 0.001 · batch 64" (the axes the grid varies), or "project settings".
    std::string label;
};

// One run of an experiment: a configuration with a seed, or a task's baseline with a seed.
struct ExperimentJob {
    int config = -1;          // index into configurations(); −1 for a baseline
    std::string baselineTask; // a baseline's task
    std::uint64_t seed = 1;
    std::string name;   // "pcgrad · seed 2", "baseline left · seed 2"
    std::string folder; // its run folder inside the experiment's folder
    bool operator==(const ExperimentJob&) const = default;
};

// Throws SettingError for an empty axis value, seeds < 1, or an unknown method or sharing.
void checkExperiment(const ExperimentSpec& spec);
std::vector<ExperimentConfig> configurations(const ExperimentSpec& spec);
// Seed by seed from `firstSeed`: that seed's baselines (of `tasks`, when there are two or more),
// then every configuration; so an interrupted experiment has whole seeds done.
std::vector<ExperimentJob> experimentJobs(const ExperimentSpec& spec,
                                          const std::vector<std::string>& tasks,
                                          std::uint64_t firstSeed);

// Every parameterised layer hard, or soft[:λ] (one copy per task pulled together by λ; soft
// alone keeps a layer's λ, or 0.001). Throws SettingError naming the text.
void applySharing(ModelSpec& spec, const std::string& text);
// "ew,uw,pcgrad,cagrad:c=0.4,rho=0.1": methods separated by commas, a method's parameters after
// its colon (a comma-separated part with '=' and no ':' belongs to the method before it). Also
// accepts LibMTL's names (EW, UW, IMTL, Nash_MTL, …). Throws SettingError.
std::vector<BalancingSettings> parseMethodList(const std::string& text);
// The number of runs: configurations × seeds + baselines.
std::size_t experimentRunCount(const ExperimentSpec& spec, std::size_t tasks);

} // namespace mtl::core
