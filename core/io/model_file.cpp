#include "io/model_file.h"

#include "io/spec_json.h"
#include "model/model.h"
#include "model/validate.h"
#include "util/atomic_file.h"
#include "util/checksum.h"
#include "util/error.h"

#include <bit>
#include <cmath>
#include <limits>
#include <cstring>
#include <sstream>

namespace mtl::core {
namespace {

static_assert(std::endian::native == std::endian::little, "weights are stored little-endian");

using io::Json;

std::string hex(std::uint64_t value) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

Json rowToJson(const RowVector& v) {
    Json a = Json::array();
    for (Index i = 0; i < v.size(); ++i) a.push_back(io::floatValue(v[i]));
    return a;
}

RowVector rowFrom(const io::JsonObject& o, const char* key, Index expected) {
    const std::vector<double> values = o.numbers(key);
    for (double v : values) {
        if (std::abs(v) > double(std::numeric_limits<float>::max())) o.fail(key, "a number is too large for a float");
    }
    if (Index(values.size()) != expected) {
        o.fail(key, "expected " + std::to_string(expected) + " values, found " +
                        std::to_string(values.size()));
    }
    RowVector v(expected);
    for (Index i = 0; i < expected; ++i) v[i] = float(values[std::size_t(i)]);
    return v;
}

} // namespace

std::string modelToBytes(const TrainedModel& model) {
    Json header{{"spec", io::toJson(model.spec)}, {"schema", io::toJson(model.schema)}};
    if (!model.normalizer.isIdentity()) {
        header["normalizer"] = Json{{"mean", rowToJson(model.normalizer.mean)},
                                    {"scale", rowToJson(model.normalizer.scale)},
                                    {"fill", rowToJson(model.normalizer.fill)}};
    }
    if (!model.targetScaling.isIdentity()) {
        header["target_scaling"] = Json{{"mean", rowToJson(model.targetScaling.mean)},
                                        {"scale", rowToJson(model.targetScaling.scale)}};
    }
    if (model.training) {
        header["training"] = Json{{"status", model.training->status},
                                  {"epochs", model.training->epochs},
                                  {"settings", io::toJson(model.training->settings)}};
        Json covariances = Json::array();
        for (const LearnedCovariance& c : model.training->covariances) {
            covariances.push_back(
                Json{{"layer", c.nodeId}, {"tasks", c.tasks}, {"omega", c.omega}});
        }
        if (!covariances.empty())
            header["training"]["covariances"] = covariances;
        Json gates = Json::array();
        for (const GateUse& g : model.training->gates) {
            gates.push_back(Json{{"gate", g.nodeId},
                                 {"task", g.task},
                                 {"experts", g.experts},
                                 {"weights", g.weights}});
        }
        if (!gates.empty())
            header["training"]["gates"] = gates;
    }
    header["parameter_count"] = model.parameters.size();
    const std::string text = header.dump();
    const std::string weights(reinterpret_cast<const char*>(model.parameters.data()),
                              std::size_t(model.parameters.size()) * sizeof(float));
    const std::uint64_t checksum = fnv1a(weights, fnv1a(text));
    return "MTLMODEL " + std::to_string(kModelFormatVersion) + "\n" + std::to_string(text.size()) +
           " " + std::to_string(weights.size()) + " " + hex(checksum) + "\n" + text + weights;
}

TrainedModel modelFromBytes(const std::string& bytes, const std::string& fileName) {
    auto fail = [&](const std::string& what) { throw FileError(fileName + ": " + what); };
    std::istringstream in(bytes);
    std::string magic, sizes;
    int version = 0;
    if (!(in >> magic >> version) || magic != "MTLMODEL") {
        fail("not an MTL Workbench model file (it does not start with \"MTLMODEL\")");
    }
    if (version < 1 || version > kModelFormatVersion) {
        fail("model format version " + std::to_string(version) + "; this program reads 1 to " +
             std::to_string(kModelFormatVersion));
    }
    std::size_t headerBytes = 0, weightBytes = 0;
    std::string checksum;
    in.ignore(1);
    if (!std::getline(in, sizes) || !(std::istringstream(sizes) >> headerBytes >> weightBytes >> checksum)) {
        fail("line 2: expected \"<header bytes> <weight bytes> <checksum>\"");
    }
    const auto start = static_cast<std::size_t>(in.tellg());
    if (bytes.size() < start + headerBytes + weightBytes) {
        fail("the file is truncated: expected " + std::to_string(start + headerBytes + weightBytes) +
             " bytes, found " + std::to_string(bytes.size()));
    }
    const std::string_view text(bytes.data() + start, headerBytes);
    const std::string_view weights(bytes.data() + start + headerBytes, weightBytes);
    const std::string computed = hex(fnv1a(weights, fnv1a(text)));
    if (computed != checksum) {
        fail("checksum mismatch (stored " + checksum + ", computed " + computed +
             "): the file is damaged");
    }
    const Json root = io::parseJson(std::string(text), fileName);
    io::JsonContext context{fileName, {}};
    const io::JsonObject o(root, "", context);
    TrainedModel model;
    model.spec = io::modelSpecFrom(o.object("spec"));
    model.schema = io::dataSchemaFrom(o.object("schema"));
    if (o.has("normalizer")) {
        const io::JsonObject n = o.object("normalizer");
        model.normalizer.mean = rowFrom(n, "mean", model.schema.inputShape.size());
        model.normalizer.scale = rowFrom(n, "scale", model.schema.inputShape.size());
        model.normalizer.fill = rowFrom(n, "fill", model.schema.inputShape.size());
    }
    if (o.has("target_scaling")) {
        const io::JsonObject s = o.object("target_scaling");
        const auto columns = Index(model.schema.targets.size());
        model.targetScaling.mean = rowFrom(s, "mean", columns);
        model.targetScaling.scale = rowFrom(s, "scale", columns);
    }
    if (o.has("training")) {
        const io::JsonObject t = o.object("training");
        model.training = TrainingRecord{t.string("status"),
                                        t.integer("epochs"),
                                        io::trainingSettingsFrom(t.object("settings")),
                                        {},
                                        {}};
        if (t.has("covariances")) {
            for (const io::JsonObject& c : t.objects("covariances")) {
                LearnedCovariance covariance{c.string("layer"), c.strings("tasks"),
                                             c.numbers("omega")};
                const std::size_t tasks = covariance.tasks.size();
                if (covariance.omega.size() != tasks * tasks)
                    c.fail("omega", "expected " + std::to_string(tasks * tasks) +
                                        " numbers (tasks × tasks)");
                model.training->covariances.push_back(std::move(covariance));
            }
        }
        if (t.has("gates")) {
            for (const io::JsonObject& g : t.objects("gates")) {
                GateUse use{g.string("gate"), g.string("task"), g.strings("experts"),
                            g.numbers("weights")};
                if (use.weights.size() != use.experts.size())
                    g.fail("weights", "expected " + std::to_string(use.experts.size()) +
                                          " numbers (one per expert)");
                model.training->gates.push_back(std::move(use));
            }
        }
    }
    const int count = o.integer("parameter_count");
    if (std::size_t(count) * sizeof(float) != weightBytes) {
        o.fail("parameter_count", std::to_string(count) + " parameters do not fill " +
                                      std::to_string(weightBytes) + " bytes of weights");
    }
    model.parameters.resize(count);
    std::memcpy(model.parameters.data(), weights.data(), weightBytes);
    // Compare sizes before compiling, so a damaged header cannot make compile() allocate for a
    // model the file does not hold.
    const SpecAnalysis analysis = analyze(model.spec, model.schema);
    if (hasErrors(analysis.issues)) (void)compile(model.spec, model.schema); // throws SpecError
    if (analysis.totalParameters != count) {
        fail("the architecture has " + std::to_string(analysis.totalParameters) +
             " parameters but the file stores " + std::to_string(count));
    }
    return model;
}

void writeModel(const TrainedModel& model, const std::string& path) {
    writeFileAtomically(path, modelToBytes(model));
}

TrainedModel readModel(const std::string& path) { return modelFromBytes(readFile(path), path); }

} // namespace mtl::core
