#pragma once
// validate(): everything that is wrong with a spec for a given dataset, each issue naming the
// node and property at fault. An invalid spec is a normal state while editing; compile() refuses
// exactly what validate() reports as an error.

#include "data/dataset.h"
#include "model/model_spec.h"

#include <optional>
#include <string>
#include <vector>

namespace mtl::core {

enum class Severity : std::uint8_t { Error, Warning };

// The largest model validate() accepts (its float parameters alone take 2 GB).
constexpr Index kMaxParameters = 500'000'000;

struct SpecIssue {
    Severity severity = Severity::Error;
    std::string nodeId;   // empty: the model as a whole
    std::string property; // empty: the node as a whole
    std::string message;
    std::string toString() const; // "error: node 'dense1' (units): must be at least 1"
};

// What the editor shows beside each node: its output shape and parameter count (all copies).
struct SpecAnalysis {
    std::vector<SpecIssue> issues;
    std::vector<std::optional<Shape>> outputShapes; // per node; empty where unknown
    std::vector<Index> parameterCounts;             // per node, summed over soft copies
    std::vector<double> flopsPerNode; // per node and sample, forward, over soft copies
    Index totalParameters = 0;   // of the layers that feed a task (what compile() builds)
    double flopsPerSample = 0.0; // forward pass, 2 per multiply-add, summed over soft copies
};

SpecAnalysis analyze(const ModelSpec& spec, const DataSchema& schema);
std::vector<SpecIssue> validate(const ModelSpec& spec, const DataSchema& schema);
bool hasErrors(const std::vector<SpecIssue>& issues);

} // namespace mtl::core
