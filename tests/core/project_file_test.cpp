// Project files: byte-identical round trips (every bundled example included) and a message that
// names the file and field for each kind of malformed input.

#include "test_models.h"

#include "io/project_file.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace mtl::core;
namespace fs = std::filesystem;

namespace {

// Parses text that must fail; returns the message.
std::string errorFor(const std::string& text) {
    return mtl::test::projectErrorFor(text);
}

// A project using every node kind and non-default settings.
Project richProject() {
    Project p;
    p.name = "Every kind, \"quoted\" and ünïcode";
    p.dataset.synthetic.classification = true;
    p.dataset.synthetic.classes = 5;
    ModelSpec& m = p.model;
    auto add = [&](NodeSpec n, std::string from) {
        m.nodes.push_back(n);
        if (!from.empty()) m.edges.push_back({from, n.id});
    };
    NodeSpec n;
    n.id = "in"; n.kind = NodeKind::Input; n.x = -10.5; n.y = 3.25; add(n, "");
    n = {}; n.id = "conv"; n.kind = NodeKind::Conv2D; n.filters = 8; n.kernelSize = 5; n.stride = 2; n.padding = 1;
    n.sharing = SharingMode::Soft;
    n.couplingStrength = 0.125f;
    n.coupling = Coupling::Relationship;
    n.relationshipEvery = 25;
    add(n, "in");
    n = {}; n.id = "pool"; n.kind = NodeKind::MaxPool2D; n.kernelSize = 2; n.stride = 2; add(n, "conv");
    n = {}; n.id = "flat"; n.kind = NodeKind::Flatten; add(n, "pool");
    n = {}; n.id = "drop"; n.kind = NodeKind::Dropout; n.rate = 0.3f; add(n, "flat");
    n = {}; n.id = "norm"; n.kind = NodeKind::LayerNorm; add(n, "drop");
    for (NodeKind k : {NodeKind::ReLU, NodeKind::LeakyReLU, NodeKind::Tanh, NodeKind::Sigmoid, NodeKind::GELU}) {
        n = {}; n.id = "act" + std::to_string(int(k)); n.kind = k;
        if (k == NodeKind::LeakyReLU) n.slope = 0.2f;
        add(n, m.nodes.back().id);
    }
    n = {}; n.id = "out"; n.units = 5; n.init = Init::Xavier; add(n, m.nodes.back().id);
    n = {}; n.id = "head"; n.kind = NodeKind::TaskHead;
    n.task = mtl::test::task("kind", LossKind::Huber, {"task1", "task2"}, 0.25f);
    n.task.huberDelta = 2.5f;
    add(n, "out");
    m.flow = LayoutFlow::TopToBottom;
    TrainingSettings& t = p.training;
    t.epochs = 7; t.batchSize = 33; t.seed = 123456789012345ULL; t.threads = 3;
    t.optimizer.kind = OptimizerKind::SGD; t.optimizer.momentum = 0.8f; t.optimizer.nesterov = true;
    t.optimizer.learningRate = 0.05f; t.optimizer.weightDecay = 1e-4f;
    t.schedule.kind = ScheduleKind::Cosine; t.schedule.warmupSteps = 100; t.schedule.minLearningRate = 1e-5f;
    t.validationFraction = 0.1f; t.testFraction = 0.15f; t.earlyStoppingPatience = 4;
    t.restoreBestWeights = false; t.normalizeTaskWeights = true; t.clipNorm = 5.0f; t.standardizeInputs = false;
    p.runs.push_back({"run 1", "runs/1", "completed", 7, "lr 1e-3, \"first\" try\nsecond line"});
    return p;
}

const char* kMinimal = R"({
  "format_version": 1,
  "dataset": {"source": "synthetic", "synthetic": {}},
  "model": {"nodes": [%NODE%], "edges": []}
})";

std::string withNode(const std::string& node) {
    std::string text = kMinimal;
    text.replace(text.find("%NODE%"), 6, node);
    return text;
}

} // namespace

TEST(ProjectFile, RichProjectRoundTripsByteForByte) {
    const Project p = richProject();
    const std::string first = projectToJson(p);
    const ProjectLoad load = parseProject(first, "p.mtl.json");
    EXPECT_TRUE(load.warnings.empty());
    EXPECT_EQ(load.project, p);
    EXPECT_EQ(projectToJson(load.project), first);
}

TEST(ProjectFile, BundledExamplesRoundTripAndAreValid) {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(MTL_EXAMPLES_DIR)) {
        if (entry.path().string().find(".mtl.json") == std::string::npos) continue;
        SCOPED_TRACE(entry.path().string());
        ++count;
        const std::string text = readFile(entry.path().string());
        const ProjectLoad load = parseProject(text, entry.path().string());
        EXPECT_TRUE(load.warnings.empty());
        EXPECT_EQ(projectToJson(load.project), text);
    }
    EXPECT_GE(count, 3);
}

TEST(ProjectFile, FloatsAreWrittenShort) {
    Project p;
    p.training.optimizer.learningRate = 0.001f;
    const std::string text = projectToJson(p);
    EXPECT_NE(text.find("\"learning_rate\": 0.001,"), std::string::npos) << text;
}

TEST(ProjectFile, SyntaxErrorNamesLineAndColumn) {
    const std::string message = errorFor("{\n  \"format_version\": 1,\n  \"name\": oops\n}");
    EXPECT_EQ(message.rfind("p.mtl.json:3:11: not valid JSON", 0), 0U) << message;
}

TEST(ProjectFile, EmptyFile) {
    EXPECT_NE(errorFor("").find("p.mtl.json:1:1: not valid JSON"), std::string::npos);
}

TEST(ProjectFile, WrongTypeNamesTheField) {
    EXPECT_EQ(errorFor(withNode(R"({"id": "d", "kind": "dense", "units": "64"})")),
              "p.mtl.json: model.nodes[0].units: expected a whole number, found \"64\"");
    EXPECT_EQ(errorFor(withNode(R"({"id": "d", "kind": "dense", "units": 6.5})")),
              "p.mtl.json: model.nodes[0].units: expected a whole number, found 6.5");
    EXPECT_EQ(errorFor(R"({"format_version": 1, "dataset": [], "model": {}})"),
              "p.mtl.json: dataset: expected an object {…}, found []");
}

TEST(ProjectFile, MissingFieldNamesTheField) {
    EXPECT_EQ(errorFor(R"({"format_version": 1, "dataset": {"source": "synthetic", "synthetic": {}}})"),
              "p.mtl.json: model: missing field");
    EXPECT_EQ(errorFor(withNode(R"({"id": "d", "kind": "dense"})")),
              "p.mtl.json: model.nodes[0].units: missing field");
    EXPECT_EQ(errorFor(withNode(R"({"id": "h", "kind": "task_head", "task": {"name": "a", "loss": "mse"}})")),
              "p.mtl.json: model.nodes[0].task.targets: missing field");
}

TEST(ProjectFile, UnknownWordsListTheValidOnes) {
    EXPECT_NE(errorFor(withNode(R"({"id": "d", "kind": "densse", "units": 3})"))
                  .find("model.nodes[0].kind: unknown value \"densse\" (valid: dense, conv2d"),
              std::string::npos);
    EXPECT_NE(errorFor(withNode(R"({"id": "d", "kind": "dense", "units": 3, "sharing": "medium"})"))
                  .find("sharing: unknown value \"medium\" (valid: hard or soft)"),
              std::string::npos);
    std::string sideways = kMinimal;
    sideways.replace(sideways.find("\"edges\": []"), 11, R"("edges": [], "layout": "diagonal")");
    sideways.replace(sideways.find("%NODE%"), 6, "");
    EXPECT_EQ(errorFor(sideways), "p.mtl.json: model.layout: unknown value \"diagonal\" (valid: "
                                  "left_to_right or top_to_bottom)");
}

TEST(ProjectFile, FutureVersionIsRefused) {
    EXPECT_EQ(errorFor(R"({"format_version": 9, "dataset": {}, "model": {}})"),
              "p.mtl.json: format_version: this is version 9; this program reads versions 1 to 1");
}

TEST(ProjectFile, UnknownFieldsAreReportedNotDropped) {
    const ProjectLoad load = parseProject(
        withNode(R"({"id": "d", "kind": "dense", "units": 3, "colour": "red"})"), "p.mtl.json");
    ASSERT_EQ(load.warnings.size(), 1U);
    EXPECT_EQ(load.warnings[0], "p.mtl.json: model.nodes[0].colour: unknown field (written by a "
                                "newer version?) — ignored");
}

TEST(ProjectFile, BadPosition) {
    EXPECT_EQ(errorFor(withNode(R"({"id": "i", "kind": "input", "position": [1]})")),
              "p.mtl.json: model.nodes[0].position: expected [x, y]");
}

TEST(ProjectFile, WriteIsAtomicAndReportsFailures) {
    const fs::path dir = fs::temp_directory_path() / "mtl-project-test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string path = (dir / "p.mtl.json").string();
    writeProject(richProject(), path);
    EXPECT_EQ(readProject(path).project, richProject());
    // Writing where a directory stands fails with the path in the message and leaves no temp file.
    fs::create_directories(dir / "taken.mtl.json");
    try {
        writeProject(richProject(), (dir / "taken.mtl.json").string());
        ADD_FAILURE() << "wrote over a directory";
    } catch (const mtl::FileError& e) {
        EXPECT_NE(std::string(e.what()).find("taken.mtl.json"), std::string::npos);
    }
    int files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 2); // p.mtl.json and the directory
    EXPECT_THROW(readProject((dir / "missing.mtl.json").string()), mtl::FileError);
    fs::remove_all(dir);
}

TEST(ProjectFile, CsvAndFashionSourcesRoundTrip) {
    Project csv;
    csv.dataset.kind = DatasetKind::Csv;
    csv.dataset.csv.path = "data/houses.csv";
    csv.dataset.csv.delimiter = ';';
    csv.dataset.csv.roles = {{"price", ColumnRole::Target}, {"id", ColumnRole::Ignore}};
    csv.dataset.csv.types = {{"zip", ColumnType::Categorical}, {"rooms", ColumnType::Numeric}};
    csv.dataset.csv.missingInputs = MissingInputs::DropRow;
    Project fashion;
    fashion.dataset.kind = DatasetKind::Fashion;
    fashion.dataset.fashion = {FashionTasks::MultiFashion, FashionSplit::Test, 5000, 42};
    for (const Project& p : {csv, fashion}) {
        const std::string text = projectToJson(p);
        const ProjectLoad load = parseProject(text, "p.mtl.json");
        EXPECT_TRUE(load.warnings.empty());
        EXPECT_EQ(load.project, p) << text;
        EXPECT_EQ(projectToJson(load.project), text);
    }
}

TEST(ProjectFile, BadDatasetSources) {
    auto with = [](const std::string& dataset) {
        return R"({"format_version": 1, "dataset": )" + dataset + R"(, "model": {"nodes": [], "edges": []}})";
    };
    EXPECT_EQ(errorFor(with(R"({"source": "excel"})")),
              "p.mtl.json: dataset.source: unknown dataset source \"excel\" (valid: synthetic, csv, "
              "fashion_2task, multifashion, relatedness)");
    EXPECT_EQ(errorFor(with(R"({"source": "csv"})")), "p.mtl.json: dataset.path: missing field");
    EXPECT_EQ(errorFor(with(R"({"source": "csv", "path": "d.csv", "roles": {"y": "output"}})")),
              "p.mtl.json: dataset.roles: column 'y': \"output\" is not one of input, target, ignore");
    EXPECT_EQ(errorFor(with(R"({"source": "csv", "path": "d.csv", "delimiter": "||"})")),
              "p.mtl.json: dataset.delimiter: expected one character, e.g. \",\", \";\" or \"\\t\"");
    EXPECT_EQ(errorFor(with(R"({"source": "fashion_2task", "split": "validation"})")),
              "p.mtl.json: dataset.split: expected \"train\", \"test\" or \"train+test\" (the test "
              "images as the test split)");
}

TEST(ProjectFile, NumberTooLargeForADouble) {
    // Found by the fuzzer: the JSON parser reports this as out_of_range, not as a syntax error.
    EXPECT_EQ(errorFor(R"({"format_version": 1e999})"),
              "p.mtl.json: not valid JSON: number overflow parsing '1e999'");
}

TEST(ProjectFile, NumberBeyondFloatRange) {
    // Found by the fuzzer's round-trip check: 1e300 became an infinite float, which was then
    // written as null — a project this program could not read back.
    const std::string text = projectToJson(Project{});
    std::string huge = text;
    huge.replace(huge.find("\"epsilon\": 1e-08"), 16, "\"epsilon\": 1e300");
    EXPECT_EQ(errorFor(huge), "p.mtl.json: training.optimizer.epsilon: the number is too large (at most ±3.4e38)");
}
