#pragma once
// One description per node kind: its word in files, its titles and help, its editable fields
// (type, range, default, help), the checks that need its input's shape, and the layer it builds.
// Files (io/spec_json), validation (model/validate), the layer factory, the inspector, the
// canvas text and the palette all read these descriptions, so a new kind is one file under
// model/kinds/ plus its export pieces (docs/adding-a-layer.md).

#include "layers/layer.h"
#include "model/model_spec.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mtl::core {

enum class FieldType : std::uint8_t { Integer, Number, Choice };

// What a kind is for: the palette colours its entry by this.
enum class KindFamily : std::uint8_t { Input, Weights, Shape, Regularisation, Activation, Task };

struct FieldChoice {
    int value;              // the enum's value
    std::string_view word;  // in files: "he"
    std::string_view label; // in the inspector: "He (for ReLU)"
};

struct NodeField {
    std::string_view property; // in issues, the inspector and undo: "kernelSize"
    std::string_view json;     // in files: "kernel_size"
    std::string_view label;    // in the inspector: "Kernel size"
    std::string_view help;     // its tooltip
    FieldType type = FieldType::Integer;
    double minimum = 0.0; // inclusive, checked by validate() and the inspector alike
    double maximum = 0.0;
    int decimals = 0;     // Number: shown decimals
    double initial = 0.0; // a new node's value
    // A file without the key: this value; nullopt makes the key required...
    std::optional<double> absent;
    // ...unless the field defaults to another field's value (pooling's stride: its window).
    std::string_view absentAs;
    std::vector<FieldChoice> choices; // Choice only
    double (*get)(const NodeSpec&) = nullptr;
    void (*set)(NodeSpec&, double) = nullptr;
};

// Reports a problem on one of the node's properties ("" for the node as a whole).
using IssueSink = std::function<void(std::string_view property, std::string message)>;

struct NodeKindInfo {
    NodeKind kind = NodeKind::Dense;
    std::string_view word;        // in files and on the command line: "conv2d"
    std::string_view title;       // "Conv 2D"
    std::string_view description; // one line for the palette
    std::string_view explanation; // what it computes and its parameters (node tooltips)
    KindFamily family = KindFamily::Shape;
    bool hasParameters = false; // carries weights, so can be shared hard or soft
    bool keepsShape = false;    // output shape = input shape
    std::vector<NodeField> fields;
    // Checks that need the input's shape, after the fields' ranges held. May be null.
    void (*checkInput)(const NodeSpec& node, Shape input, const IssueSink& report) = nullptr;
    // The layer; null for the input and task heads, which are not layers, and for an expert
    // gate, which compile() builds from all its experts.
    std::unique_ptr<Layer> (*makeLayer)(const NodeSpec& node, Shape input) = nullptr;
    // Canvas text: "Conv 8@3×3" and "stride 1, pad 1". Null: the title, and no detail.
    std::string (*nodeTitle)(const NodeSpec& node) = nullptr;
    std::string (*nodeDetail)(const NodeSpec& node) = nullptr;
};

const NodeKindInfo& kindInfo(NodeKind kind);
// Every kind, in palette order.
const std::vector<NodeKind>& allNodeKinds();
const NodeField* findField(NodeKind kind, std::string_view property);

// A new node of the kind: every field at its initial value.
NodeSpec newNode(NodeKind kind);

// "0.5", "1e-05", "3": a number as the canvas and messages write it (%g).
std::string numberText(double value);

} // namespace mtl::core
