#pragma once
// A run's task relations in one matrix per part of the shared parameters: each pair's gradient
// cosine and magnitude similarity averaged over the measurements (optionally a range of steps),
// each task's mean gradient norm, and the share of measured pairs in conflict.

#include "relations/relation_record.h"

#include <string>
#include <vector>

namespace mtl::core {

struct RelationSummary {
    std::string layer; // "" for all shared parameters
    int tasks = 0;
    std::vector<double> cosine;    // [tasks × tasks] means; NaN where never measured
    std::vector<double> magnitude; // [tasks × tasks] mean gradient-magnitude similarity
    std::vector<double> norm;      // [tasks] mean gradient norms
    double conflictShare = 0.0;    // of all measured pairs (i < j), the share with cosine < 0
    int measurements = 0;
};

// One summary per block of the records (all shared, then each shared layer), over the records
// with fromStep ≤ step ≤ toStep.
std::vector<RelationSummary> summarizeRelations(const std::vector<RelationRecord>& records,
                                                long fromStep = 0, long toStep = -1);

} // namespace mtl::core
