#include "experiments/experiment_run.h"

#include "io/experiment_json.h"
#include "model/templates.h"
#include "runs/delta_m.h"
#include "runs/run_training.h"
#include "train/metrics.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/threads.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace mtl::core {

namespace fs = std::filesystem;
using io::Json;
using io::JsonObject;

namespace {

constexpr int kExperimentFormatVersion = 1;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string statePath(const std::string& directory) {
    return (fs::path(directory) / "experiment.json").string();
}
std::string projectPath(const std::string& directory) {
    return (fs::path(directory) / "project.mtl.json").string();
}

Json resultToJson(const JobResult& r) {
    Json j{{"done", r.done}};
    if (!r.done)
        return j;
    if (!r.error.empty()) {
        j["error"] = r.error;
        return j;
    }
    Json metrics = Json::array();
    for (double m : r.metrics)
        metrics.push_back(std::isfinite(m) ? Json(m) : Json(nullptr));
    j["seconds"] = r.seconds;
    j["epochs"] = r.epochs;
    j["reason"] = r.reason;
    j["split"] = r.split;
    j["metrics"] = metrics;
    return j;
}

JobResult resultFrom(const JsonObject& o, std::size_t tasks) {
    JobResult r;
    r.done = o.boolean("done", false);
    if (!r.done)
        return r;
    r.error = o.string("error", "");
    if (!r.error.empty())
        return r;
    r.seconds = o.number("seconds", 0.0);
    r.epochs = o.integer("epochs", 0);
    r.reason = o.string("reason", "completed");
    r.split = o.string("split", "validation");
    const Json& metrics = o.raw("metrics");
    if (!metrics.is_array() || metrics.size() != tasks)
        o.fail("metrics", "expected one value per task");
    for (const Json& m : metrics)
        r.metrics.push_back(m.is_number() ? m.get<double>() : kNaN);
    return r;
}

// The job's result from its run: the test split's metric with the kept weights, or without a
// test split the validation metric of the kept epoch.
JobResult resultOf(const RunContents& run, const std::vector<ExperimentTask>& tasks) {
    JobResult r;
    r.done = true;
    r.epochs = run.epochs;
    r.reason = std::string(toString(run.reason));
    r.seconds = run.metrics.epochs().empty() ? run.metrics.lastSeconds()
                                             : run.metrics.epochs().back().seconds;
    r.split = run.test.empty() ? "validation" : "test";
    for (const ExperimentTask& task : tasks) {
        double value = kNaN;
        const auto& infos = run.model->tasks();
        for (std::size_t t = 0; t < infos.size(); ++t) {
            if (infos[t].name != task.name)
                continue;
            const MetricKind metric = comparisonMetric(infos[t]);
            if (run.test.empty()) {
                value = keptMetric(run, task.name, metric).value_or(kNaN);
            } else {
                const auto m = std::find(infos[t].metrics.begin(), infos[t].metrics.end(), metric);
                if (m != infos[t].metrics.end())
                    value = run.test.metrics[t][std::size_t(m - infos[t].metrics.begin())];
            }
        }
        r.metrics.push_back(value);
    }
    return r;
}

} // namespace

std::size_t ExperimentState::doneCount() const {
    return std::size_t(
        std::count_if(results.begin(), results.end(), [](const JobResult& r) { return r.done; }));
}

Project jobProject(const Project& project, const ExperimentSpec& spec, const ExperimentJob& job) {
    Project p = project;
    p.runs.clear();
    p.training.seed = job.seed;
    if (spec.epochs > 0)
        p.training.epochs = spec.epochs;
    if (job.config < 0) {
        p.model = singleTaskBaseline(project.model, job.baselineTask);
        return p;
    }
    const ExperimentConfig config = configurations(spec).at(std::size_t(job.config));
    if (config.method)
        p.training.balancing = *config.method;
    if (config.sharing)
        applySharing(p.model, *config.sharing);
    if (config.learningRate)
        p.training.optimizer.learningRate = *config.learningRate;
    if (config.batchSize)
        p.training.batchSize = *config.batchSize;
    return p;
}

ExperimentState createExperiment(const std::string& directory, const ExperimentSpec& spec,
                                 const Project& project, const DataSchema& schema) {
    checkExperiment(spec);
    if (fs::exists(statePath(directory)))
        throw FileError(directory + " already holds an experiment");
    ExperimentState state;
    state.spec = spec;
    state.project = project;
    state.project.runs.clear();
    state.project.experiments.clear();
    const Model model = compile(project.model, schema);
    std::vector<std::string> names;
    for (const TaskInfo& task : model.tasks()) {
        const MetricKind metric = comparisonMetric(task);
        state.tasks.push_back({task.name, std::string(metricName(metric)), higherIsBetter(metric)});
        names.push_back(task.name);
    }
    state.jobs = experimentJobs(spec, names, project.training.seed);
    // Every configuration must make a project that trains: find a bad one now, not an hour in.
    for (const ExperimentJob& job : state.jobs)
        checkSettings(jobProject(state.project, spec, job).training);
    state.results.assign(state.jobs.size(), JobResult{});
    std::error_code error;
    fs::create_directories(directory, error);
    if (error)
        throw FileError("cannot create '" + directory + "': " + error.message());
    writeProject(state.project, projectPath(directory));
    writeExperimentState(directory, state);
    return state;
}

std::string experimentStateJson(const ExperimentState& state) {
    Json tasks = Json::array();
    for (const ExperimentTask& t : state.tasks) {
        tasks.push_back(
            {{"name", t.name}, {"metric", t.metric}, {"higher_is_better", t.higherIsBetter}});
    }
    Json jobs = Json::array();
    for (std::size_t i = 0; i < state.jobs.size(); ++i) {
        const ExperimentJob& job = state.jobs[i];
        Json j{{"name", job.name}, {"folder", job.folder}, {"seed", job.seed}};
        if (job.config >= 0)
            j["config"] = job.config;
        else
            j["baseline_task"] = job.baselineTask;
        j["result"] = resultToJson(state.results[i]);
        jobs.push_back(j);
    }
    const Json root{{"format_version", kExperimentFormatVersion},
                    {"spec", experimentSpecToJson(state.spec)},
                    {"tasks", tasks},
                    {"jobs", jobs}};
    return root.dump(2) + "\n";
}

void writeExperimentState(const std::string& directory, const ExperimentState& state) {
    writeFileAtomically(statePath(directory), experimentStateJson(state));
}

ExperimentState readExperiment(const std::string& directory) {
    const std::string path = statePath(directory);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError("cannot open '" + path + "' (is " + directory +
                        " an experiment's folder?)");
    std::stringstream text;
    text << in.rdbuf();
    io::JsonContext context{path, {}};
    const Json root = io::parseJson(text.str(), path);
    ExperimentState state;
    {
        JsonObject o(root, "", context);
        const int version = o.integer("format_version");
        if (version != kExperimentFormatVersion)
            o.fail("format_version", "this version reads experiments of format 1");
        state.spec = experimentSpecFrom(o.object("spec"));
        for (const JsonObject& t : o.objects("tasks")) {
            state.tasks.push_back(
                {t.string("name"), t.string("metric"), t.boolean("higher_is_better", true)});
        }
        for (const JsonObject& j : o.objects("jobs")) {
            ExperimentJob job;
            job.name = j.string("name");
            job.folder = j.string("folder");
            if (job.folder.empty() || job.folder.find('/') != std::string::npos ||
                job.folder[0] == '.') {
                j.fail("folder", "expected a folder name inside the experiment's folder");
            }
            job.seed = j.unsignedInteger("seed", 1);
            job.config = j.has("config") ? j.integer("config") : -1;
            job.baselineTask = j.string("baseline_task", "");
            if (job.config >= int(configurations(state.spec).size()))
                j.fail("config", "no such configuration");
            if (job.config < -1 || (job.config < 0 && job.baselineTask.empty())) {
                j.fail("config", "a job is a configuration or a task's baseline");
            }
            state.jobs.push_back(job);
            state.results.push_back(resultFrom(j.object("result"), state.tasks.size()));
        }
    }
    if (!context.unknownFields.empty())
        throw FileError(path + ": unknown field " + context.unknownFields.front());
    state.project = readProject(projectPath(directory)).project;
    return state;
}

void ExperimentControl::requestStop() {
    const std::lock_guard lock(m_mutex);
    m_stop = true;
    for (Trainer* trainer : m_trainers)
        trainer->requestStop();
}

void ExperimentControl::setPaused(bool paused) {
    const std::lock_guard lock(m_mutex);
    m_paused = paused;
    for (Trainer* trainer : m_trainers)
        trainer->setPaused(paused);
}

void ExperimentControl::attach(Trainer* trainer) {
    const std::lock_guard lock(m_mutex);
    m_trainers.push_back(trainer);
    if (m_paused)
        trainer->setPaused(true);
    if (m_stop)
        trainer->requestStop();
}

void ExperimentControl::detach(Trainer* trainer) {
    const std::lock_guard lock(m_mutex);
    std::erase(m_trainers, trainer);
}

bool runExperiment(const std::string& directory, ExperimentState& state, const Dataset& data,
                   ExperimentObserver* observer, ExperimentControl* control) {
    std::mutex mutex; // guards state, `next`, `stopped` and the observer's job calls
    std::size_t next = 0;
    bool stopped = false;
    const int workers =
        std::max(1, std::min(state.spec.runsAtOnce, int(state.jobs.size() - state.doneCount())));
    const int coresEach = std::max(1, coreCount() / workers);

    auto work = [&] {
        for (;;) {
            std::size_t i = 0;
            Project project;
            {
                const std::lock_guard lock(mutex);
                while (next < state.jobs.size() && state.results[next].done)
                    ++next;
                if (next == state.jobs.size() || stopped || (control && control->stopRequested()))
                    return;
                i = next++;
                if (observer)
                    observer->onJobStarted(i, state);
            }
            const ExperimentJob& job = state.jobs[i];
            const fs::path folder = fs::path(directory) / job.folder;
            std::error_code ignored;
            fs::remove_all(folder, ignored); // a run interrupted before it finished
            JobResult result;
            std::optional<RunContents> run;
            try {
                project = jobProject(state.project, state.spec, job);
                if (workers > 1) {
                    project.training.threads = project.training.threads > 0
                                                   ? std::min(project.training.threads, coresEach)
                                                   : coresEach;
                }
                Trainer* mine = nullptr;
                run = trainRun(project, data, observer, [&](Trainer* trainer) {
                    if (!control)
                        return;
                    if (trainer)
                        control->attach(mine = trainer);
                    else
                        control->detach(mine);
                });
            } catch (const Error& e) {
                result.done = true;
                result.error = e.what();
            }
            if (run && run->reason == StopReason::Stopped) {
                fs::remove_all(folder, ignored);
                const std::lock_guard lock(mutex);
                stopped = true;
                return;
            }
            if (run) {
                run->baselineTask = job.baselineTask;
                writeRunDirectory(*run, folder.string());
                writeModel(*run->trained, (folder / "model.mtlmodel").string());
                result = resultOf(*run, state.tasks);
            }
            const std::lock_guard lock(mutex);
            state.results[i] = result;
            writeExperimentState(directory, state);
            if (observer)
                observer->onJobFinished(i, state, run ? &*run : nullptr);
        }
    };
    if (workers == 1) {
        work();
    } else {
        // Exceptions (a folder that cannot be written) end the worker and are rethrown here.
        std::vector<std::exception_ptr> errors(static_cast<std::size_t>(workers));
        std::vector<std::thread> threads;
        for (int w = 0; w < workers; ++w) {
            threads.emplace_back([&, w] {
                try {
                    work();
                } catch (...) {
                    errors[std::size_t(w)] = std::current_exception();
                    if (control)
                        control->requestStop();
                }
            });
        }
        for (std::thread& t : threads)
            t.join();
        for (const auto& error : errors) {
            if (error)
                std::rethrow_exception(error);
        }
    }
    return !stopped && !(control && control->stopRequested()) && state.finished();
}

} // namespace mtl::core
