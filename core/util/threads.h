#pragma once
// The number of threads the core uses (Eigen's matrix products and our own OpenMP loops).

namespace mtl::core {

// threads ≤ 0 means every core.
void setThreadCount(int threads);
int threadCount();
int coreCount();

} // namespace mtl::core
