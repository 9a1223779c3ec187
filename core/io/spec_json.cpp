#include "io/spec_json.h"

#include "data/date_column.h"
#include "model/names.h"
#include "model/node_kind_info.h"
#include "util/error.h"

#include <algorithm>

namespace mtl::core::io {
namespace {

template <typename Enum, typename Parse>
Enum parseWord(const JsonObject& o, const char* key, Parse parse, const std::string& valid,
               Enum fallback, bool required) {
    if (!required && !o.has(key)) return fallback;
    const std::string word = o.string(key);
    const auto value = parse(word);
    if (!value) o.fail(key, "unknown value \"" + word + "\" (valid: " + valid + ")");
    return *value;
}

float floatField(const JsonObject& o, const char* key, float fallback) {
    return o.float32(key, fallback);
}

Json taskToJson(const TaskSpec& task) {
    Json j;
    j["name"] = task.name;
    j["loss"] = std::string(toString(task.loss));
    j["targets"] = task.targets;
    j["weight"] = floatValue(task.weight);
    if (task.loss == LossKind::Huber) j["huber_delta"] = floatValue(task.huberDelta);
    return j;
}

TaskSpec taskFrom(const JsonObject& o) {
    TaskSpec task;
    task.name = o.string("name");
    task.loss = parseWord(o, "loss", parseLossKind, validLossKinds(), LossKind::MSE, true);
    task.targets = o.strings("targets");
    task.weight = floatField(o, "weight", 1.0f);
    if (task.loss == LossKind::Huber) task.huberDelta = floatField(o, "huber_delta", 1.0f);
    return task;
}

Json fieldToJson(const NodeField& f, double value) {
    if (f.type == FieldType::Integer)
        return Json(static_cast<std::int64_t>(value));
    if (f.type == FieldType::Number)
        return floatValue(static_cast<float>(value));
    for (const FieldChoice& c : f.choices) {
        if (c.value == static_cast<int>(value))
            return std::string(c.word);
    }
    return std::string(f.choices.front().word);
}

// A field whose key is present (or required: then JsonObject names it when it is missing).
double fieldFrom(const JsonObject& o, const NodeField& f) {
    const std::string key(f.json);
    if (f.type == FieldType::Integer)
        return o.integer(key.c_str());
    if (f.type == FieldType::Number)
        return o.float32(key.c_str(), float(o.number(key.c_str())));
    const std::string word = o.string(key.c_str());
    std::string valid;
    for (const FieldChoice& c : f.choices) {
        if (c.word == word)
            return c.value;
        valid += std::string(valid.empty() ? "" : " or ") + std::string(c.word);
    }
    o.fail(key.c_str(), "unknown value \"" + word + "\" (valid: " + valid + ")");
}

Json nodeToJson(const NodeSpec& n) {
    Json j;
    j["id"] = n.id;
    j["kind"] = std::string(toString(n.kind));
    for (const NodeField& f : kindInfo(n.kind).fields)
        j[std::string(f.json)] = fieldToJson(f, f.get(n));
    if (n.kind == NodeKind::TaskHead)
        j["task"] = taskToJson(n.task);
    if (hasParameters(n.kind)) {
        j["sharing"] = std::string(toString(n.sharing));
        if (n.sharing == SharingMode::Soft) {
            j["coupling_strength"] = floatValue(n.couplingStrength);
            if (n.coupling != Coupling::MeanL2)
                j["coupling"] = std::string(toString(n.coupling));
            if (n.coupling == Coupling::Relationship)
                j["relationship_every"] = n.relationshipEvery;
            if (n.crossStitch)
                j["cross_stitch"] = true;
        }
    }
    j["position"] = Json::array({n.x, n.y});
    return j;
}

NodeSpec nodeFrom(const JsonObject& o) {
    NodeSpec n;
    n.id = o.string("id");
    n.kind = parseWord(o, "kind", parseNodeKind, validNodeKinds(), NodeKind::Dense, true);
    const NodeKindInfo& kind = kindInfo(n.kind);
    for (const NodeField& f : kind.fields) {
        const bool required = !f.absent && f.absentAs.empty();
        if (required || o.has(std::string(f.json).c_str()))
            f.set(n, fieldFrom(o, f));
        else
            f.set(n, f.absent ? *f.absent : findField(n.kind, f.absentAs)->get(n));
    }
    if (n.kind == NodeKind::TaskHead)
        n.task = taskFrom(o.object("task"));
    if (hasParameters(n.kind)) {
        n.sharing = parseWord(o, "sharing", parseSharingMode, "hard or soft", SharingMode::Hard, false);
        if (n.sharing == SharingMode::Soft) {
            n.couplingStrength = floatField(o, "coupling_strength", 1e-3f);
            n.coupling = parseWord(o, "coupling", parseCoupling,
                                   "mean_l2, trace_norm or relationship", Coupling::MeanL2, false);
            if (n.coupling == Coupling::Relationship)
                n.relationshipEvery = o.integer("relationship_every", 0);
            n.crossStitch = o.boolean("cross_stitch", false);
        }
    }
    if (o.has("position")) {
        const std::vector<double> xy = o.numbers("position");
        if (xy.size() != 2) o.fail("position", "expected [x, y]");
        n.x = xy[0];
        n.y = xy[1];
    }
    return n;
}

} // namespace

Json toJson(const ModelSpec& spec) {
    Json nodes = Json::array();
    for (const NodeSpec& n : spec.nodes) nodes.push_back(nodeToJson(n));
    Json edges = Json::array();
    for (const EdgeSpec& e : spec.edges) edges.push_back(Json{{"from", e.from}, {"to", e.to}});
    Json j{{"nodes", nodes}, {"edges", edges}};
    if (spec.flow != LayoutFlow::LeftToRight)
        j["layout"] = std::string(toString(spec.flow));
    return j;
}

ModelSpec modelSpecFrom(const JsonObject& o) {
    ModelSpec spec;
    for (const JsonObject& node : o.objects("nodes")) spec.nodes.push_back(nodeFrom(node));
    for (const JsonObject& edge : o.objects("edges")) {
        spec.edges.push_back({edge.string("from"), edge.string("to")});
    }
    spec.flow = parseWord(o, "layout", parseLayoutFlow, "left_to_right or top_to_bottom",
                          LayoutFlow::LeftToRight, false);
    return spec;
}

Json toJson(const DataSchema& schema) {
    Json targets = Json::array();
    for (const TargetColumn& t : schema.targets) {
        Json j{{"name", t.name}};
        if (t.isCategorical()) j["classes"] = t.classLabels;
        targets.push_back(j);
    }
    const Shape& s = schema.inputShape;
    Json j{{"input_shape", Json::array({s.height, s.width, s.channels})},
           {"input_names", schema.inputNames}};
    if (!schema.inputColumns.empty()) {
        Json columns = Json::array();
        for (const InputColumn& c : schema.inputColumns) {
            Json column{{"name", c.name}};
            if (c.isCategorical()) {
                column["categories"] = c.categories;
                column["fill_category"] = c.fillCategory;
            }
            if (c.isDate()) {
                column["date_format"] = c.dateFormat;
                column["date_time"] = c.dateHasTime;
            }
            if (c.textAsMissing) column["text_as_missing"] = true;
            columns.push_back(column);
        }
        j["input_columns"] = columns;
    }
    j["targets"] = targets;
    return j;
}

DataSchema dataSchemaFrom(const JsonObject& o) {
    DataSchema schema;
    const std::vector<double> shape = o.numbers("input_shape");
    if (shape.size() != 3) o.fail("input_shape", "expected [height, width, channels]");
    schema.inputShape = {int(shape[0]), int(shape[1]), int(shape[2])};
    if (schema.inputShape.height < 1 || schema.inputShape.width < 1 || schema.inputShape.channels < 1)
        o.fail("input_shape", "every dimension must be at least 1");
    schema.inputNames = o.strings("input_names");
    if (o.has("input_columns")) {
        for (const JsonObject& c : o.objects("input_columns")) {
            InputColumn column;
            column.name = c.string("name");
            if (c.has("categories")) {
                column.categories = c.strings("categories");
                column.fillCategory = c.integer("fill_category", 0);
                if (column.fillCategory < 0 || column.fillCategory >= int(column.categories.size()))
                    c.fail("fill_category", "must index one of the categories");
            }
            if (c.has("date_format")) {
                column.dateFormat = c.string("date_format");
                if (!parseDateFormat(column.dateFormat))
                    c.fail("date_format", "expected yyyy-mm-dd, yyyy/mm/dd, dd.mm.yyyy, mm/dd/yyyy or dd/mm/yyyy");
                column.dateHasTime = c.boolean("date_time", false);
            }
            column.textAsMissing = c.boolean("text_as_missing", false);
            schema.inputColumns.push_back(std::move(column));
        }
    }
    for (const JsonObject& t : o.objects("targets")) {
        TargetColumn column{t.string("name"), {}};
        if (t.has("classes")) column.classLabels = t.strings("classes");
        schema.targets.push_back(std::move(column));
    }
    return schema;
}

Json toJson(const TrainingSettings& s) {
    const OptimizerSettings& o = s.optimizer;
    Json optimizer{{"kind", std::string(toString(o.kind))},
                   {"learning_rate", floatValue(o.learningRate)},
                   {"weight_decay", floatValue(o.weightDecay)}};
    if (o.kind == OptimizerKind::SGD) {
        optimizer["momentum"] = floatValue(o.momentum);
        optimizer["nesterov"] = o.nesterov;
    } else if (o.kind == OptimizerKind::RMSprop) {
        optimizer["alpha"] = floatValue(o.alpha);
    } else {
        optimizer["beta1"] = floatValue(o.beta1);
        optimizer["beta2"] = floatValue(o.beta2);
    }
    optimizer["epsilon"] = floatValue(o.epsilon);
    const ScheduleSettings& sc = s.schedule;
    Json schedule{{"kind", std::string(toString(sc.kind))}, {"warmup_steps", sc.warmupSteps}};
    if (sc.kind == ScheduleKind::Step) {
        schedule["step_epochs"] = sc.stepEpochs;
        schedule["gamma"] = floatValue(sc.gamma);
    } else if (sc.kind == ScheduleKind::Cosine) {
        schedule["min_learning_rate"] = floatValue(sc.minLearningRate);
    }
    return Json{{"epochs", s.epochs},
                {"batch_size", s.batchSize},
                {"optimizer", optimizer},
                {"schedule", schedule},
                {"seed", s.seed},
                {"threads", s.threads},
                {"validation_fraction", floatValue(s.validationFraction)},
                {"test_fraction", floatValue(s.testFraction)},
                {"early_stopping_patience", s.earlyStoppingPatience},
                {"restore_best_weights", s.restoreBestWeights},
                {"normalize_task_weights", s.normalizeTaskWeights},
                {"clip_norm", floatValue(s.clipNorm)},
                {"standardize_inputs", s.standardizeInputs},
                {"standardize_targets", s.standardizeTargets},
                {"balancing", toJson(s.balancing)},
                {"relations_every", s.relationsEvery}};
}

Json toJson(const BalancingSettings& b) {
    const BalancingMethod& method = balancingMethod(b.kind);
    Json j{{"method", method.name}};
    for (const BalancingParameter& p : method.parameters) {
        const auto it = b.parameters.find(p.name);
        if (it == b.parameters.end()) continue;
        if (p.choices.empty()) j[p.name] = it->second;
        else j[p.name] = parameterText(p, it->second);
    }
    return j;
}

BalancingSettings balancingFrom(const JsonObject& o) {
    BalancingSettings b;
    const std::string name = o.string("method", "static");
    const auto kind = parseBalancingKind(name);
    if (!kind) {
        std::string valid;
        for (const BalancingMethod& m : balancingMethods()) valid += (valid.empty() ? "" : ", ") + m.name;
        o.fail("method", "\"" + name + "\" is not a balancing method (methods: " + valid + ")");
    }
    b.kind = *kind;
    for (const BalancingParameter& p : balancingMethod(b.kind).parameters) {
        if (!o.has(p.name.c_str())) continue;
        if (p.choices.empty()) {
            b.parameters[p.name] = o.number(p.name.c_str());
            continue;
        }
        const std::string word = o.string(p.name.c_str());
        const auto it = std::find(p.choices.begin(), p.choices.end(), word);
        if (it == p.choices.end()) {
            std::string valid;
            for (const std::string& c : p.choices) valid += (valid.empty() ? "" : ", ") + c;
            o.fail(p.name.c_str(), "expected one of " + valid);
        }
        b.parameters[p.name] = double(it - p.choices.begin());
    }
    try {
        checkBalancing(b);
    } catch (const SettingError& e) {
        o.fail("method", e.what());
    }
    return b;
}

TrainingSettings trainingSettingsFrom(const JsonObject& j) {
    TrainingSettings s;
    s.epochs = j.integer("epochs", s.epochs);
    s.batchSize = j.integer("batch_size", int(s.batchSize));
    if (j.has("optimizer")) {
        const JsonObject o = j.object("optimizer");
        OptimizerSettings& opt = s.optimizer;
        opt.kind = parseWord(o, "kind", parseOptimizerKind, validOptimizerKinds(), opt.kind, false);
        opt.learningRate = floatField(o, "learning_rate", opt.learningRate);
        opt.weightDecay = floatField(o, "weight_decay", opt.weightDecay);
        opt.momentum = floatField(o, "momentum", opt.momentum);
        opt.nesterov = o.boolean("nesterov", opt.nesterov);
        opt.alpha = floatField(o, "alpha", opt.alpha);
        opt.beta1 = floatField(o, "beta1", opt.beta1);
        opt.beta2 = floatField(o, "beta2", opt.beta2);
        opt.epsilon = floatField(o, "epsilon", opt.epsilon);
    }
    if (j.has("schedule")) {
        const JsonObject o = j.object("schedule");
        ScheduleSettings& sc = s.schedule;
        sc.kind = parseWord(o, "kind", parseScheduleKind, validScheduleKinds(), sc.kind, false);
        sc.warmupSteps = o.integer("warmup_steps", int(sc.warmupSteps));
        sc.stepEpochs = o.integer("step_epochs", sc.stepEpochs);
        sc.gamma = floatField(o, "gamma", sc.gamma);
        sc.minLearningRate = floatField(o, "min_learning_rate", sc.minLearningRate);
    }
    s.seed = j.unsignedInteger("seed", s.seed);
    s.threads = j.integer("threads", s.threads);
    s.validationFraction = floatField(j, "validation_fraction", s.validationFraction);
    s.testFraction = floatField(j, "test_fraction", s.testFraction);
    s.earlyStoppingPatience = j.integer("early_stopping_patience", s.earlyStoppingPatience);
    s.restoreBestWeights = j.boolean("restore_best_weights", s.restoreBestWeights);
    s.normalizeTaskWeights = j.boolean("normalize_task_weights", s.normalizeTaskWeights);
    s.clipNorm = floatField(j, "clip_norm", s.clipNorm);
    s.standardizeInputs = j.boolean("standardize_inputs", s.standardizeInputs);
    s.standardizeTargets = j.boolean("standardize_targets", s.standardizeTargets);
    if (j.has("balancing")) s.balancing = balancingFrom(j.object("balancing"));
    s.relationsEvery = j.integer("relations_every", s.relationsEvery);
    return s;
}

Json toJson(const SyntheticSettings& s) {
    Json j{{"samples", s.samples},          {"features", s.features},
           {"latent", s.latent},            {"tasks", s.tasks},
           {"task_spread", floatValue(s.taskSpread)}, {"noise", floatValue(s.noise)},
           {"classification", s.classification}};
    if (s.classification) j["classes"] = s.classes;
    j["seed"] = s.seed;
    return j;
}

SyntheticSettings syntheticSettingsFrom(const JsonObject& o) {
    SyntheticSettings s;
    s.samples = o.integer("samples", int(s.samples));
    s.features = o.integer("features", s.features);
    s.latent = o.integer("latent", s.latent);
    s.tasks = o.integer("tasks", s.tasks);
    s.taskSpread = floatField(o, "task_spread", s.taskSpread);
    s.noise = floatField(o, "noise", s.noise);
    s.classification = o.boolean("classification", s.classification);
    s.classes = o.integer("classes", s.classes);
    s.seed = o.unsignedInteger("seed", s.seed);
    return s;
}

Json toJson(const RelatednessSettings& s) {
    Json rho = Json::array();
    for (float r : s.rho) rho.push_back(floatValue(r));
    Json j{{"samples", s.samples}, {"features", s.features}, {"rho", rho},
           {"conflicting_pair", s.conflictingPair}};
    if (s.conflictingPair) j["disagreement"] = floatValue(s.disagreement);
    j["nonlinear_terms"] = s.nonlinearTerms;
    j["scale"] = floatValue(s.scale);
    j["noise"] = floatValue(s.noise);
    j["seed"] = s.seed;
    return j;
}

RelatednessSettings relatednessSettingsFrom(const JsonObject& o) {
    RelatednessSettings s;
    s.samples = o.integer("samples", int(s.samples));
    s.features = o.integer("features", s.features);
    if (o.has("rho")) {
        s.rho.clear();
        for (double r : o.numbers("rho")) s.rho.push_back(static_cast<float>(r));
    }
    s.conflictingPair = o.boolean("conflicting_pair", s.conflictingPair);
    s.disagreement = floatField(o, "disagreement", s.disagreement);
    s.nonlinearTerms = o.integer("nonlinear_terms", s.nonlinearTerms);
    s.scale = floatField(o, "scale", s.scale);
    s.noise = floatField(o, "noise", s.noise);
    s.seed = o.unsignedInteger("seed", s.seed);
    if (const auto problem = findProblem(s)) o.fail(problem->field.c_str(), problem->message);
    return s;
}

} // namespace mtl::core::io
