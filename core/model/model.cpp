#include "model/model.h"

#include "model/coupling.h"
#include "model/layer_factory.h"
#include "model/validate.h"
#include "model/workspace.h"
#include "util/error.h"
#include "util/thread_shares.h"
#include "util/threads.h"

#include <Eigen/Cholesky>

#include <algorithm>
#include <array>
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
    // Cross-stitch units: 0.9 on the diagonal, 0.1 elsewhere, each row divided by its sum.
    for (const CrossStitchUnit& unit : m_stitches) {
        const auto copies = static_cast<Index>(unit.instances.size());
        const float sum = 0.9f + 0.1f * float(copies - 1);
        for (Index t = 0; t < copies; ++t) {
            for (Index s = 0; s < copies; ++s)
                parameters[unit.parameterOffset + t * copies + s] = (t == s ? 0.9f : 0.1f) / sum;
        }
    }
}

// y_t = Σ_s A[t][s] x_s: the copies' outputs (x) are kept in ws.stitchInputs for the backward
// pass and replaced by the mixed ones, which the layers after them read.
void Model::mixStitch(const CrossStitchUnit& unit, const Vector& parameters, Workspace& ws,
                      Index batch) const {
    const auto copies = static_cast<Index>(unit.instances.size());
    for (int k : unit.instances)
        topRows(ws.stitchInputs[std::size_t(k)], batch) =
            topRows(std::as_const(ws.outputs[std::size_t(k)]), batch);
    const float* a = parameters.data() + unit.parameterOffset;
    for (Index t = 0; t < copies; ++t) {
        MatrixMap y = topRows(ws.outputs[std::size_t(unit.instances[std::size_t(t)])], batch);
        y.setZero();
        for (Index s = 0; s < copies; ++s)
            y +=
                a[t * copies + s] *
                topRows(std::as_const(ws.stitchInputs[std::size_t(unit.instances[std::size_t(s)])]),
                        batch);
    }
}

// From the deltas of the mixed outputs (dL/dy_t): dL/dA[t][s] = <dL/dy_t, x_s> into gradients,
// and the copies' deltas become dL/dx_s = Σ_t A[t][s] dL/dy_t.
void Model::unmixStitch(const CrossStitchUnit& unit, const Vector& parameters, Workspace& ws,
                        Index batch, Vector& gradients) const {
    const auto copies = static_cast<Index>(unit.instances.size());
    const float* a = parameters.data() + unit.parameterOffset;
    float* da = gradients.data() + unit.parameterOffset;
    auto instance = [&](Index i) { return std::size_t(unit.instances[std::size_t(i)]); };
    for (Index t = 0; t < copies; ++t) {
        const ConstMatrixMap dy = topRows(std::as_const(ws.deltas[instance(t)]), batch);
        for (Index s = 0; s < copies; ++s)
            da[t * copies + s] +=
                dy.cwiseProduct(topRows(std::as_const(ws.stitchInputs[instance(s)]), batch)).sum();
    }
    for (Index s = 0; s < copies; ++s) {
        MatrixMap dx = topRows(ws.stitchDeltas[instance(s)], batch);
        dx.setZero();
        for (Index t = 0; t < copies; ++t)
            dx += a[t * copies + s] * topRows(std::as_const(ws.deltas[instance(t)]), batch);
    }
    for (Index s = 0; s < copies; ++s)
        topRows(ws.deltas[instance(s)], batch) =
            topRows(std::as_const(ws.stitchDeltas[instance(s)]), batch);
}

void Model::gather(std::size_t k, Workspace& ws, Index batch) const {
    const Instance& inst = m_instances[k];
    MatrixMap row = topRows(ws.gathered[k], batch);
    const Matrix& in = inst.input < 0 ? ws.input : ws.outputs[std::size_t(inst.input)];
    Index column = in.cols();
    row.leftCols(column) = topRows(in, batch);
    for (int e : inst.experts) {
        const Matrix& out = ws.outputs[std::size_t(e)];
        row.middleCols(column, out.cols()) = topRows(out, batch);
        column += out.cols();
    }
}

void Model::scatter(std::size_t k, Workspace& ws, Index batch) const {
    const Instance& inst = m_instances[k];
    const ConstMatrixMap row = topRows(std::as_const(ws.gatheredDeltas[k]), batch);
    Index column = inst.input < 0 ? ws.input.cols() : ws.deltas[std::size_t(inst.input)].cols();
    if (inst.inputNeedsGradient)
        topRows(ws.deltas[std::size_t(inst.input)], batch) += row.leftCols(column);
    for (int e : inst.experts) {
        MatrixMap delta = topRows(ws.deltas[std::size_t(e)], batch);
        delta += row.middleCols(column, delta.cols());
        column += delta.cols();
    }
}

void Model::forward(const Vector& parameters, Workspace& ws, Index batch,
                    const ForwardContext& context) const {
    for (std::size_t k = 0; k < m_instances.size(); ++k) {
        const Instance& inst = m_instances[k];
        if (!inst.experts.empty())
            gather(k, ws, batch);
        const ConstMatrixMap x =
            !inst.experts.empty() ? topRows(std::as_const(ws.gathered[k]), batch)
            : inst.input < 0      ? topRows(std::as_const(ws.input), batch)
                                  : topRows(std::as_const(ws.outputs[inst.input]), batch);
        m_layers[inst.layer].layer->forward(parameters.data() + inst.parameterOffset, x,
                                            topRows(ws.outputs[k], batch), ws.states[k].get(),
                                            context);
        if (m_stitchAfter[k] >= 0)
            mixStitch(m_stitches[std::size_t(m_stitchAfter[k])], parameters, ws, batch);
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
        // The last copy of a cross-stitch unit comes first going back: undo the mixing.
        if (m_stitchAfter[k] >= 0)
            unmixStitch(m_stitches[std::size_t(m_stitchAfter[k])], parameters, ws, batch,
                        gradients);
        // A stitched copy's own output is its value before the mixing.
        const Matrix& own = m_stitchOf[k] >= 0 ? ws.stitchInputs[k] : ws.outputs[k];
        const Layer& layer = *m_layers[inst.layer].layer;
        if (!inst.experts.empty()) {
            // An expert gate: the gradient of its gathered row, then into its inputs' deltas.
            MatrixMap dx = topRows(ws.gatheredDeltas[k], batch);
            dx.setZero();
            layer.backward(parameters.data() + inst.parameterOffset,
                           topRows(std::as_const(ws.gathered[k]), batch), topRows(own, batch),
                           topRows(std::as_const(ws.deltas[k]), batch), &dx,
                           gradients.data() + inst.parameterOffset, ws.states[k].get());
            scatter(k, ws, batch);
            continue;
        }
        const ConstMatrixMap x = inst.input < 0 ? topRows(std::as_const(ws.input), batch)
                                                : topRows(std::as_const(ws.outputs[inst.input]), batch);
        MatrixMap dx = inst.input < 0 ? topRows(ws.input, 0) : topRows(ws.deltas[inst.input], batch);
        layer.backward(parameters.data() + inst.parameterOffset, x, topRows(own, batch),
                       topRows(std::as_const(ws.deltas[k]), batch),
                       inst.inputNeedsGradient ? &dx : nullptr,
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
    return includePenalty ? softPenalty(parameters, &gradients, &ws.relationships) : 0.0;
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

double Model::softPenalty(const Vector& parameters, Vector* gradients,
                          const Relationships* relationships) const {
    double total = 0.0;
    const float* p = parameters.data();
    const float* mask = m_weightMask.data();
    float* g = gradients != nullptr ? gradients->data() : nullptr;
    for (std::size_t i = 0; i < m_softGroups.size(); ++i) {
        const SoftGroup& group = m_softGroups[i];
        switch (group.coupling) {
        case Coupling::MeanL2:
            total += meanL2Penalty(group, p, mask, g);
            break;
        case Coupling::TraceNorm:
            total += traceNormPenalty(group, p, mask, g);
            break;
        case Coupling::Relationship: {
            const auto copies = static_cast<Index>(group.copyOffsets.size());
            const SmallMatrix identity = double(copies) * SmallMatrix::Identity(copies, copies);
            const SmallMatrix& inverse =
                relationships != nullptr ? relationships->omegaInverse[i] : identity;
            total += relationshipPenalty(group, inverse, p, mask, g);
            break;
        }
        }
    }
    return total;
}

void Relationships::set(std::size_t group, const SmallMatrix& value) {
    omega[group] = value;
    omegaInverse[group] = value.ldlt().solve(SmallMatrix::Identity(value.rows(), value.cols()));
}

Relationships Model::initialRelationships() const {
    Relationships r;
    for (const SoftGroup& group : m_softGroups) {
        const auto copies = static_cast<Index>(group.copyOffsets.size());
        r.omega.push_back(SmallMatrix::Identity(copies, copies) / double(copies));
        r.omegaInverse.push_back(SmallMatrix::Identity(copies, copies) * double(copies));
    }
    return r;
}

void Model::updateRelationships(const Vector& parameters, Relationships& r, long step,
                                bool epochEnd) const {
    for (std::size_t i = 0; i < m_softGroups.size(); ++i) {
        const SoftGroup& group = m_softGroups[i];
        if (group.coupling != Coupling::Relationship)
            continue;
        const bool due =
            group.relationshipEvery > 0 ? step % group.relationshipEvery == 0 : epochEnd;
        if (!due)
            continue;
        r.set(i, relationshipCovariance(group, parameters.data(), m_weightMask.data()));
    }
}

ConstMatrixMap Model::taskOutput(const Workspace& ws, int task, Index batch) const {
    return topRows(ws.outputs[m_tasks[task].headInstance], batch);
}

} // namespace mtl::core
