#include "model/model.h"

#include "model/layer_factory.h"
#include "model/validate.h"
#include "model/workspace.h"
#include "util/error.h"
#include "util/thread_shares.h"
#include "util/threads.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <omp.h>

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

void Model::addTaskLossGradient(Workspace& ws, Index batch, std::size_t t, float weight) const {
    const TaskInfo& task = m_tasks[t];
    // d(w_t · mean)/d(output) = w_t / count · d(sum)/d(output)
    const float scale = weight / static_cast<float>(ws.taskCount[t]);
    addLossGradient(task.loss, task.huberDelta, taskOutput(ws, static_cast<int>(t), batch),
                    topRows(std::as_const(ws.taskTargets[t]), batch), scale,
                    topRows(ws.deltas[task.headInstance], batch));
}

template <typename Take>
void Model::backwardInstances(const Vector& parameters, Workspace& ws, Index batch, Take take,
                              Vector& gradients) const {
    for (std::size_t k = m_instances.size(); k-- > 0;) {
        const Instance& inst = m_instances[k];
        if (!take(inst)) continue;
        const ConstMatrixMap x = inst.input < 0 ? topRows(std::as_const(ws.input), batch)
                                                : topRows(std::as_const(ws.outputs[inst.input]), batch);
        MatrixMap dx = inst.input < 0 ? topRows(ws.input, 0) : topRows(ws.deltas[inst.input], batch);
        m_layers[inst.layer].layer->backward(
            parameters.data() + inst.parameterOffset, x, topRows(std::as_const(ws.outputs[k]), batch),
            topRows(std::as_const(ws.deltas[k]), batch), inst.inputNeedsGradient ? &dx : nullptr,
            gradients.data() + inst.parameterOffset, ws.states[k].get());
    }
}

double Model::backward(const Vector& parameters, Workspace& ws, Index batch,
                     std::span<const float> weights, TaskMask tasks, bool includePenalty,
                     Vector& gradients, bool gradientsAreZero) const {
    if (!gradientsAreZero) gradients.setZero();
    clearDeltas(ws, batch);
    for (std::size_t t = 0; t < m_tasks.size(); ++t) {
        if ((tasks >> t & 1U) == 0 || ws.taskCount[t] == 0 || weights[t] == 0.0f) continue;
        addTaskLossGradient(ws, batch, t, weights[t]);
    }
    backwardInstances(parameters, ws, batch, [tasks](const Instance& inst) { return (inst.tasks & tasks) != 0; },
                      gradients);
    return includePenalty ? softPenalty(parameters, &gradients) : 0.0;
}

void Model::backwardToShared(const Vector& parameters, Workspace& ws, Index batch, int task,
                             Vector& gradients) const {
    clearDeltas(ws, batch);
    if (ws.taskCount[std::size_t(task)] == 0) return;
    addTaskLossGradient(ws, batch, std::size_t(task), 1.0f);
    const TaskMask mask = TaskMask{1} << task;
    backwardInstances(parameters, ws, batch, [mask](const Instance& inst) { return inst.tasks == mask; },
                      gradients);
}

void Model::backwardShared(const Vector& parameters, Workspace& ws, Index batch, Vector& gradients) const {
    backwardInstances(parameters, ws, batch,
                      [](const Instance& inst) { return std::popcount(inst.tasks) > 1; }, gradients);
}

// Layers add their input gradients into the deltas, so every delta starts at zero: in parallel
// for large batches, each thread clearing its share of the rows of every delta.
void Model::clearDeltas(Workspace& ws, Index batch) const {
    double floats = 0.0;
    for (const Matrix& delta : ws.deltas) floats += double(batch) * double(delta.cols());
    runOnThreads(elementwiseThreads(floats), [&] {
        const Share rows = threadShare(batch);
        for (Matrix& delta : ws.deltas) delta.middleRows(rows.begin, rows.size).setZero();
    });
}

// λ Σ_t ‖W_t − W̄‖² over weights (mask 1), in chunks small enough for a stack buffer: the mean
// of the copies, then each copy's deviation — both loops contiguous, so they vectorise. Threads
// take contiguous ranges of chunks and their partial sums are added in thread order, so the
// value is the same run to run for a given thread count.
double Model::softPenalty(const Vector& parameters, Vector* gradients) const {
    constexpr Index kChunk = 256;
    constexpr int kMaxThreads = 64;
    double total = 0.0;
    const float* p = parameters.data();
    const float* mask = m_weightMask.data();
    float* g = gradients != nullptr ? gradients->data() : nullptr;
    for (const SoftGroup& group : m_softGroups) {
        const auto copies = static_cast<Index>(group.copyOffsets.size());
        const float inverse = 1.0f / float(copies);
        const float twoLambda = 2.0f * group.couplingStrength;
        const Index* offsets = group.copyOffsets.data();
        const Index chunks = (group.copySize + kChunk - 1) / kChunk;
        std::array<double, kMaxThreads> partial{};
#pragma omp parallel if (group.copySize * copies > 65536)
        {
            const int thread = omp_get_thread_num();
            const int threads = std::min(omp_get_num_threads(), kMaxThreads);
            const Index first = chunks * thread / threads, last = chunks * (thread + 1) / threads;
            double sum = 0.0;
            float mean[kChunk];
            for (Index chunk = first; chunk < last && thread < kMaxThreads; ++chunk) {
                const Index begin = chunk * kChunk;
                const Index size = std::min(kChunk, group.copySize - begin);
                const float* m = mask + offsets[0] + begin; // the same layout in every copy
                for (Index i = 0; i < size; ++i) mean[i] = 0.0f;
                for (Index t = 0; t < copies; ++t) {
                    const float* w = p + offsets[t] + begin;
                    for (Index i = 0; i < size; ++i) mean[i] += w[i];
                }
                for (Index i = 0; i < size; ++i) mean[i] *= inverse; // W̄ = (1/T) Σ_t W_t
                for (Index t = 0; t < copies; ++t) {
                    const float* w = p + offsets[t] + begin;
                    float chunkSum = 0.0f;
                    for (Index i = 0; i < size; ++i) {
                        const float d = (w[i] - mean[i]) * m[i];
                        chunkSum += d * d;
                    }
                    sum += chunkSum;
                    // d/dW_t Σ_s ‖W_s − W̄‖² = 2 (W_t − W̄), since Σ_s (W_s − W̄) = 0
                    if (g == nullptr) continue;
                    float* gw = g + offsets[t] + begin;
                    for (Index i = 0; i < size; ++i) gw[i] += twoLambda * (w[i] - mean[i]) * m[i];
                }
            }
            if (thread < kMaxThreads) partial[std::size_t(thread)] = sum;
        }
        double sum = 0.0;
        for (double s : partial) sum += s;
        total += double(group.couplingStrength) * sum;
    }
    return total;
}

ConstMatrixMap Model::taskOutput(const Workspace& ws, int task, Index batch) const {
    return topRows(ws.outputs[m_tasks[task].headInstance], batch);
}

} // namespace mtl::core
