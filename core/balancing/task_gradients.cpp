#include "balancing/task_gradients.h"

#include "util/thread_shares.h"
#include "util/threads.h"

#include <algorithm>
#include <bit>
#include <map>

namespace mtl::core {
namespace {

// Σ_i a_i b_i over long rows: float partial sums over chunks, added in double.
double longDot(const float* a, const float* b, Index size) {
    constexpr Index kChunk = 4096;
    double total = 0.0;
    for (Index begin = 0; begin < size; begin += kChunk) {
        const Index n = std::min(kChunk, size - begin);
        total += double(ConstVectorMap(a + begin, n).dot(ConstVectorMap(b + begin, n)));
    }
    return total;
}

} // namespace

TaskGradients::TaskGradients(const Model& model, Index maxBatch, GradientSpace space)
    : m_model(model), m_space(space), m_ones(model.tasks().size(), 1.0f) {
    const std::vector<Instance>& instances = model.instances();
    Index columns = 0;
    if (space == GradientSpace::Parameters) {
        // A parameter slice is shared when the tasks of all instances using it are more than one
        // (a hard-shared layer below a soft-shared one runs as one instance per task).
        std::map<Index, TaskMask> tasksOfSlice;
        std::map<Index, int> layerOfSlice;
        for (const Instance& inst : instances) {
            if (model.layer(inst.layer).parameterCount() == 0)
                continue;
            tasksOfSlice[inst.parameterOffset] |= inst.tasks;
            layerOfSlice[inst.parameterOffset] = inst.layer;
        }
        for (const auto& [offset, tasks] : tasksOfSlice) {
            if (std::popcount(tasks) < 2)
                continue;
            const int layer = layerOfSlice[offset];
            const Index size = model.layer(layer).parameterCount();
            m_slices.push_back({offset, size, columns});
            m_blocks.push_back({model.layerNodeId(layer), columns, size});
            columns += size;
        }
        // A cross-stitch unit's mixing matrix serves every task it mixes.
        for (const CrossStitchUnit& unit : model.crossStitches()) {
            const auto size = static_cast<Index>(unit.instances.size() * unit.instances.size());
            m_slices.push_back({unit.parameterOffset, size, columns});
            m_blocks.push_back({unit.nodeId + " cross-stitch", columns, size});
            columns += size;
        }
    } else {
        std::vector<bool> feedsTask(instances.size(), false);
        for (const Instance& inst : instances) {
            if (std::popcount(inst.tasks) != 1)
                continue;
            if (inst.input >= 0)
                feedsTask[std::size_t(inst.input)] = true;
            for (int e : inst.experts) // a task's gate reads its experts too
                feedsTask[std::size_t(e)] = true;
        }
        for (const TaskInfo& task : model.tasks())
            feedsTask[std::size_t(task.headInstance)] = true;
        for (std::size_t k = 0; k < instances.size(); ++k) {
            if (std::popcount(instances[k].tasks) < 2 || !feedsTask[k])
                continue;
            m_representation.push_back(int(k));
            const Index size = model.layer(instances[k].layer).outputShape().size();
            m_blocks.push_back({model.layerNodeId(instances[k].layer), columns, size * maxBatch});
            columns += size * maxBatch;
        }
    }
    m_jacobian = Matrix::Zero(Index(model.tasks().size()), columns);
    m_partial.assign(std::size_t(kMaxGramThreads) * kMaxTasks * kMaxTasks, 0.0);
    if (space == GradientSpace::Parameters)
        m_direction = Vector::Zero(columns);
}

void TaskGradients::compute(const Vector& parameters, Workspace& ws, Index batch,
                            Vector& gradients) {
    const auto tasks = int(m_model.tasks().size());
    m_presentCount = 0;
    m_used = 0;
    for (int t = 0; t < tasks; ++t) {
        auto row = m_jacobian.row(t);
        if (ws.taskCount[std::size_t(t)] == 0) {
            row.setZero();
            continue;
        }
        m_present[std::size_t(m_presentCount++)] = t;
        if (m_space == GradientSpace::Parameters) {
            m_model.backward(parameters, ws, batch, m_ones, TaskMask{1} << t, false, gradients,
                             true);
            for (const Slice& s : m_slices) {
                auto shared = gradients.segment(s.offset, s.size);
                row.segment(s.column, s.size) = shared.transpose();
                shared.setZero();
            }
            m_used = m_jacobian.cols();
            continue;
        }
        m_model.backwardToShared(parameters, ws, batch, t, gradients);
        Index column = 0;
        for (int k : m_representation) {
            const Matrix& delta = ws.deltas[std::size_t(k)];
            const Index size = batch * delta.cols(); // the batch's rows are contiguous
            row.segment(column, size) = ConstRowVectorMap(delta.data(), size);
            column += size;
        }
        m_used = column;
    }
}

void TaskGradients::gram(Index begin, Index size, SmallMatrix& out) const {
    const Index n = m_presentCount;
    out.resize(n, n);
    // Every dot product in one pass over the columns: each thread a contiguous share, its sums
    // in its own slot, added in thread order (the same numbers run to run for a thread count).
    const int threads = std::min(elementwiseThreads(double(size) * double(n)), kMaxGramThreads);
    std::fill(m_partial.begin(), m_partial.end(), 0.0);
    runOnThreads(threads, [&] {
        const Share share = threadShare(size);
        double* sums = m_partial.data() + std::size_t(omp_get_thread_num()) * kMaxTasks * kMaxTasks;
        for (Index a = 0; a < n; ++a) {
            const float* ra = m_jacobian.row(m_present[std::size_t(a)]).data() + begin + share.begin;
            for (Index b = 0; b <= a; ++b) {
                const float* rb = m_jacobian.row(m_present[std::size_t(b)]).data() + begin + share.begin;
                sums[a * kMaxTasks + b] = longDot(ra, rb, share.size);
            }
        }
    });
    for (Index a = 0; a < n; ++a) {
        for (Index b = 0; b <= a; ++b) {
            double sum = 0.0;
            for (int t = 0; t < std::max(threads, 1); ++t) sum += m_partial[std::size_t(t) * kMaxTasks * kMaxTasks + std::size_t(a * kMaxTasks + b)];
            out(a, b) = out(b, a) = sum;
        }
    }
}

void TaskGradients::gram(SmallMatrix& out) const {
    gram(0, m_used, out);
}

void TaskGradients::applyWeights(const SmallVector& weights, const Vector& parameters,
                                 Workspace& ws, Index batch, Vector& gradients) {
    if (m_space == GradientSpace::Parameters) {
        for (const Slice& s : m_slices) {
            auto shared = gradients.segment(s.offset, s.size);
            for (Index k = 0; k < m_presentCount; ++k) {
                shared +=
                    float(weights(k)) *
                    m_jacobian.row(m_present[std::size_t(k)]).segment(s.column, s.size).transpose();
            }
        }
        return;
    }
    // The shared layers' deltas become Σ_k w_k dL_k/d(output); one backward pass through them.
    m_model.clearDeltas(ws, batch);
    Index column = 0;
    for (int k : m_representation) {
        Matrix& delta = ws.deltas[std::size_t(k)];
        const Index size = batch * delta.cols();
        RowVectorMap out(delta.data(), size);
        for (Index p = 0; p < m_presentCount; ++p) {
            out +=
                float(weights(p)) * m_jacobian.row(m_present[std::size_t(p)]).segment(column, size);
        }
        column += size;
    }
    m_model.backwardShared(parameters, ws, batch, gradients);
}

void TaskGradients::addRow(int task, float scale, Vector& parameters) const {
    for (const Slice& s : m_slices) {
        parameters.segment(s.offset, s.size) += scale * m_jacobian.row(task).segment(s.column, s.size).transpose();
    }
}

void TaskGradients::applyDirection(Vector& gradients) const {
    for (const Slice& s : m_slices)
        gradients.segment(s.offset, s.size) += m_direction.segment(s.column, s.size);
}

} // namespace mtl::core
