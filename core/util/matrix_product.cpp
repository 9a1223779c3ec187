#include "util/matrix_product.h"

#include "util/thread_shares.h"
#include "util/threads.h"

#ifdef MTL_ONEDNN
#include "util/onednn_product.h"
#endif

#include <atomic>
#include <stdexcept>

namespace mtl::core {

namespace {

std::atomic<ProductLibrary> g_library{oneDnnBuiltIn() ? ProductLibrary::OneDnn
                                                      : ProductLibrary::Eigen};
std::atomic<long> g_oneDnnProducts{0};
std::atomic<long (*)()> g_allocationCounter{nullptr};
std::atomic<long> g_oneDnnAllocations{0};

// dst = op(a)·op(b) (+ dst), Eigen on our thread shares, then + bias.
void eigenProduct(const ProductShape& s, const float* a, const float* b, float* c,
                  const float* bias, int threads) {
    MatrixMap dst(c, s.m, s.n);
    const auto share = [&](const auto& lhs, const auto& rhs) {
        runOnThreads(threads, [&] {
            const ProductShare done = shareOfProduct(dst, lhs, rhs, s.accumulate);
            if (!s.bias)
                return;
            const ConstRowVectorMap row(bias, s.n);
            const Share part = done.share;
            if (done.rows)
                dst.middleRows(part.begin, part.size).rowwise() += row;
            else
                dst.middleCols(part.begin, part.size).rowwise() +=
                    row.segment(part.begin, part.size);
        });
    };
    switch (s.operands) {
    case Operands::AB:
        share(ConstMatrixMap(a, s.m, s.k), ConstMatrixMap(b, s.k, s.n));
        return;
    case Operands::AtB:
        share(ConstMatrixMap(a, s.k, s.m).transpose(), ConstMatrixMap(b, s.k, s.n));
        return;
    case Operands::ABt:
        share(ConstMatrixMap(a, s.m, s.k), ConstMatrixMap(b, s.n, s.k).transpose());
        return;
    }
}

} // namespace

bool oneDnnBuiltIn() {
#ifdef MTL_ONEDNN
    return true;
#else
    return false;
#endif
}

ProductLibrary productLibrary() {
    return g_library.load(std::memory_order_relaxed);
}

void setProductLibrary(ProductLibrary library) {
    if (library == ProductLibrary::OneDnn && !oneDnnBuiltIn())
        throw std::runtime_error("this build of the core has no oneDNN (built without MTL_ONEDNN)");
    g_library.store(library, std::memory_order_relaxed);
}

const char* productLibraryName(ProductLibrary library) {
    switch (library) {
    case ProductLibrary::Eigen:
        return "eigen";
    case ProductLibrary::OneDnn:
        return "onednn";
    }
    return "?";
}

int productThreadsFor(ProductLibrary library, double multiplyAdds) {
    if (omp_in_parallel())
        return 1; // already one of a team's threads
    if (library == ProductLibrary::Eigen)
        return productThreads(multiplyAdds);
    // oneDNN's kernels run a small product on one thread faster than on two (measured on
    // 2 cores: 0.66 M multiply-adds 168 vs 112 GFLOP/s; 2.1 M, 197 vs 263).
    constexpr double kWorthSplitting = 1 << 20;
    return multiplyAdds < kWorthSplitting ? 1 : omp_get_max_threads();
}

void addColumnSums(ConstMatrixMap g, float* out) {
    RowVectorMap sums(out, g.cols());
    runOnThreads(elementwiseThreads(double(g.size())), [&] {
        const Share columns = threadShare(g.cols());
        sums.segment(columns.begin, columns.size) +=
            g.middleCols(columns.begin, columns.size).colwise().sum();
    });
}

long oneDnnProductCount() {
    return g_oneDnnProducts.load(std::memory_order_relaxed);
}

void countOneDnnAllocationsWith(long (*allocations)()) {
    g_allocationCounter.store(allocations);
}

long oneDnnAllocationCount() {
    return g_oneDnnAllocations.load(std::memory_order_relaxed);
}

// One prepared product: its shape, thread count and library (oneDNN, or Eigen when oneDNN was
// not chosen or could not prepare it).
class MatrixProducts::Prepared {
public:
    Prepared(const ProductShape& shape, ProductLibrary library, int threads)
        : m_shape(shape), m_library(library), m_threads(threads) {
#ifdef MTL_ONEDNN
        if (library == ProductLibrary::OneDnn)
            m_oneDnn = OneDnnProduct::prepare(shape, threads);
#endif
    }
    bool matches(const ProductShape& shape, ProductLibrary library, int threads) const {
        return m_shape == shape && m_library == library && m_threads == threads;
    }
    void run(const float* a, const float* b, float* c, const float* bias) {
#ifdef MTL_ONEDNN
        if (m_oneDnn) {
            long (*counter)() = g_allocationCounter.load(std::memory_order_relaxed);
            const long before = counter != nullptr ? counter() : 0;
            m_oneDnn->run(a, b, c, bias);
            if (counter != nullptr)
                g_oneDnnAllocations.fetch_add(counter() - before, std::memory_order_relaxed);
            g_oneDnnProducts.fetch_add(1, std::memory_order_relaxed);
            return;
        }
#endif
        eigenProduct(m_shape, a, b, c, bias, m_threads);
    }

private:
    ProductShape m_shape;
    ProductLibrary m_library;
    int m_threads;
#ifdef MTL_ONEDNN
    std::unique_ptr<OneDnnProduct> m_oneDnn;
#endif
};

MatrixProducts::MatrixProducts() = default;
MatrixProducts::~MatrixProducts() = default;

void MatrixProducts::multiply(const ProductShape& shape, const float* a, const float* b, float* c,
                              const float* bias) {
    if (shape.m == 0 || shape.n == 0)
        return;
    const ProductLibrary library = productLibrary();
    const int threads =
        productThreadsFor(library, double(shape.m) * double(shape.k) * double(shape.n));
    for (const auto& p : m_prepared) {
        if (p->matches(shape, library, threads)) {
            p->run(a, b, c, bias);
            return;
        }
    }
    if (m_prepared.size() >= kMaxPrepared)
        m_prepared.erase(m_prepared.begin()); // the oldest
    m_prepared.push_back(std::make_unique<Prepared>(shape, library, threads));
    m_prepared.back()->run(a, b, c, bias);
}

} // namespace mtl::core
