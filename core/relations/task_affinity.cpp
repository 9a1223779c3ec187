#include "relations/task_affinity.h"

#include "util/error.h"

#include <cmath>

namespace mtl::core {

AffinityResult measureAffinity(Trainer& trainer, int batches, double learningRate) {
    const Model& model = trainer.model();
    const auto tasks = int(model.tasks().size());
    Workspace& ws = trainer.workspace();
    TaskGradients gradients(model, ws.maxBatch(), GradientSpace::Parameters);
    if (!gradients.hasSharedPart())
        throw SettingError("task affinity needs layers shared by several tasks");
    AffinityResult result;
    result.tasks = tasks;
    result.learningRate = learningRate;
    result.matrix.assign(std::size_t(tasks * tasks), 0.0);
    std::vector<double> counts(std::size_t(tasks * tasks), 0.0);
    const std::vector<float> ones(std::size_t(tasks), 1.0f);
    const std::vector<Index>& rows = trainer.split().train;
    const auto batch = std::size_t(ws.maxBatch());
    const ForwardContext inference{false, nullptr};
    const Vector& parameters = trainer.parameters();
    Vector scratch = Vector::Zero(model.parameterCount());
    Vector lookahead;
    for (int b = 0; b < batches; ++b) {
        const std::size_t begin = (std::size_t(b) * batch) % std::max<std::size_t>(1, rows.size());
        const std::size_t size = std::min(batch, rows.size() - begin);
        if (size == 0)
            break;
        const auto n = Index(size);
        loadBatch(model, trainer.data(), std::span(rows).subspan(begin, size), ws);
        model.forward(parameters, ws, n, inference);
        model.evaluateLosses(ws, n, ones);
        const std::vector<float> before = ws.taskLoss;
        const std::vector<Index> present = ws.taskCount;
        scratch.setZero();
        gradients.compute(parameters, ws, n, scratch);
        for (int i : gradients.present()) {
            lookahead = parameters;
            gradients.addRow(i, float(-learningRate), lookahead); // θ_s − η ∇_{θ_s} L_i
            model.forward(lookahead, ws, n, inference);
            model.evaluateLosses(ws, n, ones);
            for (int j = 0; j < tasks; ++j) {
                if (present[std::size_t(j)] == 0 || !(before[std::size_t(j)] > 0.0f))
                    continue;
                const auto k = std::size_t(i * tasks + j);
                result.matrix[k] +=
                    1.0 - double(ws.taskLoss[std::size_t(j)]) / double(before[std::size_t(j)]);
                counts[k] += 1.0;
            }
        }
        ++result.batches;
    }
    for (std::size_t k = 0; k < counts.size(); ++k) {
        result.matrix[k] = counts[k] > 0 ? result.matrix[k] / counts[k] : std::nan("");
    }
    return result;
}

} // namespace mtl::core
