// validate(): each kind of mistake is reported on the node and property at fault.

#include "test_models.h"

#include "model/model.h"
#include "model/validate.h"

#include <gtest/gtest.h>

using namespace mtl::core;
using mtl::test::twoTaskData;
using mtl::test::twoTaskTrunk;

namespace {

// The first error on this node (and property, if given), or "" if there is none.
std::string errorOn(const ModelSpec& spec, const DataSchema& schema, const std::string& node,
                    const std::string& property = "") {
    for (const SpecIssue& i : validate(spec, schema)) {
        if (i.severity == Severity::Error && i.nodeId == node &&
            (property.empty() || i.property == property)) {
            return i.message;
        }
    }
    return "";
}

class Validate : public ::testing::Test {
protected:
    Dataset data = twoTaskData(16);
    ModelSpec spec = twoTaskTrunk(data.schema);
};

} // namespace

TEST_F(Validate, TemplateIsValid) {
    for (const SpecIssue& i : validate(spec, data.schema)) ADD_FAILURE() << i.toString();
}

TEST_F(Validate, ShapeMismatchAtTheHeadIsPinnedOnTheUnitsThatFixIt) {
    spec.find("a_out")->units = 3;
    // The error is on the Dense layer's Units; the head carries a warning that points there.
    EXPECT_EQ(errorOn(spec, data.schema, "a_out", "units"),
              "gives 3 outputs, but task head 'a' expects 1: set Units to 1");
    EXPECT_EQ(errorOn(spec, data.schema, "a", "targets"), "");
    bool warned = false;
    for (const SpecIssue& i : validate(spec, data.schema)) {
        warned |=
            i.nodeId == "a" && i.severity == Severity::Warning &&
            i.message == "expects 1 output from 'a_out', which gives 3 (see the Units of 'a_out')";
    }
    EXPECT_TRUE(warned);
    // Through an activation after the layer, too.
    NodeSpec tanh;
    tanh.id = "a_squash";
    tanh.kind = NodeKind::Tanh;
    spec.nodes.push_back(tanh);
    for (EdgeSpec& e : spec.edges) {
        if (e.to == "a")
            e.from = "a_squash";
    }
    spec.edges.push_back({"a_out", "a_squash"});
    EXPECT_EQ(errorOn(spec, data.schema, "a_out", "units"),
              "gives 3 outputs, but task head 'a' expects 1: set Units to 1");
    // A width decided by a layer shared with another head stays on the head: changing it would
    // break the other task.
    spec = twoTaskTrunk(data.schema);
    spec.edges.erase(std::remove_if(spec.edges.begin(), spec.edges.end(),
                                    [](const EdgeSpec& e) { return e.to == "a"; }),
                     spec.edges.end());
    spec.edges.push_back({"shared2", "a"});
    const std::string onHead = errorOn(spec, data.schema, "a", "targets");
    EXPECT_NE(onHead.find("expects 1 output from 'shared2'"), std::string::npos) << onHead;
}

TEST_F(Validate, ConvolutionNeedsAnImage) {
    spec.find("shared2")->kind = NodeKind::Conv2D;
    spec.find("shared2")->filters = 4;
    EXPECT_NE(errorOn(spec, data.schema, "shared2").find("needs an image input"), std::string::npos);
}

TEST_F(Validate, HeadWithoutTarget) {
    spec.find("b")->task.targets.clear();
    EXPECT_NE(errorOn(spec, data.schema, "b", "targets").find("head without target"), std::string::npos);
}

TEST_F(Validate, UnknownTargetListsTheAvailableColumns) {
    spec.find("b")->task.targets = {"price"};
    EXPECT_NE(errorOn(spec, data.schema, "b", "targets").find("available: task1, task2"), std::string::npos);
}

TEST_F(Validate, Cycle) {
    // shared2_act → shared1 makes shared1 take two inputs and closes a loop.
    spec.edges.erase(spec.edges.begin()); // input → shared1
    spec.edges.push_back({"shared2_act", "shared1"});
    EXPECT_EQ(errorOn(spec, data.schema, "shared1", "edges"), "is part of a cycle");
}

TEST_F(Validate, DanglingNodeIsAWarningOnly) {
    NodeSpec extra;
    extra.id = "spare";
    extra.units = 4;
    spec.nodes.push_back(extra);
    const auto issues = validate(spec, data.schema);
    EXPECT_FALSE(hasErrors(issues));
    ASSERT_FALSE(issues.empty());
    EXPECT_EQ(issues[0].nodeId, "spare");
    EXPECT_NE(issues[0].message.find("dangling"), std::string::npos);
}

TEST_F(Validate, AllWeightsZero) {
    spec.find("a")->task.weight = 0.0f;
    spec.find("b")->task.weight = 0.0f;
    bool found = false;
    for (const SpecIssue& i : validate(spec, data.schema)) {
        found |= i.property == "weight" && i.message.find("all task weights are zero") != std::string::npos;
    }
    EXPECT_TRUE(found);
}

TEST_F(Validate, NegativeWeightAndBadParameters) {
    spec.find("a")->task.weight = -1.0f;
    spec.find("shared1")->units = 0;
    spec.find("shared1")->sharing = SharingMode::Soft;
    spec.find("shared1")->couplingStrength = -2.0f;
    EXPECT_EQ(errorOn(spec, data.schema, "a", "weight"), "must be a number ≥ 0");
    EXPECT_EQ(errorOn(spec, data.schema, "shared1", "units"), "must be at least 1");
    EXPECT_EQ(errorOn(spec, data.schema, "shared1", "couplingStrength"), "must be a number ≥ 0");
}

TEST_F(Validate, TwoInputsIntoOneLayer) {
    spec.edges.push_back({"input", "shared2"});
    EXPECT_EQ(errorOn(spec, data.schema, "shared2", "edges"), "takes one input, but 2 are connected");
}

TEST_F(Validate, CrossEntropyNeedsACategoricalColumn) {
    spec.find("a")->task.loss = LossKind::SoftmaxCrossEntropy;
    EXPECT_NE(errorOn(spec, data.schema, "a", "loss").find("needs a categorical column"), std::string::npos);
    // One problem, said once: no "expects 0 outputs" about a width nobody could give.
    EXPECT_EQ(errorOn(spec, data.schema, "a", "targets"), "");
}

TEST_F(Validate, DuplicateIdsAndTaskNames) {
    spec.find("b")->task.name = "a";
    spec.find("shared2")->id = "shared1";
    EXPECT_NE(errorOn(spec, data.schema, "b", "name").find("also named 'a'"), std::string::npos);
    EXPECT_EQ(errorOn(spec, data.schema, "shared1", "id"), "two nodes share this id");
}

TEST_F(Validate, NoInputAndNoHead) {
    ModelSpec empty;
    const auto issues = validate(empty, data.schema);
    ASSERT_EQ(issues.size(), 2U);
    EXPECT_EQ(issues[0].message, "the model has no input node");
    EXPECT_EQ(issues[1].message,
              "the network has no task head: add a Task head from the palette for each task");
}

TEST_F(Validate, AnalysisCountsParametersAndShapes) {
    const SpecAnalysis a = analyze(spec, data.schema);
    EXPECT_EQ(a.totalParameters, (6 * 8 + 8) + (8 * 6 + 6) + 2 * ((6 * 5 + 5) + (5 * 1 + 1)));
    EXPECT_EQ(*a.outputShapes[1], Shape::flat(8));
    EXPECT_GT(a.flopsPerSample, 0.0);
    // Per layer: 2 FLOPs per multiply-add (Dense: inputs × units); the layers add up to the total.
    EXPECT_DOUBLE_EQ(a.flopsPerNode[1], 2.0 * 6 * 8);
    double sum = 0.0;
    for (double f : a.flopsPerNode)
        sum += f;
    EXPECT_DOUBLE_EQ(sum, a.flopsPerSample);
    // A soft-shared layer counts each task's copy.
    spec.find("shared1")->sharing = SharingMode::Soft;
    EXPECT_DOUBLE_EQ(analyze(spec, data.schema).flopsPerNode[1], 2 * 2.0 * 6 * 8);
}

TEST_F(Validate, ErrorFollowedByAWarningStillStopsShapeInference) {
    // A pooling window larger than its (image) input, marked soft: an error, then a warning.
    DataSchema images = data.schema;
    images.inputShape = Shape{4, 4, 1};
    spec.find("shared1")->kind = NodeKind::MaxPool2D;
    spec.find("shared1")->kernelSize = 9;
    spec.find("shared1")->sharing = SharingMode::Soft;
    const SpecAnalysis a = analyze(spec, images);
    EXPECT_NE(errorOn(spec, images, "shared1", "kernelSize").find("larger than the input"), std::string::npos);
    EXPECT_FALSE(a.outputShapes[1].has_value());
    EXPECT_GE(a.totalParameters, 0);
}

TEST_F(Validate, AbsurdSizesAreRefusedBeforeAnythingIsAllocated) {
    spec.find("shared1")->units = 2'000'000'000;
    EXPECT_EQ(errorOn(spec, data.schema, "shared1", "units"), "must be at most 1000000");
    spec.find("shared1")->units = 1'000'000;
    spec.find("shared2")->units = 1'000;
    EXPECT_NE(errorOn(spec, data.schema, "shared2").find("500 million parameters"), std::string::npos);
}

TEST_F(Validate, TotalCountsWhatCompileBuilds) {
    NodeSpec spare;
    spare.id = "spare";
    spare.units = 7;
    spec.nodes.push_back(spare);
    spec.edges.push_back({"shared1_act", "spare"}); // reachable, but feeds no task
    const SpecAnalysis a = analyze(spec, data.schema);
    EXPECT_EQ(a.totalParameters, compile(spec, data.schema).parameterCount());
    EXPECT_EQ(a.parameterCounts.back(), 8 * 7 + 7); // still shown on its node
}

TEST_F(Validate, SecondInputNodeFedByALayer) {
    // Found by the fuzzer: shape inference used to build a layer for the input node and crash.
    spec.find("shared2_act")->kind = NodeKind::Input;
    EXPECT_EQ(errorOn(spec, data.schema, "shared2_act", "edges"), "the input node cannot take an input");
    EXPECT_NE(errorOn(spec, data.schema, "shared2_act").find("more than one input node"), std::string::npos);
}
