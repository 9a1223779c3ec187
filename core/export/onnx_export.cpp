#include "export/onnx_export.h"

#include "export/export_plan.h"
#include "model/names.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <numbers>

namespace mtl::core {

namespace {

constexpr int kOpset = 17;
constexpr int kIrVersion = 8;

// Builds the graph: names are unique, constants become initializers.
class GraphWriter {
public:
    explicit GraphWriter(onnx::GraphProto& graph) : m_graph(graph) {}

    std::string name(const std::string& stem) { return stem + "_" + std::to_string(m_next++); }

    std::string floats(const std::string& stem, std::vector<std::int64_t> dims, const float* data, std::size_t count) {
        onnx::TensorProto* t = m_graph.add_initializer();
        const std::string n = name(stem);
        t->set_name(n);
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (auto d : dims) t->add_dims(d);
        t->set_raw_data(std::string(reinterpret_cast<const char*>(data), count * sizeof(float)));
        return n;
    }
    std::string scalar(const std::string& stem, float value) { return floats(stem, {}, &value, 1); }
    std::string ints(const std::string& stem, const std::vector<std::int64_t>& values) {
        onnx::TensorProto* t = m_graph.add_initializer();
        const std::string n = name(stem);
        t->set_name(n);
        t->set_data_type(onnx::TensorProto::INT64);
        t->add_dims(std::int64_t(values.size()));
        for (auto v : values) t->add_int64_data(v);
        return n;
    }

    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output) {
        onnx::NodeProto* n = m_graph.add_node();
        n->set_op_type(op);
        n->set_name(name(op));
        for (const auto& i : inputs) n->add_input(i);
        n->add_output(output);
        return *n;
    }
    std::string op(const std::string& type, const std::vector<std::string>& inputs, const std::string& stem) {
        const std::string out = name(stem);
        node(type, inputs, out);
        return out;
    }

    static void attr(onnx::NodeProto& n, const char* key, float value) {
        auto* a = n.add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(value);
    }
    static void attr(onnx::NodeProto& n, const char* key, std::int64_t value) {
        auto* a = n.add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(value);
    }
    static void attr(onnx::NodeProto& n, const char* key, const std::vector<std::int64_t>& values) {
        auto* a = n.add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::INTS);
        for (auto v : values) a->add_ints(v);
    }

    void io(bool input, const std::string& n, std::int64_t width) {
        onnx::ValueInfoProto* v = input ? m_graph.add_input() : m_graph.add_output();
        v->set_name(n);
        auto* tensor = v->mutable_type()->mutable_tensor_type();
        tensor->set_elem_type(onnx::TensorProto::FLOAT);
        tensor->mutable_shape()->add_dim()->set_dim_param("batch");
        tensor->mutable_shape()->add_dim()->set_dim_value(width);
    }

private:
    onnx::GraphProto& m_graph;
    int m_next = 0;
};

// NHWC rows ↔ NCHW images around a spatial operator.
std::string toImages(GraphWriter& g, const std::string& x, Shape s) {
    const std::string image = g.op("Reshape", {x, g.ints("shape", {-1, s.height, s.width, s.channels})}, "nhwc");
    auto& t = g.node("Transpose", {image}, g.name("nchw"));
    GraphWriter::attr(t, "perm", std::vector<std::int64_t>{0, 3, 1, 2});
    return t.output(0);
}

std::string toRows(GraphWriter& g, const std::string& x, Shape s) {
    auto& t = g.node("Transpose", {x}, g.name("nhwc"));
    GraphWriter::attr(t, "perm", std::vector<std::int64_t>{0, 2, 3, 1});
    return g.op("Reshape", {t.output(0), g.ints("shape", {-1, std::int64_t(s.size())})}, "rows");
}

std::string emitStep(GraphWriter& g, const PlanStep& step, const std::string& x, const TrainedModel& trained,
                     const std::string& weights) {
    const NodeSpec& n = *step.node;
    const auto params = stepParameters(step, trained.parameters);
    switch (n.kind) {
    case NodeKind::Dense: {
        const auto in = std::int64_t(step.inShape.size());
        const auto units = std::int64_t(step.outShape.size());
        const std::string w = g.floats(weights + ".weight", {in, units}, params.data(), std::size_t(in * units));
        const std::string b = g.floats(weights + ".bias", {units}, params.data() + in * units, std::size_t(units));
        return g.op("Gemm", {x, w, b}, n.id);
    }
    case NodeKind::Conv2D: {
        const int k = n.kernelSize;
        const int c = step.inShape.channels;
        const int f = step.outShape.channels;
        // The core's K [(ky·k + kx)·C + c, f] → ONNX W [f, c, ky, kx].
        std::vector<float> w(std::size_t(f) * c * k * k);
        for (int fi = 0; fi < f; ++fi)
            for (int ci = 0; ci < c; ++ci)
                for (int ky = 0; ky < k; ++ky)
                    for (int kx = 0; kx < k; ++kx)
                        w[((std::size_t(fi) * c + ci) * k + ky) * k + kx] = params[std::size_t(((ky * k + kx) * c + ci) * f + fi)];
        const std::string wn = g.floats(weights + ".weight", {f, c, k, k}, w.data(), w.size());
        const std::string bn = g.floats(weights + ".bias", {f}, params.data() + std::size_t(k) * k * c * f, std::size_t(f));
        auto& conv = g.node("Conv", {toImages(g, x, step.inShape), wn, bn}, g.name(n.id));
        GraphWriter::attr(conv, "kernel_shape", std::vector<std::int64_t>{k, k});
        GraphWriter::attr(conv, "strides", std::vector<std::int64_t>{n.stride, n.stride});
        GraphWriter::attr(conv, "pads", std::vector<std::int64_t>{n.padding, n.padding, n.padding, n.padding});
        return toRows(g, conv.output(0), step.outShape);
    }
    case NodeKind::MaxPool2D: {
        auto& pool = g.node("MaxPool", {toImages(g, x, step.inShape)}, g.name(n.id));
        GraphWriter::attr(pool, "kernel_shape", std::vector<std::int64_t>{n.kernelSize, n.kernelSize});
        GraphWriter::attr(pool, "strides", std::vector<std::int64_t>{n.stride, n.stride});
        return toRows(g, pool.output(0), step.outShape);
    }
    case NodeKind::LayerNorm: {
        const auto d = std::int64_t(step.inShape.size());
        const std::string gamma = g.floats(weights + ".gamma", {d}, params.data(), std::size_t(d));
        const std::string beta = g.floats(weights + ".beta", {d}, params.data() + d, std::size_t(d));
        auto& norm = g.node("LayerNormalization", {x, gamma, beta}, g.name(n.id));
        GraphWriter::attr(norm, "axis", std::int64_t{-1});
        GraphWriter::attr(norm, "epsilon", 1e-5f);
        return norm.output(0);
    }
    case NodeKind::ReLU: return g.op("Relu", {x}, n.id);
    case NodeKind::Tanh: return g.op("Tanh", {x}, n.id);
    case NodeKind::Sigmoid: return g.op("Sigmoid", {x}, n.id);
    case NodeKind::LeakyReLU: {
        auto& relu = g.node("LeakyRelu", {x}, g.name(n.id));
        GraphWriter::attr(relu, "alpha", n.slope);
        return relu.output(0);
    }
    case NodeKind::GELU: {
        // Exact GELU, as the core: x · ½ (1 + erf(x / √2)).
        const std::string erf = g.op("Erf", {g.op("Mul", {x, g.scalar("inv_sqrt2", 1.0f / std::numbers::sqrt2_v<float>)}, "scaled")}, "erf");
        const std::string half = g.op("Mul", {g.op("Add", {erf, g.scalar("one", 1.0f)}, "cdf2"), g.scalar("half", 0.5f)}, "cdf");
        return g.op("Mul", {x, half}, n.id);
    }
    case NodeKind::Dropout:
    case NodeKind::Flatten: return g.op("Identity", {x}, n.id); // rows are already flat
    case NodeKind::Input:
    case NodeKind::ExpertGate: // emitGate: it reads its experts too
    case NodeKind::TaskHead: break;
    }
    throw ExportError("cannot export node '" + n.id + "' of kind " + std::string(toString(n.kind)));
}

// A task's gate over its experts: g = softmax(x W + b) [B, E]; y = Σ_e g_e f_e, as
// ReduceSum(Unsqueeze(g, 2) · Concat(Unsqueeze(f_e, 1)), axis 1).
std::string emitGate(GraphWriter& g, const PlanStep& step, const std::string& x,
                     const std::vector<std::string>& outputs, const TrainedModel& trained,
                     const std::string& weights) {
    const auto params = stepParameters(step, trained.parameters);
    const auto experts = std::int64_t(step.experts.size());
    const auto d = std::int64_t(params.size()) / experts - 1;
    const std::string w =
        g.floats(weights + ".weight", {d, experts}, params.data(), std::size_t(d * experts));
    const std::string b =
        g.floats(weights + ".bias", {experts}, params.data() + d * experts, std::size_t(experts));
    auto& softmax = g.node("Softmax", {g.op("Gemm", {x, w, b}, step.node->id + "_logits")},
                           g.name(step.node->id + "_gates"));
    GraphWriter::attr(softmax, "axis", std::int64_t{1});
    std::vector<std::string> stacked;
    for (int e : step.experts)
        stacked.push_back(
            g.op("Unsqueeze", {outputs[std::size_t(e)], g.ints("axes", {1})}, "expert"));
    auto& concat = g.node("Concat", stacked, g.name("experts"));
    GraphWriter::attr(concat, "axis", std::int64_t{1});
    const std::string gates = g.op("Unsqueeze", {softmax.output(0), g.ints("axes", {2})}, "gates");
    const std::string weighted = g.op("Mul", {concat.output(0), gates}, "weighted");
    auto& sum = g.node("ReduceSum", {weighted, g.ints("axes", {1})}, g.name(step.node->id));
    GraphWriter::attr(sum, "keepdims", std::int64_t{0});
    return sum.output(0);
}

// A cross-stitch unit after its copies' steps: y_t = Σ_s A[t][s] x_s, replacing the copies'
// outputs with the mixed ones.
void emitCrossStitch(GraphWriter& g, const CrossStitchUnit& unit, const ExportPlan& plan,
                     const Vector& parameters, std::vector<std::string>& outputs) {
    std::vector<std::size_t> steps;
    for (int instance : unit.instances) {
        for (std::size_t i = 0; i < plan.steps.size(); ++i) {
            if (plan.steps[i].instance == instance)
                steps.push_back(i);
        }
    }
    const auto copies = static_cast<Index>(steps.size());
    std::vector<std::string> mixed;
    for (Index t = 0; t < copies; ++t) {
        std::string sum;
        for (Index s = 0; s < copies; ++s) {
            const float a = parameters[unit.parameterOffset + t * copies + s];
            const std::string term =
                g.op("Mul", {outputs[steps[std::size_t(s)]], g.scalar(unit.nodeId + "_stitch", a)},
                     unit.nodeId + "_stitch_term");
            sum = sum.empty() ? term : g.op("Add", {sum, term}, unit.nodeId + "_stitch_sum");
        }
        mixed.push_back(sum);
    }
    for (Index t = 0; t < copies; ++t)
        outputs[steps[std::size_t(t)]] = mixed[std::size_t(t)];
}

std::string taskMetadata(const ExportPlan& plan) {
    nlohmann::ordered_json tasks = nlohmann::ordered_json::array();
    for (const PlanTask& task : plan.tasks) {
        nlohmann::ordered_json t{{"name", task.name}, {"loss", std::string(toString(task.loss))}, {"targets", task.targetNames}};
        if (task.isClassification()) {
            t["outputs"] = {task.name + "_logits", task.name + "_probabilities"};
            if (!task.classLabels.empty()) t["class_labels"] = task.classLabels;
        } else {
            t["outputs"] = {task.name};
        }
        tasks.push_back(t);
    }
    return tasks.dump();
}

} // namespace

std::vector<std::string> onnxOutputNames(const TrainedModel& trained, const OnnxExportOptions& options) {
    const Model model = compile(trained.spec, trained.schema);
    const ExportPlan plan = makeExportPlan(model, trained, options.tasks);
    std::vector<std::string> names;
    for (const PlanTask& task : plan.tasks) {
        if (task.isClassification()) {
            names.push_back(task.name + "_logits");
            names.push_back(task.name + "_probabilities");
        } else {
            names.push_back(task.name);
        }
    }
    return names;
}

std::string exportOnnx(const TrainedModel& trained, const OnnxExportOptions& options) {
    const Model model = compile(trained.spec, trained.schema);
    const ExportPlan plan = makeExportPlan(model, trained, options.tasks);

    onnx::ModelProto proto;
    proto.set_ir_version(kIrVersion);
    proto.set_producer_name("MTL Workbench");
    proto.set_model_version(1);
    auto* opset = proto.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    onnx::GraphProto& graph = *proto.mutable_graph();
    graph.set_name("mtl_workbench");
    GraphWriter g(graph);

    const auto width = std::int64_t(plan.input.size());
    g.io(true, "input", width);
    std::string x = "input";
    if (!plan.normalizer.isIdentity()) {
        const auto n = std::size_t(width);
        const std::string fill = g.floats("input_fill", {width}, plan.normalizer.fill.data(), n);
        const std::string mean = g.floats("input_mean", {width}, plan.normalizer.mean.data(), n);
        const std::string scale = g.floats("input_scale", {width}, plan.normalizer.scale.data(), n);
        const std::string filled = g.op("Where", {g.op("IsNaN", {x}, "missing"), fill, x}, "filled");
        x = g.op("Mul", {g.op("Sub", {filled, mean}, "centred"), scale}, "normalised");
    }
    std::vector<std::string> outputs;
    for (const PlanStep& step : plan.steps) {
        const std::string in = step.input < 0 ? x : outputs[std::size_t(step.input)];
        const std::string name = plan.copyName(step, model);
        outputs.push_back(step.node->kind == NodeKind::ExpertGate
                              ? emitGate(g, step, in, outputs, trained, name)
                              : emitStep(g, step, in, trained, name));
        if (const int unit = model.stitchAfter(std::size_t(step.instance)); unit >= 0)
            emitCrossStitch(g, model.crossStitches()[std::size_t(unit)], plan, trained.parameters,
                            outputs);
    }
    for (const PlanTask& task : plan.tasks) {
        const std::string& out = outputs[std::size_t(task.step)];
        if (task.isClassification()) {
            g.node("Identity", {out}, task.name + "_logits");
            auto& p = g.node(task.loss == LossKind::SoftmaxCrossEntropy ? "Softmax" : "Sigmoid", {out}, task.name + "_probabilities");
            if (task.loss == LossKind::SoftmaxCrossEntropy) GraphWriter::attr(p, "axis", std::int64_t{1});
            g.io(false, task.name + "_logits", task.outputs);
            g.io(false, task.name + "_probabilities", task.outputs);
        } else {
            const auto k = std::size_t(task.outputs);
            const std::string scale = g.floats(task.name + "_scale", {std::int64_t(k)}, task.restoreScale.data(), k);
            const std::string mean = g.floats(task.name + "_mean", {std::int64_t(k)}, task.restoreMean.data(), k);
            g.node("Add", {g.op("Div", {out, scale}, "unscaled"), mean}, task.name);
            g.io(false, task.name, task.outputs);
        }
    }
    auto* meta = proto.add_metadata_props();
    meta->set_key("mtl.tasks");
    meta->set_value(taskMetadata(plan));
    auto* names = proto.add_metadata_props();
    names->set_key("mtl.input_names");
    names->set_value(nlohmann::json(plan.inputNames).dump());
    try {
        onnx::checker::check_model(proto);
    } catch (const std::exception& e) {
        throw ExportError(std::string("the ONNX checker rejected the exported model: ") + e.what());
    }
    std::string bytes;
    if (!proto.SerializeToString(&bytes)) throw ExportError("could not serialise the ONNX model");
    return bytes;
}

void writeOnnx(const TrainedModel& trained, const std::string& path, const OnnxExportOptions& options) {
    writeFileAtomically(path, exportOnnx(trained, options));
}

} // namespace mtl::core
