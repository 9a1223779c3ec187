#pragma once
// Workspace: every buffer one forward/backward pass of a Model needs, sized once for the largest
// batch. Reusing it makes a training step allocation-free.

#include "model/model.h"

namespace mtl::core {

class Workspace {
public:
    Workspace(const Model& model, Index maxBatch);

    Index maxBatch() const { return m_maxBatch; }

    Matrix input;                       // [maxBatch, inputSize]
    std::vector<Matrix> taskTargets;    // per task: [maxBatch, target columns]
    std::vector<Matrix> outputs;        // per instance: [maxBatch, output size]
    std::vector<Matrix> deltas;         // per instance: dL/d(output), same shape
    std::vector<std::unique_ptr<LayerState>> states; // per instance
    std::vector<float> taskLoss;        // per task, from the last evaluateLosses
    std::vector<Index> taskCount;       // targets present per task in the last batch
    Relationships relationships;        // Ω of the soft groups (relationship coupling)
    std::vector<Matrix> stitchInputs;   // per instance: a stitched copy's output before mixing
    std::vector<Matrix> stitchDeltas;   // per instance: scratch for its unmixed delta
    std::vector<Matrix> gathered;       // per expert gate instance: [gate input | experts' outputs]
    std::vector<Matrix> gatheredDeltas; // and their gradient

private:
    Index m_maxBatch;
};

// Copies the given dataset rows (inputs, and each task's target columns) into the workspace.
void loadBatch(const Model& model, const Dataset& data, std::span<const Index> rows,
               Workspace& ws);

} // namespace mtl::core
