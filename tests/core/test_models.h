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

} // namespace mtl::test
