// export_reference MODEL PROJECT ROWS OUT.json: the core's predictions for the first ROWS rows of
// the project's dataset, named as the ONNX outputs are, and the soft-sharing penalty — the
// reference the ONNX Runtime and PyTorch comparisons check against. NaN inputs are written as null.
#include "io/project_file.h"
#include "predict/predictor.h"
#include "train/covariances.h"
#include "util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>

using namespace mtl;

namespace {

nlohmann::json rows(const core::Matrix& m) {
    nlohmann::json out = nlohmann::json::array();
    for (core::Index r = 0; r < m.rows(); ++r) {
        nlohmann::json row = nlohmann::json::array();
        for (core::Index c = 0; c < m.cols(); ++c) {
            const float v = m(r, c);
            row.push_back(std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v));
        }
        out.push_back(row);
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: export_reference MODEL PROJECT ROWS OUT.json\n";
        return 2;
    }
    try {
        const core::Project project = core::readProject(argv[2]).project;
        core::Dataset data = core::loadDataset(project.dataset, core::projectDirectory(argv[2]));
        const core::Index n = std::min<core::Index>(std::stol(argv[3]), data.rows());
        const core::Matrix inputs = data.inputs.topRows(n);
        core::Predictor predictor = core::Predictor::fromFile(argv[1]);
        const auto outputs = predictor.predict(inputs);
        nlohmann::json doc{{"inputs", rows(inputs)}, {"outputs", nlohmann::json::object()}};
        const auto& tasks = predictor.model().tasks();
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            if (tasks[t].loss == core::LossKind::SoftmaxCrossEntropy || tasks[t].loss == core::LossKind::BinaryCrossEntropy) {
                doc["outputs"][tasks[t].name + "_logits"] = rows(outputs[t]);
                doc["outputs"][tasks[t].name + "_probabilities"] = rows(core::probabilities(tasks[t].loss, outputs[t]));
            } else {
                doc["outputs"][tasks[t].name] = rows(outputs[t]);
            }
        }
        // The soft-sharing penalty of the trained weights (the PyTorch export's penalty() must agree).
        const core::TrainedModel trained = core::readModel(argv[1]);
        const core::Relationships relationships = core::relationshipsFrom(
            predictor.model(), trained.training ? trained.training->covariances
                                                : std::vector<core::LearnedCovariance>{});
        doc["penalty"] = predictor.model().softPenalty(trained.parameters, nullptr, &relationships);
        core::writeFileAtomically(argv[4], doc.dump());
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "export_reference: " << e.what() << "\n";
        return 1;
    }
}
