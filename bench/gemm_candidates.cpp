// mtl-gemm-candidates: the float matrix products of the benchmark's workloads, each timed with
// every product library a C++ project can take from Debian, to choose the core's product.
//
//   mtl-gemm-candidates [--threads T] [--seconds S] [--workloads mlp-large,…] [--square]
//
// The libraries are loaded at run time (dlopen, each on its own: they export the same BLAS
// symbols), so one binary measures them all in the same minute of this noisy machine:
//   eigen            the core's products today: each thread computes its share (thread_shares.h)
//   openblas-omp     OpenBLAS built for OpenMP (libopenblas0-openmp), one call, T threads
//   openblas-shares  the same library, each thread's share in one single-threaded call
//   blis-omp         BLIS built for OpenMP (libblis4-openmp), one call, T threads
//   onednn           oneDNN's dnnl_sgemm (libdnnl2, OpenMP runtime), one call
//   onednn-matmul    the core's product where it is built with oneDNN: oneDNN's matmul
//                    primitive, prepared once per shape (util/matrix_product.h)
// A library that is not installed is skipped with a note. Prints one JSON object per line:
// {"shape": "256x784x1024", "op": "nn", "library": "…", "gflops": …, "allocations": …}
// where allocations are heap allocations per product after warm-up.
#include "util/allocation_counter.h"
#include "util/matrix_product.h"
#include "util/thread_shares.h"
#include "util/threads.h"

#include <Eigen/Core>

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace mtl;
using core::Index;
using Clock = std::chrono::steady_clock;

// One product C[m×n] = op(A)·op(B), row-major, as a layer does it: "nn" forward (x·W), "tn" the
// weight gradient (xᵀ·dy), "nt" the input gradient (dy·Wᵀ).
struct Product {
    Index m, k, n;
    std::string op;
};

// The products of one training step of each workload (dense layers; batch rows).
std::vector<Product> workloadProducts(const std::string& name) {
    std::vector<Product> out;
    const auto dense = [&](Index batch, Index in, Index units, bool inputGradient) {
        out.push_back({batch, in, units, "nn"});
        out.push_back({in, batch, units, "tn"});
        if (inputGradient)
            out.push_back({batch, units, in, "nt"});
    };
    if (name == "mlp-large") {
        dense(256, 784, 1024, false);
        dense(256, 1024, 1024, true);
        dense(256, 1024, 256, true); // each of the 3 heads
        dense(256, 256, 10, true);
    } else if (name == "mlp-small" || name == "soft-small") {
        dense(128, 784, 256, false);
        dense(128, 256, 256, true);
        dense(128, 256, 64, true);
    } else if (name == "multifashion") { // MultiLeNet's dense layers, batch 256
        dense(256, 320, 50, true);
        dense(256, 50, 50, true);
    } else {
        throw std::runtime_error("no workload '" + name + "'");
    }
    return out;
}

using Cblas = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int,
                       float, float*, int);
using SetThreads = void (*)(int);
using DnnlSgemm = int (*)(char, char, long, long, long, float, const float*, long, const float*,
                          long, float, float*, long);
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

void* openLibrary(const char* path) {
    void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (handle == nullptr)
        std::cerr << "skipped " << path << ": " << dlerror() << "\n";
    return handle;
}

struct Matrices {
    core::Matrix a, b, c;
    explicit Matrices(const Product& p)
        : a(p.op == "tn" ? core::Matrix::Random(p.k, p.m) : core::Matrix::Random(p.m, p.k)),
          b(p.op == "nt" ? core::Matrix::Random(p.n, p.k) : core::Matrix::Random(p.k, p.n)),
          c(core::Matrix::Zero(p.m, p.n)) {}
};

// Runs `product` for at least `secs` seconds; GFLOP/s and allocations per product.
std::pair<double, double> timeIt(const Product& p, double secs,
                                 const std::function<void()>& product) {
    for (int i = 0; i < 3; ++i)
        product();
    const long before = core::allocationCount();
    long runs = 0;
    const auto start = Clock::now();
    double elapsed = 0.0;
    while (elapsed < secs || runs < 5) {
        product();
        ++runs;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    const double allocations = double(core::allocationCount() - before) / double(runs);
    return {2.0 * double(p.m) * double(p.k) * double(p.n) * double(runs) / elapsed / 1e9,
            allocations};
}

void eigenShares(const Product& p, Matrices& x, int threads) {
    core::MatrixMap c(x.c.data(), p.m, p.n);
    const core::ConstMatrixMap a(x.a.data(), x.a.rows(), x.a.cols());
    const core::ConstMatrixMap b(x.b.data(), x.b.rows(), x.b.cols());
    core::runOnThreads(threads, [&] {
        if (p.op == "nn")
            core::shareOfProduct(c, a, b, false);
        else if (p.op == "tn")
            core::shareOfProduct(c, a.transpose(), b, false);
        else
            core::shareOfProduct(c, a, b.transpose(), false);
    });
}

void cblasCall(Cblas gemm, const Product& p, Matrices& x, Index rowBegin, Index rows) {
    const int ta = p.op == "tn" ? kTrans : kNoTrans, tb = p.op == "nt" ? kTrans : kNoTrans;
    const float* a = p.op == "tn" ? x.a.data() + rowBegin : x.a.data() + rowBegin * x.a.cols();
    gemm(kRowMajor, ta, tb, int(rows), int(p.n), int(p.k), 1.0f, a, int(x.a.cols()), x.b.data(),
         int(x.b.cols()), 0.0f, x.c.data() + rowBegin * p.n, int(p.n));
}

} // namespace

int main(int argc, char** argv) {
    int threads = core::coreCount();
    double secs = 0.5;
    std::string workloads = "mlp-small,mlp-large,multifashion";
    bool square = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (arg == "--threads")
            threads = std::stoi(value());
        else if (arg == "--seconds")
            secs = std::stod(value());
        else if (arg == "--workloads")
            workloads = value();
        else if (arg == "--square")
            square = true;
        else {
            std::cerr << "usage: mtl-gemm-candidates [--threads T] [--seconds S] [--workloads "
                         "LIST] [--square]\n";
            return 2;
        }
    }
    core::setThreadCount(threads);
    const std::string lib = "/usr/lib/x86_64-linux-gnu/";
    void* openblas = openLibrary((lib + "openblas-openmp/libopenblas.so.0").c_str());
    void* blis = openLibrary((lib + "blis-openmp/libblis.so.4").c_str());
    void* dnnl = openLibrary((lib + "libdnnl.so.2").c_str());
    const auto symbol = [](void* h, const char* name) { return h ? dlsym(h, name) : nullptr; };
    const auto openblasGemm = reinterpret_cast<Cblas>(symbol(openblas, "cblas_sgemm"));
    const auto openblasThreads =
        reinterpret_cast<SetThreads>(symbol(openblas, "openblas_set_num_threads"));
    const auto blisGemm = reinterpret_cast<Cblas>(symbol(blis, "cblas_sgemm"));
    const auto blisThreads =
        reinterpret_cast<SetThreads>(symbol(blis, "bli_thread_set_num_threads"));
    const auto dnnlGemm = reinterpret_cast<DnnlSgemm>(symbol(dnnl, "dnnl_sgemm"));

    std::vector<std::pair<std::string, Product>> products;
    std::stringstream list(workloads);
    for (std::string w; std::getline(list, w, ',');) {
        for (const Product& p : workloadProducts(w))
            products.emplace_back(w, p);
    }
    if (square) {
        for (Index n : {512, 1024, 2048})
            products.emplace_back("square", Product{n, n, n, "nn"});
    }
    for (const auto& [workload, p] : products) {
        Matrices x(p);
        core::Matrix expected = (p.op == "tn" ? core::Matrix(x.a.transpose()) : x.a) *
                                (p.op == "nt" ? core::Matrix(x.b.transpose()) : x.b);
        const auto report = [&](const char* library, const std::function<void()>& product) {
            x.c.setZero();
            const auto [gflops, allocations] = timeIt(p, secs, product);
            const double error = double((x.c - expected).cwiseAbs().maxCoeff()) /
                                 double(expected.cwiseAbs().maxCoeff());
            std::printf(
                "{\"workload\": \"%s\", \"shape\": \"%ldx%ldx%ld\", \"op\": \"%s\", \"library\": "
                "\"%s\", \"threads\": %d, \"gflops\": %.1f, \"allocations\": %.2f, "
                "\"relative_error\": %.1e}\n",
                workload.c_str(), long(p.m), long(p.k), long(p.n), p.op.c_str(), library, threads,
                gflops, allocations, error);
            std::fflush(stdout);
        };
        report("eigen", [&] { eigenShares(p, x, threads); });
        if (openblasGemm && openblasThreads) {
            report("openblas-omp", [&] {
                openblasThreads(threads);
                cblasCall(openblasGemm, p, x, 0, p.m);
            });
            report("openblas-shares", [&] {
                core::runOnThreads(threads, [&] {
                    const core::Share s = core::threadShare(p.m);
                    cblasCall(openblasGemm, p, x, s.begin, s.size);
                });
            });
        }
        if (blisGemm && blisThreads) {
            report("blis-omp", [&] {
                blisThreads(threads);
                cblasCall(blisGemm, p, x, 0, p.m);
            });
        }
        if (core::oneDnnBuiltIn()) {
            core::MatrixProducts prepared;
            const core::Operands operands = p.op == "tn"   ? core::Operands::AtB
                                            : p.op == "nt" ? core::Operands::ABt
                                                           : core::Operands::AB;
            const core::ProductShape shape{p.m, p.k, p.n, operands, false, false};
            report("onednn-matmul",
                   [&] { prepared.multiply(shape, x.a.data(), x.b.data(), x.c.data()); });
        }
        if (dnnlGemm) {
            report("onednn", [&] {
                const char ta = p.op == "tn" ? 'T' : 'N', tb = p.op == "nt" ? 'T' : 'N';
                dnnlGemm(ta, tb, long(p.m), long(p.n), long(p.k), 1.0f, x.a.data(),
                         long(x.a.cols()), x.b.data(), long(x.b.cols()), 0.0f, x.c.data(),
                         long(p.n));
            });
        }
    }
    return 0;
}
