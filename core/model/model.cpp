#include "model/model.h"

#include "model/layer_factory.h"
#include "model/validate.h"
#include "model/workspace.h"
#include "util/error.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mtl::core {

Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

TaskMask Model::allTasks() const {
    return m_tasks.size() >= 64 ? ~TaskMask{0} : (TaskMask{1} << m_tasks.size()) - 1;
}

double Model::multiplyAddsPerSample() const {
    double total = 0.0;
    for (const Instance& inst : m_instances) total += m_layers[inst.layer].layer->multiplyAddsPerSample();
    return total;
}

int Model::findLayer(const std::string& nodeId) const {
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        if (m_layers[l].nodeId == nodeId) return static_cast<int>(l);
    }
    return -1;
}

void Model::initialize(Vector& parameters, Rng& rng) const {
    parameters.resize(m_parameterCount);
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        const Layer& layer = *m_layers[l].layer;
        const auto count = static_cast<std::size_t>(layer.parameterCount());
        if (count == 0) continue;
        const std::vector<Index>& copies = m_layerCopies[l];
        layer.initialize(std::span<float>(parameters.data() + copies[0], count), rng);
        for (std::size_t c = 1; c < copies.size(); ++c) {
            std::copy_n(parameters.data() + copies[0], count, parameters.data() + copies[c]);
        }
    }
}

void Model::forward(const Vector& parameters, Workspace& ws, Index batch,
                    const ForwardContext& context) const {
    for (std::size_t k = 0; k < m_instances.size(); ++k) {
        const Instance& inst = m_instances[k];
        const ConstMatrixMap x = inst.input < 0 ? topRows(std::as_const(ws.input), batch)
                                                : topRows(std::as_const(ws.outputs[inst.input]), batch);
        m_layers[inst.layer].layer->forward(parameters.data() + inst.parameterOffset, x,
                                            topRows(ws.outputs[k], batch), ws.states[k].get(),
                                            context);
    }
}

double Model::evaluateLosses(Workspace& ws, Index batch, std::span<const float> weights) const {
    double total = 0.0;
    for (std::size_t t = 0; t < m_tasks.size(); ++t) {
        const TaskInfo& task = m_tasks[t];
        const LossValue value =
            evaluateLoss(task.loss, task.huberDelta, taskOutput(ws, static_cast<int>(t), batch),
                         topRows(std::as_const(ws.taskTargets[t]), batch));
        ws.taskLoss[t] = static_cast<float>(value.mean());
        ws.taskCount[t] = value.count;
        if (value.count > 0) total += double(weights[t]) * value.mean();
    }
    return total;
}

double Model::backward(const Vector& parameters, Workspace& ws, Index batch,
                     std::span<const float> weights, TaskMask tasks, bool includePenalty,
                     Vector& gradients) const {
    gradients.setZero();
    for (Matrix& delta : ws.deltas) topRows(delta, batch).setZero();
    for (std::size_t t = 0; t < m_tasks.size(); ++t) {
        const TaskInfo& task = m_tasks[t];
        if ((tasks >> t & 1U) == 0 || ws.taskCount[t] == 0 || weights[t] == 0.0f) continue;
        // d(w_t · mean)/d(output) = w_t / count · d(sum)/d(output)
        const float scale = weights[t] / static_cast<float>(ws.taskCount[t]);
        addLossGradient(task.loss, task.huberDelta, taskOutput(ws, static_cast<int>(t), batch),
                        topRows(std::as_const(ws.taskTargets[t]), batch), scale,
                        topRows(ws.deltas[task.headInstance], batch));
    }
    for (std::size_t k = m_instances.size(); k-- > 0;) {
        const Instance& inst = m_instances[k];
        if ((inst.tasks & tasks) == 0) continue;
        const ConstMatrixMap x = inst.input < 0 ? topRows(std::as_const(ws.input), batch)
                                                : topRows(std::as_const(ws.outputs[inst.input]), batch);
        MatrixMap dx = inst.input < 0 ? topRows(ws.input, 0) : topRows(ws.deltas[inst.input], batch);
        m_layers[inst.layer].layer->backward(
            parameters.data() + inst.parameterOffset, x, topRows(std::as_const(ws.outputs[k]), batch),
            topRows(std::as_const(ws.deltas[k]), batch), inst.inputNeedsGradient ? &dx : nullptr,
            gradients.data() + inst.parameterOffset, ws.states[k].get());
    }
    return includePenalty ? softPenalty(parameters, &gradients) : 0.0;
}

double Model::softPenalty(const Vector& parameters, Vector* gradients) const {
    double total = 0.0;
    for (const SoftGroup& group : m_softGroups) {
        const double copies = double(group.copyOffsets.size());
        const float twoLambda = 2.0f * group.couplingStrength;
        double sum = 0.0;
        for (Index i = 0; i < group.copySize; ++i) {
            if (m_weightMask[group.copyOffsets[0] + i] == 0.0f) continue;
            double mean = 0.0; // W̄ = (1/T) Σ_t W_t
            for (Index o : group.copyOffsets) mean += parameters[o + i];
            mean /= copies;
            for (Index o : group.copyOffsets) {
                const double d = double(parameters[o + i]) - mean;
                sum += d * d;
                // d/dW_t Σ_s ‖W_s − W̄‖² = 2 (W_t − W̄), since Σ_s (W_s − W̄) = 0
                if (gradients != nullptr) (*gradients)[o + i] += twoLambda * float(d);
            }
        }
        total += double(group.couplingStrength) * sum;
    }
    return total;
}

ConstMatrixMap Model::taskOutput(const Workspace& ws, int task, Index batch) const {
    return topRows(ws.outputs[m_tasks[task].headInstance], batch);
}

} // namespace mtl::core
