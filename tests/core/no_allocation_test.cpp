// A training step allocates nothing after the first of its batch size. Two independent proofs:
// - release builds interpose malloc/calloc/realloc (glibc forwards them to __libc_*), so every
//   heap allocation by anyone — our code, Eigen, the C++ library — is counted;
// - builds with assertions (the sanitizer build, where malloc belongs to the sanitizer) have
//   Eigen abort on any allocation of its own while set_is_malloc_allowed(false).
// In builds whose products are oneDNN's, each product's run makes a few small allocations of
// oneDNN's own (its table of arguments, util/matrix_product.h): those are counted apart, checked
// to stay that small, and not counted as the step's.

#include "test_models.h"

#include "data/synthetic.h"
#include "model/model.h"
#include "model/templates.h"
#include "train/trainer.h"
#include "util/matrix_product.h"

#include <gtest/gtest.h>

#include <limits>
#include <numeric>

#ifdef MTL_COUNT_MALLOC
#include "util/allocation_counter.h"
#endif

namespace {
long allocations() {
#ifdef MTL_COUNT_MALLOC
    return mtl::core::allocationCount();
#else
    return 0;
#endif
}
} // namespace

TEST(NoAllocation, TheCounterSeesAllocations) {
#ifdef MTL_COUNT_MALLOC
    const long before = allocations();
    auto* p = new mtl::core::Matrix(3, 3); // two allocations: the object and Eigen's storage
    delete p;
    EXPECT_GE(allocations() - before, 2);
#else
    GTEST_SKIP() << "malloc belongs to the sanitizer in this build; Eigen's guard checks instead";
#endif
}

using namespace mtl::core;

namespace {

// oneDNN's own allocations per product run: its argument table, a handful of small blocks
// (6 or 7 in oneDNN 2.6). More would mean something else allocates inside its products.
constexpr double kOneDnnAllocationsPerProduct = 8;

// Steps `trainer` on full and partial batches with allocation forbidden; returns the
// allocations that were not oneDNN's argument tables.
long allocationsDuringSteps(Trainer& trainer) {
    countOneDnnAllocationsWith(&allocations);
    const std::vector<Index>& rows = trainer.split().train;
    const std::span<const Index> all(rows);
    const auto steps = [&] {
        for (int i = 0; i < 5; ++i) {
            trainer.trainStep(all.subspan(std::size_t(16 * i), 16), 1e-3f);
            trainer.trainStep(all.subspan(std::size_t(3 * i), 7), 1e-3f); // a partial batch
        }
    };
    // Warm-up: the same steps once. A layer's products are prepared the first time it runs at a
    // batch size (and a task's head only runs when the batch has that task's targets).
    steps();
    const long before = allocations();
    const long oneDnnBefore = oneDnnAllocationCount();
    const long productsBefore = oneDnnProductCount();
    Eigen::internal::set_is_malloc_allowed(false);
    steps();
    Eigen::internal::set_is_malloc_allowed(true);
    const long oneDnn = oneDnnAllocationCount() - oneDnnBefore;
    const long products = oneDnnProductCount() - productsBefore;
    EXPECT_LE(double(oneDnn), kOneDnnAllocationsPerProduct * double(products))
        << oneDnn << " allocations in oneDNN's " << products << " products";
    return allocations() - before - oneDnn;
}

} // namespace

TEST(NoAllocation, DenseModelWithSoftBlockDropoutAndLayerNorm) {
    const Dataset data = mtl::test::twoTaskData(200);
    ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, SharingMode::Soft);
    // Put a Dropout and a LayerNorm in the head of task a.
    NodeSpec* hidden = spec.find("a_hidden1_act");
    hidden->kind = NodeKind::Dropout;
    hidden->rate = 0.2f;
    spec.find("b_hidden1_act")->kind = NodeKind::LayerNorm;
    const Model model = compile(spec, data.schema);
    for (OptimizerKind kind : {OptimizerKind::Adam, OptimizerKind::SGD, OptimizerKind::RMSprop}) {
        TrainingSettings s;
        s.batchSize = 16;
        s.threads = 2;
        s.clipNorm = 1.0f;
        s.optimizer.kind = kind;
        Trainer trainer(model, data, s);
        EXPECT_EQ(allocationsDuringSteps(trainer), 0);
    }
}

// Trace norm, learned relationships (Ω re-learned after every step) and cross-stitch units.
TEST(NoAllocation, CouplingsAndCrossStitchUnits) {
    const Dataset data = mtl::test::twoTaskData(200);
    ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, SharingMode::Soft);
    spec.find("shared1")->coupling = Coupling::TraceNorm;
    spec.find("shared1")->crossStitch = true;
    spec.find("shared2")->coupling = Coupling::Relationship;
    spec.find("shared2")->relationshipEvery = 1;
    spec.find("shared2")->crossStitch = true;
    const Model model = compile(spec, data.schema);
    TrainingSettings s;
    s.batchSize = 16;
    s.threads = 2;
    Trainer trainer(model, data, s);
    EXPECT_EQ(allocationsDuringSteps(trainer), 0);
    const long before = allocations();
    Eigen::internal::set_is_malloc_allowed(false);
    model.updateRelationships(trainer.parameters(), trainer.workspace().relationships, 1, true);
    Eigen::internal::set_is_malloc_allowed(true);
    EXPECT_EQ(allocations() - before, 0) << "learning Ω allocated";
}

// Expert gates (MMoE and CGC experts), their use measured every step, with a method that takes
// each task's gradient on the shared representation (the experts' outputs).
TEST(NoAllocation, ExpertGates) {
    const Dataset data = mtl::test::twoTaskData(200);
    const Model model = compile(
        mtl::test::mixtureOfExperts({SharingMode::Soft, SharingMode::Hard, SharingMode::Hard}),
        data.schema);
    for (const char* method : {"equal", "mgda:space=representation"}) {
        SCOPED_TRACE(method);
        TrainingSettings s;
        s.batchSize = 16;
        s.threads = 2;
        s.balancing = parseBalancing(method);
        Trainer trainer(model, data, s);
        EXPECT_EQ(allocationsDuringSteps(trainer), 0);
    }
}

namespace {

// One step of 256 rows on two threads after a warm-up step, with Ω re-learned, as
// allocationsDuringSteps counts them.
long allocationsInAFullStep(const Model& model, const Dataset& data) {
    TrainingSettings s;
    s.batchSize = 256;
    s.threads = 2;
    Trainer trainer(model, data, s);
    countOneDnnAllocationsWith(&allocations);
    const std::span<const Index> rows(trainer.split().train);
    trainer.trainStep(rows.first(256), 1e-3f); // warm-up: products prepared
    const long before = allocations();
    const long oneDnnBefore = oneDnnAllocationCount();
    Eigen::internal::set_is_malloc_allowed(false);
    trainer.trainStep(rows.first(256), 1e-3f);
    model.updateRelationships(trainer.parameters(), trainer.workspace().relationships, 1, true);
    Eigen::internal::set_is_malloc_allowed(true);
    return allocations() - before - (oneDnnAllocationCount() - oneDnnBefore);
}

} // namespace

// The same on wide layers and a full batch: the couplings' Gram matrices and the units' mixing
// run over large copies.
TEST(NoAllocation, CouplingsAndCrossStitchUnitsOnWideLayers) {
    SyntheticSettings wide;
    wide.samples = 600;
    wide.features = 784;
    const Dataset data = makeSyntheticDataset(wide);
    TrunkTemplate recipe;
    recipe.sharedUnits = {256, 256};
    recipe.headUnits = {64};
    recipe.sharing = SharingMode::Soft;
    recipe.couplingStrength = 1e-3f;
    recipe.tasks = {mtl::test::task("a", LossKind::MSE, {"task1"}),
                    mtl::test::task("b", LossKind::MSE, {"task2"})};
    ModelSpec spec = makeTrunkModel(recipe, data.schema);
    spec.find("shared1")->coupling = Coupling::TraceNorm;
    spec.find("shared1")->crossStitch = true;
    spec.find("shared2")->coupling = Coupling::Relationship;
    spec.find("shared2")->relationshipEvery = 1;
    spec.find("shared2")->crossStitch = true;
    EXPECT_EQ(allocationsInAFullStep(compile(spec, data.schema), data), 0);
}

// A gate over wide inputs and a full batch: its products are large enough that a blocked
// matrix product would want buffers above the stack's limit.
TEST(NoAllocation, ExpertGatesOnWideInputs) {
    SyntheticSettings wide;
    wide.samples = 600;
    wide.features = 784;
    const Dataset data = makeSyntheticDataset(wide);
    const Model model = compile(
        mtl::test::mixtureOfExperts({SharingMode::Hard, SharingMode::Hard, SharingMode::Hard}),
        data.schema);
    EXPECT_EQ(allocationsInAFullStep(model, data), 0);
}

namespace {

// size×size single-channel images, two classification tasks: conv (padding 1) → pool 2 → ReLU →
// conv 5×5 → flatten → a dense layer of `units` per task.
struct ConvolutionalCase {
    Dataset data;
    ModelSpec spec;
};

ConvolutionalCase convolutionalCase(int size, int filters, int units) {
    ConvolutionalCase c;
    Dataset& data = c.data;
    data.schema.inputShape = Shape{size, size, 1};
    data.schema.targets = {{"left", {"x", "y", "z"}}, {"right", {"x", "y", "z"}}};
    Rng rng(1);
    std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
    data.inputs.resize(100, Index{size} * size);
    for (Index i = 0; i < data.inputs.size(); ++i) data.inputs.data()[i] = pixel(rng);
    data.targets.resize(100, 2);
    for (Index i = 0; i < data.targets.size(); ++i) data.targets.data()[i] = float(i % 3);

    auto add = [&](NodeSpec n, std::string from) {
        c.spec.nodes.push_back(n);
        if (!from.empty()) c.spec.edges.push_back({from, n.id});
    };
    NodeSpec n;
    n.id = "input"; n.kind = NodeKind::Input; add(n, "");
    n = {}; n.id = "conv"; n.kind = NodeKind::Conv2D; n.filters = filters; n.kernelSize = 3; n.padding = 1; add(n, "input");
    n = {}; n.id = "pool"; n.kind = NodeKind::MaxPool2D; n.kernelSize = 2; n.stride = 2; add(n, "conv");
    n = {}; n.id = "relu"; n.kind = NodeKind::ReLU; add(n, "pool");
    n = {}; n.id = "conv2"; n.kind = NodeKind::Conv2D; n.filters = filters; n.kernelSize = 3; add(n, "relu");
    n = {}; n.id = "flat"; n.kind = NodeKind::Flatten; add(n, "conv2");
    for (const std::string task : {"left", "right"}) {
        n = {}; n.id = task + "_hidden"; n.units = units; add(n, "flat");
        n = {}; n.id = task + "_out"; n.units = 3; add(n, task + "_hidden");
        n = {}; n.id = task; n.kind = NodeKind::TaskHead;
        n.task = mtl::test::task(task, LossKind::SoftmaxCrossEntropy, {task});
        add(n, task + "_out");
    }
    return c;
}

// Allocations while training that case with batches of 16 on two threads.
long convolutionalAllocations(int size, int filters, int units) {
    const ConvolutionalCase c = convolutionalCase(size, filters, units);
    const Model model = compile(c.spec, c.data.schema);
    TrainingSettings s;
    s.batchSize = 16;
    s.threads = 2;
    Trainer trainer(model, c.data, s);
    return allocationsDuringSteps(trainer);
}

} // namespace

TEST(NoAllocation, ConvolutionalModel) { EXPECT_EQ(convolutionalAllocations(8, 4, 8), 0); }

// mlp-large's shape: products 1,024 deep, which Eigen would block in depth and pack on the heap
// if they were not summed from shallower pieces; one and two threads.
TEST(NoAllocation, DeepProducts) {
    SyntheticSettings synthetic;
    synthetic.samples = 200;
    synthetic.features = 784;
    const Dataset data = makeSyntheticDataset(synthetic);
    TrunkTemplate recipe;
    recipe.sharedUnits = {1024, 1024};
    recipe.headUnits = {256};
    recipe.tasks = {mtl::test::task("a", LossKind::MSE, {"task1"}),
                    mtl::test::task("b", LossKind::MSE, {"task2"})};
    const Model model = compile(makeTrunkModel(recipe, data.schema), data.schema);
    for (int threads : {1, 2}) {
        SCOPED_TRACE(threads);
        TrainingSettings s;
        s.batchSize = 64;
        s.threads = threads;
        Trainer trainer(model, data, s);
        const long productsBefore = oneDnnProductCount();
        EXPECT_EQ(allocationsDuringSteps(trainer), 0);
        if (oneDnnBuiltIn()) { // oneDNN's products were among those checked
            EXPECT_GT(oneDnnProductCount(), productsBefore);
        }
    }
}

// Large enough that the convolutions (direct kernels at 12 filters, im2col + product at 64) and
// the dense layers split across both threads.
TEST(NoAllocation, ProductsSplitAcrossThreads) {
    for (int filters : {12, 64}) {
        SCOPED_TRACE(filters);
        EXPECT_EQ(convolutionalAllocations(28, filters, 256), 0);
    }
}

// Every task-balancing method — loss-based, gradient-based on the shared parameters and on the
// shared representation — on a three-task trunk whose third task misses most targets (so some
// batches lack it), one and two threads.
TEST(NoAllocation, EveryBalancingMethod) {
    SyntheticSettings synthetic;
    synthetic.samples = 200;
    synthetic.features = 12;
    synthetic.tasks = 3;
    Dataset data = makeSyntheticDataset(synthetic);
    for (Index r = 0; r < data.rows(); ++r) {
        if (r % 4 != 0) data.targets(r, 2) = std::numeric_limits<float>::quiet_NaN();
    }
    TrunkTemplate recipe;
    recipe.sharedUnits = {16, 12};
    recipe.headUnits = {8};
    recipe.tasks = {mtl::test::task("a", LossKind::MSE, {"task1"}), mtl::test::task("b", LossKind::MSE, {"task2"}),
                    mtl::test::task("c", LossKind::MSE, {"task3"})};
    const Model model = compile(makeTrunkModel(recipe, data.schema), data.schema);
    std::vector<BalancingSettings> methods;
    for (const BalancingMethod& m : balancingMethods()) {
        methods.push_back({m.kind, {}});
        if (m.representationAllowed) methods.push_back({m.kind, {{"space", 1.0}}});
    }
    for (const BalancingSettings& balancing : methods) {
        for (int threads : {1, 2}) {
            SCOPED_TRACE(formatBalancing(balancing) + ", threads " + std::to_string(threads));
            TrainingSettings s;
            s.batchSize = 16;
            s.threads = threads;
            s.balancing = balancing;
            s.relationsEvery = 2; // the task relations measured every other step too
            Trainer trainer(model, data, s);
            EXPECT_EQ(allocationsDuringSteps(trainer), 0);
        }
    }
}
