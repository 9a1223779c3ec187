// mtl-bench: training throughput of our core on the reference workloads, and the machine's
// float matrix-product peak. Prints one JSON object per line for bench/compare.py.
//
//   mtl-bench --workload mlp-small [--threads T] [--seconds S] [--width W] [--batch B]
//             [--balancing NAME[:params]] [--products eigen|onednn]
//   mtl-bench --sgemm [--threads T]
//
// --balancing takes what `mtl train --balancing` takes ("pcgrad", "mgda_ub",
// "nash_mtl:max_norm=1"); without it the step uses the workload's static task weights.
// --products picks the library of the layers' matrix products (default: oneDNN where the core
// was built with it). Allocations are reported as the core's own per step and, apart, oneDNN's
// (the small argument table it allocates and frees in each product it runs).

#include "workloads.h"

#include "balancing/balancing_method.h"
#include "model/model.h"
#include "train/trainer.h"
#include "util/allocation_counter.h"
#include "util/error.h"
#include "util/matrix_product.h"
#include "util/threads.h"

#include <Eigen/Core>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;
using namespace mtl;

double seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

long peakMemoryKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// One --workload run as asked on the command line.
struct WorkloadRun {
    std::string name;
    int threads = 1;
    double minSeconds = 3.0;
    int width = 0;                     // 0: the workload's own
    core::Index batch = 0;             // 0: the workload's own
    core::BalancingSettings balancing; // static task weights unless --balancing
    int relationsEvery = 0;            // the task relations measured every N steps; 0: never
};

struct Measurement {
    double samplesPerSecond = 0.0;
    double allocationsPerStep = 0.0;       // the core's own
    double oneDnnAllocationsPerStep = 0.0; // inside oneDNN's products
    long steps = 0;
};

// Training steps only: forward, backward, Adam step, on batches already in memory. A step must
// allocate nothing after warm-up (benchmarks.md); the count is reported, not enforced here.
Measurement measureSteps(core::Trainer& trainer, core::Index batch, double minSeconds) {
    const std::vector<core::Index>& rows = trainer.split().train;
    const auto perBatch = static_cast<std::size_t>(batch);
    const std::size_t batches = rows.size() / perBatch;
    auto step = [&](long i) {
        const std::size_t b = static_cast<std::size_t>(i) % batches;
        trainer.trainStep(std::span(rows).subspan(b * perBatch, perBatch), 1e-3f);
    };
    for (long i = 0; i < 20; ++i) step(i); // warm-up
    Measurement out;
    const long allocationsBefore = core::allocationCount();
    const long oneDnnBefore = core::oneDnnAllocationCount();
    const long checkSteps = 10;
    for (long i = 0; i < checkSteps; ++i) step(i);
    const long oneDnn = core::oneDnnAllocationCount() - oneDnnBefore;
    out.allocationsPerStep =
        double(core::allocationCount() - allocationsBefore - oneDnn) / double(checkSteps);
    out.oneDnnAllocationsPerStep = double(oneDnn) / double(checkSteps);

    const auto start = Clock::now();
    while (seconds(start) < minSeconds || out.steps < 20) step(out.steps++);
    out.samplesPerSecond = double(out.steps) * double(batch) / seconds(start);
    return out;
}

void runWorkload(const WorkloadRun& run) {
    const bench::Workload w = bench::makeWorkload(run.name, run.width, run.batch);
    const core::Model model = core::compile(w.spec, w.data.schema);
    core::TrainingSettings settings;
    settings.batchSize = w.batch;
    settings.validationFraction = 0.0f;
    settings.threads = run.threads;
    settings.standardizeInputs = false;
    settings.balancing = run.balancing;
    // Training steps only, as PyTorch's side: no task-relations measurement (its cost is
    // measured on its own, --relations-every).
    settings.relationsEvery = run.relationsEvery;
    core::Trainer trainer(model, w.data, settings);
    core::setThreadCount(run.threads);
    const Measurement m = measureSteps(trainer, w.batch, run.minSeconds);
    // FLOPs of a training step per sample: 6 × multiply-adds of the forward pass (benchmarks.md).
    // A gradient-based method does more arithmetic than that; gflops counts the static step's
    // work only, so that it reads as useful work done per second.
    const double flopsPerSample = 6.0 * model.multiplyAddsPerSample();
    std::printf("{\"workload\": \"%s\", \"balancing\": \"%s\", \"threads\": %d, \"batch\": %ld, "
                "\"width\": %d, \"samples_per_second\": %.1f, \"gflops\": %.2f, "
                "\"allocations_per_step\": %.2f, \"onednn_allocations_per_step\": %.2f, "
                "\"products\": \"%s\", \"peak_memory_mb\": %.1f, \"parameters\": %ld, "
                "\"steps\": %ld}\n",
                run.name.c_str(), core::formatBalancing(run.balancing).c_str(), run.threads,
                long(w.batch), run.width, m.samplesPerSecond,
                m.samplesPerSecond * flopsPerSample / 1e9, m.allocationsPerStep,
                m.oneDnnAllocationsPerStep, core::productLibraryName(core::productLibrary()),
                double(peakMemoryKb()) / 1024.0, long(model.parameterCount()), m.steps);
}

// The best float matrix-product rate of Eigen at square sizes 512…2048.
void runSgemm(int threads) {
    core::setThreadCount(threads);
    Eigen::setNbThreads(threads); // the core keeps Eigen's products single-threaded
    double best = 0.0;
    int bestSize = 0;
    for (int n : {512, 1024, 1536, 2048}) {
        const core::Matrix a = core::Matrix::Random(n, n), b = core::Matrix::Random(n, n);
        core::Matrix c(n, n);
        c.noalias() = a * b; // warm-up
        long runs = 0;
        const auto start = Clock::now();
        while (seconds(start) < 1.0 || runs < 3) {
            c.noalias() = a * b;
            ++runs;
        }
        const double gflops = 2.0 * double(n) * n * n * double(runs) / seconds(start) / 1e9;
        if (gflops > best) {
            best = gflops;
            bestSize = n;
        }
    }
    std::printf("{\"sgemm\": \"eigen\", \"threads\": %d, \"gflops\": %.1f, \"size\": %d}\n", threads, best, bestSize);
}

} // namespace

int main(int argc, char** argv) {
    WorkloadRun run;
    run.threads = mtl::core::coreCount();
    std::string balancing;
    bool sgemm = false;
    std::string products;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--sgemm") sgemm = true;
        else if (arg == "--workload" && hasValue) run.name = argv[++i];
        else if (arg == "--threads" && hasValue) run.threads = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--seconds" && hasValue) run.minSeconds = std::atof(argv[++i]);
        else if (arg == "--width" && hasValue) run.width = std::atoi(argv[++i]);
        else if (arg == "--batch" && hasValue) run.batch = std::atol(argv[++i]);
        else if (arg == "--balancing" && hasValue) balancing = argv[++i];
        else if (arg == "--relations-every" && hasValue) run.relationsEvery = std::atoi(argv[++i]);
        else if (arg == "--products" && hasValue)
            products = argv[++i];
        else {
            std::cerr
                << "usage: mtl-bench (--workload NAME | --sgemm) [--threads T] [--seconds S] "
                   "[--width W] [--batch B] [--balancing NAME[:params]] [--relations-every N]\n"
                   "                 [--products eigen|onednn]\n";
            return 2;
        }
    }
    mtl::core::countOneDnnAllocationsWith(&mtl::core::allocationCount);
    try {
        if (!balancing.empty()) run.balancing = mtl::core::parseBalancing(balancing);
        if (products == "eigen")
            mtl::core::setProductLibrary(mtl::core::ProductLibrary::Eigen);
        else if (products == "onednn")
            mtl::core::setProductLibrary(mtl::core::ProductLibrary::OneDnn);
        else if (!products.empty())
            throw mtl::SettingError("--products takes eigen or onednn");
        if (sgemm) runSgemm(run.threads);
        else if (!run.name.empty()) runWorkload(run);
        else throw mtl::SettingError("give --workload NAME or --sgemm");
    } catch (const std::exception& e) {
        std::cerr << "mtl-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
