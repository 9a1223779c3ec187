// The layers' matrix products (util/matrix_product.h) against a product summed in double here,
// for every library this build has, every operand layout, with and without accumulation and
// bias, on one thread and on two, small products and ones large enough to be split.

#include "util/matrix_product.h"

#include <gtest/gtest.h>

#include <omp.h>

#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace mtl::core;

namespace {

struct Case {
    ProductShape shape;
    std::vector<float> a, b, c, bias;
};

Case randomCase(const ProductShape& shape, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    const auto fill = [&](Index size) {
        std::vector<float> v(static_cast<std::size_t>(size));
        for (float& x : v)
            x = value(rng);
        return v;
    };
    return {shape, fill(shape.m * shape.k), fill(shape.k * shape.n), fill(shape.m * shape.n),
            fill(shape.n)};
}

// Element (i, j) of op(a)·op(b) [+ bias] [+ c], summed in double; also Σ|terms| for a tolerance.
void expected(const Case& c, Index i, Index j, double& value, double& magnitude) {
    const ProductShape& s = c.shape;
    value = 0.0;
    magnitude = 0.0;
    for (Index p = 0; p < s.k; ++p) {
        const float x = s.operands == Operands::AtB ? c.a[std::size_t(p * s.m + i)]
                                                    : c.a[std::size_t(i * s.k + p)];
        const float y = s.operands == Operands::ABt ? c.b[std::size_t(j * s.k + p)]
                                                    : c.b[std::size_t(p * s.n + j)];
        value += double(x) * double(y);
        magnitude += std::abs(double(x) * double(y));
    }
    if (s.bias)
        value += c.bias[std::size_t(j)];
    if (s.accumulate)
        value += c.c[std::size_t(i * s.n + j)];
}

std::string describe(const ProductShape& s, ProductLibrary library, int threads) {
    const char* operands[] = {"AB", "AtB", "ABt"};
    return std::string(productLibraryName(library)) + " " + operands[int(s.operands)] + " " +
           std::to_string(s.m) + "x" + std::to_string(s.k) + "x" + std::to_string(s.n) +
           (s.accumulate ? " +=" : "") + (s.bias ? " +bias" : "") + ", threads " +
           std::to_string(threads);
}

std::vector<ProductLibrary> librariesBuiltIn() {
    std::vector<ProductLibrary> libraries{ProductLibrary::Eigen};
    if (oneDnnBuiltIn())
        libraries.push_back(ProductLibrary::OneDnn);
    return libraries;
}

class LibraryScope {
public:
    explicit LibraryScope(ProductLibrary library) : m_saved(productLibrary()) {
        setProductLibrary(library);
    }
    ~LibraryScope() { setProductLibrary(m_saved); }
    LibraryScope(const LibraryScope&) = delete;
    LibraryScope& operator=(const LibraryScope&) = delete;

private:
    ProductLibrary m_saved;
};

} // namespace

TEST(MatrixProducts, AgreeWithADoubleSumForEveryLayout) {
    const int savedThreads = omp_get_max_threads();
    unsigned seed = 1;
    // 64×1024×256 = 16.8 M multiply-adds: split across threads by both libraries.
    const std::vector<std::array<Index, 3>> sizes = {{7, 5, 3}, {16, 33, 12}, {64, 1024, 256}};
    for (ProductLibrary library : librariesBuiltIn()) {
        const LibraryScope scope(library);
        for (int threads : {1, 2}) {
            omp_set_num_threads(threads);
            for (const auto& [m, k, n] : sizes) {
                for (Operands operands : {Operands::AB, Operands::AtB, Operands::ABt}) {
                    for (int flags = 0; flags < 4; ++flags) {
                        const ProductShape shape{
                            m, k, n, operands, (flags & 1) != 0, (flags & 2) != 0};
                        SCOPED_TRACE(describe(shape, library, threads));
                        Case c = randomCase(shape, seed++);
                        std::vector<float> out = c.c;
                        MatrixProducts products;
                        // Twice: the product prepared, then the prepared one run again.
                        for (int run = 0; run < 2; ++run) {
                            out = c.c;
                            products.multiply(shape, c.a.data(), c.b.data(), out.data(),
                                              c.bias.data());
                        }
                        int wrong = 0;
                        for (Index i = 0; i < m; ++i) {
                            for (Index j = 0; j < n; ++j) {
                                double value = 0.0, magnitude = 0.0;
                                expected(c, i, j, value, magnitude);
                                const double error =
                                    std::abs(double(out[std::size_t(i * n + j)]) - value);
                                if (error > 1e-5 * (magnitude + 1.0) && ++wrong <= 3)
                                    ADD_FAILURE() << "(" << i << ", " << j
                                                  << "): " << out[std::size_t(i * n + j)]
                                                  << " instead of " << value;
                            }
                        }
                        EXPECT_EQ(wrong, 0);
                    }
                }
            }
        }
    }
    omp_set_num_threads(savedThreads);
}

TEST(MatrixProducts, OneDnnRunsTheProductsWhenBuiltIn) {
    if (!oneDnnBuiltIn()) {
        EXPECT_THROW(setProductLibrary(ProductLibrary::OneDnn), std::runtime_error);
        EXPECT_EQ(productLibrary(), ProductLibrary::Eigen);
        return;
    }
    EXPECT_EQ(productLibrary(), ProductLibrary::OneDnn); // the default where it is built in
    Case c = randomCase({32, 40, 24, Operands::AB, false, true}, 7);
    MatrixProducts products;
    const long before = oneDnnProductCount();
    products.multiply(c.shape, c.a.data(), c.b.data(), c.c.data(), c.bias.data());
    EXPECT_EQ(oneDnnProductCount() - before, 1);
    const LibraryScope eigen(ProductLibrary::Eigen);
    products.multiply(c.shape, c.a.data(), c.b.data(), c.c.data(), c.bias.data());
    EXPECT_EQ(oneDnnProductCount() - before, 1); // switched: Eigen ran it
}

TEST(MatrixProducts, SmallProductsStayOnOneThread) {
    for (ProductLibrary library : librariesBuiltIn()) {
        SCOPED_TRACE(productLibraryName(library));
        EXPECT_EQ(productThreadsFor(library, 1000.0), 1);
    }
    if (oneDnnBuiltIn() && omp_get_max_threads() > 1) {
        EXPECT_EQ(productThreadsFor(ProductLibrary::OneDnn, 64.0 * 1024 * 1024),
                  omp_get_max_threads());
    }
}

// A user fed ever-new shapes keeps a bounded number prepared, and still computes each right.
TEST(MatrixProducts, KeepsABoundedNumberPrepared) {
    for (ProductLibrary library : librariesBuiltIn()) {
        SCOPED_TRACE(productLibraryName(library));
        const LibraryScope scope(library);
        MatrixProducts products;
        for (Index m = 1; m <= Index(MatrixProducts::kMaxPrepared) + 5; ++m) {
            Case c = randomCase({m, 6, 4, Operands::AB, false, false}, unsigned(m));
            products.multiply(c.shape, c.a.data(), c.b.data(), c.c.data());
            double value = 0.0, magnitude = 0.0;
            expected(c, m - 1, 3, value, magnitude);
            EXPECT_NEAR(c.c[std::size_t((m - 1) * 4 + 3)], value, 1e-5 * (magnitude + 1.0));
        }
        EXPECT_EQ(products.preparedCount(), MatrixProducts::kMaxPrepared);
    }
}
