// libFuzzer target: model files. Half the inputs go in as they are (checksums, sizes); the other
// half become the header of a file with a correct checksum, so the fuzzer reaches the header's
// JSON, the spec and the architecture check behind the checksum.

#include "io/model_file.h"
#include "util/checksum.h"
#include "util/error.h"

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 1) {
        char checksum[17];
        std::snprintf(checksum, sizeof checksum, "%016llx",
                      static_cast<unsigned long long>(mtl::core::fnv1a(bytes)));
        bytes = "MTLMODEL 1\n" + std::to_string(bytes.size()) + " 0 " + checksum + "\n" + bytes;
    }
    try {
        (void)mtl::core::modelFromBytes(bytes, "fuzz.mtlmodel");
    } catch (const mtl::Error&) {
    }
    return 0;
}
