#include "export/pytorch_export.h"

#include "balancing/balancing_method.h"
#include "export/export_plan.h"
#include "export/npz_writer.h"
#include "export/pytorch_config.h"
#include "io/spec_json.h"
#include "model/coupling.h"
#include "model/names.h"
#include "model/node_kind_info.h"
#include "train/covariances.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <cctype>
#include <filesystem>
#include <map>

namespace mtl::core {

namespace {

using Json = nlohmann::ordered_json;

std::string pyString(const std::string& text) { return Json(text).dump(); }

std::string shapeTuple(Shape s) {
    return "(" + std::to_string(s.height) + ", " + std::to_string(s.width) + ", " + std::to_string(s.channels) + ")";
}

// The module a step uses (and its weights), or "" for stateless steps.
std::string moduleFor(const PlanStep& step, const std::string& name, std::vector<NpyArray>& weights,
                      std::map<std::string, std::string>& declared, const Vector& parameters) {
    const NodeSpec& n = *step.node;
    const std::string k = pythonKey(name);
    if (declared.contains(k)) return k;
    const auto p = stepParameters(step, parameters);
    switch (n.kind) {
    case NodeKind::Dense: {
        const auto in = std::size_t(step.inShape.size());
        const auto units = std::size_t(step.outShape.size());
        NpyArray w{"layers." + k + ".weight", {units, in}, std::vector<float>(units * in)};
        for (std::size_t i = 0; i < in; ++i)
            for (std::size_t o = 0; o < units; ++o) w.values[o * in + i] = p[i * units + o]; // W [in, out] → [out, in]
        weights.push_back(std::move(w));
        weights.push_back({"layers." + k + ".bias", {units}, std::vector<float>(p.begin() + long(in * units), p.end())});
        declared[k] = "nn.Linear(" + std::to_string(in) + ", " + std::to_string(units) + ")";
        break;
    }
    case NodeKind::Conv2D: {
        const auto kk = std::size_t(n.kernelSize);
        const auto c = std::size_t(step.inShape.channels);
        const auto f = std::size_t(step.outShape.channels);
        NpyArray w{"layers." + k + ".weight", {f, c, kk, kk}, std::vector<float>(f * c * kk * kk)};
        for (std::size_t fi = 0; fi < f; ++fi)
            for (std::size_t ci = 0; ci < c; ++ci)
                for (std::size_t ky = 0; ky < kk; ++ky)
                    for (std::size_t kx = 0; kx < kk; ++kx)
                        w.values[((fi * c + ci) * kk + ky) * kk + kx] = p[((ky * kk + kx) * c + ci) * f + fi];
        weights.push_back(std::move(w));
        weights.push_back({"layers." + k + ".bias", {f}, std::vector<float>(p.begin() + long(kk * kk * c * f), p.end())});
        declared[k] = "nn.Conv2d(" + std::to_string(c) + ", " + std::to_string(f) + ", kernel_size=" + std::to_string(kk) +
                      ", stride=" + std::to_string(n.stride) + ", padding=" + std::to_string(n.padding) + ")";
        break;
    }
    case NodeKind::LayerNorm: {
        const auto d = std::size_t(step.inShape.size());
        weights.push_back({"layers." + k + ".weight", {d}, std::vector<float>(p.begin(), p.begin() + long(d))});
        weights.push_back({"layers." + k + ".bias", {d}, std::vector<float>(p.begin() + long(d), p.end())});
        declared[k] = "nn.LayerNorm(" + std::to_string(d) + ", eps=1e-5)";
        break;
    }
    case NodeKind::ExpertGate: {
        // nn.Linear(d, E) holds W [d, E] as its weight [E, d].
        const auto experts = step.experts.size();
        const auto d = p.size() / experts - 1;
        NpyArray w{"layers." + k + ".weight", {experts, d}, std::vector<float>(experts * d)};
        for (std::size_t i = 0; i < d; ++i)
            for (std::size_t e = 0; e < experts; ++e)
                w.values[e * d + i] = p[i * experts + e];
        weights.push_back(std::move(w));
        weights.push_back({"layers." + k + ".bias",
                           {experts},
                           std::vector<float>(p.begin() + long(d * experts), p.end())});
        declared[k] = "nn.Linear(" + std::to_string(d) + ", " + std::to_string(experts) + ")";
        break;
    }
    case NodeKind::Input:
    case NodeKind::MaxPool2D:
    case NodeKind::Flatten:
    case NodeKind::Dropout:
    case NodeKind::ReLU:
    case NodeKind::LeakyReLU:
    case NodeKind::Tanh:
    case NodeKind::Sigmoid:
    case NodeKind::GELU:
    case NodeKind::TaskHead:
        return {}; // no parameters, no module
    }
    return k;
}

std::string stepLine(const PlanStep& step, const std::string& x, const std::string& module) {
    const NodeSpec& n = *step.node;
    switch (n.kind) {
    case NodeKind::Dense:
    case NodeKind::LayerNorm: return "self.layers[" + pyString(module) + "](" + x + ")";
    case NodeKind::Conv2D:
        return "_spatial(self.layers[" + pyString(module) + "], " + x + ", " + shapeTuple(step.inShape) + ")";
    case NodeKind::MaxPool2D:
        return "_spatial(lambda image: F.max_pool2d(image, " + std::to_string(n.kernelSize) + ", " + std::to_string(n.stride) +
               "), " + x + ", " + shapeTuple(step.inShape) + ")";
    case NodeKind::ReLU: return "torch.relu(" + x + ")";
    case NodeKind::LeakyReLU: return "F.leaky_relu(" + x + ", " + Json(n.slope).dump() + ")";
    case NodeKind::Tanh: return "torch.tanh(" + x + ")";
    case NodeKind::Sigmoid: return "torch.sigmoid(" + x + ")";
    case NodeKind::GELU: return "F.gelu(" + x + ")";
    case NodeKind::Dropout: return "F.dropout(" + x + ", " + Json(n.rate).dump() + ", self.training)";
    case NodeKind::Flatten: return x;
    case NodeKind::ExpertGate: {
        std::string experts;
        for (int e : step.experts)
            experts += (experts.empty() ? "s" : ", s") + std::to_string(e);
        return "_expert_gate(self.layers[" + pyString(module) + "], " + x + ", [" + experts + "])";
    }
    case NodeKind::Input:
    case NodeKind::TaskHead: break;
    }
    throw ExportError("cannot export node '" + n.id + "'");
}

std::string modelPy(const ExportPlan& plan, const Model& model, const std::vector<std::string>& modules,
                    const std::map<std::string, std::string>& declared, const Json& config) {
    std::string py =
        R"(# Generated by MTL Workbench: the trained multi-task network as a PyTorch module.
# Inputs are raw features (missing values as NaN), as in the app; see README.md.
import json
import os

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "config.json")) as f:
    CONFIG = json.load(f)
TASKS = CONFIG["tasks"]
TRACE_NORM_EPSILON = )" +
        numberText(kTraceNormEpsilon) + R"(  # the core's smoothing of the trace norm
RELATIONSHIP_EPSILON = )" +
        numberText(kRelationshipEpsilon) + R"(  # Ω's stabiliser, relative to tr(WWᵀ)/T


def _cross_stitch(mixing, copies):
    """A cross-stitch unit (Misra et al. 2016): y_t = Σ_s mixing[t, s] x_s over the copies."""
    mixed = torch.einsum("ts,s...->t...", mixing, torch.stack(copies))
    return list(mixed.unbind(0))


def _expert_gate(gate, x, experts):
    """A task's gate over a mixture of experts (MMoE, CGC): y = Σ_e softmax(gate(x))_e · expert_e."""
    weights = torch.softmax(gate(x), dim=1)
    return torch.einsum("be,beh->bh", weights, torch.stack(experts, dim=1))


def _spatial(operation, x, shape):
    """Applies an image operation to flat channels-last rows (the app's layout)."""
    height, width, channels = shape
    # Plain NCHW strides: a permuted (channels-last) view, even of one channel, makes convolutions
    # return weight gradients in channels-last strides, which DistributedDataParallel warns about.
    if channels == 1:
        image = x.reshape(-1, 1, height, width)
    else:
        image = x.reshape(-1, height, width, channels).permute(0, 3, 1, 2).contiguous()
    out = operation(image)
    return out.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


class MultiTaskModel(nn.Module):
    def __init__(self):
        super().__init__()
)";
    const auto width = std::to_string(plan.input.size());
    py += "        self.register_buffer(\"input_fill\", torch.zeros(" + width + "))\n";
    py += "        self.register_buffer(\"input_mean\", torch.zeros(" + width + "))\n";
    py += "        self.register_buffer(\"input_scale\", torch.ones(" + width + "))\n";
    py += "        self.layers = nn.ModuleDict({\n";
    for (const auto& [k, declaration] : declared) py += "            " + pyString(k) + ": " + declaration + ",\n";
    py += "        })\n";
    // Cross-stitch units: one learned T×T mixing matrix each (weights.npz "stitches.<layer>").
    py += "        self.stitches = nn.ParameterDict({\n";
    for (const CrossStitchUnit& unit : model.crossStitches()) {
        const std::string t = std::to_string(unit.instances.size());
        py += "            " + pyString(pythonKey(unit.nodeId)) + ": nn.Parameter(torch.zeros(" +
              t + ", " + t + ")),\n";
    }
    py += "        })\n";
    py +=
        R"(        # The task covariance Ω of relationship-coupled layers (learned by learn_relationships).
        self.omega = {group["layer"]: torch.tensor(group["omega"], dtype=torch.float64)
                      for group in CONFIG["soft_groups"] if group.get("coupling") == "relationship"}

    def forward(self, x):
        """Raw inputs [batch, features] → {task: outputs}: logits for classification, values in
        standard units for regression (as trained; predict() gives the columns' units)."""
        x = torch.where(torch.isnan(x), self.input_fill, x)
        s_in = (x - self.input_mean) * self.input_scale
)";
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        const PlanStep& step = plan.steps[i];
        const std::string x = step.input < 0 ? "s_in" : "s" + std::to_string(step.input);
        py += "        s" + std::to_string(i) + " = " + stepLine(step, x, modules[i]) + "  # " + step.node->id + "\n";
        if (const int unit = model.stitchAfter(std::size_t(step.instance)); unit >= 0) {
            // y_t = Σ_s A[t][s] x_s over the unit's copies (the last steps, in task order).
            const CrossStitchUnit& u = model.crossStitches()[std::size_t(unit)];
            std::string names;
            for (std::size_t c = 0; c < u.instances.size(); ++c)
                names += (c == 0 ? "s" : ", s") + std::to_string(i + 1 - u.instances.size() + c);
            py += "        " + names + " = _cross_stitch(self.stitches[" +
                  pyString(pythonKey(u.nodeId)) + "], [" + names + "])  # cross-stitch\n";
        }
    }
    py += "        return {\n";
    for (const PlanTask& task : plan.tasks) py += "            " + pyString(task.name) + ": s" + std::to_string(task.step) + ",\n";
    py += "        }\n";
    py += R"(
    @torch.no_grad()
    def predict(self, x):
        """{task: values in the column's units, or class probabilities}."""
        was_training = self.training
        self.eval()
        outputs = self.forward(x)
        self.train(was_training)
        result = {}
        for task in TASKS:
            out = outputs[task["name"]]
            if task["loss"] == "cross_entropy":
                result[task["name"]] = torch.softmax(out, dim=1)
            elif task["loss"] == "binary_cross_entropy":
                result[task["name"]] = torch.sigmoid(out)
            else:
                scale = torch.tensor(task["restore_scale"], dtype=out.dtype, device=out.device)
                mean = torch.tensor(task["restore_mean"], dtype=out.dtype, device=out.device)
                result[task["name"]] = out / scale + mean
        return result

    def _copies(self, group):
        """W: the copies' weights, one flattened row per copy (task)."""
        return torch.stack([self.layers[name].weight.reshape(-1) for name in group["copies"]])

    def penalty(self):
        """Soft sharing: each soft-shared layer's coupling of its copies' weights W (rows w_t):
        mean_l2       λ Σ_t ‖w_t − w̄‖²
        trace_norm    λ Σ_i √(σ_i² + ε): the trace norm ‖W‖_*, smoothed (ε = TRACE_NORM_EPSILON)
        relationship  λ tr(Ω⁻¹ W Wᵀ) with the task covariance Ω of learn_relationships()."""
        total = torch.zeros((), device=self.input_mean.device)
        for group in CONFIG["soft_groups"]:
            weights = self._copies(group)
            coupling = group.get("coupling", "mean_l2")
            if coupling == "mean_l2":
                total = total + group["lambda"] * ((weights - weights.mean(dim=0)) ** 2).sum()
                continue
            gram = weights.double() @ weights.double().T
            if coupling == "trace_norm":
                eye = torch.eye(len(gram), dtype=gram.dtype, device=gram.device)
                roots = torch.linalg.eigvalsh(gram + TRACE_NORM_EPSILON * eye).clamp_min(TRACE_NORM_EPSILON).sqrt()
                total = total + (group["lambda"] * roots.sum()).to(total.dtype)
            else:
                inverse = torch.linalg.inv(self.omega[group["layer"]].to(gram.device))
                total = total + (group["lambda"] * (inverse * gram).sum()).to(total.dtype)
        return total

    @torch.no_grad()
    def learn_relationships(self, step, epoch_end):
        """MTRL's closed-form step for each relationship-coupled layer whose update is due:
        Ω = (WWᵀ + εI)^½ / tr((WWᵀ + εI)^½), ε = RELATIONSHIP_EPSILON · tr(WWᵀ)/T."""
        for group in CONFIG["soft_groups"]:
            if group.get("coupling") != "relationship":
                continue
            every = group["relationship_every"]
            if not (step % every == 0 if every > 0 else epoch_end):
                continue
            weights = self._copies(group).double()
            gram = weights @ weights.T
            epsilon = max(RELATIONSHIP_EPSILON * gram.trace().item() / len(gram), 1e-12)
            values, vectors = torch.linalg.eigh(gram)
            root = vectors @ torch.diag(torch.sqrt(values.clamp_min(0.0) + epsilon)) @ vectors.T
            self.omega[group["layer"]] = (root / root.trace()).cpu()


def load(path=os.path.join(HERE, "weights.npz"), device="cpu"):
    """The model with the exported (or a train.py-saved) weights."""
    model = MultiTaskModel()
    with np.load(path) as arrays:
        model.load_state_dict({name: torch.from_numpy(np.ascontiguousarray(arrays[name])) for name in arrays.files})
    return model.to(device)
)";
    (void)model;
    (void)config;
    return py;
}

} // namespace

std::vector<std::string> exportPyTorch(const TrainedModel& trained, const std::string& directory,
                                       const PyTorchExportOptions& options) {
    const Model model = compile(trained.spec, trained.schema);
    const ExportPlan plan = makeExportPlan(model, trained, options.tasks);
    std::vector<NpyArray> weights;
    std::map<std::string, std::string> declared;
    std::vector<std::string> modules;
    for (const PlanStep& step : plan.steps) {
        modules.push_back(moduleFor(step, plan.copyName(step, model), weights, declared, trained.parameters));
    }
    const auto width = std::size_t(plan.input.size());
    const Normalizer& norm = plan.normalizer;
    const auto row = [&](const RowVector& v, float identity) {
        return norm.isIdentity() ? std::vector<float>(width, identity) : std::vector<float>(v.data(), v.data() + v.size());
    };
    for (const CrossStitchUnit& unit : model.crossStitches()) {
        const auto copies = unit.instances.size();
        const float* a = trained.parameters.data() + unit.parameterOffset;
        weights.push_back({"stitches." + pythonKey(unit.nodeId),
                           {copies, copies},
                           std::vector<float>(a, a + copies * copies)});
    }
    weights.push_back({"input_fill", {width}, row(norm.fill, 0.0f)});
    weights.push_back({"input_mean", {width}, row(norm.mean, 0.0f)});
    weights.push_back({"input_scale", {width}, row(norm.scale, 1.0f)});

    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) throw FileError("cannot create '" + directory + "': " + ec.message());
    const auto path = [&](const char* file) { return (fs::path(directory) / file).string(); };
    std::vector<std::string> written;
    const Json config = pytorchConfig(trained, plan, model);
    writeFileAtomically(path("config.json"), config.dump(2) + "\n");
    written.push_back(path("config.json"));
    writeFileAtomically(path("model.py"), modelPy(plan, model, modules, declared, config));
    written.push_back(path("model.py"));
    writeNpz(path("weights.npz"), weights);
    written.push_back(path("weights.npz"));
    writeFileAtomically(path("train.py"), pytorchTrainScript());
    written.push_back(path("train.py"));
    writeFileAtomically(path("balancing.py"), pytorchBalancingScript());
    written.push_back(path("balancing.py"));
    writeFileAtomically(path("balancing_solvers.py"), pytorchBalancingSolversScript());
    written.push_back(path("balancing_solvers.py"));
    const TrainingSettings settings = trained.training ? trained.training->settings : TrainingSettings{};
    writeFileAtomically(path("README.md"), pytorchReadme(config, settings.balancing));
    written.push_back(path("README.md"));
    if (options.sample != nullptr && options.sample->rows() > 0) {
        const Dataset& data = *options.sample;
        const auto rows = std::size_t(std::min(options.sampleRows, data.rows()));
        NpyArray inputs{"inputs", {rows, std::size_t(data.inputs.cols())}, {}};
        inputs.values.assign(data.inputs.data(), data.inputs.data() + rows * std::size_t(data.inputs.cols()));
        NpyArray targets{"targets", {rows, std::size_t(data.targets.cols())}, {}};
        targets.values.assign(data.targets.data(), data.targets.data() + rows * std::size_t(data.targets.cols()));
        writeNpz(path("sample_data.npz"), {inputs, targets});
        written.push_back(path("sample_data.npz"));
    }
    return written;
}

} // namespace mtl::core
