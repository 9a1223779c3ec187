#include "experiments/experiment_spec.h"

#include "model/names.h"
#include "runs/run_directory.h"
#include "util/error.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace mtl::core {

namespace {

std::string lower(std::string text) {
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// LibMTL's and the papers' short names for our methods.
std::string canonicalMethod(const std::string& name) {
    const std::string word = lower(name);
    if (word == "ew")
        return "equal";
    if (word == "uw")
        return "uncertainty";
    if (word == "imtl")
        return "imtl_g";
    if (word == "nashmtl")
        return "nash_mtl";
    return word;
}

std::string shortNumber(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

template <typename T> void requireAxis(const std::vector<T>& values, const char* what) {
    std::vector<T> sorted = values;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        for (std::size_t j = i + 1; j < sorted.size(); ++j) {
            if (sorted[i] == sorted[j])
                throw SettingError(std::string("the experiment lists a ") + what + " twice");
        }
    }
}

} // namespace

void applySharing(ModelSpec& spec, const std::string& text) {
    const auto colon = text.find(':');
    const auto sharing = parseSharingMode(text.substr(0, colon));
    if (!sharing)
        throw SettingError("sharing expects hard, soft or soft:λ, got '" + text + "'");
    float lambda = -1.0f;
    if (colon != std::string::npos) {
        const std::string number = text.substr(colon + 1);
        const auto [end, error] =
            std::from_chars(number.data(), number.data() + number.size(), lambda);
        if (*sharing != SharingMode::Soft || number.empty() || error != std::errc() ||
            end != number.data() + number.size() || !(lambda >= 0.0f)) {
            throw SettingError("sharing expects hard, soft or soft:λ with λ ≥ 0, got '" + text +
                               "'");
        }
    }
    for (NodeSpec& node : spec.nodes) {
        if (!hasParameters(node.kind))
            continue;
        node.sharing = *sharing;
        if (lambda >= 0.0f)
            node.couplingStrength = lambda;
        else if (*sharing == SharingMode::Soft && node.couplingStrength <= 0.0f)
            node.couplingStrength = 1e-3f;
    }
}

std::vector<BalancingSettings> parseMethodList(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        std::string part =
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const bool parameter =
            part.find('=') != std::string::npos && part.find(':') == std::string::npos;
        if (parameter && !parts.empty())
            parts.back() += "," + part;
        else
            parts.push_back(part);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    std::vector<BalancingSettings> methods;
    for (const std::string& part : parts) {
        if (part.empty())
            throw SettingError("an empty method in '" + text + "'");
        const auto colon = part.find(':');
        const std::string name = canonicalMethod(part.substr(0, colon));
        methods.push_back(
            parseBalancing(colon == std::string::npos ? name : name + part.substr(colon)));
    }
    return methods;
}

void checkExperiment(const ExperimentSpec& spec) {
    if (spec.seeds < 1)
        throw SettingError("an experiment needs at least one seed");
    if (spec.epochs < 0)
        throw SettingError("an experiment's epochs must be ≥ 0 (0: the project's)");
    if (spec.runsAtOnce < 1 || spec.runsAtOnce > 64)
        throw SettingError("runs at once must be 1 … 64");
    for (const BalancingSettings& method : spec.methods)
        checkBalancing(method);
    for (const std::string& sharing : spec.sharing) {
        ModelSpec probe;
        applySharing(probe, sharing);
    }
    for (float lr : spec.learningRates) {
        if (!(lr > 0.0f))
            throw SettingError("a learning rate must be > 0, got " + shortNumber(lr));
    }
    for (Index batch : spec.batchSizes) {
        if (batch < 1)
            throw SettingError("a batch size must be ≥ 1, got " + std::to_string(batch));
    }
    requireAxis(spec.methods, "method");
    requireAxis(spec.sharing, "sharing");
    requireAxis(spec.learningRates, "learning rate");
    requireAxis(spec.batchSizes, "batch size");
}

std::vector<ExperimentConfig> configurations(const ExperimentSpec& spec) {
    std::vector<ExperimentConfig> configs{ExperimentConfig{}};
    auto expand = [&](std::size_t count, auto&& set) {
        if (count == 0)
            return;
        std::vector<ExperimentConfig> next;
        for (const ExperimentConfig& config : configs) {
            for (std::size_t i = 0; i < count; ++i) {
                ExperimentConfig c = config;
                set(c, i);
                next.push_back(c);
            }
        }
        configs = std::move(next);
    };
    expand(spec.methods.size(),
           [&](ExperimentConfig& c, std::size_t i) { c.method = spec.methods[i]; });
    expand(spec.sharing.size(),
           [&](ExperimentConfig& c, std::size_t i) { c.sharing = spec.sharing[i]; });
    expand(spec.learningRates.size(),
           [&](ExperimentConfig& c, std::size_t i) { c.learningRate = spec.learningRates[i]; });
    expand(spec.batchSizes.size(),
           [&](ExperimentConfig& c, std::size_t i) { c.batchSize = spec.batchSizes[i]; });
    for (ExperimentConfig& c : configs) {
        std::vector<std::string> parts;
        if (c.method)
            parts.push_back(formatBalancing(*c.method));
        if (c.sharing && spec.sharing.size() > 1)
            parts.push_back(*c.sharing);
        if (c.learningRate && spec.learningRates.size() > 1)
            parts.push_back("lr " + shortNumber(*c.learningRate));
        if (c.batchSize && spec.batchSizes.size() > 1)
            parts.push_back("batch " + std::to_string(*c.batchSize));
        if (parts.empty() && c.sharing)
            parts.push_back(*c.sharing);
        if (parts.empty() && c.learningRate)
            parts.push_back("lr " + shortNumber(*c.learningRate));
        if (parts.empty() && c.batchSize)
            parts.push_back("batch " + std::to_string(*c.batchSize));
        for (const std::string& part : parts)
            c.label += (c.label.empty() ? "" : " · ") + part;
        if (c.label.empty())
            c.label = "project settings";
    }
    return configs;
}

std::vector<ExperimentJob> experimentJobs(const ExperimentSpec& spec,
                                          const std::vector<std::string>& tasks,
                                          std::uint64_t firstSeed) {
    const auto configs = configurations(spec);
    std::vector<ExperimentJob> jobs;
    char number[32];
    for (int s = 0; s < spec.seeds; ++s) {
        const std::uint64_t seed = firstSeed + std::uint64_t(s);
        const std::string seedText = "seed " + std::to_string(seed);
        if (spec.baselines && tasks.size() > 1) {
            for (const std::string& task : tasks) {
                ExperimentJob job;
                job.baselineTask = task;
                job.seed = seed;
                job.name = "baseline " + task + " · " + seedText;
                job.folder = runFolderName("baseline " + task + " seed " + std::to_string(seed));
                jobs.push_back(job);
            }
        }
        for (std::size_t c = 0; c < configs.size(); ++c) {
            ExperimentJob job;
            job.config = int(c);
            job.seed = seed;
            job.name = configs[c].label + " · " + seedText;
            std::snprintf(number, sizeof number, "%02zu", c + 1);
            job.folder = runFolderName(std::string(number) + " " + configs[c].label + " seed " +
                                       std::to_string(seed));
            jobs.push_back(job);
        }
    }
    return jobs;
}

std::size_t experimentRunCount(const ExperimentSpec& spec, std::size_t tasks) {
    const std::size_t baselines = spec.baselines && tasks > 1 ? tasks : 0;
    return std::size_t(spec.seeds) * (configurations(spec).size() + baselines);
}

} // namespace mtl::core
