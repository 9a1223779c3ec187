#pragma once
// Work split across threads by us: contiguous shares of rows, and matrix products.
//
// Matrix products that we split across threads ourselves. Inside an OpenMP parallel region each
// thread computes its share of the product with Eigen's single-threaded kernel: contiguous rows
// of the result when it is taller than wide, else contiguous columns. Either way every thread
// packs its slice of one operand and all of the other, so splitting the longer side leaves the
// larger operand packed once in all. Eigen's own parallel product (switched off, see
// setThreadCount) shares its packing too, but allocates on the heap for every product.
// Outside a parallel region the one share is the whole product.

#include "util/tensor.h"

#include <omp.h>

namespace mtl::core {

struct Share {
    Index begin = 0, size = 0;
};

// This thread's contiguous share of n items: thread t of T gets [n·t/T, n·(t+1)/T).
inline Share threadShare(Index n) {
    const Index t = omp_get_thread_num(), threads = omp_get_num_threads();
    const Index begin = n * t / threads;
    return {begin, n * (t + 1) / threads - begin};
}

// Which block of the result this thread computed.
struct ProductShare {
    bool rows = true; // rows [begin, begin + size) of the result, else those columns
    Share share;
};

// Runs body() on `threads` threads (in a parallel region) or, for one, directly.
template <class Body>
void runOnThreads(int threads, const Body& body) {
    if (threads <= 1) {
        body();
        return;
    }
#pragma omp parallel num_threads(threads)
    body();
}

// dst = a·b (accumulate: dst += a·b), this thread's share.
template <class Dst, class A, class B>
ProductShare shareOfProduct(Dst& dst, const A& a, const B& b, bool accumulate) {
    if (dst.rows() >= dst.cols()) {
        const Share s = threadShare(dst.rows());
        auto block = dst.middleRows(s.begin, s.size);
        if (accumulate) block.noalias() += a.middleRows(s.begin, s.size) * b;
        else block.noalias() = a.middleRows(s.begin, s.size) * b;
        return {true, s};
    }
    const Share s = threadShare(dst.cols());
    auto block = dst.middleCols(s.begin, s.size);
    if (accumulate) block.noalias() += a * b.middleCols(s.begin, s.size);
    else block.noalias() = a * b.middleCols(s.begin, s.size);
    return {false, s};
}

} // namespace mtl::core
