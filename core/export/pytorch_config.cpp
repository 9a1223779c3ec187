#include "export/pytorch_config.h"

#include "io/spec_json.h"
#include "model/coupling.h"
#include "model/names.h"
#include "train/covariances.h"

#include <bit>
#include <cctype>
#include <map>

namespace mtl::core {

using Json = nlohmann::ordered_json;

// A Python identifier for a module key ("task 2" → "task_2").
std::string pythonKey(const std::string& name) {
    std::string out;
    for (char c : name)
        out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front())) != 0)
        out = "m_" + out;
    return out;
}

namespace {

// The parameters of hard-shared layers: one parameter set that more than one exported task's
// loss reaches (as the core's TaskGradients decides). A hard-shared layer below a soft-shared one
// runs once per task but still has one set. The gradient-based balancing methods of train.py
// combine the tasks' gradients on these; the other parameters take their own task's gradient.
Json sharedParameters(const ExportPlan& plan, const Model& model) {
    TaskMask exported = 0;
    for (const PlanTask& task : plan.tasks)
        exported |= TaskMask{1} << task.index;
    std::map<std::string, TaskMask> tasksOfModule; // module key → tasks through it
    for (const PlanStep& step : plan.steps) {
        if (step.parameterCount == 0)
            continue;
        tasksOfModule[pythonKey(plan.copyName(step, model))] |=
            model.instances()[std::size_t(step.instance)].tasks & exported;
    }
    Json names = Json::array();
    for (const auto& [module, tasks] : tasksOfModule) {
        if (std::popcount(tasks) < 2)
            continue;
        // Every parameterised layer the export writes (Dense, Conv2D, LayerNorm, an expert gate's
        // nn.Linear) has a weight and a bias.
        names.push_back("layers." + module + ".weight");
        names.push_back("layers." + module + ".bias");
    }
    // A cross-stitch unit's mixing matrix serves every task it mixes (as the core's TaskGradients).
    for (const CrossStitchUnit& unit : model.crossStitches()) {
        if (std::popcount(unit.tasks & exported) >= 2)
            names.push_back("stitches." + pythonKey(unit.nodeId));
    }
    return names;
}

} // namespace

Json pytorchConfig(const TrainedModel& trained, const ExportPlan& plan, const Model& model) {
    Json tasks = Json::array();
    for (const PlanTask& task : plan.tasks) {
        const TaskInfo& info = model.tasks()[std::size_t(task.index)];
        Json t{{"name", task.name},
               {"loss", std::string(toString(task.loss))},
               {"weight", info.weight},
               {"huber_delta", info.huberDelta},
               {"outputs", task.outputs},
               {"targets", task.targetNames},
               {"target_columns", info.targetColumns},
               {"restore_mean", task.restoreMean},
               {"restore_scale", task.restoreScale}};
        if (!task.classLabels.empty())
            t["class_labels"] = task.classLabels;
        tasks.push_back(t);
    }
    Json soft = Json::array();
    const Relationships relationships = relationshipsFrom(
        model, trained.training ? trained.training->covariances : std::vector<LearnedCovariance>{});
    for (std::size_t g = 0; g < model.softGroups().size(); ++g) {
        const SoftGroup& group = model.softGroups()[g];
        // The penalty couples weight matrices only (as the core's weight mask): a soft-shared
        // LayerNorm's gains and shifts are per task and free.
        const NodeSpec* node = model.spec().find(group.nodeId);
        if (node == nullptr || (node->kind != NodeKind::Dense && node->kind != NodeKind::Conv2D))
            continue;
        std::map<int, std::string> copyKeys; // in the core's copy order, which Ω follows
        for (const PlanStep& step : plan.steps) {
            if (step.node->id == group.nodeId)
                copyKeys.emplace(step.copy, pythonKey(plan.copyName(step, model)));
        }
        if (copyKeys.size() < 2)
            continue;
        Json copies = Json::array();
        for (const auto& [copy, k] : copyKeys)
            copies.push_back(k);
        Json entry{{"layer", group.nodeId},
                   {"lambda", group.couplingStrength},
                   {"copies", copies},
                   {"coupling", std::string(toString(group.coupling))}};
        if (group.coupling == Coupling::Relationship) {
            Json omega = Json::array(); // the exported copies' block of Ω
            for (const auto& [row, rowKey] : copyKeys) {
                Json line = Json::array();
                for (const auto& [column, columnKey] : copyKeys)
                    line.push_back(relationships.omega[g](row, column));
                omega.push_back(line);
            }
            entry["omega"] = omega;
            entry["relationship_every"] = group.relationshipEvery;
        }
        soft.push_back(entry);
    }
    Json config{{"format", "mtl-workbench-pytorch"},
                {"version", 1},
                {"input_size", plan.input.size()},
                {"input_shape", {plan.input.height, plan.input.width, plan.input.channels}},
                {"input_names", plan.inputNames},
                {"tasks", tasks},
                {"soft_groups", soft},
                {"shared_parameters", sharedParameters(plan, model)}};
    TrainingSettings settings = trained.training ? trained.training->settings : TrainingSettings{};
    config["training"] = io::toJson(settings);
    return config;
}

} // namespace mtl::core
