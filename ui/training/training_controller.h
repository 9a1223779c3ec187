#pragma once
// TrainingController: runs the core trainer on a worker thread and feeds the GUI without ever
// blocking it. The worker only appends step and epoch records to a mutex-guarded buffer — it
// never calls into Qt, not even to post an event; while a run lasts, the GUI drains the buffer
// every 50 ms into the run's metrics and emits progressed(): never one signal per step, and
// about 12 chart refreshes a second (more would cost training throughput, see
// bench/gui_latency.cpp). Pause, resume and stop
// reach the trainer through its atomics. When the run ends, the worker writes the model file;
// the GUI writes the other run files and emits finished().

#include "training/run_data.h"

#include <QObject>
#include <QTimer>

#include <mutex>
#include <optional>
#include <thread>

namespace mtl::core {
class Trainer;
}

namespace mtl::ui {

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override; // stops a run and waits for its thread

    // Starts training `project` (a snapshot: later edits do not reach it) on `data`, writing the
    // run's files to `directory`. False, with the reason in the run's message, when it cannot.
    RunPtr start(const core::Project& project, std::shared_ptr<const core::Dataset> data, const QString& name,
                 const QString& directory, const std::string& baselineTask = {});
    void pause();
    void resume();
    void stop();
    bool isRunning() const { return m_run != nullptr; }
    bool isPaused() const { return m_paused; }
    RunPtr run() const { return m_run; }
    // Stops nothing; waits until the current run has finished and been reported (tests, closing).
    bool waitForFinished(int timeoutMs = 120000);
    static constexpr int kDrainIntervalMs = 50;

signals:
    void started(mtl::ui::RunPtr run);
    void progressed(mtl::ui::RunPtr run);
    void finished(mtl::ui::RunPtr run);
    void pausedChanged(bool paused);

private:
    struct Outcome {
        core::RunResult result;
        std::shared_ptr<const core::TrainedModel> trained;
        std::string error;
    };
    class Observer;

    void work(std::shared_ptr<const core::Model> model, std::shared_ptr<const core::Dataset> data,
              core::TrainingSettings settings, core::ModelSpec spec, std::string modelPath);
    void drain(); // on the GUI thread, every kDrainIntervalMs while a run lasts
    void finish(Outcome outcome);

    RunPtr m_run;
    std::thread m_thread;
    QTimer m_drainTimer;
    bool m_paused = false;

    std::mutex m_mutex; // guards everything below
    std::vector<core::StepRecord> m_steps;
    std::vector<core::EpochRecord> m_epochs;
    std::vector<core::RelationRecord> m_relations;
    std::optional<Outcome> m_outcome;
    core::Trainer* m_trainer = nullptr;
    bool m_stopRequested = false;
    bool m_pauseRequested = false;
};

} // namespace mtl::ui
