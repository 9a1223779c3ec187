#pragma once
// Runs an experiment (core/experiments) on a worker thread, one run after another, and tells the
// GUI thread what happens: a run started, an epoch passed, a run finished, the experiment ended.
// Pause, resume and stop reach the run in progress between steps; a stopped experiment resumes
// from its folder (finished runs kept), in this session or after the app was closed.

#include "experiments/experiment_run.h"

#include <QObject>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace mtl::ui {

struct ExperimentProgress {
    std::size_t job = 0;            // the job in progress
    int epoch = 0;                  // its completed epochs
    int epochs = 0;                 // of
    double firstEpochSeconds = 0.0; // of the experiment's first epoch measured in this session
};

class ExperimentController : public QObject {
    Q_OBJECT
public:
    explicit ExperimentController(QObject* parent = nullptr);
    ~ExperimentController() override;

    // Starts (or resumes) the experiment in `directory` on `data`. False, with `error` saying
    // why, when another is running or the folder cannot be read.
    bool start(const QString& directory, std::shared_ptr<const core::Dataset> data, QString* error);
    bool isRunning() const { return m_thread.joinable(); }
    bool isPaused() const { return m_paused; }
    QString directory() const { return m_directory; }
    // The state as of the last finished run (GUI thread).
    const core::ExperimentState& state() const { return m_state; }
    ExperimentProgress progress() const;

public slots:
    void pause();
    void resume();
    void stop();
    // Waits for the worker (the window closing); the run in progress is discarded.
    void stopAndWait();

signals:
    void jobStarted(std::size_t job);
    void jobFinished(std::size_t job);
    void epochPassed();
    void pausedChanged(bool paused);
    // completed: every run done; else stopped (or failed: error non-empty).
    void finished(bool completed, const QString& error);

private:
    class Observer;
    void work(std::string directory, std::shared_ptr<const core::Dataset> data,
              core::ExperimentState state);

    std::unique_ptr<core::ExperimentControl> m_control; // fresh per start (a stop is final)
    std::thread m_thread;
    QString m_directory;
    core::ExperimentState m_state;
    mutable std::mutex m_mutex;
    ExperimentProgress m_progress;
    bool m_paused = false;
};

} // namespace mtl::ui
