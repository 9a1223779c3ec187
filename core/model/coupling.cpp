#include "model/coupling.h"

#include "model/model.h"

#include <Eigen/Eigenvalues>
#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace mtl::core {
namespace {

constexpr Index kChunk = 256;

Index copiesOf(const SoftGroup& group) {
    return static_cast<Index>(group.copyOffsets.size());
}

// gradients of copy t += mask · Σ_s C_st w_s: the gradient of every penalty that is a function
// of G, with C = dP/dG + (dP/dG)ᵀ.
void addMixedGradient(const SoftGroup& group, const SmallMatrix& c, const float* p,
                      const float* mask, float* g) {
    const Index copies = copiesOf(group);
    const Index* offsets = group.copyOffsets.data();
    const float* m = mask + offsets[0]; // the same layout in every copy
    for (Index t = 0; t < copies; ++t) {
        float* gt = g + offsets[t];
        for (Index s = 0; s < copies; ++s) {
            const auto cst = static_cast<float>(c(s, t));
            const float* ws = p + offsets[s];
            for (Index i = 0; i < group.copySize; ++i)
                gt[i] += cst * ws[i] * m[i];
        }
    }
}

// (G + εI)^power through G's eigen-decomposition, and Σ_i (e_i + ε)^½ for the trace norm.
SmallMatrix symmetricPower(const SmallMatrix& g, double epsilon, double power,
                           double* traceOfRoot = nullptr) {
    const Eigen::SelfAdjointEigenSolver<SmallMatrix> solver(g);
    SmallVector e = solver.eigenvalues();
    double root = 0.0;
    for (Index i = 0; i < e.size(); ++i) {
        const double shifted = std::max(e(i), 0.0) + epsilon;
        root += std::sqrt(shifted);
        e(i) = std::pow(shifted, power);
    }
    if (traceOfRoot != nullptr)
        *traceOfRoot = root;
    return solver.eigenvectors() * e.asDiagonal() * solver.eigenvectors().transpose();
}

} // namespace

SmallMatrix couplingGram(const SoftGroup& group, const float* p, const float* mask) {
    const Index copies = copiesOf(group);
    const Index* offsets = group.copyOffsets.data();
    const float* m = mask + offsets[0];
    SmallMatrix gram = SmallMatrix::Zero(copies, copies);
    for (Index begin = 0; begin < group.copySize; begin += kChunk) {
        const Index size = std::min(kChunk, group.copySize - begin);
        for (Index s = 0; s < copies; ++s) {
            const float* ws = p + offsets[s] + begin;
            for (Index t = s; t < copies; ++t) {
                const float* wt = p + offsets[t] + begin;
                float sum = 0.0f;
                for (Index i = 0; i < size; ++i)
                    sum += ws[i] * wt[i] * m[begin + i];
                gram(s, t) += sum;
            }
        }
    }
    return gram.selfadjointView<Eigen::Upper>();
}

// In chunks small enough for a stack buffer: the mean of the copies, then each copy's
// deviation — both loops contiguous, so they vectorise. Threads take contiguous ranges of chunks
// and their partial sums are added in thread order, so the value is the same run to run for a
// given thread count.
double meanL2Penalty(const SoftGroup& group, const float* p, const float* mask, float* g) {
    constexpr int kMaxThreads = 64;
    const Index copies = copiesOf(group);
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
            for (Index i = 0; i < size; ++i)
                mean[i] = 0.0f;
            for (Index t = 0; t < copies; ++t) {
                const float* w = p + offsets[t] + begin;
                for (Index i = 0; i < size; ++i)
                    mean[i] += w[i];
            }
            for (Index i = 0; i < size; ++i)
                mean[i] *= inverse; // W̄ = (1/T) Σ_t W_t
            for (Index t = 0; t < copies; ++t) {
                const float* w = p + offsets[t] + begin;
                float chunkSum = 0.0f;
                for (Index i = 0; i < size; ++i) {
                    const float d = (w[i] - mean[i]) * m[i];
                    chunkSum += d * d;
                }
                sum += chunkSum;
                // d/dW_t Σ_s ‖W_s − W̄‖² = 2 (W_t − W̄), since Σ_s (W_s − W̄) = 0
                if (g == nullptr)
                    continue;
                float* gw = g + offsets[t] + begin;
                for (Index i = 0; i < size; ++i)
                    gw[i] += twoLambda * (w[i] - mean[i]) * m[i];
            }
        }
        if (thread < kMaxThreads)
            partial[std::size_t(thread)] = sum;
    }
    double sum = 0.0;
    for (double s : partial)
        sum += s;
    return double(group.couplingStrength) * sum;
}

double traceNormPenalty(const SoftGroup& group, const float* p, const float* mask, float* g) {
    const double lambda = group.couplingStrength;
    const SmallMatrix gram = couplingGram(group, p, mask);
    double root = 0.0;
    // d/dW λ tr((WᵀW + εI)^½) = λ W (WᵀW + εI)^−½
    const SmallMatrix inverseRoot = symmetricPower(gram, kTraceNormEpsilon, -0.5, &root);
    if (g != nullptr)
        addMixedGradient(group, lambda * inverseRoot, p, mask, g);
    return lambda * root;
}

double relationshipPenalty(const SoftGroup& group, const SmallMatrix& omegaInverse, const float* p,
                           const float* mask, float* g) {
    const double lambda = group.couplingStrength;
    const SmallMatrix gram = couplingGram(group, p, mask);
    if (g != nullptr)
        addMixedGradient(group, 2.0 * lambda * omegaInverse, p, mask, g);
    return lambda * omegaInverse.cwiseProduct(gram).sum();
}

SmallMatrix relationshipCovariance(const SoftGroup& group, const float* p, const float* mask) {
    const SmallMatrix gram = couplingGram(group, p, mask);
    const double scale = gram.trace() / double(gram.rows());
    const double epsilon = std::max(kRelationshipEpsilon * scale, 1e-12);
    const SmallMatrix root = symmetricPower(gram, epsilon, 0.5);
    return root / root.trace();
}

} // namespace mtl::core
