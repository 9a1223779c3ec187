#include "util/threads.h"

#include <Eigen/Core>
#include <omp.h>

namespace mtl::core {

void setThreadCount(int threads) {
    const int n = threads > 0 ? threads : coreCount();
    omp_set_num_threads(n);
    Eigen::setNbThreads(n);
}

int automaticThreadCount(double multiplyAddsPerStep) {
    constexpr double kWorthSplitting = 4e6;
    return multiplyAddsPerStep >= kWorthSplitting ? coreCount() : 1;
}

int coreCount() { return omp_get_num_procs(); }

} // namespace mtl::core
