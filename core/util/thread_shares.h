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

// Deepest product handed to Eigen in one piece. Up to a depth of about 600 (with a 32 KB level-1
// cache; more with larger ones) Eigen does not block the depth, and then its packed blocks stay
// within 512 KB (left) and 768 KB (right), so on the stack (EIGEN_STACK_ALLOCATION_LIMIT, see
// core/CMakeLists.txt). Deeper, it packs whole rows of the depth block, megabytes on the heap;
// so deeper products are summed from pieces of at most this depth.
constexpr Index kMaxProductDepth = 512;

// dst = a·b (accumulate: dst += a·b) in pieces of at most kMaxProductDepth.
template <class Dst, class A, class B>
void productInPieces(Dst&& dst, const A& a, const B& b, bool accumulate) {
    const Index depth = a.cols();
    const Index pieces = (depth + kMaxProductDepth - 1) / kMaxProductDepth;
    for (Index p = 0; p < pieces; ++p) {
        const Index begin = depth * p / pieces, size = depth * (p + 1) / pieces - begin;
        if (accumulate || p > 0) dst.noalias() += a.middleCols(begin, size) * b.middleRows(begin, size);
        else dst.noalias() = a.middleCols(begin, size) * b.middleRows(begin, size);
    }
    if (pieces == 0 && !accumulate) dst.setZero(); // an empty sum
}

// dst = a·b (accumulate: dst += a·b), this thread's share.
template <class Dst, class A, class B>
ProductShare shareOfProduct(Dst& dst, const A& a, const B& b, bool accumulate) {
    if (dst.rows() >= dst.cols()) {
        const Share s = threadShare(dst.rows());
        productInPieces(dst.middleRows(s.begin, s.size), a.middleRows(s.begin, s.size), b,
                        accumulate);
        return {true, s};
    }
    const Share s = threadShare(dst.cols());
    productInPieces(dst.middleCols(s.begin, s.size), a, b.middleCols(s.begin, s.size), accumulate);
    return {false, s};
}

} // namespace mtl::core
