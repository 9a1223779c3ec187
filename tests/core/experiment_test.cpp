// Experiments: the grid and its jobs, the table's numbers against values worked by hand (mean,
// sample standard deviation, Δm per seed against the same seed's baselines, ranks), the Pareto
// front, the state file's round trip and malformed inputs, and an experiment stopped in the
// middle of a run that resumes and finishes with every run exactly once and the same results as
// one that was never stopped.

#include "test_models.h"

#include "experiments/experiment_table.h"
#include "io/project_file.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

using namespace mtl::core;
namespace fs = std::filesystem;

namespace {

fs::path freshFolder(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mtl-experiment-test-" + name);
    fs::remove_all(dir);
    return dir;
}

// A state made by hand: tasks "acc" (accuracy, higher is better) and "err" (rmse, lower is
// better), two methods × two seeds, and both baselines of both seeds.
ExperimentState handState() {
    ExperimentState state;
    state.spec.methods = {parseBalancing("equal"), parseBalancing("pcgrad")};
    state.spec.seeds = 2;
    state.tasks = {{"acc", "accuracy", true}, {"err", "rmse", false}};
    state.jobs = experimentJobs(state.spec, {"acc", "err"}, 1);
    // Jobs per seed: baseline acc, baseline err, equal, pcgrad.
    const std::vector<std::vector<double>> metrics{
        {0.80, NAN}, {NAN, 0.50}, {0.84, 0.45}, {0.80, 0.55}, // seed 1
        {0.60, NAN}, {NAN, 0.40}, {0.57, 0.44}, {0.63, 0.40}, // seed 2
    };
    for (const auto& m : metrics) {
        JobResult r;
        r.done = true;
        r.split = "test";
        r.seconds = 2.0;
        r.metrics = m;
        state.results.push_back(r);
    }
    return state;
}

// Equal, with NaN equal to NaN (a baseline has no metric for the other tasks).
bool sameResults(const std::vector<JobResult>& a, const std::vector<JobResult>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].done != b[i].done || a[i].split != b[i].split ||
            a[i].metrics.size() != b[i].metrics.size())
            return false;
        for (std::size_t m = 0; m < a[i].metrics.size(); ++m) {
            const double x = a[i].metrics[m];
            const double y = b[i].metrics[m];
            if (!(x == y || (std::isnan(x) && std::isnan(y))))
                return false;
        }
    }
    return true;
}

} // namespace

TEST(Experiment, EstimateIsTheMeanAndTheSampleStandardDeviation) {
    const Estimate e = estimate({0.80, 0.82, 0.84, NAN});
    EXPECT_EQ(e.count, 3);
    EXPECT_NEAR(e.mean, 0.82, 1e-12);
    EXPECT_NEAR(e.std, 0.02, 1e-12);
    EXPECT_EQ(estimate({0.5}).std, 0.0);
    EXPECT_EQ(estimate({NAN}).count, 0);
}

TEST(Experiment, GridGivesConfigurationsAndJobsSeedBySeed) {
    ExperimentSpec spec;
    spec.methods = parseMethodList("EW,cagrad:c=0.4,rescale=1+c,uw");
    ASSERT_EQ(spec.methods.size(), 3u);
    EXPECT_EQ(formatBalancing(spec.methods[1]), "cagrad:c=0.4,rescale=1+c");
    EXPECT_EQ(spec.methods[0].kind, BalancingKind::Equal);
    EXPECT_EQ(spec.methods[2].kind, BalancingKind::Uncertainty);
    spec.sharing = {"hard", "soft:0.01"};
    spec.seeds = 2;
    const auto configs = configurations(spec);
    ASSERT_EQ(configs.size(), 6u);
    EXPECT_EQ(configs[1].label, "equal · soft:0.01");
    const auto jobs = experimentJobs(spec, {"a", "b"}, 5);
    ASSERT_EQ(jobs.size(), experimentRunCount(spec, 2));
    ASSERT_EQ(jobs.size(), 2u * (6u + 2u));
    EXPECT_EQ(jobs[0].baselineTask, "a");
    EXPECT_EQ(jobs[0].seed, 5u);
    EXPECT_EQ(jobs[2].config, 0);
    EXPECT_EQ(jobs[8].seed, 6u);
    std::set<std::string> folders;
    for (const ExperimentJob& job : jobs)
        folders.insert(job.folder);
    EXPECT_EQ(folders.size(), jobs.size());
    EXPECT_THROW(parseMethodList("pcgrad,nonsense"), mtl::SettingError);
    spec.sharing = {"hard", "hard"};
    EXPECT_THROW(checkExperiment(spec), mtl::SettingError);
    ModelSpec model;
    EXPECT_THROW(applySharing(model, "soft:-1"), mtl::SettingError);
}

TEST(Experiment, TableMatchesNumbersWorkedByHand) {
    const ExperimentTable table = experimentTable(handState());
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(table.split, "test");
    const ExperimentRow& equal = table.rows[0];
    const ExperimentRow& pcgrad = table.rows[1];
    const ExperimentRow& baselines = table.rows[2];
    EXPECT_EQ(equal.label, "equal");
    EXPECT_NEAR(equal.tasks[0].mean, 0.705, 1e-12);
    EXPECT_NEAR(equal.tasks[0].std, 0.27 / std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(equal.tasks[1].mean, 0.445, 1e-12);
    EXPECT_NEAR(equal.tasks[1].std, 0.01 / std::sqrt(2.0), 1e-12);
    // equal: seed 1 (+5 % acc, +10 % err) → +7.5 %; seed 2 (−5 %, −10 %) → −7.5 %.
    EXPECT_NEAR(equal.deltaM.mean, 0.0, 1e-12);
    EXPECT_NEAR(equal.deltaM.std, 0.15 / std::sqrt(2.0), 1e-12);
    // pcgrad: seed 1 (0 %, −10 %) → −5 %; seed 2 (+5 %, 0 %) → +2.5 %.
    EXPECT_NEAR(pcgrad.deltaM.mean, -0.0125, 1e-12);
    EXPECT_NEAR(pcgrad.deltaM.std, 0.075 / std::sqrt(2.0), 1e-12);
    EXPECT_TRUE(table.rankedByDeltaM);
    EXPECT_EQ(equal.rank, 1);
    EXPECT_EQ(pcgrad.rank, 2);
    // Per task: pcgrad's accuracy 0.715 beats 0.705; equal's rmse 0.445 beats 0.475.
    EXPECT_EQ(pcgrad.taskRank[0], 1);
    EXPECT_EQ(equal.taskRank[1], 1);
    EXPECT_EQ(baselines.config, -1);
    EXPECT_NEAR(baselines.tasks[0].mean, 0.70, 1e-12);
    EXPECT_NEAR(baselines.tasks[1].mean, 0.45, 1e-12);
    EXPECT_EQ(baselines.jobs.size(), 4u);
    EXPECT_NEAR(equal.seconds, 2.0, 1e-12);

    const std::string markdown = tableMarkdown(table);
    EXPECT_NE(
        markdown.find("| equal | 2 | 70.50 ± 19.09 | **0.4450 ± 0.0071** | **+0.00 ± 10.61** |"),
        std::string::npos)
        << markdown;
    const std::string csv = tableCsv(table);
    EXPECT_EQ(csv.substr(0, csv.find('\n')), "configuration,runs,acc_accuracy_mean,acc_accuracy_"
                                             "std,err_rmse_mean,err_rmse_std,delta_m_mean,"
                                             "delta_m_std,seconds,rank");
    EXPECT_NE(tableLatex(table).find("\\textbf{"), std::string::npos);
}

TEST(Experiment, DeltaMWaitsForTheSameSeedsBaselines) {
    ExperimentState state = handState();
    state.results[5] = JobResult{}; // seed 2's err baseline not done yet
    const ExperimentTable table = experimentTable(state);
    EXPECT_EQ(table.rows[0].deltaM.count, 1); // seed 1 only
    EXPECT_NEAR(table.rows[0].deltaM.mean, 0.075, 1e-12);
}

TEST(Experiment, ParetoFrontKeepsThePointsNothingBeats) {
    // Accuracy up on both axes.
    const std::vector<std::array<double, 2>> points{
        {0.8, 0.7}, {0.7, 0.8}, {0.75, 0.75}, {0.7, 0.7}, {0.8, 0.6}};
    EXPECT_EQ(paretoFront(points, {true, true}), (std::vector<std::size_t>{0, 1, 2}));
    // Lower is better on the second axis.
    EXPECT_EQ(paretoFront(points, {true, false}), (std::vector<std::size_t>{4}));
}

TEST(Experiment, StateFileRoundTripsAndNamesWhatIsWrong) {
    const fs::path dir = freshFolder("state");
    const Dataset data = mtl::test::twoTaskData(200);
    Project project;
    project.model = mtl::test::twoTaskTrunk(data.schema);
    ExperimentSpec spec;
    spec.methods = {parseBalancing("equal"), parseBalancing("cagrad:c=0.3")};
    spec.seeds = 2;
    spec.epochs = 2;
    ExperimentState state = createExperiment(dir.string(), spec, project, data.schema);
    state.results[2] = handState().results[2];
    writeExperimentState(dir.string(), state);
    const ExperimentState back = readExperiment(dir.string());
    EXPECT_EQ(back.spec, state.spec);
    EXPECT_EQ(back.jobs, state.jobs);
    EXPECT_EQ(experimentStateJson(back).size(), experimentStateJson(state).size());
    EXPECT_TRUE(sameResults(back.results, state.results));
    EXPECT_EQ(back.tasks, state.tasks);
    EXPECT_EQ(experimentStateJson(back), experimentStateJson(state));
    EXPECT_THROW(createExperiment(dir.string(), spec, project, data.schema), mtl::FileError);

    auto messageFor = [&](const std::string& from, const std::string& to) {
        std::string text = experimentStateJson(state);
        const auto at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
        std::ofstream(dir / "experiment.json") << text;
        try {
            (void)readExperiment(dir.string());
        } catch (const mtl::FileError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    const std::string file = (dir / "experiment.json").string();
    EXPECT_EQ(
        messageFor("\"cagrad:c=0.3\"", "\"cagrad:c=70\""), file + ": spec.methods: " + [] {
            try {
                (void)parseBalancing("cagrad:c=70");
            } catch (const mtl::SettingError& e) {
                return std::string(e.what());
            }
            return std::string("accepted");
        }());
    EXPECT_NE(messageFor("\"folder\": \"01-equal-seed-1\"", "\"folder\": \"../elsewhere\"")
                  .find("jobs[2].folder"),
              std::string::npos);
    EXPECT_NE(messageFor("\"seeds\": 2", "\"seeds\": 0").find("spec.seeds"), std::string::npos);
    EXPECT_NE(messageFor("\"format_version\": 1", "\"format_version\": 9").find("format_version"),
              std::string::npos);
    EXPECT_NE(messageFor("\"jobs\": [", "\"jobs\": [}").find("experiment.json"), std::string::npos);
    fs::remove_all(dir);
}

namespace {

// Counts runs and stops the experiment in the middle of the third job.
struct Interrupter : ExperimentObserver {
    ExperimentControl* control = nullptr;
    std::size_t stopInJob = std::size_t(-1);
    std::vector<std::size_t> started;
    std::vector<std::size_t> finished;
    long stepsInJob = 0;
    void onJobStarted(std::size_t job, const ExperimentState& /*state*/) override {
        started.push_back(job);
        stepsInJob = 0;
    }
    void onStep(const StepRecord& /*record*/) override {
        if (++stepsInJob == 3 && started.back() == stopInJob)
            control->requestStop();
    }
    void onJobFinished(std::size_t job, const ExperimentState& /*state*/,
                       const RunContents* run) override {
        if (run != nullptr)
            finished.push_back(job);
    }
};

} // namespace

TEST(Experiment, StoppedExperimentResumesWithEveryRunExactlyOnce) {
    const Dataset data = mtl::test::twoTaskData(240);
    Project project;
    project.model = mtl::test::twoTaskTrunk(data.schema);
    project.training.epochs = 3;
    project.training.batchSize = 32;
    project.training.threads = 1;
    project.training.testFraction = 0.2f;
    ExperimentSpec spec;
    spec.methods = {parseBalancing("equal"), parseBalancing("pcgrad")};
    spec.seeds = 2;

    // Stopped during the third run (the first seed's "equal"), then resumed from the files.
    const fs::path dir = freshFolder("resume");
    ExperimentState state = createExperiment(dir.string(), spec, project, data.schema);
    ExperimentControl control;
    Interrupter first;
    first.control = &control;
    first.stopInJob = 2;
    EXPECT_FALSE(runExperiment(dir.string(), state, data, &first, &control));
    EXPECT_EQ(first.finished, (std::vector<std::size_t>{0, 1}));
    EXPECT_FALSE(fs::exists(dir / state.jobs[2].folder)); // the half run is gone
    ExperimentState resumed = readExperiment(dir.string());
    EXPECT_EQ(resumed.doneCount(), 2u);
    Interrupter second;
    EXPECT_TRUE(runExperiment(dir.string(), resumed, data, &second));
    EXPECT_EQ(second.started, (std::vector<std::size_t>{2, 3, 4, 5, 6, 7}));
    std::vector<std::size_t> all = first.finished;
    all.insert(all.end(), second.finished.begin(), second.finished.end());
    EXPECT_EQ(all, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7}));
    ASSERT_TRUE(resumed.finished());
    for (const ExperimentJob& job : resumed.jobs)
        EXPECT_TRUE(fs::exists(dir / job.folder / "model.mtlmodel"));

    // The same experiment never stopped: the same results (same seeds, same threads).
    const fs::path straight = freshFolder("straight");
    ExperimentState once = createExperiment(straight.string(), spec, project, data.schema);
    EXPECT_TRUE(runExperiment(straight.string(), once, data));
    for (std::size_t i = 0; i < once.jobs.size(); ++i) {
        EXPECT_TRUE(sameResults({once.results[i]}, {resumed.results[i]})) << once.jobs[i].name;
        EXPECT_EQ(resumed.results[i].split, "test");
    }
    EXPECT_EQ(tableCsv(experimentTable(once)).substr(0, 200),
              tableCsv(experimentTable(resumed)).substr(0, 200));
    fs::remove_all(dir);
    fs::remove_all(straight);
}

TEST(Experiment, ProjectFileKeepsItsExperiments) {
    Project p;
    p.model = mtl::test::twoTaskTrunk(mtl::test::twoTaskData(20).schema);
    ExperimentSpec spec;
    spec.name = "sweep";
    spec.methods = parseMethodList("ew,mgda");
    spec.sharing = {"hard", "soft:0.05"};
    spec.learningRates = {0.001f, 0.0003f};
    spec.batchSizes = {32, 128};
    spec.baselines = false;
    spec.epochs = 4;
    spec.runsAtOnce = 2;
    p.experiments.push_back({spec, "mtl-runs/p/sweep"});
    const std::string text = projectToJson(p);
    const ProjectLoad back = parseProject(text, "p.mtl.json");
    EXPECT_TRUE(back.warnings.empty());
    EXPECT_EQ(back.project.experiments, p.experiments);
    EXPECT_EQ(projectToJson(back.project), text);
    std::string bad = text;
    bad.replace(bad.find("\"soft:0.05\""), 11, "\"firm\"");
    try {
        (void)parseProject(bad, "p.mtl.json");
        ADD_FAILURE() << "accepted a bad sharing";
    } catch (const mtl::FileError& e) {
        EXPECT_NE(std::string(e.what()).find("experiments[0].sharing"), std::string::npos)
            << e.what();
    }
}

TEST(Experiment, DatasetsOwnTestRowsAreTheTestSplit) {
    Dataset data = mtl::test::twoTaskData(100);
    data.testRows = 30;
    TrainingSettings settings;
    settings.validationFraction = 0.1f;
    settings.testFraction = 0.5f; // ignored: the dataset brings its test split
    const DataSplit split = splitData(data, settings);
    ASSERT_EQ(split.test.size(), 30u);
    for (std::size_t i = 0; i < split.test.size(); ++i)
        EXPECT_EQ(split.test[i], Index(70 + i));
    EXPECT_EQ(split.validation.size(), 7u);
    EXPECT_EQ(split.train.size(), 63u);
    for (Index row : split.train)
        EXPECT_LT(row, 70);
    for (Index row : split.validation)
        EXPECT_LT(row, 70);
    data.testRows = 100;
    EXPECT_THROW(splitData(data, settings), mtl::SettingError);
}

TEST(Experiment, TwoRunsAtOnceGiveTheSameResultsWithOneThreadEach) {
    const Dataset data = mtl::test::twoTaskData(240);
    Project project;
    project.model = mtl::test::twoTaskTrunk(data.schema);
    project.training.epochs = 2;
    project.training.batchSize = 32;
    project.training.threads = 1;
    ExperimentSpec spec;
    spec.methods = {parseBalancing("equal"), parseBalancing("mgda")};
    spec.seeds = 2;
    const fs::path one = freshFolder("one-at-a-time");
    const fs::path two = freshFolder("two-at-a-time");
    ExperimentState a = createExperiment(one.string(), spec, project, data.schema);
    spec.runsAtOnce = 2;
    ExperimentState b = createExperiment(two.string(), spec, project, data.schema);
    EXPECT_TRUE(runExperiment(one.string(), a, data));
    Interrupter counter;
    EXPECT_TRUE(runExperiment(two.string(), b, data, &counter));
    std::vector<std::size_t> finished = counter.finished;
    std::sort(finished.begin(), finished.end());
    EXPECT_EQ(finished, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7}));
    EXPECT_TRUE(sameResults(a.results, b.results));
    EXPECT_TRUE(sameResults(readExperiment(two.string()).results, b.results));
    fs::remove_all(one);
    fs::remove_all(two);
}
