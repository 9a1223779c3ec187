#include "export/pytorch_export.h"

#include "balancing/balancing_method.h"
#include "export/export_plan.h"
#include "export/npz_writer.h"
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

// A Python identifier for a module key ("task 2" → "task_2").
std::string key(const std::string& name) {
    std::string out;
    for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front())) != 0) out = "m_" + out;
    return out;
}

std::string pyString(const std::string& text) { return Json(text).dump(); }

std::string shapeTuple(Shape s) {
    return "(" + std::to_string(s.height) + ", " + std::to_string(s.width) + ", " + std::to_string(s.channels) + ")";
}

// The module a step uses (and its weights), or "" for stateless steps.
std::string moduleFor(const PlanStep& step, const std::string& name, std::vector<NpyArray>& weights,
                      std::map<std::string, std::string>& declared, const Vector& parameters) {
    const NodeSpec& n = *step.node;
    const std::string k = key(name);
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
    case NodeKind::Input:
    case NodeKind::TaskHead: break;
    }
    throw ExportError("cannot export node '" + n.id + "'");
}

// The parameters of hard-shared layers: one parameter set that more than one exported task's
// loss reaches (as the core's TaskGradients decides). A hard-shared layer below a soft-shared one
// runs once per task but still has one set. The gradient-based balancing methods of train.py
// combine the tasks' gradients on these; the other parameters take their own task's gradient.
Json sharedParameters(const ExportPlan& plan, const Model& model) {
    TaskMask exported = 0;
    for (const PlanTask& task : plan.tasks) exported |= TaskMask{1} << task.index;
    std::map<std::string, TaskMask> tasksOfModule; // module key → tasks through it
    for (const PlanStep& step : plan.steps) {
        if (step.parameterCount == 0) continue;
        tasksOfModule[key(plan.copyName(step, model))] |= model.instances()[std::size_t(step.instance)].tasks & exported;
    }
    Json names = Json::array();
    for (const auto& [module, tasks] : tasksOfModule) {
        if (std::popcount(tasks) < 2) continue;
        // Every parameterised layer the export writes (Dense, Conv2D, LayerNorm) has a weight and a bias.
        names.push_back("layers." + module + ".weight");
        names.push_back("layers." + module + ".bias");
    }
    // A cross-stitch unit's mixing matrix serves every task it mixes (as the core's TaskGradients).
    for (const CrossStitchUnit& unit : model.crossStitches()) {
        if (std::popcount(unit.tasks & exported) >= 2)
            names.push_back("stitches." + key(unit.nodeId));
    }
    return names;
}

Json configJson(const TrainedModel& trained, const ExportPlan& plan, const Model& model) {
    Json tasks = Json::array();
    for (const PlanTask& task : plan.tasks) {
        const TaskInfo& info = model.tasks()[std::size_t(task.index)];
        Json t{{"name", task.name}, {"loss", std::string(toString(task.loss))}, {"weight", info.weight},
               {"huber_delta", info.huberDelta}, {"outputs", task.outputs}, {"targets", task.targetNames},
               {"target_columns", info.targetColumns}, {"restore_mean", task.restoreMean}, {"restore_scale", task.restoreScale}};
        if (!task.classLabels.empty()) t["class_labels"] = task.classLabels;
        tasks.push_back(t);
    }
    Json soft = Json::array();
    const Relationships relationships = relationshipsFrom(
        model, trained.training ? trained.training->covariances : std::vector<LearnedCovariance>{});
    for (std::size_t g = 0; g < model.softGroups().size(); ++g) {
        const SoftGroup& group = model.softGroups()[g];
        // The penalty couples weight matrices only (as the core's weight mask): a soft-shared
        // LayerNorm's gains and shifts are per task and free.
        const NodeSpec* node = model.spec().find(group.nodeId);
        if (node == nullptr || (node->kind != NodeKind::Dense && node->kind != NodeKind::Conv2D)) continue;
        std::map<int, std::string> copyKeys; // in the core's copy order, which Ω follows
        for (const PlanStep& step : plan.steps) {
            if (step.node->id == group.nodeId)
                copyKeys.emplace(step.copy, key(plan.copyName(step, model)));
        }
        if (copyKeys.size() < 2)
            continue;
        Json copies = Json::array();
        for (const auto& [copy, k] : copyKeys)
            copies.push_back(k);
        Json entry{{"layer", group.nodeId},
                   {"lambda", group.couplingStrength},
                   {"copies", copies},
                   {"coupling", std::string(toString(group.coupling))}};
        if (group.coupling == Coupling::Relationship) {
            Json omega = Json::array(); // the exported copies' block of Ω
            for (const auto& [row, rowKey] : copyKeys) {
                Json line = Json::array();
                for (const auto& [column, columnKey] : copyKeys)
                    line.push_back(relationships.omega[g](row, column));
                omega.push_back(line);
            }
            entry["omega"] = omega;
            entry["relationship_every"] = group.relationshipEvery;
        }
        soft.push_back(entry);
    }
    Json config{{"format", "mtl-workbench-pytorch"}, {"version", 1}, {"input_size", plan.input.size()},
                {"input_shape", {plan.input.height, plan.input.width, plan.input.channels}},
                {"input_names", plan.inputNames}, {"tasks", tasks}, {"soft_groups", soft},
                {"shared_parameters", sharedParameters(plan, model)}};
    TrainingSettings settings = trained.training ? trained.training->settings : TrainingSettings{};
    config["training"] = io::toJson(settings);
    return config;
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
        py += "            " + pyString(key(unit.nodeId)) + ": nn.Parameter(torch.zeros(" + t +
              ", " + t + ")),\n";
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
            py += "        " + names + " = _cross_stitch(self.stitches[" + pyString(key(u.nodeId)) +
                  "], [" + names + "])  # cross-stitch\n";
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

// The README's part on task balancing: which methods train.py continues and how.
std::string balancingReadme(const BalancingSettings& project) {
    // balancing.py has every method but MGDA-UB, on the shared parameters only.
    std::string continued;
    for (const BalancingMethod& m : balancingMethods()) {
        if (m.kind != BalancingKind::MgdaUb) continued += (continued.empty() ? "`" : ", `") + m.name + "`";
    }
    const bool continuable = project.space() == GradientSpace::Parameters;
    const std::string chosen = balancingMethod(project.kind).title + " (`" + formatBalancing(project) + "`)";
    return R"(
## Task balancing

This project balances its tasks with )" + chosen + (continuable ? ", and `train.py` continues with it." : R"(, which `train.py`
cannot continue (see below): give it `--balancing`.)") + R"(
`balancing.py` holds the app's methods, with their algorithms and defaults:

)" + continued + R"(.

Gradient-based methods take each task's gradient on the shared parameters (`shared_parameters` in
config.json: the hard-shared layers; one backward pass per task) and update them along the
combination the method chooses; task-specific parameters take their own task's gradient. With
`--processes`, each task's gradient and loss are averaged over the workers whose batch has the
task before they are combined, so every worker takes the same step.

What a method learned during the app's run is not exported yet and starts afresh: uncertainty
weighting's log σ² (from its `init`), DWA's epoch losses, FAMO's weight logits, GradNorm's weights
and first losses, DB-MTL's gradient averages, Nash-MTL's and FairGrad's fallback weights (for a
step where no direction improves every task). train.py says so when it starts.

It cannot continue MGDA-UB or a method with `space=representation` (gradients on the shared
representation): it stops and says so. `--balancing NAME[:PARAM=VALUE,…]` chooses another method,
as `mtl train --balancing` does, e.g. `python3 train.py --balancing equal` or
`--balancing cagrad:c=0.4`.
)";
}

std::string readme(const Json& config, const BalancingSettings& balancing) {
    std::string tasks;
    for (const auto& t : config["tasks"]) tasks += "- `" + t["name"].get<std::string>() + "` (" + t["loss"].get<std::string>() + ")\n";
    return R"(# Exported from MTL Workbench

Tasks:
)" + tasks + R"(
```python
import torch
from model import load
model = load()                       # weights.npz
x = torch.tensor(rows, dtype=torch.float32)   # raw features, NaN where missing
print(model.predict(x))              # values in the columns' units / class probabilities
```

Continue training (same optimizer, schedule, task weights, soft-sharing penalty and task
balancing, see below):

```sh
python3 train.py --epochs 5                              # CPU or one GPU
python3 train.py --epochs 5 --processes 4                # 4 local workers, DistributedDataParallel
torchrun --nnodes 2 --nproc_per_node 4 --rdzv-endpoint HOST:29500 train.py --epochs 5
                                                         # several machines (PyTorch ≥ 2's torchrun)
```

`--processes N` starts the workers itself (one per GPU when there are GPUs, else CPU workers that
share the cores over gloo) and works with any PyTorch; Debian 12's `torchrun` (PyTorch 1.13 with
Python 3.11) fails before starting a worker. With several workers, train.py prints the largest
weight difference between them at the end (0: they stayed in step).

`train.py` reads `sample_data.npz` unless given `--data FILE.npz` (arrays `inputs` [rows,
features], raw, and `targets` [rows, columns], class indices or values, NaN where missing) and
writes `trained.npz`, which `load("trained.npz")` reads.
)" + balancingReadme(balancing);
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
        weights.push_back({"stitches." + key(unit.nodeId),
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
    const Json config = configJson(trained, plan, model);
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
    writeFileAtomically(path("README.md"), readme(config, settings.balancing));
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
