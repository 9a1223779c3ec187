#pragma once
// TaskGradients: each task's gradient on the shared part of a model, computed once per step in
// one place — for the gradient-based balancing methods and for the task-relationship
// measurements alike. One backward pass per task present in the batch fills one row of J:
//   - on the shared parameters: every parameter slice that more than one task's loss reaches
//     (hard-shared layers), laid out one block per layer;
//   - or on the shared representation: the outputs of the shared layers that feed a task's own
//     layers (or its head), over the batch's rows — the backward passes then stop there and one
//     pass through the shared layers follows.
// Task-specific parameters receive their own task's gradient (weight 1) along the way, as in
// LibMTL. Buffers are sized at construction; a step allocates nothing.

#include "balancing/strategy.h"
#include "model/model.h"
#include "model/workspace.h"

#include <array>
#include <string>
#include <vector>

namespace mtl::core {

// A shared layer's columns in J (parameter space).
struct SharedBlock {
    std::string nodeId;
    Index begin = 0; // first column
    Index size = 0;
};

class TaskGradients {
public:
    TaskGradients(const Model& model, Index maxBatch, GradientSpace space);

    GradientSpace space() const { return m_space; }
    Index width() const { return m_jacobian.cols(); } // columns J has room for
    Index used() const { return m_used; }             // columns the last compute() filled
    const std::vector<SharedBlock>& blocks() const { return m_blocks; }
    // Total shared parameters (parameter space), or representation values per sample.
    bool hasSharedPart() const { return m_jacobian.cols() > 0; }

    // After a forward pass and evaluateLosses on ws: one row of J per task present in the batch
    // (absent tasks' rows are zero). `gradients` must be zero on entry; it leaves with the
    // task-specific parameters' gradients and zeros on the shared parameters.
    void compute(const Vector& parameters, Workspace& ws, Index batch, Vector& gradients);

    const Matrix& jacobian() const { return m_jacobian; } // [tasks, width]
    std::span<const int> present() const { return {m_present.data(), std::size_t(m_presentCount)}; }
    // G = J Jᵀ over the present tasks, on all columns or on columns [begin, begin + size).
    void gram(SmallMatrix& out) const;
    void gram(Index begin, Index size, SmallMatrix& out) const;

    // Completes the backward pass along d = Σ_k w_k g_{present(k)} on the shared part.
    void applyWeights(const SmallVector& weights, const Vector& parameters, Workspace& ws,
                      Index batch, Vector& gradients);
    // Parameter space: adds scale × task's row of J into the shared parameters of `parameters`
    // (a step on one task alone, for the task-affinity lookahead).
    void addRow(int task, float scale, Vector& parameters) const;
    // Parameter space: d given over the shared parameters (DB-MTL), from directionBuffer().
    void applyDirection(Vector& gradients) const;
    std::span<float> directionBuffer() {
        return {m_direction.data(), std::size_t(m_direction.size())};
    }

private:
    struct Slice {
        Index offset; // in the flat parameters
        Index size;
        Index column; // in J
    };

    const Model& m_model;
    GradientSpace m_space;
    std::vector<Slice> m_slices;       // parameter space
    std::vector<int> m_representation; // representation space: the instances whose deltas are taken
    std::vector<SharedBlock> m_blocks;
    Matrix m_jacobian;
    Vector m_direction;
    std::vector<float> m_ones; // weight 1 for every task
    static constexpr int kMaxGramThreads = 16;
    mutable std::vector<double> m_partial; // per thread, the Gram matrix's partial sums
    std::array<int, kMaxTasks> m_present{};
    Index m_presentCount = 0;
    Index m_used = 0;
};

} // namespace mtl::core
