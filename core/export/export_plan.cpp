#include "export/export_plan.h"

#include "util/error.h"

#include <algorithm>
#include <bit>

namespace mtl::core {

std::string ExportPlan::copyName(const PlanStep& step, const Model& model) const {
    const std::string& id = step.node->id;
    if (model.layerCopies(step.layer).size() == 1) return id;
    // A soft-shared layer: copy c belongs to the c-th of its group's tasks (its instance may serve
    // more once a cross-stitch unit mixes the copies).
    for (const SoftGroup& group : model.softGroups()) {
        if (group.nodeId != id)
            continue;
        TaskMask mask = group.tasks;
        for (int c = 0; c < step.copy; ++c)
            mask &= mask - 1;
        return id + "_" + model.tasks()[std::size_t(std::countr_zero(mask))].name;
    }
    // An expert gate: one copy per task (its instance's tasks grow when a unit follows it).
    const Instance& inst = model.instances()[std::size_t(step.instance)];
    const int task = inst.gateTask >= 0 ? inst.gateTask : std::countr_zero(inst.tasks);
    return id + "_" + model.tasks()[std::size_t(task)].name;
}

ExportPlan makeExportPlan(const Model& model, const TrainedModel& trained, const std::vector<std::string>& onlyTasks) {
    if (trained.training) {
        if (trained.training->status == "diverged") {
            throw ExportError("this model's run diverged; its weights are the last good ones, but export needs a run "
                              "that finished (train again with a lower learning rate)");
        }
        if (trained.training->epochs == 0) {
            throw ExportError("this model was never trained (0 epochs completed)");
        }
    }
    TaskMask wanted = onlyTasks.empty() ? model.allTasks() : 0;
    for (const std::string& name : onlyTasks) {
        const auto& tasks = model.tasks();
        const auto it = std::find_if(tasks.begin(), tasks.end(), [&](const TaskInfo& t) { return t.name == name; });
        if (it == tasks.end()) {
            std::string names;
            for (const TaskInfo& t : tasks) names += (names.empty() ? "" : ", ") + t.name;
            throw ExportError("no task '" + name + "' in this model (tasks: " + names + ")");
        }
        wanted |= TaskMask{1} << (it - tasks.begin());
    }

    ExportPlan plan;
    plan.input = model.schema().inputShape;
    plan.inputNames = model.schema().inputNames;
    plan.normalizer = trained.normalizer;
    std::vector<int> stepOfInstance(model.instances().size(), -1);
    for (std::size_t i = 0; i < model.instances().size(); ++i) {
        const Instance& inst = model.instances()[i];
        if ((inst.tasks & wanted) == 0) continue;
        const Layer& layer = model.layer(inst.layer);
        const auto& copies = model.layerCopies(inst.layer);
        PlanStep step;
        step.instance = int(i);
        step.input = inst.input < 0 ? -1 : stepOfInstance[std::size_t(inst.input)];
        for (int e : inst.experts)
            step.experts.push_back(stepOfInstance[std::size_t(e)]);
        step.layer = inst.layer;
        step.copy = int(std::find(copies.begin(), copies.end(), inst.parameterOffset) - copies.begin());
        step.node = model.spec().find(model.layerNodeId(inst.layer));
        step.inShape = layer.inputShape();
        step.outShape = layer.outputShape();
        step.parameterOffset = inst.parameterOffset;
        step.parameterCount = layer.parameterCount();
        stepOfInstance[i] = int(plan.steps.size());
        plan.steps.push_back(step);
    }
    for (std::size_t t = 0; t < model.tasks().size(); ++t) {
        if (((wanted >> t) & 1U) == 0) continue;
        const TaskInfo& info = model.tasks()[t];
        PlanTask task;
        task.index = int(t);
        task.name = info.name;
        task.loss = info.loss;
        task.step = stepOfInstance[std::size_t(info.headInstance)];
        task.outputs = info.outputs;
        for (int column : info.targetColumns) {
            const TargetColumn& target = model.schema().targets[std::size_t(column)];
            task.targetNames.push_back(target.name);
            if (info.loss == LossKind::SoftmaxCrossEntropy) task.classLabels = target.classLabels;
            const bool scaled = !task.isClassification() && !trained.targetScaling.isIdentity();
            task.restoreMean.push_back(scaled ? trained.targetScaling.mean[column] : 0.0f);
            task.restoreScale.push_back(scaled ? trained.targetScaling.scale[column] : 1.0f);
        }
        plan.tasks.push_back(task);
    }
    return plan;
}

std::span<const float> stepParameters(const PlanStep& step, const Vector& parameters) {
    return {parameters.data() + step.parameterOffset, static_cast<std::size_t>(step.parameterCount)};
}

} // namespace mtl::core
