#pragma once
// One run trained start to end on the calling thread, the way the command line and the
// experiments train (the app trains on its worker thread with the same pieces): every step and
// epoch kept in a RunMetrics, the relations measured, the kept weights and the test split's
// evaluation, ready for writeRunDirectory().

#include "runs/run_directory.h"
#include "train/trainer.h"

#include <functional>

namespace mtl::core {

// Keeps what a trainer reports in a RunContents (and passes it on to `forward`, if any).
class RunCapture : public TrainingObserver {
public:
    RunCapture(RunContents& run, TrainingObserver* forward) : m_run(run), m_forward(forward) {}
    void onStep(const StepRecord& record) override;
    void onEpoch(const EpochRecord& record) override;
    void onRelations(const RelationRecord& record) override;

private:
    RunContents& m_run;
    TrainingObserver* m_forward;
};

// The model file's contents for a trainer's kept weights.
TrainedModel keptModel(const Trainer& trainer, const ModelSpec& spec, const RunResult& result,
                       const TrainingSettings& settings);

// A fresh run of `model`'s tasks: its metrics sized and named, its steps per epoch and total.
RunContents newRun(const Project& project, const std::shared_ptr<const Model>& model,
                   const Dataset& data);

// Trains `project` on `data`. `attach` (if given) is called with the trainer once it exists and
// with nullptr before it goes, so another thread can pause or stop it. Throws what compile() and
// the trainer throw; a diverged or stopped run returns normally with its reason.
RunContents trainRun(const Project& project, Dataset data, TrainingObserver* forward = nullptr,
                     const std::function<void(Trainer*)>& attach = {});

// "run N" for the next N after the highest used (gaps stay, names never repeat).
std::string nextRunName(const std::vector<std::string>& taken);

} // namespace mtl::core
