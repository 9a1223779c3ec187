#pragma once
// One matrix product prepared with oneDNN's matmul primitive (only in builds with MTL_ONEDNN):
// its kernels generated for the shape and thread count, memory descriptions whose data pointers
// are set per call, and the scratch memory it asks for, allocated here once.

#include "util/matrix_product.h"

#include <memory>

namespace mtl::core {

class OneDnnProduct {
public:
    // Null when oneDNN cannot do this product (the caller falls back to Eigen).
    static std::unique_ptr<OneDnnProduct> prepare(const ProductShape& shape, int threads);
    ~OneDnnProduct();
    OneDnnProduct(const OneDnnProduct&) = delete;
    OneDnnProduct& operator=(const OneDnnProduct&) = delete;

    void run(const float* a, const float* b, float* c, const float* bias);

private:
    OneDnnProduct() = default;
    struct Handles;
    std::unique_ptr<Handles> m_handles;
    int m_threads = 1;
};

} // namespace mtl::core
