#pragma once
// Sixteen floats as one value, for the few kernels we write by hand. It is a GCC/Clang vector
// extension: the compiler maps it onto one AVX-512 register, two AVX or four SSE ones, and
// `a * b + c` becomes a fused multiply-add where the file is built with -ffp-contract=fast.
// Loads and stores are unaligned. The *First forms touch only the first n lanes (masked under
// AVX-512, lane by lane elsewhere), so they never read or write past the end of a buffer.

#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace mtl::core::simd {

constexpr int kLanes = 16;
using Vec = float __attribute__((vector_size(64)));
using Mask = int __attribute__((vector_size(64))); // what comparing two Vecs gives: −1 or 0 per lane

inline Vec load(const float* p) {
    Vec v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store(float* p, Vec v) { std::memcpy(p, &v, sizeof v); }

// The first n lanes (0 < n ≤ 16) of p; the others are zero.
inline Vec loadFirst(const float* p, int n) {
#if defined(__AVX512F__)
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p);
#else
    Vec v{};
    for (int i = 0; i < n; ++i) v[i] = p[i];
    return v;
#endif
}

inline void storeFirst(float* p, Vec v, int n) {
#if defined(__AVX512F__)
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), v);
#else
    for (int i = 0; i < n; ++i) p[i] = v[i];
#endif
}

inline Vec max(Vec a, Vec b) { return b > a ? b : a; } // a where b is not greater, or NaN

// Lanes needed for `count` floats: count rounded up to whole vectors.
constexpr long roundUpToLanes(long count) { return (count + kLanes - 1) / kLanes * kLanes; }

} // namespace mtl::core::simd
