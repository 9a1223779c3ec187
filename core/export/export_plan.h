#pragma once
// What an exporter writes, computed once from a trained model: the steps of inference in order
// (one per layer instance, each reading the input or an earlier step), which parameter copy each
// uses, and per task its outputs — how regression values return to the column's units, and the
// class labels. ONNX and PyTorch exports both walk this plan, so they agree with each other and
// with the core's forward pass by construction. Tensors between steps are flat rows, images
// channels-last (height, width, channels), as in the core.

#include "io/model_file.h"
#include "model/model.h"

#include <span>
#include <string>
#include <vector>

namespace mtl::core {

struct PlanStep {
    int instance = 0;
    int input = -1;            // earlier step, or −1 for the (normalised) model input
    std::vector<int> experts;  // an expert gate's: its experts' (earlier) steps, in order
    int layer = 0;             // into Model::layers()
    int copy = 0;              // which parameter copy of the layer (soft sharing: per task)
    const NodeSpec* node = nullptr;
    Shape inShape;
    Shape outShape;
    Index parameterOffset = 0;
    Index parameterCount = 0;
};

struct PlanTask {
    int index = 0;             // into Model::tasks()
    std::string name;
    LossKind loss = LossKind::MSE;
    int step = -1;             // the step whose output the task reads
    int outputs = 0;
    std::vector<std::string> targetNames;
    std::vector<std::string> classLabels; // cross-entropy on a categorical column
    // Regression: value = output / scale + mean per output column (identity: scale 1, mean 0).
    std::vector<float> restoreMean;
    std::vector<float> restoreScale;
    bool isClassification() const {
        return loss == LossKind::SoftmaxCrossEntropy || loss == LossKind::BinaryCrossEntropy;
    }
};

struct ExportPlan {
    Shape input;
    std::vector<std::string> inputNames; // one per feature (may be empty for images)
    Normalizer normalizer;
    std::vector<PlanStep> steps;
    std::vector<PlanTask> tasks;
    // Per layer, the copy index of each parameter offset in use (for naming weights once).
    std::string copyName(const PlanStep& step, const Model& model) const;
};

// Refuses (mtl::ExportError) a model whose run diverged or that was never trained. `tasks`
// non-empty: only these tasks and the layers they use.
ExportPlan makeExportPlan(const Model& model, const TrainedModel& trained, const std::vector<std::string>& tasks = {});

// Parameter slices of a step, as the core stores them.
// Dense: W [in, units] row-major, then b [units]. Expert gate: W [gate input, experts]
// row-major, then b [experts]; its inShape is the gathered row, its gate input the source step's
// output. Conv2D: K [k·k·C, filters] (patch index
// (ky·k + kx)·C + c), then b [filters]. LayerNorm: γ [d], then β [d].
std::span<const float> stepParameters(const PlanStep& step, const Vector& parameters);

} // namespace mtl::core
