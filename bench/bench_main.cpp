// mtl-bench: training throughput of our core on the reference workloads, and the machine's
// float matrix-product peak. Prints one JSON object per line for bench/compare.py.
//
//   mtl-bench --workload mlp-small [--threads T] [--seconds S] [--width W] [--batch B]
//   mtl-bench --sgemm [--threads T]

#include "workloads.h"

#include "model/model.h"
#include "train/trainer.h"
#include "util/allocation_counter.h"
#include "util/error.h"
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

// Training steps only: forward, backward, Adam step, on batches already in memory.
void runWorkload(const std::string& name, int threads, double minSeconds, int width, core::Index batch) {
    const bench::Workload w = bench::makeWorkload(name, width, batch);
    const core::Model model = core::compile(w.spec, w.data.schema);
    core::TrainingSettings settings;
    settings.batchSize = w.batch;
    settings.validationFraction = 0.0f;
    settings.threads = threads;
    settings.standardizeInputs = false;
    core::Trainer trainer(model, w.data, settings);
    core::setThreadCount(threads);
    const std::vector<core::Index>& rows = trainer.split().train;
    const auto perBatch = static_cast<std::size_t>(w.batch);
    const std::size_t batches = rows.size() / perBatch;
    auto step = [&](long i) {
        const std::size_t b = static_cast<std::size_t>(i) % batches;
        trainer.trainStep(std::span(rows).subspan(b * perBatch, perBatch), 1e-3f);
    };
    for (long i = 0; i < 20; ++i) step(i); // warm-up
    const long allocationsBefore = core::allocationCount();
    const long checkSteps = 10;
    for (long i = 0; i < checkSteps; ++i) step(i);
    const double allocationsPerStep = double(core::allocationCount() - allocationsBefore) / double(checkSteps);

    long steps = 0;
    const auto start = Clock::now();
    while (seconds(start) < minSeconds || steps < 20) step(steps++);
    const double elapsed = seconds(start);
    const double samplesPerSecond = double(steps) * double(w.batch) / elapsed;
    // FLOPs of a training step per sample: 6 × multiply-adds of the forward pass (benchmarks.md).
    const double flopsPerSample = 6.0 * model.multiplyAddsPerSample();
    std::printf("{\"workload\": \"%s\", \"threads\": %d, \"batch\": %ld, \"width\": %d, "
                "\"samples_per_second\": %.1f, \"gflops\": %.2f, \"allocations_per_step\": %.2f, "
                "\"peak_memory_mb\": %.1f, \"parameters\": %ld, \"steps\": %ld}\n",
                name.c_str(), threads, long(w.batch), width, samplesPerSecond,
                samplesPerSecond * flopsPerSample / 1e9, allocationsPerStep, double(peakMemoryKb()) / 1024.0,
                long(model.parameterCount()), steps);
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
    std::string workload;
    bool sgemm = false;
    int threads = mtl::core::coreCount(), width = 0;
    long batch = 0;
    double minSeconds = 3.0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--sgemm") sgemm = true;
        else if (arg == "--workload" && hasValue) workload = argv[++i];
        else if (arg == "--threads" && hasValue) threads = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--seconds" && hasValue) minSeconds = std::atof(argv[++i]);
        else if (arg == "--width" && hasValue) width = std::atoi(argv[++i]);
        else if (arg == "--batch" && hasValue) batch = std::atol(argv[++i]);
        else {
            std::cerr << "usage: mtl-bench (--workload NAME | --sgemm) [--threads T] [--seconds S] "
                         "[--width W] [--batch B]\n";
            return 2;
        }
    }
    try {
        if (sgemm) runSgemm(threads);
        else if (!workload.empty()) runWorkload(workload, threads, minSeconds, width, batch);
        else throw mtl::SettingError("give --workload NAME or --sgemm");
    } catch (const mtl::Error& e) {
        std::cerr << "mtl-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
