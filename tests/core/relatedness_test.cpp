// The synthetic dataset with known task relations: its targets correlate as ρ says, it is the
// same for the same seed, its project-file source round-trips and refuses bad values by field,
// and — the point of it — a hard-shared trunk trained on it measures gradient cosines that rank
// the pairs as ρ does, with the conflicting pair negative.

#include "data/synthetic_relatedness.h"
#include "io/project_file.h"
#include "model/model.h"
#include "relations/task_grouping.h"
#include "train/trainer.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>

using namespace mtl::core;

namespace {

// Pearson correlation of two target columns.
double correlation(const Dataset& data, int a, int b) {
    const Eigen::ArrayXd x = data.targets.col(a).cast<double>().array();
    const Eigen::ArrayXd y = data.targets.col(b).cast<double>().array();
    const Eigen::ArrayXd dx = x - x.mean(), dy = y - y.mean();
    return (dx * dy).sum() / std::sqrt((dx * dx).sum() * (dy * dy).sum());
}

std::string settingError(const RelatednessSettings& s) {
    try {
        (void)makeRelatednessDataset(s);
    } catch (const mtl::SettingError& e) {
        return e.what();
    }
    return "accepted";
}

std::string fileError(const std::string& relatedness) {
    const std::string text =
        R"({"format_version": 1, "dataset": {"source": "relatedness", "relatedness": )" +
        relatedness + R"(}, "model": {"nodes": [], "edges": []}})";
    try {
        (void)parseProject(text, "p.mtl.json");
    } catch (const mtl::FileError& e) {
        return e.what();
    }
    return "accepted";
}

// Each pair's cosine over all shared parameters, averaged over the measurements of a run.
struct MeanCosines : TrainingObserver {
    int tasks = 0;
    std::vector<double> sum;
    std::vector<int> count;
    void onRelations(const RelationRecord& r) override {
        tasks = r.tasks;
        sum.resize(r.blocks[0].cosine.size());
        count.resize(sum.size());
        for (std::size_t i = 0; i < sum.size(); ++i) {
            if (std::isnan(r.blocks[0].cosine[i]))
                continue;
            sum[i] += r.blocks[0].cosine[i];
            ++count[i];
        }
    }
    double at(int a, int b) const { return sum[a * tasks + b] / count[a * tasks + b]; }
};

} // namespace

TEST(Relatedness, LinearPartsCorrelateAsRhoSays) {
    RelatednessSettings s;
    s.samples = 20000;
    s.nonlinearTerms = 0; // the targets are their linear parts
    s.noise = 0.0f;
    s.conflictingPair = false;
    const Dataset data = makeRelatednessDataset(s);
    ASSERT_EQ(data.targets.cols(), 5);
    for (std::size_t k = 0; k < s.rho.size(); ++k) {
        EXPECT_NEAR(correlation(data, 0, int(k) + 1), s.rho[k], 0.02) << "task" << k + 2;
    }
    // Tasks 2 … T relate only through task 1: ρ_j ρ_k.
    EXPECT_NEAR(correlation(data, 1, 2), 0.9 * 0.5, 0.02);
    EXPECT_NEAR(correlation(data, 1, 4), 0.9 * -0.9, 0.02);
    EXPECT_NEAR(correlation(data, 2, 3), 0.0, 0.02);
}

TEST(Relatedness, SinesKeepTheRankingAndTheConflictingPairCorrelatesPositively) {
    RelatednessSettings s; // the defaults: ρ = 0.9, 0.5, 0, −0.9 and the pair (task6, task7)
    s.samples = 20000;
    const Dataset data = makeRelatednessDataset(s);
    ASSERT_EQ(data.targets.cols(), 7);
    EXPECT_GT(correlation(data, 0, 1), correlation(data, 0, 2));
    EXPECT_GT(correlation(data, 0, 2), correlation(data, 0, 3) + 0.2);
    EXPECT_NEAR(correlation(data, 0, 3), 0.0, 0.03);
    EXPECT_LT(correlation(data, 0, 4), -0.5);
    // (1 − γ²)/(1 + γ²) at γ = 0.7, less a little for the noise.
    EXPECT_NEAR(correlation(data, 5, 6), (1 - 0.49) / (1 + 0.49), 0.03);
    // The pair's directions are their own: unrelated to task 1.
    EXPECT_NEAR(correlation(data, 0, 5), 0.0, 0.03);
}

TEST(Relatedness, SchemaNamesInputsAndTasks) {
    RelatednessSettings s;
    s.samples = 10;
    const Dataset data = makeRelatednessDataset(s);
    EXPECT_EQ(data.rows(), 10);
    EXPECT_EQ(data.inputs.cols(), 16);
    EXPECT_EQ(data.schema.inputNames.front(), "x1");
    EXPECT_EQ(data.schema.inputNames.back(), "x16");
    ASSERT_EQ(data.schema.targets.size(), 7U);
    EXPECT_EQ(data.schema.targets.front().name, "task1");
    EXPECT_EQ(data.schema.targets.back().name, "task7");
    EXPECT_FALSE(data.schema.targets.back().isCategorical());
    EXPECT_EQ(relatednessTaskCount(s), 7);
}

TEST(Relatedness, SameSeedSameDataOtherSeedOtherData) {
    RelatednessSettings s;
    s.samples = 200;
    const Dataset a = makeRelatednessDataset(s);
    const Dataset b = makeRelatednessDataset(s);
    EXPECT_EQ(a.inputs, b.inputs);
    EXPECT_EQ(a.targets, b.targets);
    s.seed = 8;
    const Dataset c = makeRelatednessDataset(s);
    EXPECT_NE(a.inputs, c.inputs);
    EXPECT_NE(a.targets, c.targets);
}

TEST(Relatedness, BadSettingsNameTheSetting) {
    RelatednessSettings s;
    s.rho = {0.9f, 1.5f};
    EXPECT_EQ(
        settingError(s),
        "relatedness data: rho[1] 1.5 is not a correlation (task3's with task1; valid: −1 … 1)");
    s = {};
    s.features = 9;
    EXPECT_EQ(settingError(s), "relatedness data: features must be at least 10: task1 and each rho "
                               "need an input direction of their own, the conflicting pair 5");
    s.conflictingPair = false;
    EXPECT_EQ(settingError(s), "accepted");
    s = {};
    s.samples = 0;
    EXPECT_EQ(settingError(s), "relatedness data: samples must be at least 1");
    s = {};
    s.scale = 0.0f;
    EXPECT_EQ(settingError(s), "relatedness data: scale must be > 0");
}

TEST(Relatedness, SourceRoundTripsInAProjectFile) {
    Project p;
    p.dataset.kind = DatasetKind::Relatedness;
    RelatednessSettings& r = p.dataset.relatedness;
    r.samples = 1234;
    r.features = 12;
    r.rho = {0.75f, -0.25f, 1.0f};
    r.disagreement = 1.5f;
    r.nonlinearTerms = 10;
    r.scale = 2.0f;
    r.noise = 0.05f;
    r.seed = 99;
    const std::string text = projectToJson(p);
    EXPECT_NE(text.find(R"("source": "relatedness")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("rho": [)"), std::string::npos) << text;
    const ProjectLoad load = parseProject(text, "p.mtl.json");
    EXPECT_TRUE(load.warnings.empty());
    EXPECT_EQ(load.project, p);
    EXPECT_EQ(projectToJson(load.project), text);
    // Without the pair, its disagreement is not written.
    r.conflictingPair = false;
    const std::string without = projectToJson(p);
    EXPECT_EQ(without.find("disagreement"), std::string::npos) << without;
    EXPECT_EQ(projectToJson(parseProject(without, "p.mtl.json").project), without);
    // The loaded source gives the data.
    EXPECT_EQ(loadDataset(load.project.dataset).targets.cols(), 6);
}

TEST(Relatedness, BadValuesInAProjectFileNameTheField) {
    EXPECT_EQ(
        fileError(R"({"rho": [0.9, -1.5]})"),
        "p.mtl.json: dataset.relatedness.rho[1]: -1.5 is not a correlation (task3's with task1; "
        "valid: −1 … 1)");
    EXPECT_EQ(fileError(R"({"rho": 0.9})"),
              "p.mtl.json: dataset.relatedness.rho: expected a list of numbers, found 0.9");
    EXPECT_EQ(fileError(R"({"rho": [0.9, "high"]})"),
              "p.mtl.json: dataset.relatedness.rho: expected a list of numbers, found \"high\"");
    EXPECT_EQ(
        fileError(R"({"features": 4})"),
        "p.mtl.json: dataset.relatedness.features: must be at least 10: task1 and each rho need an "
        "input direction of their own, the conflicting pair 5");
    EXPECT_EQ(fileError(R"({"noise": -0.1})"),
              "p.mtl.json: dataset.relatedness.noise: must be ≥ 0");
    EXPECT_EQ(
        fileError(R"({"conflicting_pair": "yes"})"),
        "p.mtl.json: dataset.relatedness.conflicting_pair: expected true or false, found \"yes\"");
    EXPECT_EQ(fileError(R"({"nonlinear_terms": -1})"),
              "p.mtl.json: dataset.relatedness.nonlinear_terms: must be ≥ 0");
    EXPECT_EQ(fileError(R"({"disagreement": 0})"),
              "p.mtl.json: dataset.relatedness.disagreement: must be > 0");
    EXPECT_NE(fileError("[]").find("dataset.relatedness: expected an object"), std::string::npos);
}

// The bundled example trains a hard-shared trunk on the defaults; over three seeds the mean
// cosine of each pair's gradients ranks ρ = 0.9 > 0.5 > 0 against task1, ρ = −0.9 stays positive
// (the head absorbs the sign), and the conflicting pair (task6, task7) is negative.
TEST(Relatedness, GradientCosinesRankThePairsAsRhoDoes) {
    const Project project = readProject(MTL_EXAMPLES_DIR "/relatedness.mtl.json").project;
    ASSERT_EQ(project.dataset.kind, DatasetKind::Relatedness);
    const Dataset data = loadDataset(project.dataset);
    const Model model = compile(project.model, data.schema);
    auto task = [&](const std::string& name) {
        for (std::size_t t = 0; t < model.tasks().size(); ++t) {
            if (model.tasks()[t].name == name)
                return int(t);
        }
        ADD_FAILURE() << "no task " << name;
        return 0;
    };
    const std::vector<std::pair<std::string, std::string>> pairs{{"task1", "task2"},
                                                                 {"task1", "task3"},
                                                                 {"task1", "task4"},
                                                                 {"task1", "task5"},
                                                                 {"task6", "task7"}};
    std::vector<double> mean(pairs.size(), 0.0);
    constexpr int kSeeds = 3;
    const int tasks = int(model.tasks().size());
    std::vector<double> matrix(std::size_t(tasks * tasks), 0.0); // every pair's mean over the seeds
    for (int seed = 1; seed <= kSeeds; ++seed) {
        TrainingSettings settings = project.training;
        settings.seed = std::uint64_t(seed);
        settings.threads = 1; // the same numbers on every machine
        ASSERT_GT(settings.relationsEvery, 0);
        Trainer trainer(model, data, settings);
        MeanCosines cosines;
        trainer.run(&cosines);
        ASSERT_GT(cosines.tasks, 0);
        for (int a = 0; a < tasks; ++a) {
            for (int b = 0; b < tasks; ++b)
                matrix[std::size_t(a * tasks + b)] += cosines.at(a, b) / kSeeds;
        }
        for (std::size_t p = 0; p < pairs.size(); ++p) {
            const double c = cosines.at(task(pairs[p].first), task(pairs[p].second));
            mean[p] += c / kSeeds;
            RecordProperty("seed" + std::to_string(seed) + "_" + pairs[p].first + "_" +
                               pairs[p].second,
                           std::to_string(c));
        }
    }
    std::string measured;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
        measured += pairs[p].first + "·" + pairs[p].second + " " + std::to_string(mean[p]) + "  ";
    }
    SCOPED_TRACE(measured);
    EXPECT_GT(mean[0], mean[1]); // ρ = 0.9 > ρ = 0.5
    EXPECT_GT(mean[1], mean[2]); // ρ = 0.5 > ρ = 0
    EXPECT_GT(mean[3], 0.0);     // ρ = −0.9: no conflict
    EXPECT_LT(mean[4], 0.0);     // the conflicting pair
    // The suggested groupings keep the most related tasks together and the conflicting pair apart.
    for (const TaskGrouping& g : bestGroupings(matrix, tasks, 4)) {
        if (g.groups.size() < 2)
            continue;
        auto groupOf = [&](int t) {
            for (std::size_t k = 0; k < g.groups.size(); ++k) {
                if (std::find(g.groups[k].begin(), g.groups[k].end(), t) != g.groups[k].end())
                    return int(k);
            }
            return -1;
        };
        EXPECT_EQ(groupOf(task("task1")), groupOf(task("task2"))) << g.groups.size() << " groups";
        EXPECT_NE(groupOf(task("task6")), groupOf(task("task7"))) << g.groups.size() << " groups";
    }
}
