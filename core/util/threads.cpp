#include "util/threads.h"

#include <Eigen/Core>
#include <omp.h>

namespace mtl::core {

void setThreadCount(int threads) {
    const int n = threads > 0 ? threads : coreCount();
    omp_set_num_threads(n);
    // Our layers split their products across threads themselves (util/thread_shares.h); an
    // Eigen product never starts threads of its own, which would allocate on every product.
    Eigen::setNbThreads(1);
}

int automaticThreadCount(double multiplyAddsPerStep) {
    constexpr double kWorthSplitting = 4e6;
    return multiplyAddsPerStep >= kWorthSplitting ? coreCount() : 1;
}

int coreCount() { return omp_get_num_procs(); }

int elementwiseThreads(double floats) {
    constexpr double kWorthSplitting = 1 << 16;
    return floats < kWorthSplitting ? 1 : omp_get_max_threads();
}

int productThreads(double multiplyAdds) {
    constexpr double kWorthSplitting = 1 << 18;
    return multiplyAdds < kWorthSplitting ? 1 : omp_get_max_threads();
}

} // namespace mtl::core
