// Task grouping, the network built from a grouping, affinity and relations.csv: partitions
// checked against brute force, the heuristic on more tasks than the exhaustive search takes,
// a grouped network that compiles with the groups' branches, affinity on tasks that agree, and
// the relations file's round trip and malformed inputs.

#include "test_models.h"

#include "io/relations_csv.h"
#include "model/graph_index.h"
#include "model/grouped_model.h"
#include "relations/relation_summary.h"
#include "relations/task_affinity.h"
#include "relations/task_grouping.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <bit>
#include <cmath>
#include <filesystem>
#include <unistd.h>

using namespace mtl::core;

namespace {

// Two clusters {0,1,2} and {3,4} that like each other, dislike the other cluster.
std::vector<double> clustered(int tasks, const std::vector<int>& cluster) {
    std::vector<double> r(std::size_t(tasks * tasks));
    for (int i = 0; i < tasks; ++i) {
        for (int j = 0; j < tasks; ++j)
            r[std::size_t(i * tasks + j)] =
                cluster[std::size_t(i)] == cluster[std::size_t(j)] ? 0.8 : -0.3;
    }
    return r;
}

} // namespace

TEST(TaskGrouping, TheBestPartitionKeepsRelatedTasksTogether) {
    const auto r = clustered(5, {0, 0, 0, 1, 1});
    const auto best = bestGroupings(r, 5, 3);
    ASSERT_EQ(best.size(), 3U);
    EXPECT_EQ(best[1].groups, (std::vector<std::vector<int>>{{0, 1, 2}, {3, 4}}));
    EXPECT_NEAR(best[1].score, 0.8 * (6 + 2), 1e-12);
    EXPECT_EQ(best[0].groups.size(), 1U);
    EXPECT_EQ(best[2].groups.size(), 3U);
    EXPECT_TRUE(best[1].exhaustive);
    // Every partition into 2 groups scores at most the best (brute force over labelings).
    double top = -1e9;
    for (int mask = 1; mask < (1 << 5) - 1; ++mask) {
        std::vector<std::vector<int>> g(2);
        for (int t = 0; t < 5; ++t)
            g[std::size_t(mask >> t & 1)].push_back(t);
        top = std::max(top, groupingScore(r, 5, g));
    }
    EXPECT_NEAR(best[1].score, top, 1e-12);
}

TEST(TaskGrouping, BeyondEightTasksTheHeuristicFindsClearClusters) {
    const std::vector<int> cluster{0, 1, 0, 2, 1, 0, 2, 1, 2, 0};
    const auto best = bestGroupings(clustered(10, cluster), 10, 3);
    const TaskGrouping& three = best[2];
    EXPECT_FALSE(three.exhaustive);
    ASSERT_EQ(three.groups.size(), 3U);
    for (const auto& g : three.groups) {
        for (int t : g)
            EXPECT_EQ(cluster[std::size_t(t)], cluster[std::size_t(g.front())]);
    }
}

TEST(GroupedModel, OneBranchPerGroupThenEachTasksOwnLayers) {
    SyntheticSettings synthetic;
    synthetic.tasks = 4;
    synthetic.features = 6;
    const Dataset data = makeSyntheticDataset(synthetic);
    TrunkTemplate recipe;
    recipe.sharedUnits = {16, 8};
    recipe.headUnits = {4};
    for (int t = 1; t <= 4; ++t) {
        recipe.tasks.push_back(
            mtl::test::task("t" + std::to_string(t), LossKind::MSE, {"task" + std::to_string(t)}));
    }
    const ModelSpec current = makeTrunkModel(recipe, data.schema);
    const ModelSpec grouped = makeGroupedModel(current, {{"t1", "t3"}, {"t2"}, {"t4"}});
    const Model model = compile(grouped, data.schema); // valid
    EXPECT_EQ(model.tasks().size(), 4U);
    const GraphIndex g = indexGraph(grouped);
    const int group = g.byId.at("group1");
    EXPECT_EQ(g.tasksBelow[std::size_t(group)], TaskMask{0b0101}); // t1 and t3
    EXPECT_EQ(grouped.find("group1")->units, 8);
    EXPECT_EQ(g.tasksBelow[std::size_t(g.byId.at("shared2"))], TaskMask{0b1111});
    EXPECT_EQ(g.tasksBelow[std::size_t(g.byId.at("t2_hidden1"))], TaskMask{0b0010});
    EXPECT_EQ(grouped.find("t3")->task, current.find("t3")->task);
    EXPECT_THROW(makeGroupedModel(current, {{"t1", "t2"}, {"t3"}}), mtl::SpecError); // t4 left out
    EXPECT_THROW(makeGroupedModel(current, {{"t1", "t2"}, {"t2", "t3", "t4"}}),
                 mtl::SpecError); // t2 twice
}

TEST(GroupedModel, AMixtureOfExpertsKeepsItsExpertsSideBySide) {
    const Dataset data = mtl::test::twoTaskData();
    const ModelSpec current = mtl::test::mixtureOfExperts({SharingMode::Hard, SharingMode::Hard});
    const ModelSpec grouped = makeGroupedModel(current, {{"a"}, {"b"}});
    for (const char* expert : {"expert1_act", "expert2_act"}) {
        const EdgeSpec into{expert, "gate"};
        EXPECT_NE(std::find(grouped.edges.begin(), grouped.edges.end(), into), grouped.edges.end())
            << expert << " still feeds the gate";
    }
    const EdgeSpec chained{"expert1_act", "expert2"};
    EXPECT_EQ(std::find(grouped.edges.begin(), grouped.edges.end(), chained), grouped.edges.end())
        << "the experts are not put in series";
    const Model model = compile(grouped, data.schema);
    int gates = 0;
    for (const Instance& inst : model.instances())
        gates += inst.experts.size() == 2 ? 1 : 0;
    EXPECT_EQ(gates, 2);
}

TEST(TaskAffinity, TasksThatAgreeHelpEachOther) {
    // Two tasks on the same target: a step on either lowers both losses alike.
    Dataset data = mtl::test::twoTaskData(256);
    data.targets.col(1) = data.targets.col(0);
    const Model model = compile(mtl::test::twoTaskTrunk(data.schema), data.schema);
    TrainingSettings s;
    s.batchSize = 32;
    s.epochs = 6;
    s.optimizer.learningRate = 0.01f;
    Trainer trainer(model, data, s);
    trainer.run(); // affinity is measured on a trained model
    const AffinityResult a = measureAffinity(trainer, 6, 0.05);
    EXPECT_EQ(a.batches, 6);
    EXPECT_GT(a.matrix[1], 0.0); // 1 → 2
    EXPECT_GT(a.matrix[2], 0.0); // 2 → 1
    EXPECT_GT(a.matrix[0], 0.0); // its own step helps itself
    // Soft-shared towers share nothing: affinity is refused by name.
    const Model soft =
        compile(mtl::test::twoTaskTrunk(data.schema, SharingMode::Soft), data.schema);
    Trainer apart(soft, data, s);
    EXPECT_THROW(measureAffinity(apart, 2, 0.05), mtl::SettingError);
}

TEST(RelationsCsv, RoundTripSummaryAndMalformedFiles) {
    const std::vector<std::string> tasks{"a", "b", "c"};
    std::vector<RelationRecord> records;
    for (long step : {10L, 20L}) {
        RelationRecord r;
        r.step = step;
        r.epoch = int(step / 10);
        r.tasks = 3;
        for (const char* layer : {"", "shared1"}) {
            RelationBlock b{layer, std::vector<double>(9, 1.0), {1.0, 2.0, std::nan("")}};
            b.cosine[1] = b.cosine[3] = step == 10 ? 0.5 : -0.25;
            b.cosine[2] = b.cosine[6] = b.cosine[5] = b.cosine[7] = std::nan(""); // c absent
            b.cosine[8] = std::nan("");
            r.blocks.push_back(b);
        }
        records.push_back(r);
    }
    const auto dir =
        std::filesystem::temp_directory_path() / ("mtl-rel-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "relations.csv").string();
    writeRelationsCsv(records, tasks, path);
    const auto back = readRelationsCsv(path, tasks);
    ASSERT_EQ(back.size(), 2U);
    EXPECT_EQ(back[1].blocks[1].layer, "shared1");
    EXPECT_DOUBLE_EQ(back[0].blocks[0].cosine[1], 0.5);
    EXPECT_DOUBLE_EQ(back[1].blocks[0].norm[1], 2.0);
    EXPECT_TRUE(std::isnan(back[0].blocks[0].cosine[2]));
    const auto summary = summarizeRelations(back);
    EXPECT_DOUBLE_EQ(summary[0].cosine[1], 0.125); // (0.5 − 0.25) / 2
    EXPECT_DOUBLE_EQ(summary[0].conflictShare, 0.5);
    EXPECT_NEAR(summary[0].magnitude[1], 0.8, 1e-12); // 2·1·2/(1 + 4)
    auto message = [&](const std::string& text) {
        writeFileAtomically(path, text);
        try {
            readRelationsCsv(path, tasks);
        } catch (const mtl::FileError& e) {
            return std::string(e.what()).substr(path.size());
        }
        return std::string("accepted");
    };
    const std::string header = "step,epoch,layer,task_a,task_b,cosine,norm_a,norm_b\n";
    EXPECT_EQ(message("step,layer\n1,all\n"),
              ":1: expected the header step,epoch,layer,task_a,task_b,cosine,norm_a,norm_b");
    EXPECT_EQ(message(header + "5,1,all,a,z,0.5,1,1\n"), ":2: unknown task 'z'");
    EXPECT_EQ(message(header + "5,1,all,a,b,high,1,1\n"), ":2: 'high' is not a number");
    EXPECT_EQ(message(header + "5,1,all,a,b,0.5\n"), ":2: 6 fields, expected 8");
    std::filesystem::remove_all(dir);
}
