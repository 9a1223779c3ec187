#pragma once
// The layers' matrix products, c = op(a)·op(b) (+ a bias row) (+ c), on row-major floats.
//
// Two libraries can compute them. oneDNN's matmul (when the core is built with it, MTL_ONEDNN)
// generates its kernels for this CPU at run time: on the benchmark's shapes it is 1.5–2× Eigen's
// product, on one thread and on two (docs/performance.md). Eigen computes them otherwise, each
// thread its share (util/thread_shares.h). A oneDNN product is prepared once per shape and
// thread count — its kernels, and its scratch memory, which is ours — and kept in the
// MatrixProducts of the layer's state, so a step prepares nothing it has seen before. What it
// still allocates per product is oneDNN's own: a table of the arguments (a few blocks of under
// 128 bytes, freed before it returns), counted apart (oneDnnAllocationCount).

#include "util/tensor.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace mtl::core {

// Which operand is read transposed: A·B, Aᵀ·B (a is stored [k, m]), A·Bᵀ (b is stored [n, k]).
enum class Operands : std::uint8_t { AB, AtB, ABt };

struct ProductShape {
    Index m = 0, k = 0, n = 0; // c is [m, n]; the sum runs over k
    Operands operands = Operands::AB;
    bool accumulate = false; // c += …, else c = …
    bool bias = false;       // + a row of n biases, added to every row
    bool operator==(const ProductShape&) const = default;
};

enum class ProductLibrary : std::uint8_t { Eigen, OneDnn };

// The library the core's products use: oneDNN where the core was built with it, unless
// switched (for comparisons; applies to products prepared afterwards).
ProductLibrary productLibrary();
void setProductLibrary(ProductLibrary library);
bool oneDnnBuiltIn();
const char* productLibraryName(ProductLibrary library);

// Threads worth using for one product of this many multiply-adds with this library.
int productThreadsFor(ProductLibrary library, double multiplyAdds);

// The products one user (a layer's state) does, each prepared on first use.
class MatrixProducts {
public:
    MatrixProducts();
    ~MatrixProducts();
    MatrixProducts(const MatrixProducts&) = delete;
    MatrixProducts& operator=(const MatrixProducts&) = delete;

    // c = op(a)·op(b) [+ bias] [+ c]. a, b and c are contiguous row-major; bias has n floats
    // (only read when shape.bias).
    void multiply(const ProductShape& shape, const float* a, const float* b, float* c,
                  const float* bias = nullptr);

    // Products kept prepared: a layer meets a few shapes (its batch sizes); one fed ever-new
    // sizes (predictions on inputs of any length) keeps the most recent kMaxPrepared.
    static constexpr std::size_t kMaxPrepared = 16;
    std::size_t preparedCount() const { return m_prepared.size(); }

private:
    class Prepared;
    std::vector<std::unique_ptr<Prepared>> m_prepared;
};

// out[j] += Σ_i g(i, j): a layer's bias gradient, each thread a share of the columns.
void addColumnSums(ConstMatrixMap g, float* out);

// Products oneDNN has run in this process, and the heap allocations made inside them as counted
// by the counter given (the no-allocation test and the benchmark tell oneDNN's argument tables
// apart from the core's own allocations that way; no counter, no counting).
long oneDnnProductCount();
void countOneDnnAllocationsWith(long (*allocations)());
long oneDnnAllocationCount();

} // namespace mtl::core
