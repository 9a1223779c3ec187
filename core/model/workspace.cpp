#include "model/workspace.h"

namespace mtl::core {

Workspace::Workspace(const Model& model, Index maxBatch)
    : input(maxBatch, model.inputSize()), taskLoss(model.tasks().size(), 0.0f),
      taskCount(model.tasks().size(), 0), relationships(model.initialRelationships()),
      m_maxBatch(maxBatch) {
    for (const TaskInfo& task : model.tasks()) {
        taskTargets.emplace_back(maxBatch, static_cast<Index>(task.targetColumns.size()));
    }
    for (const Instance& inst : model.instances()) {
        const Layer& layer = model.layer(inst.layer);
        outputs.emplace_back(maxBatch, layer.outputShape().size());
        deltas.emplace_back(maxBatch, layer.outputShape().size());
        states.push_back(layer.makeState(maxBatch));
    }
    gathered.resize(model.instances().size());
    gatheredDeltas.resize(model.instances().size());
    for (std::size_t k = 0; k < model.instances().size(); ++k) {
        if (model.instances()[k].experts.empty())
            continue;
        const Index width = model.layer(model.instances()[k].layer).inputShape().size();
        gathered[k].resize(maxBatch, width);
        gatheredDeltas[k].resize(maxBatch, width);
    }
    stitchInputs.resize(model.instances().size());
    stitchDeltas.resize(model.instances().size());
    for (const CrossStitchUnit& unit : model.crossStitches()) {
        for (int k : unit.instances) {
            const Index width = outputs[std::size_t(k)].cols();
            stitchInputs[std::size_t(k)].resize(maxBatch, width);
            stitchDeltas[std::size_t(k)].resize(maxBatch, width);
        }
    }
}

void loadBatch(const Model& model, const Dataset& data, std::span<const Index> rows,
               Workspace& ws) {
    for (std::size_t j = 0; j < rows.size(); ++j) {
        const auto r = static_cast<Index>(j);
        ws.input.row(r) = data.inputs.row(rows[j]);
        for (std::size_t t = 0; t < model.tasks().size(); ++t) {
            const std::vector<int>& columns = model.tasks()[t].targetColumns;
            for (std::size_t c = 0; c < columns.size(); ++c) {
                ws.taskTargets[t](r, static_cast<Index>(c)) = data.targets(rows[j], columns[c]);
            }
        }
    }
}

} // namespace mtl::core
