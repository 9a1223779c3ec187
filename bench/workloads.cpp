#include "workloads.h"

#include "model/templates.h"
#include "util/error.h"

namespace mtl::bench {
namespace {

constexpr int kClasses = 10;
constexpr core::Index kSamples = 4096; // enough distinct batches; all in memory

core::Dataset randomData(core::Shape input, int tasks) {
    core::Dataset data;
    data.schema.inputShape = input;
    core::Rng rng(42);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_int_distribution<int> label(0, kClasses - 1);
    data.inputs.resize(kSamples, input.size());
    for (core::Index i = 0; i < data.inputs.size(); ++i) data.inputs.data()[i] = normal(rng);
    data.targets.resize(kSamples, tasks);
    for (core::Index i = 0; i < data.targets.size(); ++i) data.targets.data()[i] = float(label(rng));
    std::vector<std::string> labels;
    for (int c = 0; c < kClasses; ++c) labels.push_back(std::to_string(c));
    for (int t = 0; t < tasks; ++t) data.schema.targets.push_back({"task" + std::to_string(t + 1), labels});
    return data;
}

std::vector<core::TaskSpec> tasks(int count) {
    const std::vector<float> weights = count == 2 ? std::vector<float>{0.5f, 0.5f}
                                                  : std::vector<float>{0.5f, 0.3f, 0.2f};
    std::vector<core::TaskSpec> out;
    for (int t = 0; t < count; ++t) {
        core::TaskSpec task;
        task.name = "task" + std::to_string(t + 1);
        task.loss = core::LossKind::SoftmaxCrossEntropy;
        task.targets = {task.name};
        task.weight = weights[std::size_t(t)];
        out.push_back(task);
    }
    return out;
}

} // namespace

std::vector<std::string> workloadNames() { return {"mlp-small", "mlp-large", "soft-small", "lenet-2task"}; }

Workload makeWorkload(const std::string& name, int width, core::Index batch) {
    Workload w;
    w.name = name;
    if (name == "lenet-2task") {
        w.data = randomData(core::Shape{28, 28, 1}, 2);
        w.spec = core::makeLeNetModel(tasks(2), w.data.schema);
        w.batch = 256;
    } else {
        core::TrunkTemplate recipe;
        const bool large = name == "mlp-large";
        if (!large && name != "mlp-small" && name != "soft-small") {
            throw SettingError("no workload '" + name + "' (workloads: mlp-small, mlp-large, soft-small, lenet-2task)");
        }
        const int shared = width > 0 ? width : (large ? 1024 : 256);
        recipe.sharedUnits = {shared, shared};
        recipe.headUnits = {large ? 256 : 64};
        recipe.tasks = tasks(3);
        if (name == "soft-small") {
            recipe.sharing = core::SharingMode::Soft;
            recipe.couplingStrength = 1e-3f;
        }
        w.data = randomData(core::Shape::flat(784), 3);
        w.spec = core::makeTrunkModel(recipe, w.data.schema);
        w.batch = large ? 256 : 128;
    }
    if (batch > 0) w.batch = batch;
    return w;
}

} // namespace mtl::bench
