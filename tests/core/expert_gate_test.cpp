// Mixtures of experts (MMoE, Ma et al. 2018; CGC, Tang et al. 2020) through expert gates: how a
// gate compiles (one copy per task, reading its task's branch of every expert), the whole
// model's gradient by finite differences, the special case that one expert is hard sharing, the
// validation messages, and training with every kind of balancing method while the gates' use is
// recorded.
#include "gradient_check.h"
#include "model_probe.h"
#include "test_models.h"

#include "io/model_file.h"
#include "layers/expert_gate.h"
#include "model/model.h"
#include "model/validate.h"
#include "train/trainer.h"
#include "util/error.h"

#include <random>

using namespace mtl::core;
using mtl::test::mixtureOfExperts;
using mtl::test::Probe;

namespace {

constexpr SharingMode kShared = SharingMode::Hard;
constexpr SharingMode kOwn = SharingMode::Soft; // λ = 0: one independent expert per task

Vector jittered(const Model& model, std::uint64_t seed, float spread) {
    Vector params;
    Rng rng(seed);
    model.initialize(params, rng);
    std::normal_distribution<float> jitter(0.0f, spread);
    for (Index i = 0; i < params.size(); ++i)
        params[i] += jitter(rng);
    return params;
}

std::vector<std::string> errorsOf(const ModelSpec& spec, const DataSchema& schema) {
    std::vector<std::string> out;
    for (const SpecIssue& issue : validate(spec, schema)) {
        if (issue.severity == Severity::Error)
            out.push_back(issue.toString());
    }
    return out;
}

} // namespace

TEST(ExpertGate, CompilesOneGatePerTaskOverItsTasksExperts) {
    const Dataset data = mtl::test::twoTaskData();
    // CGC: expert 1 is each task's own, experts 2 and 3 are shared.
    const Model model = compile(mixtureOfExperts({kOwn, kShared, kShared}), data.schema);
    std::vector<const Instance*> gates;
    for (const Instance& inst : model.instances()) {
        if (!inst.experts.empty())
            gates.push_back(&inst);
    }
    ASSERT_EQ(gates.size(), 2U);
    for (int t = 0; t < 2; ++t) {
        const Instance& gate = *gates[std::size_t(t)];
        EXPECT_EQ(gate.tasks, TaskMask{1} << t);
        ASSERT_EQ(gate.experts.size(), 3U);
        EXPECT_EQ(gate.input, -1) << "the experts branch from the input";
        const Instance& own = model.instances()[std::size_t(gate.experts[0])];
        EXPECT_EQ(own.tasks, TaskMask{1} << t) << "expert 1 is task " << t << "'s own copy";
        for (int e : {1, 2})
            EXPECT_EQ(model.instances()[std::size_t(gate.experts[std::size_t(e)])].tasks,
                      TaskMask{3});
    }
    EXPECT_NE(gates[0]->parameterOffset, gates[1]->parameterOffset) << "a gate per task";
    const auto& layer = dynamic_cast<const ExpertGate&>(model.layer(gates[0]->layer));
    EXPECT_EQ(layer.experts(), 3);
    EXPECT_EQ(layer.parameterCount(), data.schema.inputShape.size() * 3 + 3);
}

TEST(ExpertGate, GradientMatchesFiniteDifferences) {
    const Dataset data = mtl::test::twoTaskData();
    for (const auto& experts :
         {std::vector{kShared, kShared, kShared}, std::vector{kOwn, kShared}}) {
        SCOPED_TRACE(experts.size() == 3 ? "MMoE" : "CGC");
        const Model model = compile(mixtureOfExperts(experts), data.schema);
        Probe probe(model, data, 16);
        Vector params = jittered(model, 4, 0.3f);
        const Vector g = probe.gradient(params, model.allTasks(), true);
        mtl::test::expectGradientMatches(
            "parameter", params.data(), params.size(), g.data(), [&] { return probe.loss(params); },
            int(params.size()), 1e-2f, 2e-2);
        // One task's own gradient (balancing methods and the relations take them one by one).
        const Vector gb = probe.gradient(params, TaskMask{2}, false);
        std::vector<float> onlyB{0.0f, probe.weights[1]};
        auto lossB = [&] {
            model.forward(params, probe.ws, probe.batch, {});
            return model.evaluateLosses(probe.ws, probe.batch, onlyB);
        };
        mtl::test::expectGradientMatches("task b", params.data(), params.size(), gb.data(), lossB,
                                         120, 1e-2f, 2e-2);
    }
}

TEST(ExpertGate, OneExpertIsHardSharing) {
    const Dataset data = mtl::test::twoTaskData();
    const Model gated = compile(mixtureOfExperts({kShared}), data.schema);
    const Model plain = compile(mixtureOfExperts({kShared}, false), data.schema);
    ASSERT_EQ(gated.parameterCount(), plain.parameterCount() + 2 * (6 + 1))
        << "two gates of W [6, 1] and b [1]";
    const Vector params = jittered(gated, 5, 0.5f);
    // The plain model's parameters are the gated one's without the gates.
    std::vector<bool> gate(std::size_t(params.size()), false);
    for (const Instance& inst : gated.instances()) {
        if (inst.experts.empty())
            continue;
        for (Index i = 0; i < 7; ++i)
            gate[std::size_t(inst.parameterOffset + i)] = true;
    }
    Vector plainParams(plain.parameterCount());
    Index at = 0;
    for (Index i = 0; i < params.size(); ++i) {
        if (!gate[std::size_t(i)])
            plainParams[at++] = params[i];
    }
    ASSERT_EQ(at, plainParams.size());
    Probe a(gated, data, 16);
    Probe b(plain, data, 16);
    EXPECT_NEAR(a.loss(params), b.loss(plainParams), 1e-6);
    for (int t = 0; t < 2; ++t) {
        const Matrix x = gated.taskOutput(a.ws, t, 16);
        const Matrix y = plain.taskOutput(b.ws, t, 16);
        EXPECT_LT((x - y).cwiseAbs().maxCoeff(), 1e-6f);
    }
    // The same gradient for every parameter the two share; none for the gates (softmax of one).
    const Vector ga = a.gradient(params, gated.allTasks(), true);
    const Vector gb = b.gradient(plainParams, plain.allTasks(), true);
    at = 0;
    for (Index i = 0; i < params.size(); ++i) {
        if (gate[std::size_t(i)]) {
            EXPECT_EQ(ga[i], 0.0f) << i;
            continue;
        }
        EXPECT_NEAR(ga[i], gb[at++], 1e-6f) << i;
    }
}

TEST(ExpertGate, ValidationNamesTheProblem) {
    const Dataset data = mtl::test::twoTaskData();
    ModelSpec noExperts = mixtureOfExperts({kShared, kShared});
    std::erase_if(noExperts.edges, [](const EdgeSpec& e) { return e.to == "gate"; });
    const auto e1 = errorsOf(noExperts, data.schema);
    ASSERT_FALSE(e1.empty());
    EXPECT_NE(e1.front().find("has no experts: connect each expert's last layer into it"),
              std::string::npos)
        << e1.front();

    ModelSpec shapes = mixtureOfExperts({kShared, kShared});
    shapes.find("expert2")->units = 4;
    const auto e2 = errorsOf(shapes, data.schema);
    ASSERT_EQ(e2.size(), 1U);
    EXPECT_NE(e2.front().find("expert1_act"), std::string::npos) << e2.front();
    EXPECT_NE(e2.front().find("expert2_act"), std::string::npos) << e2.front();

    ModelSpec fromInput = mixtureOfExperts({kShared});
    fromInput.edges.push_back({"input", "gate"});
    const auto e3 = errorsOf(fromInput, data.schema);
    ASSERT_FALSE(e3.empty());
    EXPECT_NE(e3.front().find("gate"), std::string::npos) << e3.front();

    // A cycle through the gate's second expert (not its first input).
    ModelSpec loop = mixtureOfExperts({kShared, kShared});
    NodeSpec back;
    back.id = "loop";
    back.units = 6;
    loop.nodes.push_back(back);
    loop.edges.push_back({"gate", "loop"});
    loop.edges.push_back({"loop", "gate"});
    bool cycle = false;
    for (const std::string& e : errorsOf(loop, data.schema))
        cycle |= e.find("is part of a cycle") != std::string::npos;
    EXPECT_TRUE(cycle);
    EXPECT_THROW((void)compile(loop, data.schema), mtl::SpecError);

    ModelSpec twoInputs = mixtureOfExperts({kShared, kShared});
    twoInputs.edges.push_back({"expert1_act", "a_out"});
    EXPECT_FALSE(errorsOf(twoInputs, data.schema).empty())
        << "only an expert gate takes more than one input";
}

TEST(ExpertGate, TrainsWithEveryKindOfBalancingAndRecordsGateUse) {
    const Dataset data = mtl::test::twoTaskData(256);
    const Model model = compile(mixtureOfExperts({kOwn, kShared, kShared}), data.schema);
    for (const char* method : {"equal", "uncertainty", "pcgrad", "mgda:space=representation"}) {
        SCOPED_TRACE(method);
        TrainingSettings settings;
        settings.epochs = 5;
        settings.batchSize = 32;
        settings.threads = 1;
        settings.relationsEvery = 2;
        settings.balancing = parseBalancing(method);
        Trainer trainer(model, data, settings);
        const RunResult result = trainer.run();
        ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
        EXPECT_LT(result.history.back().train.total, result.history.front().train.total);
        for (const EpochRecord& epoch : result.history) {
            ASSERT_EQ(epoch.gates.size(), 2U);
            for (std::size_t t = 0; t < 2; ++t) {
                const GateUse& use = epoch.gates[t];
                EXPECT_EQ(use.nodeId, "gate");
                EXPECT_EQ(use.task, t == 0 ? "a" : "b");
                EXPECT_EQ(use.experts,
                          (std::vector<std::string>{"expert1_act", "expert2_act", "expert3_act"}));
                double sum = 0.0;
                for (double w : use.weights) {
                    EXPECT_GT(w, 0.0);
                    sum += w;
                }
                EXPECT_NEAR(sum, 1.0, 1e-6);
            }
        }
        EXPECT_NE(result.history.front().gates, result.history.back().gates) << "the gates learned";
    }
}

TEST(ExpertGate, GateUseGoesWithTheModelFile) {
    const Dataset data = mtl::test::twoTaskData(128);
    const ModelSpec spec = mixtureOfExperts({kShared, kShared});
    const Model model = compile(spec, data.schema);
    TrainingSettings settings;
    settings.epochs = 2;
    settings.threads = 1;
    Trainer trainer(model, data, settings);
    const RunResult result = trainer.run();
    ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
    TrainedModel trained{
        spec,
        model.schema(),
        trainer.normalizer(),
        trainer.targetScaling(),
        trainer.parameters(),
        TrainingRecord{"completed", result.epochs, settings, {}, result.history.back().gates}};
    const TrainedModel back = modelFromBytes(modelToBytes(trained), "m.mtlmodel");
    ASSERT_TRUE(back.training.has_value());
    ASSERT_EQ(back.training->gates.size(), 2U);
    EXPECT_EQ(back.training->gates, trained.training->gates);
    // A gate entry whose weights do not match its experts is refused, naming the place.
    trained.training->gates[1].weights.pop_back();
    try {
        (void)modelFromBytes(modelToBytes(trained), "m.mtlmodel");
        ADD_FAILURE() << "accepted gate weights that do not match the experts";
    } catch (const mtl::Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("m.mtlmodel"), std::string::npos) << message;
        EXPECT_NE(message.find("weights"), std::string::npos) << message;
        EXPECT_NE(message.find("expected 2 numbers (one per expert)"), std::string::npos)
            << message;
    }
}

// Random graphs with gates anywhere (experts of any depth, gates reading gates, soft and hard
// layers, gates whose experts branch from deep inside the network): every one that validates
// compiles, and its gradient matches finite differences.
TEST(ExpertGate, RandomGraphsThatValidateTrainCorrectly) {
    const Dataset data = mtl::test::twoTaskData();
    std::mt19937 rng(31);
    int valid = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        ModelSpec spec;
        const auto add = [&](const std::string& id, NodeKind kind) {
            NodeSpec n;
            n.id = id;
            n.kind = kind;
            n.units = 4;
            n.sharing = rng() % 3 == 0 ? SharingMode::Soft : SharingMode::Hard;
            n.couplingStrength = 0.1f;
            spec.nodes.push_back(n);
        };
        const auto pick = [&](int below) { return spec.nodes[rng() % std::size_t(below)].id; };
        add("input", NodeKind::Input);
        const int layers = 4 + int(rng() % 5);
        for (int i = 0; i < layers; ++i) {
            const int kind = int(rng() % 4);
            const std::string id = "n" + std::to_string(i);
            const int before = int(spec.nodes.size());
            add(id, kind == 0   ? NodeKind::ExpertGate
                    : kind == 1 ? NodeKind::Tanh
                                : NodeKind::Dense);
            const int inputs = kind == 0 ? 1 + int(rng() % 3) : 1;
            for (int k = 0; k < inputs; ++k)
                spec.edges.push_back({pick(before), id});
        }
        for (const char* name : {"a", "b"}) {
            const std::string out = std::string(name) + "_out";
            add(out, NodeKind::Dense);
            spec.nodes.back().units = 1;
            spec.edges.push_back({pick(int(spec.nodes.size()) - 1), out});
            add(name, NodeKind::TaskHead);
            spec.nodes.back().task =
                mtl::test::task(name, LossKind::MSE, {name[0] == 'a' ? "task1" : "task2"});
            spec.edges.push_back({out, name});
        }
        const bool gated = std::any_of(spec.nodes.begin(), spec.nodes.end(), [](const NodeSpec& n) {
            return n.kind == NodeKind::ExpertGate;
        });
        if (!gated || !errorsOf(spec, data.schema).empty())
            continue;
        ++valid;
        SCOPED_TRACE("trial " + std::to_string(trial));
        const Model model = compile(spec, data.schema);
        Probe probe(model, data, 8);
        Vector params = jittered(model, std::uint64_t(trial), 0.3f);
        const Vector g = probe.gradient(params, model.allTasks(), true);
        ASSERT_TRUE(g.allFinite());
        mtl::test::expectGradientMatches(
            "parameter", params.data(), params.size(), g.data(), [&] { return probe.loss(params); },
            40, 1e-2f, 3e-2);
    }
    EXPECT_GT(valid, 100) << "too few random graphs with gates were valid to say much";
}

// A soft layer with a cross-stitch unit after the gate mixes the tasks' branches, so every gate
// instance then serves both tasks; each is still its own task's gate (its use; its export name:
// ExportPlan.EachTasksGateHasItsOwnName).
TEST(ExpertGate, AUnitAfterTheGateKeepsEachTasksGate) {
    const Dataset data = mtl::test::twoTaskData(128);
    const Model model = compile(mixtureOfExperts({kShared, kShared}, true, true), data.schema);
    TrainingSettings settings;
    settings.epochs = 1;
    settings.threads = 1;
    Trainer trainer(model, data, settings);
    const RunResult result = trainer.run();
    ASSERT_EQ(result.reason, StopReason::Completed) << result.message;
    const std::vector<GateUse>& gates = result.history.back().gates;
    ASSERT_EQ(gates.size(), 2U);
    EXPECT_EQ(gates[0].task, "a");
    EXPECT_EQ(gates[1].task, "b");
}
