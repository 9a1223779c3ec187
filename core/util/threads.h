#pragma once
// The number of threads the core uses (Eigen's matrix products and our own OpenMP loops).

namespace mtl::core {

// threads ≤ 0 means every core.
void setThreadCount(int threads);

// Threads worth using for a step of this many multiply-adds: one below ~4 million, where
// splitting each matrix product costs more in synchronisation than it gains (and a busy second
// core makes every split wait), else every core. Measured on 2 cores: 0.7 M per step runs as
// fast on one thread; 40 M runs 1.3× faster on two; 300 M, 1.6×.
int automaticThreadCount(double multiplyAddsPerStep);
int coreCount();

} // namespace mtl::core
