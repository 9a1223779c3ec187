#include "data/synthetic.h"

#include "util/error.h"

#include <cmath>

namespace mtl::core {
namespace {

Matrix gaussian(Index rows, Index cols, float sd, Rng& rng) {
    std::normal_distribution<float> dist(0.0f, sd);
    Matrix m(rows, cols);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = dist(rng);
    return m;
}

void check(const SyntheticSettings& s) {
    auto positive = [](double v, const char* name) {
        if (!(v >= 1)) throw SettingError(std::string("synthetic data: ") + name + " must be at least 1");
    };
    positive(double(s.samples), "samples");
    positive(s.features, "features");
    positive(s.latent, "latent");
    positive(s.tasks, "tasks");
    if (s.classification && s.classes < 2)
        throw SettingError("synthetic data: classes must be at least 2");
    if (!(s.taskSpread >= 0) || !(s.noise >= 0))
        throw SettingError("synthetic data: taskSpread and noise must be ≥ 0");
}

} // namespace

Dataset makeSyntheticDataset(const SyntheticSettings& s) {
    check(s);
    Rng rng(s.seed);
    Dataset data;
    data.schema.inputShape = Shape::flat(s.features);
    for (int j = 0; j < s.features; ++j) data.schema.inputNames.push_back("x" + std::to_string(j + 1));

    data.inputs = gaussian(s.samples, s.features, 1.0f, rng);                 // x: [n, F]
    const Matrix a = gaussian(s.features, s.latent, 1.0f / std::sqrt(float(s.features)), rng);
    const Matrix z = (data.inputs * a).array().tanh().matrix();              // z: [n, L]
    const int outputs = s.classification ? s.classes : 1;
    const Matrix shared = gaussian(s.latent, outputs, 1.0f, rng);             // w₀
    data.targets.resize(s.samples, s.tasks);
    for (int t = 0; t < s.tasks; ++t) {
        TargetColumn column{"task" + std::to_string(t + 1), {}};
        const Matrix w = shared + gaussian(s.latent, outputs, s.taskSpread, rng); // w₀ + v_t
        const Matrix scores = z * w + gaussian(s.samples, outputs, s.noise, rng);
        for (Index r = 0; r < s.samples; ++r) {
            if (s.classification) {
                Index best = 0;
                scores.row(r).maxCoeff(&best);
                data.targets(r, t) = float(best);
            } else {
                data.targets(r, t) = scores(r, 0);
            }
        }
        if (s.classification) {
            for (int c = 0; c < s.classes; ++c) column.classLabels.push_back("class" + std::to_string(c));
        }
        data.schema.targets.push_back(std::move(column));
    }
    return data;
}

} // namespace mtl::core
