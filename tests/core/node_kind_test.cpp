// The node-kind descriptions (model/node_kind_info.h): every kind has one, they are consistent,
// and the file format, validation and layer factory follow them.
#include "test_models.h"

#include "io/project_file.h"
#include "model/layer_factory.h"
#include "model/names.h"
#include "model/node_kind_info.h"
#include "model/validate.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <set>

using namespace mtl::core;

namespace {

std::string errorFor(const std::string& text) {
    return mtl::test::projectErrorFor(text);
}

std::string projectWith(const std::string& node) {
    return R"({"format_version": 1, "dataset": {"source": "synthetic", "synthetic": {}},
               "model": {"nodes": [)" +
           node + R"(], "edges": []}})";
}

} // namespace

TEST(NodeKinds, EveryKindHasOneConsistentDescription) {
    std::set<std::string_view> words;
    for (NodeKind kind : allNodeKinds()) {
        const NodeKindInfo& info = kindInfo(kind);
        SCOPED_TRACE(std::string(info.word));
        EXPECT_EQ(info.kind, kind);
        EXPECT_TRUE(words.insert(info.word).second) << "two kinds share a word";
        EXPECT_EQ(parseNodeKind(info.word), kind);
        EXPECT_FALSE(info.title.empty());
        EXPECT_FALSE(info.description.empty());
        EXPECT_FALSE(info.explanation.empty());
        // An expert gate's layer is built from all its experts' shapes, by compile().
        const bool isLayer =
            kind != NodeKind::Input && kind != NodeKind::TaskHead && kind != NodeKind::ExpertGate;
        EXPECT_EQ(info.makeLayer != nullptr, isLayer);
        std::set<std::string_view> properties;
        for (const NodeField& f : info.fields) {
            SCOPED_TRACE(std::string(f.property));
            EXPECT_TRUE(properties.insert(f.property).second);
            EXPECT_TRUE(f.get != nullptr && f.set != nullptr);
            EXPECT_FALSE(f.label.empty());
            EXPECT_FALSE(f.help.empty());
            if (f.type == FieldType::Choice) {
                EXPECT_GE(f.choices.size(), 2U);
                continue;
            }
            EXPECT_LE(f.minimum, f.initial);
            EXPECT_LE(f.initial, f.maximum);
            if (f.absent) {
                EXPECT_TRUE(*f.absent >= f.minimum && *f.absent <= f.maximum);
            }
            if (!f.absentAs.empty()) {
                EXPECT_NE(findField(kind, f.absentAs), nullptr);
            }
        }
    }
    EXPECT_EQ(words.size(), allNodeKinds().size());
}

// A new node of each kind (the palette's) is valid as it stands: its layer builds, on an image
// for the image kinds and on flat features for the rest.
TEST(NodeKinds, NewNodesAreValidLayers) {
    for (NodeKind kind : allNodeKinds()) {
        const NodeKindInfo& info = kindInfo(kind);
        if (!info.makeLayer)
            continue;
        SCOPED_TRACE(std::string(info.word));
        NodeSpec node = newNode(kind);
        node.id = "n";
        const Shape in = kind == NodeKind::Conv2D || kind == NodeKind::MaxPool2D ? Shape{8, 8, 2}
                                                                                 : Shape::flat(6);
        bool problem = false;
        if (info.checkInput)
            info.checkInput(node, in, [&](std::string_view, std::string) { problem = true; });
        EXPECT_FALSE(problem);
        const auto layer = makeLayer(node, in);
        EXPECT_GT(layer->outputShape().size(), 0);
        if (info.keepsShape) {
            EXPECT_EQ(layer->outputShape(), in);
        }
        EXPECT_EQ(layer->parameterCount() > 0, info.hasParameters);
    }
}

// Every field of every kind, set to a value other than its initial one, comes back from a file.
TEST(NodeKinds, EveryFieldRoundTripsThroughTheProjectFile) {
    Project project;
    for (NodeKind kind : allNodeKinds()) {
        NodeSpec node = newNode(kind);
        node.id = std::string(kindInfo(kind).word);
        for (const NodeField& f : kindInfo(kind).fields) {
            const double other = f.type == FieldType::Choice    ? f.choices.back().value
                                 : f.type == FieldType::Integer ? f.maximum
                                                                : (f.minimum + f.maximum) / 4.0;
            f.set(node, other);
        }
        if (kind == NodeKind::TaskHead)
            node.task = mtl::test::task("t", LossKind::MSE, {"task1"});
        project.model.nodes.push_back(node);
    }
    const ProjectLoad back = parseProject(projectToJson(project), "p.mtl.json");
    EXPECT_EQ(back.project.model, project.model);
}

TEST(NodeKinds, FilesNameTheMissingOrWrongField) {
    EXPECT_EQ(errorFor(projectWith(R"({"id": "c", "kind": "conv2d", "filters": 4})")),
              "p.mtl.json: model.nodes[0].kernel_size: missing field");
    EXPECT_EQ(errorFor(projectWith(R"({"id": "d", "kind": "dense", "units": 4, "init": "zeros"})")),
              "p.mtl.json: model.nodes[0].init: unknown value \"zeros\" (valid: he or xavier)");
    EXPECT_EQ(errorFor(projectWith(R"({"id": "d", "kind": "dropout", "rate": "half"})")),
              "p.mtl.json: model.nodes[0].rate: expected a number, found \"half\"");
    EXPECT_EQ(
        errorFor(projectWith(
            R"({"id": "d", "kind": "dense", "units": 4, "sharing": "soft", "coupling": "l1"})")),
        "p.mtl.json: model.nodes[0].coupling: unknown value \"l1\" (valid: mean_l2, trace_norm or "
        "relationship)");
}

TEST(NodeKinds, PoolingStrideDefaultsToItsWindow) {
    const ProjectLoad load = parseProject(
        projectWith(R"({"id": "p", "kind": "maxpool2d", "kernel_size": 3})"), "p.mtl.json");
    EXPECT_EQ(load.project.model.nodes[0].stride, 3);
}

TEST(NodeKinds, ValidationChecksEveryFieldsRange) {
    const Dataset data = mtl::test::twoTaskData();
    for (NodeKind kind : allNodeKinds()) {
        for (const NodeField& f : kindInfo(kind).fields) {
            if (f.type == FieldType::Choice || kind == NodeKind::Conv2D ||
                kind == NodeKind::MaxPool2D)
                continue;
            SCOPED_TRACE(std::string(f.property));
            ModelSpec spec = mtl::test::twoTaskTrunk(data.schema, SharingMode::Hard);
            NodeSpec node = newNode(kind);
            node.id = "probe";
            f.set(node, f.maximum + 1.0);
            spec.nodes.push_back(node);
            spec.edges.push_back({spec.nodes.front().id, "probe"});
            bool flagged = false;
            for (const SpecIssue& issue : validate(spec, data.schema)) {
                flagged |= issue.nodeId == "probe" && issue.property == f.property &&
                           issue.severity == Severity::Error;
            }
            EXPECT_TRUE(flagged);
        }
    }
}
