#pragma once
// Counts heap allocations (malloc, calloc, realloc) made by anyone in the process: our code,
// Eigen, the C++ library. Linking the mtl_allocation_counter library interposes those functions
// (glibc forwards them to __libc_*); it is for tests and benchmarks, never for the core itself,
// and not for sanitizer builds (the sanitizer owns malloc there).

namespace mtl::core {

long allocationCount();

} // namespace mtl::core
