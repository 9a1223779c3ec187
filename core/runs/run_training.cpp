#include "runs/run_training.h"

#include "balancing/strategy.h"

#include <algorithm>

namespace mtl::core {

void RunCapture::onStep(const StepRecord& record) {
    m_run.metrics.addStep(record);
    if (m_forward)
        m_forward->onStep(record);
}

void RunCapture::onEpoch(const EpochRecord& record) {
    m_run.metrics.addEpoch(record);
    if (!record.covariances.empty())
        m_run.covariances = record.covariances;
    if (!record.gates.empty())
        m_run.gates = record.gates;
    if (m_forward)
        m_forward->onEpoch(record);
}

void RunCapture::onRelations(const RelationRecord& record) {
    m_run.relations.push_back(record);
    if (m_forward)
        m_forward->onRelations(record);
}

TrainedModel keptModel(const Trainer& trainer, const ModelSpec& spec, const RunResult& result,
                       const TrainingSettings& settings) {
    TrainingRecord record{std::string(toString(result.reason)), result.epochs, settings, {}, {}};
    if (!result.history.empty()) {
        record.covariances = result.history.back().covariances;
        record.gates = result.history.back().gates;
    }
    return TrainedModel{spec,
                        trainer.model().schema(),
                        trainer.normalizer(),
                        trainer.targetScaling(),
                        trainer.parameters(),
                        std::move(record)};
}

RunContents newRun(const Project& project, const std::shared_ptr<const Model>& model,
                   const Dataset& data) {
    RunContents run;
    run.snapshot = project;
    run.snapshot.runs.clear();
    run.model = model;
    const DataSplit split = splitData(data, project.training);
    const auto batch = std::max<Index>(1, project.training.batchSize);
    const long perEpoch = long((Index(split.train.size()) + batch - 1) / batch);
    run.metrics = RunMetrics(*model, perEpoch);
    run.metrics.setStateName(
        makeBalancingStrategy(project.training.balancing, int(model->tasks().size()), 0)
            ->stateName());
    run.totalSteps = perEpoch * project.training.epochs;
    return run;
}

RunContents trainRun(const Project& project, Dataset data, TrainingObserver* forward,
                     const std::function<void(Trainer*)>& attach) {
    checkSettings(project.training);
    auto model = std::make_shared<const Model>(compile(project.model, data.schema));
    RunContents run = newRun(project, model, data);
    Trainer trainer(*model, std::move(data), project.training);
    if (attach)
        attach(&trainer);
    RunCapture capture(run, forward);
    RunResult result;
    try {
        result = trainer.run(&capture);
    } catch (...) {
        if (attach)
            attach(nullptr);
        throw;
    }
    if (attach)
        attach(nullptr);
    run.reason = result.reason;
    run.epochs = result.epochs;
    run.stopMessage = result.message;
    run.test = result.test;
    run.trained = std::make_shared<const TrainedModel>(
        keptModel(trainer, project.model, result, project.training));
    return run;
}

std::string nextRunName(const std::vector<std::string>& taken) {
    int number = 1;
    for (const std::string& name : taken) {
        if (name.rfind("run ", 0) != 0)
            continue;
        const std::string digits = name.substr(4);
        if (digits.empty() || digits.size() > 9 ||
            !std::all_of(digits.begin(), digits.end(), ::isdigit))
            continue;
        number = std::max(number, std::stoi(digits) + 1);
    }
    std::string name = "run " + std::to_string(number);
    while (std::find(taken.begin(), taken.end(), name) != taken.end())
        name = "run " + std::to_string(++number);
    return name;
}

} // namespace mtl::core
