#pragma once
// Small specs and datasets shared by the model and trainer tests.

#include "data/synthetic.h"
#include "io/project_file.h"
#include "model/templates.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace mtl::test {

// Parses project text that must fail (as "p.mtl.json"); returns the message.
inline std::string projectErrorFor(const std::string& text) {
    try {
        (void)core::parseProject(text, "p.mtl.json");
    } catch (const mtl::FileError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted:\n" << text;
    return "";
}

inline core::TaskSpec task(const std::string& name, core::LossKind loss,
                           std::vector<std::string> targets, float weight = 1.0f) {
    core::TaskSpec t;
    t.name = name;
    t.loss = loss;
    t.targets = std::move(targets);
    t.weight = weight;
    return t;
}

// Two regression tasks on synthetic data with 6 features.
inline core::Dataset twoTaskData(core::Index samples = 64, bool classification = false) {
    core::SyntheticSettings s;
    s.samples = samples;
    s.features = 6;
    s.latent = 4;
    s.classification = classification;
    return core::makeSyntheticDataset(s);
}

inline core::ModelSpec twoTaskTrunk(const core::DataSchema& schema,
                                    core::SharingMode sharing = core::SharingMode::Hard,
                                    core::LossKind loss = core::LossKind::MSE) {
    core::TrunkTemplate recipe;
    recipe.sharedUnits = {8, 6};
    recipe.headUnits = {5};
    recipe.sharing = sharing;
    recipe.couplingStrength = 0.3f;
    recipe.activation = core::NodeKind::Tanh;
    recipe.tasks = {task("a", loss, {"task1"}, 0.7f), task("b", loss, {"task2"}, 0.4f)};
    return makeTrunkModel(recipe, schema);
}

// Two tasks over a mixture of experts: input → expert e (Dense 6 → Tanh), one per entry of
// `experts` (hard: shared by the tasks, MMoE; soft with λ = 0: one per task, CGC's task experts)
// → "gate" (an expert gate) → per task Dense 1 → head. With one entry and no gate (`gated`
// false) it is plain hard sharing of that expert. `unitAfter`: a soft Dense 5 with a cross-stitch
// unit ("mix") between the gate and the heads.
inline core::ModelSpec mixtureOfExperts(const std::vector<core::SharingMode>& experts,
                                        bool gated = true, bool unitAfter = false) {
    using core::NodeKind;
    core::ModelSpec spec;
    const auto add = [&](const std::string& id, NodeKind kind, const std::string& from) {
        core::NodeSpec n;
        n.id = id;
        n.kind = kind;
        spec.nodes.push_back(n);
        if (!from.empty())
            spec.edges.push_back({from, id});
        return &spec.nodes.back();
    };
    add("input", NodeKind::Input, "");
    std::string last;
    for (std::size_t e = 0; e < experts.size(); ++e) {
        const std::string id = "expert" + std::to_string(e + 1);
        core::NodeSpec* dense = add(id, NodeKind::Dense, "input");
        dense->units = 6;
        dense->sharing = experts[e];
        last = add(id + "_act", NodeKind::Tanh, id)->id;
    }
    if (gated) {
        add("gate", NodeKind::ExpertGate, "");
        for (std::size_t e = 0; e < experts.size(); ++e)
            spec.edges.push_back({"expert" + std::to_string(e + 1) + "_act", "gate"});
        last = "gate";
    }
    if (unitAfter) {
        core::NodeSpec* mix = add("mix", NodeKind::Dense, last);
        mix->units = 5;
        mix->sharing = core::SharingMode::Soft;
        mix->couplingStrength = 0.01f;
        mix->crossStitch = true;
        last = "mix";
    }
    const char* names[] = {"a", "b"};
    const char* targets[] = {"task1", "task2"};
    for (int t = 0; t < 2; ++t) {
        const std::string out = std::string(names[t]) + "_out";
        add(out, NodeKind::Dense, last)->units = 1;
        add(names[t], NodeKind::TaskHead, out)->task =
            task(names[t], core::LossKind::MSE, {targets[t]});
    }
    return spec;
}

} // namespace mtl::test
