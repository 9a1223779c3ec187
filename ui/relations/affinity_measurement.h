#pragma once
// Measures a trained run's task affinity (core::measureAffinity) on a worker thread, for the
// task-relations view: the worker gets copies of what it needs and never calls into Qt; a timer
// on the GUI thread collects the result, stores it in the run and says so.

#include "training/run_data.h"

#include <QObject>

#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

class QTimer;

namespace mtl::ui {

class AffinityMeasurement : public QObject {
    Q_OBJECT
public:
    explicit AffinityMeasurement(QObject* parent = nullptr);
    ~AffinityMeasurement() override; // waits for the worker

    // Starts measuring over `batches` batches of the run's data (its CSV files relative to
    // projectDirectory); false if one is already running.
    bool start(RunPtr run, const QString& projectDirectory, int batches);
    bool running() const { return m_thread.joinable(); }

signals:
    // On success the run's affinity and affinityBatches are set; else error says why.
    void finished(mtl::ui::RunPtr run, int batches, QString error);

private:
    void collect();

    std::thread m_thread;
    QTimer* m_poll;
    std::mutex m_mutex; // guards the two below
    std::optional<std::vector<double>> m_result;
    std::string m_error;
    RunPtr m_run;
    int m_batches = 0;
};

} // namespace mtl::ui
