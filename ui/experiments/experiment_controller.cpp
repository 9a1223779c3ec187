#include "experiments/experiment_controller.h"

#include <QMetaObject>

#include <sys/resource.h>
#include <unistd.h>

namespace mtl::ui {

namespace {
constexpr int kTrainingNiceness = 5; // as a single run: the window comes first
}

// On the worker thread: records progress and posts the events to the GUI thread.
class ExperimentController::Observer final : public core::ExperimentObserver {
public:
    explicit Observer(ExperimentController* owner) : m_owner(owner) {}

    void onJobStarted(std::size_t job, const core::ExperimentState& state) override {
        {
            const std::lock_guard lock(m_owner->m_mutex);
            m_owner->m_progress.job = job;
            m_owner->m_progress.epoch = 0;
            const core::Project project =
                core::jobProject(state.project, state.spec, state.jobs[job]);
            m_owner->m_progress.epochs = project.training.epochs;
        }
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner, job] { emit owner->jobStarted(job); }, Qt::QueuedConnection);
    }
    void onEpoch(const core::EpochRecord& record) override {
        {
            const std::lock_guard lock(m_owner->m_mutex);
            m_owner->m_progress.epoch = record.epoch;
            if (m_owner->m_progress.firstEpochSeconds <= 0.0)
                m_owner->m_progress.firstEpochSeconds = record.seconds;
        }
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner] { emit owner->epochPassed(); }, Qt::QueuedConnection);
    }
    void onJobFinished(std::size_t job, const core::ExperimentState& state,
                       const core::RunContents* /*run*/) override {
        QMetaObject::invokeMethod(
            m_owner,
            [owner = m_owner, job, state] {
                owner->m_state = state;
                emit owner->jobFinished(job);
            },
            Qt::QueuedConnection);
    }

private:
    ExperimentController* m_owner;
};

ExperimentController::ExperimentController(QObject* parent) : QObject(parent) {}

ExperimentController::~ExperimentController() {
    stopAndWait();
}

bool ExperimentController::start(const QString& directory,
                                 std::shared_ptr<const core::Dataset> data, QString* error) {
    if (isRunning()) {
        *error = tr("an experiment is already running");
        return false;
    }
    try {
        m_state = core::readExperiment(directory.toStdString());
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    if (!data) {
        *error = tr("the project's dataset is not loaded");
        return false;
    }
    m_directory = directory;
    m_control = std::make_unique<core::ExperimentControl>();
    m_paused = false;
    {
        const std::lock_guard lock(m_mutex);
        m_progress = {};
    }
    m_thread = std::thread(&ExperimentController::work, this, directory.toStdString(),
                           std::move(data), m_state);
    return true;
}

void ExperimentController::work(std::string directory, std::shared_ptr<const core::Dataset> data,
                                core::ExperimentState state) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kTrainingNiceness);
    bool completed = false;
    QString error;
    try {
        Observer observer(this);
        completed = core::runExperiment(directory, state, *data, &observer, m_control.get());
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        this,
        [this, completed, error] {
            if (m_thread.joinable())
                m_thread.join();
            m_paused = false;
            emit finished(completed, error);
        },
        Qt::QueuedConnection);
}

ExperimentProgress ExperimentController::progress() const {
    const std::lock_guard lock(m_mutex);
    return m_progress;
}

void ExperimentController::pause() {
    if (!isRunning() || m_paused)
        return;
    m_control->setPaused(true);
    m_paused = true;
    emit pausedChanged(true);
}

void ExperimentController::resume() {
    if (!isRunning() || !m_paused)
        return;
    m_control->setPaused(false);
    m_paused = false;
    emit pausedChanged(false);
}

void ExperimentController::stop() {
    if (!isRunning())
        return;
    m_control->setPaused(false);
    m_control->requestStop();
}

void ExperimentController::stopAndWait() {
    if (!m_thread.joinable())
        return;
    stop();
    m_thread.join();
}

} // namespace mtl::ui
