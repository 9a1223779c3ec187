#include "training/training_controller.h"

#include "balancing/strategy.h"
#include "data/split.h"
#include "runs/run_training.h"
#include "train/trainer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>

#include <sys/resource.h>
#include <unistd.h>

namespace mtl::ui {

namespace {
constexpr int kTrainingNiceness = 5;
} // namespace

// Runs on the training thread: copies each record into the buffer. Nothing else: the training
// thread never calls into Qt.
class TrainingController::Observer : public core::TrainingObserver {
public:
    explicit Observer(TrainingController* controller) : m_controller(controller) {}
    void onStep(const core::StepRecord& record) override {
        const std::lock_guard lock(m_controller->m_mutex);
        m_controller->m_steps.push_back(record);
    }
    void onEpoch(const core::EpochRecord& record) override {
        const std::lock_guard lock(m_controller->m_mutex);
        m_controller->m_epochs.push_back(record);
    }
    void onRelations(const core::RelationRecord& record) override {
        const std::lock_guard lock(m_controller->m_mutex);
        m_controller->m_relations.push_back(record);
    }

private:
    TrainingController* m_controller;
};

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    m_drainTimer.setInterval(kDrainIntervalMs);
    connect(&m_drainTimer, &QTimer::timeout, this, &TrainingController::drain);
}

TrainingController::~TrainingController() {
    if (m_thread.joinable()) {
        stop();
        m_thread.join();
    }
}

RunPtr TrainingController::start(const core::Project& project, std::shared_ptr<const core::Dataset> data,
                                 const QString& name, const QString& directory, const std::string& baselineTask) {
    auto run = std::make_shared<RunData>();
    run->name = name;
    run->directory = directory;
    run->snapshot = project;
    run->baselineTask = baselineTask;
    if (isRunning()) {
        run->failed = true;
        run->message = tr("another run is still going");
        return run;
    }
    try {
        core::checkSettings(project.training);
        auto model = std::make_shared<const core::Model>(core::compile(project.model, data->schema));
        static_cast<core::RunContents&>(*run) = core::newRun(project, model, *data);
        run->baselineTask = baselineTask;
        QDir().mkpath(directory);
        {
            const std::lock_guard lock(m_mutex);
            m_steps.clear();
            m_epochs.clear();
            m_relations.clear();
            m_outcome.reset();
            m_stopRequested = false;
            m_pauseRequested = false;
        }
        run->running = true;
        m_run = run;
        m_paused = false;
        m_drainTimer.start();
        m_thread = std::thread(&TrainingController::work, this, model, std::move(data), project.training,
                               project.model, QDir(directory).filePath("model.mtlmodel").toStdString());
    } catch (const std::exception& e) {
        run->failed = true;
        run->running = false;
        run->message = QString::fromStdString(e.what());
        return run;
    }
    emit started(run);
    return run;
}

void TrainingController::work(std::shared_ptr<const core::Model> model, std::shared_ptr<const core::Dataset> data,
                              core::TrainingSettings settings, core::ModelSpec spec, std::string modelPath) {
    // The window comes first: the training thread (and the OpenMP threads it starts, which
    // inherit it) runs at a lower priority, so a busy machine still redraws the charts on time.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kTrainingNiceness);
    Outcome outcome;
    try {
        core::Trainer trainer(*model, *data, settings);
        data.reset();
        {
            const std::lock_guard lock(m_mutex);
            m_trainer = &trainer;
            if (m_pauseRequested) trainer.setPaused(true);
            if (m_stopRequested) trainer.requestStop();
        }
        Observer observer(this);
        outcome.result = trainer.run(&observer);
        {
            const std::lock_guard lock(m_mutex);
            m_trainer = nullptr;
        }
        auto trained = std::make_shared<core::TrainedModel>(
            core::keptModel(trainer, spec, outcome.result, settings));
        outcome.trained = trained;
        core::writeModel(*trained, modelPath);
    } catch (const std::exception& e) {
        const std::lock_guard lock(m_mutex);
        m_trainer = nullptr;
        outcome.error = e.what();
    }
    const std::lock_guard lock(m_mutex);
    m_outcome = std::move(outcome);
}

void TrainingController::drain() {
    std::vector<core::StepRecord> steps;
    std::vector<core::EpochRecord> epochs;
    std::vector<core::RelationRecord> relations;
    std::optional<Outcome> outcome;
    {
        const std::lock_guard lock(m_mutex);
        steps.swap(m_steps);
        epochs.swap(m_epochs);
        relations.swap(m_relations);
        outcome.swap(m_outcome);
    }
    if (!m_run) return;
    for (const auto& step : steps) m_run->metrics.addStep(step);
    for (const auto& epoch : epochs) {
        m_run->metrics.addEpoch(epoch);
        if (!epoch.covariances.empty())
            m_run->covariances = epoch.covariances;
        if (!epoch.gates.empty())
            m_run->gates = epoch.gates;
    }
    for (auto& r : relations) m_run->relations.push_back(std::move(r));
    if (!steps.empty() || !epochs.empty()) emit progressed(m_run);
    if (outcome) finish(std::move(*outcome));
}

void TrainingController::finish(Outcome outcome) {
    m_drainTimer.stop();
    if (m_thread.joinable()) m_thread.join();
    RunPtr run = std::exchange(m_run, nullptr);
    run->running = false;
    run->trained = outcome.trained;
    run->reason = outcome.result.reason;
    run->epochs = outcome.result.epochs;
    run->test = outcome.result.test;
    run->stopMessage = outcome.result.message;
    run->message = QString::fromStdString(outcome.error.empty() ? outcome.result.message : outcome.error);
    run->failed = !outcome.error.empty();
    if (run->reason == core::StopReason::Diverged) {
        run->metrics.addEvent({run->metrics.lastStep(), run->metrics.lastSeconds(), outcome.result.message});
    }
    try {
        core::writeRunDirectory(*run, run->directory.toStdString());
    } catch (const std::exception& e) {
        run->message += tr(" (the run's files could not be written: %1)").arg(QString::fromStdString(e.what()));
    }
    m_paused = false;
    emit finished(run);
}

void TrainingController::pause() {
    if (!isRunning()) return;
    {
        const std::lock_guard lock(m_mutex);
        m_pauseRequested = true;
        if (m_trainer != nullptr) m_trainer->setPaused(true);
    }
    m_paused = true;
    emit pausedChanged(true);
}

void TrainingController::resume() {
    if (!isRunning()) return;
    {
        const std::lock_guard lock(m_mutex);
        m_pauseRequested = false;
        if (m_trainer != nullptr) m_trainer->setPaused(false);
    }
    m_paused = false;
    emit pausedChanged(false);
}

void TrainingController::stop() {
    const std::lock_guard lock(m_mutex);
    m_stopRequested = true;
    if (m_trainer != nullptr) m_trainer->requestStop();
}

bool TrainingController::waitForFinished(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (isRunning() && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return !isRunning();
}

} // namespace mtl::ui
