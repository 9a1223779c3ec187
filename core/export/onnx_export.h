#pragma once
// ONNX export (opset 17): one model taking raw features — missing values filled and inputs
// standardised inside the graph — with one named output per task: "<task>" (values in the
// column's units) for regression, "<task>_logits" and "<task>_probabilities" for
// classification. Task names, targets, losses and class labels go into metadata_props (key
// "mtl.tasks", JSON). Hard and soft sharing alike: a soft-shared layer becomes one weight set
// per task. Built with the ONNX protobuf schema and checked with onnx::checker before writing.

#include "io/model_file.h"

#include <string>
#include <vector>

namespace mtl::core {

struct OnnxExportOptions {
    std::vector<std::string> tasks; // non-empty: only these tasks' sub-network
};

// The serialised ModelProto. Throws ExportError (never trained, diverged, unknown task, or the
// ONNX checker's finding).
std::string exportOnnx(const TrainedModel& trained, const OnnxExportOptions& options = {});
void writeOnnx(const TrainedModel& trained, const std::string& path, const OnnxExportOptions& options = {});

// What the outputs are called, in order (for tools and tests).
std::vector<std::string> onnxOutputNames(const TrainedModel& trained, const OnnxExportOptions& options = {});

} // namespace mtl::core
