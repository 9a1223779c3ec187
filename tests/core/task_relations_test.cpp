// Task relations measured during training: the cosines and norms equal those of per-task
// gradients taken by finite differences on a small model; they come every relationsEvery steps,
// the same numbers whatever the balancing method; per shared layer as well as overall.

#include "test_models.h"

#include "relations/task_relations.h"
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mtl::core;

namespace {

// Each task's gradient on the shared parameters by central differences, on `rows`.
std::vector<Eigen::VectorXd> finiteDifferenceGradients(const Model& model, const Dataset& data,
                                                       Vector parameters,
                                                       std::span<const Index> rows,
                                                       const TaskGradients& layout) {
    Workspace ws(model, Index(rows.size()));
    loadBatch(model, data, rows, ws);
    const std::vector<float> ones(model.tasks().size(), 1.0f);
    auto losses = [&](const Vector& p) {
        model.forward(p, ws, Index(rows.size()), ForwardContext{});
        model.evaluateLosses(ws, Index(rows.size()), ones);
        return std::vector<double>(ws.taskLoss.begin(), ws.taskLoss.end());
    };
    std::vector<Eigen::VectorXd> out(model.tasks().size(), Eigen::VectorXd::Zero(layout.width()));
    // The shared slices in J's column order: the blocks, each a layer's parameter slice.
    Index column = 0;
    for (const SharedBlock& block : layout.blocks()) {
        const int layer = model.findLayer(block.nodeId);
        const Index offset = model.layerCopies(layer)[0];
        for (Index i = 0; i < block.size; ++i, ++column) {
            constexpr float h = 2e-3f;
            const float keep = parameters(offset + i);
            parameters(offset + i) = keep + h;
            const auto up = losses(parameters);
            parameters(offset + i) = keep - h;
            const auto down = losses(parameters);
            parameters(offset + i) = keep;
            for (std::size_t t = 0; t < out.size(); ++t)
                out[t](column) = (up[t] - down[t]) / (2.0 * h);
        }
    }
    return out;
}

struct Collector : TrainingObserver {
    std::vector<RelationRecord> records;
    void onRelations(const RelationRecord& r) override { records.push_back(r); }
};

} // namespace

TEST(TaskRelations, CosinesAndNormsEqualThoseOfFiniteDifferenceGradients) {
    const Dataset data = mtl::test::twoTaskData(200);
    const Model model = compile(mtl::test::twoTaskTrunk(data.schema), data.schema);
    TrainingSettings s;
    s.batchSize = 50;
    s.relationsEvery = 1;
    Trainer trainer(model, data, s);
    const Vector before = trainer.parameters();
    const std::span<const Index> rows(trainer.split().train.data(), 50);
    trainer.trainStep(rows, 1e-3f);
    const RelationRecord& r = trainer.relations();
    ASSERT_EQ(r.blocks.size(), 3U); // all shared, and each of the two shared layers
    const TaskGradients layout(model, 50, GradientSpace::Parameters);
    const auto g = finiteDifferenceGradients(model, trainer.data(), before, rows, layout);
    const double cosine = g[0].dot(g[1]) / (g[0].norm() * g[1].norm());
    EXPECT_NEAR(r.blocks[0].cosine[1], cosine, 2e-3);
    EXPECT_NEAR(r.blocks[0].cosine[2], cosine, 2e-3);
    EXPECT_NEAR(r.blocks[0].cosine[0], 1.0, 1e-9);
    EXPECT_NEAR(r.blocks[0].norm[0], g[0].norm(), 2e-3 * g[0].norm());
    EXPECT_NEAR(r.blocks[0].norm[1], g[1].norm(), 2e-3 * g[1].norm());
    // Per layer: the first shared layer's columns alone.
    const SharedBlock& first = layout.blocks()[0];
    EXPECT_EQ(r.blocks[1].layer, first.nodeId);
    const Eigen::VectorXd a = g[0].segment(first.begin, first.size),
                          b = g[1].segment(first.begin, first.size);
    EXPECT_NEAR(r.blocks[1].cosine[1], a.dot(b) / (a.norm() * b.norm()), 2e-3);
    EXPECT_NEAR(conflictShare(r.blocks[0], 2), cosine < 0 ? 1.0 : 0.0, 0.0);
}

TEST(TaskRelations, MeasuredEveryNStepsAndTheSameWhateverTheMethod) {
    const Dataset data = mtl::test::twoTaskData(320);
    const Model model = compile(mtl::test::twoTaskTrunk(data.schema), data.schema);
    std::vector<RelationRecord> first;
    for (const char* method : {"static", "pcgrad", "mgda", "nash_mtl"}) {
        SCOPED_TRACE(method);
        for (int every : {1, 3}) {
            TrainingSettings s;
            s.epochs = 2;
            s.batchSize = 32;
            s.relationsEvery = every;
            s.balancing = parseBalancing(method);
            Trainer trainer(model, data, s);
            Collector c;
            const RunResult result = trainer.run(&c);
            ASSERT_EQ(c.records.size(), std::size_t(result.steps / every));
            EXPECT_EQ(c.records.front().step, every);
            EXPECT_EQ(c.records.back().epoch, 2);
            if (every != 1)
                continue;
            // Step 1 comes before any method has moved the weights: every method sees the same
            // gradients (a gradient-based method's own, a loss-based one's measured apart).
            if (first.empty())
                first = c.records;
            for (std::size_t i = 0; i < 4; ++i) {
                EXPECT_NEAR(c.records[0].blocks[0].cosine[i], first[0].blocks[0].cosine[i], 1e-6);
            }
            EXPECT_NEAR(c.records[0].blocks[0].norm[1], first[0].blocks[0].norm[1],
                        1e-6 * first[0].blocks[0].norm[1]);
        }
    }
    // Off: nothing measured.
    TrainingSettings off;
    off.relationsEvery = 0;
    off.epochs = 1;
    Trainer trainer(model, data, off);
    Collector c;
    trainer.run(&c);
    EXPECT_TRUE(c.records.empty());
}

TEST(TaskRelations, MagnitudeSimilarity) {
    EXPECT_DOUBLE_EQ(magnitudeSimilarity(2.0, 2.0), 1.0);
    EXPECT_DOUBLE_EQ(magnitudeSimilarity(1.0, 3.0), 0.6);
    EXPECT_TRUE(std::isnan(magnitudeSimilarity(0.0, 0.0)));
}
