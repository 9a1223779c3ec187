#include "io/experiment_json.h"

#include "util/error.h"

namespace mtl::core {

using io::Json;
using io::JsonObject;

Json experimentSpecToJson(const ExperimentSpec& spec) {
    Json methods = Json::array();
    for (const BalancingSettings& m : spec.methods)
        methods.push_back(formatBalancing(m));
    Json rates = Json::array();
    for (float lr : spec.learningRates)
        rates.push_back(io::floatValue(lr));
    return Json{{"name", spec.name},
                {"methods", methods},
                {"sharing", spec.sharing},
                {"learning_rates", rates},
                {"batch_sizes", spec.batchSizes},
                {"seeds", spec.seeds},
                {"baselines", spec.baselines},
                {"epochs", spec.epochs},
                {"runs_at_once", spec.runsAtOnce}};
}

ExperimentSpec experimentSpecFrom(const JsonObject& o) {
    ExperimentSpec spec;
    spec.name = o.string("name", "experiment");
    if (o.has("methods")) {
        for (const std::string& text : o.strings("methods")) {
            try {
                spec.methods.push_back(parseBalancing(text));
            } catch (const SettingError& e) {
                o.fail("methods", e.what());
            }
        }
    }
    if (o.has("sharing")) {
        for (const std::string& text : o.strings("sharing")) {
            try {
                ModelSpec probe;
                applySharing(probe, text);
            } catch (const SettingError& e) {
                o.fail("sharing", e.what());
            }
            spec.sharing.push_back(text);
        }
    }
    if (o.has("learning_rates")) {
        for (double lr : o.numbers("learning_rates")) {
            if (!(lr > 0.0 && lr < 1e6))
                o.fail("learning_rates", "every learning rate must be > 0");
            spec.learningRates.push_back(float(lr));
        }
    }
    if (o.has("batch_sizes")) {
        for (double batch : o.numbers("batch_sizes")) {
            if (!(batch >= 1 && batch < 1e9) || batch != double(Index(batch))) {
                o.fail("batch_sizes", "expected whole numbers ≥ 1");
            }
            spec.batchSizes.push_back(Index(batch));
        }
    }
    spec.seeds = o.integer("seeds", spec.seeds);
    if (spec.seeds < 1 || spec.seeds > 1000)
        o.fail("seeds", "expected 1 … 1000");
    spec.baselines = o.boolean("baselines", spec.baselines);
    spec.epochs = o.integer("epochs", spec.epochs);
    if (spec.epochs < 0)
        o.fail("epochs", "must be ≥ 0 (0: the project's)");
    spec.runsAtOnce = o.integer("runs_at_once", 1);
    if (spec.runsAtOnce < 1 || spec.runsAtOnce > 64)
        o.fail("runs_at_once", "expected 1 … 64");
    try {
        checkExperiment(spec); // what is left: a value listed twice
    } catch (const SettingError& e) {
        o.fail("methods", e.what());
    }
    return spec;
}

} // namespace mtl::core
