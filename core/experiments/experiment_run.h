#pragma once
// Running an experiment: its folder holds project.mtl.json (the project as it was when the
// experiment was defined, so later edits do not change it), experiment.json (the grid, the jobs
// and each finished job's result) and one run folder per job (runs/run_directory.h). Jobs run
// one after another; experiment.json is rewritten whole after each, so an experiment stopped at
// any moment — Cancel, a closed app, a killed process — resumes where it was: finished runs are
// kept, a half-written run folder is cleared and its job run again.

#include "data/dataset.h"
#include "experiments/experiment_spec.h"
#include "io/project_file.h"
#include "runs/run_directory.h"
#include "train/trainer.h"

#include <atomic>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

namespace mtl::core {

// The metric an experiment compares per task (accuracy for classification, RMSE otherwise).
struct ExperimentTask {
    std::string name;
    std::string metric;
    bool higherIsBetter = true;
    bool operator==(const ExperimentTask&) const = default;
};

struct JobResult {
    bool done = false;
    std::string error;    // the job could not train (its message); done, and left out of tables
    double seconds = 0.0; // training time
    int epochs = 0;       // completed
    std::string reason;   // toString(StopReason)
    std::string split; // where the metrics come from: "test", or "validation" without a test split
    std::vector<double> metrics; // per experiment task (NaN: the run has no such task)
    bool operator==(const JobResult&) const = default;
};

struct ExperimentState {
    ExperimentSpec spec;
    Project project; // the base project
    std::vector<ExperimentTask> tasks;
    std::vector<ExperimentJob> jobs;
    std::vector<JobResult> results; // one per job
    std::size_t doneCount() const;
    bool finished() const { return doneCount() == jobs.size(); }
};

// The project a job trains: the base project with the job's configuration and seed (a baseline:
// the network cut down to its task's head).
Project jobProject(const Project& project, const ExperimentSpec& spec, const ExperimentJob& job);

// Creates `directory` with the project and a state with no job done. Throws SettingError for a
// bad grid or a network that does not compile on `data`, FileError when the folder already holds
// an experiment or cannot be written.
ExperimentState createExperiment(const std::string& directory, const ExperimentSpec& spec,
                                 const Project& project, const DataSchema& schema);
// Throws FileError naming the file and field.
ExperimentState readExperiment(const std::string& directory);
void writeExperimentState(const std::string& directory, const ExperimentState& state);
std::string experimentStateJson(const ExperimentState& state);

// Told about jobs as they start and end (on the running thread), and about every step and epoch.
class ExperimentObserver : public TrainingObserver {
public:
    virtual void onJobStarted(std::size_t /*job*/, const ExperimentState& /*state*/) {}
    virtual void onJobFinished(std::size_t /*job*/, const ExperimentState& /*state*/,
                               const RunContents* /*run: null when it failed*/) {}
};

// Pause and stop from any thread; they reach the run in progress between steps.
class ExperimentControl {
public:
    void requestStop();
    void setPaused(bool paused);
    bool stopRequested() const { return m_stop; }
    // The runner's: a trainer starting, and the same one going (nullptr = detach `trainer`).
    void attach(Trainer* trainer);
    void detach(Trainer* trainer);

private:
    std::mutex m_mutex;
    std::vector<Trainer*> m_trainers;
    std::atomic<bool> m_stop{false};
    bool m_paused = false;
};

// Runs every job not done yet. Returns true when all are done, false when stopped (the runs in
// progress are then discarded, to run again on resume). `data` is the project's dataset.
// The spec's runsAtOnce > 1 trains that many runs side by side, the threads split between them (a
// run whose project sets no thread count gets cores / atOnce); the observer is then called from
// several threads (job starts and ends one at a time). A run's numbers depend on its thread count,
// so with one thread per run they are the same either way.
bool runExperiment(const std::string& directory, ExperimentState& state, const Dataset& data,
                   ExperimentObserver* observer = nullptr, ExperimentControl* control = nullptr);

} // namespace mtl::core
