#include "relations/affinity_measurement.h"

#include "relations/task_affinity.h"

#include "io/project_file.h"
#include "train/trainer.h"

#include <QTimer>

namespace mtl::ui {

AffinityMeasurement::AffinityMeasurement(QObject* parent)
    : QObject(parent), m_poll(new QTimer(this)) {
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, &AffinityMeasurement::collect);
}

AffinityMeasurement::~AffinityMeasurement() {
    if (m_thread.joinable())
        m_thread.join();
}

bool AffinityMeasurement::start(RunPtr run, const QString& projectDirectory, int batches) {
    if (running() || !run || !run->trained)
        return false;
    m_run = run;
    m_batches = batches;
    m_thread = std::thread([this, run = std::move(run), directory = projectDirectory.toStdString(),
                            batches] {
        std::vector<double> result;
        std::string error;
        try {
            core::Dataset dataset = core::loadDataset(run->snapshot.dataset, directory);
            core::Trainer trainer(*run->model, std::move(dataset), run->snapshot.training);
            trainer.parameters() = run->trained->parameters;
            result = core::measureAffinity(trainer, batches,
                                           double(run->snapshot.training.optimizer.learningRate))
                         .matrix;
        } catch (const std::exception& e) {
            error = e.what();
        }
        const std::lock_guard lock(m_mutex);
        m_result = std::move(result);
        m_error = error;
    });
    m_poll->start();
    return true;
}

void AffinityMeasurement::collect() {
    std::optional<std::vector<double>> result;
    std::string error;
    {
        const std::lock_guard lock(m_mutex);
        result.swap(m_result);
        error = m_error;
    }
    if (!result)
        return;
    m_poll->stop();
    m_thread.join();
    RunPtr run = std::move(m_run);
    m_run.reset();
    if (error.empty()) {
        run->affinity = std::move(*result);
        run->affinityBatches = m_batches;
    }
    emit finished(run, m_batches, QString::fromStdString(error));
}

} // namespace mtl::ui
