#include "util/onednn_product.h"

#include <oneapi/dnnl/dnnl.h>

#include <omp.h>

#include <array>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <vector>

namespace mtl::core {

namespace {

// oneDNN's kernels read their scratch memory in cache lines.
constexpr std::size_t kScratchAlignment = 64;

// The CPU engine, made once for the process.
dnnl_engine_t cpuEngine() {
    static dnnl_engine_t engine = [] {
        dnnl_engine_t e = nullptr;
        if (dnnl_engine_create(&e, dnnl_cpu, 0) != dnnl_success)
            return static_cast<dnnl_engine_t>(nullptr);
        return e;
    }();
    return engine;
}

// oneDNN reads the thread count from OpenMP when it prepares a product (its blocking) and when
// it runs one; this sets it for the calling thread for the scope's length.
class ThreadsForScope {
public:
    explicit ThreadsForScope(int threads) : m_saved(omp_get_max_threads()) {
        if (threads != m_saved)
            omp_set_num_threads(threads);
    }
    ~ThreadsForScope() {
        if (omp_get_max_threads() != m_saved)
            omp_set_num_threads(m_saved);
    }
    ThreadsForScope(const ThreadsForScope&) = delete;
    ThreadsForScope& operator=(const ThreadsForScope&) = delete;

private:
    int m_saved;
};

// A row-major [rows, cols] matrix, or the transpose of one stored [cols, rows].
dnnl_memory_desc_t describe(Index rows, Index cols, bool storedTransposed) {
    dnnl_memory_desc_t md{};
    const dnnl_dims_t dims = {rows, cols};
    const dnnl_dims_t strides = {storedTransposed ? 1 : cols, storedTransposed ? rows : 1};
    dnnl_memory_desc_init_by_strides(&md, 2, dims, dnnl_f32, strides);
    return md;
}

} // namespace

struct OneDnnProduct::Handles {
    dnnl_primitive_t primitive = nullptr;
    dnnl_stream_t stream = nullptr;
    std::array<dnnl_memory_t, 5> memory{}; // a, b, c, bias, scratch
    std::array<dnnl_exec_arg_t, 5> args{};
    int argCount = 0;
    int biasSlot = -1;
    std::vector<std::byte> scratch;

    ~Handles() {
        for (dnnl_memory_t m : memory)
            if (m != nullptr)
                dnnl_memory_destroy(m);
        if (stream != nullptr)
            dnnl_stream_destroy(stream);
        if (primitive != nullptr)
            dnnl_primitive_destroy(primitive);
    }
};

std::unique_ptr<OneDnnProduct> OneDnnProduct::prepare(const ProductShape& shape, int threads) {
    dnnl_engine_t engine = cpuEngine();
    if (engine == nullptr || shape.m <= 0 || shape.k <= 0 || shape.n <= 0)
        return nullptr;
    const ThreadsForScope scope(threads);

    const dnnl_memory_desc_t a = describe(shape.m, shape.k, shape.operands == Operands::AtB);
    const dnnl_memory_desc_t b = describe(shape.k, shape.n, shape.operands == Operands::ABt);
    const dnnl_memory_desc_t c = describe(shape.m, shape.n, false);
    const dnnl_memory_desc_t bias = describe(1, shape.n, false);
    dnnl_matmul_desc_t desc{};
    if (dnnl_matmul_desc_init(&desc, &a, &b, shape.bias ? &bias : nullptr, &c) != dnnl_success)
        return nullptr;

    dnnl_primitive_attr_t attr = nullptr;
    dnnl_post_ops_t postOps = nullptr;
    dnnl_primitive_desc_t pd = nullptr;
    bool ok =
        dnnl_primitive_attr_create(&attr) == dnnl_success &&
        dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user) == dnnl_success;
    if (ok && shape.accumulate) { // c += …: oneDNN's "sum" adds what c held
        ok = dnnl_post_ops_create(&postOps) == dnnl_success &&
             dnnl_post_ops_append_sum(postOps, 1.0f) == dnnl_success &&
             dnnl_primitive_attr_set_post_ops(attr, postOps) == dnnl_success;
    }
    ok = ok && dnnl_primitive_desc_create(&pd, &desc, attr, engine, nullptr) == dnnl_success;
    if (postOps != nullptr)
        dnnl_post_ops_destroy(postOps);
    if (attr != nullptr)
        dnnl_primitive_attr_destroy(attr);
    if (!ok)
        return nullptr;

    std::unique_ptr<OneDnnProduct> product(new OneDnnProduct);
    product->m_threads = threads;
    auto handles = std::make_unique<Handles>();
    // The scratch memory's description, copied: it lives in pd, which goes before it is used.
    const dnnl_memory_desc_t* queried =
        dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    const dnnl_memory_desc_t scratchDesc = queried != nullptr ? *queried : dnnl_memory_desc_t{};
    const std::size_t scratchSize =
        queried != nullptr ? dnnl_memory_desc_get_size(&scratchDesc) : 0;
    handles->scratch.resize(scratchSize + kScratchAlignment);
    ok = dnnl_primitive_create(&handles->primitive, pd) == dnnl_success;
    dnnl_primitive_desc_destroy(pd);
    ok = ok &&
         dnnl_stream_create(&handles->stream, engine, dnnl_stream_default_flags) == dnnl_success;

    const auto add = [&](int arg, const dnnl_memory_desc_t& md, void* data) {
        const auto slot = std::size_t(handles->argCount);
        ok = ok && dnnl_memory_create(&handles->memory[slot], &md, engine, data) == dnnl_success;
        handles->args[slot] = {arg, handles->memory[slot]};
        ++handles->argCount;
    };
    add(DNNL_ARG_SRC, a, DNNL_MEMORY_NONE);
    add(DNNL_ARG_WEIGHTS, b, DNNL_MEMORY_NONE);
    add(DNNL_ARG_DST, c, DNNL_MEMORY_NONE);
    if (shape.bias) {
        handles->biasSlot = handles->argCount;
        add(DNNL_ARG_BIAS, bias, DNNL_MEMORY_NONE);
    }
    if (scratchSize > 0) {
        void* start = handles->scratch.data();
        std::size_t space = handles->scratch.size();
        add(DNNL_ARG_SCRATCHPAD, scratchDesc,
            std::align(kScratchAlignment, scratchSize, start, space));
    }
    if (!ok)
        return nullptr;
    product->m_handles = std::move(handles);
    return product;
}

OneDnnProduct::~OneDnnProduct() = default;

void OneDnnProduct::run(const float* a, const float* b, float* c, const float* bias) {
    Handles& h = *m_handles;
    // oneDNN takes non-const pointers for every argument; it only reads a, b and the bias.
    dnnl_memory_set_data_handle_v2(h.memory[0], const_cast<float*>(a), h.stream);
    dnnl_memory_set_data_handle_v2(h.memory[1], const_cast<float*>(b), h.stream);
    dnnl_memory_set_data_handle_v2(h.memory[2], c, h.stream);
    if (h.biasSlot >= 0)
        dnnl_memory_set_data_handle_v2(h.memory[std::size_t(h.biasSlot)], const_cast<float*>(bias),
                                       h.stream);
    const ThreadsForScope scope(m_threads);
    if (dnnl_primitive_execute(h.primitive, h.stream, h.argCount, h.args.data()) != dnnl_success)
        throw std::runtime_error("oneDNN could not run a matrix product it had prepared");
}

} // namespace mtl::core
