#pragma once
// The number of threads the core uses (our own OpenMP loops and the products we split; Eigen's
// products themselves stay single-threaded).

#include "util/tensor.h"

namespace mtl::core {

// threads ≤ 0 means every core.
void setThreadCount(int threads);

// Threads worth using for a step of this many multiply-adds: one below ~4 million, where
// splitting each matrix product costs more in synchronisation than it gains (and a busy second
// core makes every split wait), else every core. Measured on 2 cores: 0.7 M per step runs as
// fast on one thread; 40 M runs 1.3× faster on two; 300 M, 1.6×.
int automaticThreadCount(double multiplyAddsPerStep);
int coreCount();

// Threads for one matrix product (or convolution) of this many multiply-adds that we split
// ourselves (util/thread_shares.h): every thread the core may use, or one for small products,
// where waking the other threads costs more than they save.
int productThreads(double multiplyAdds);
// The same for an element-wise pass over this many floats (memory-bound: cheap per float).
int elementwiseThreads(double floats);

} // namespace mtl::core
