#include "data/idx_file.h"

#include "util/error.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace mtl::core {
namespace {

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose_r(f); }
};

class GzReader {
public:
    explicit GzReader(const std::string& path) : m_path(path), m_file(gzopen(path.c_str(), "rb")) {
        if (!m_file) throw FileError("cannot read '" + path + "': " + std::strerror(errno));
    }
    // Reads exactly size bytes or throws, saying what was being read.
    void read(void* out, std::size_t size, const char* what) {
        std::size_t done = 0;
        while (done < size) {
            const auto chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1U << 30));
            const int n = gzread(m_file.get(), static_cast<char*>(out) + done, chunk);
            if (n < 0) {
                int code = 0;
                throw FileError(m_path + ": the gzip data is damaged (" + gzerror(m_file.get(), &code) +
                                ") while reading the " + what);
            }
            if (n == 0) {
                throw FileError(m_path + ": the file is truncated: the " + what + " needs " +
                                std::to_string(size) + " bytes, found " + std::to_string(done));
            }
            done += static_cast<std::size_t>(n);
        }
    }

private:
    std::string m_path;
    std::unique_ptr<gzFile_s, GzCloser> m_file;
};

} // namespace

IdxArray readIdx(const std::string& path) {
    GzReader in(path);
    unsigned char magic[4];
    in.read(magic, 4, "header");
    if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] < 1 || magic[3] > 4) {
        char text[16];
        std::snprintf(text, sizeof text, "%02x%02x%02x%02x", magic[0], magic[1], magic[2], magic[3]);
        throw FileError(path + ": not an IDX file of unsigned bytes (magic 0x" + text +
                        ", expected 0x000008 followed by 1 to 4 dimensions)");
    }
    IdxArray array;
    std::size_t total = 1;
    for (int d = 0; d < magic[3]; ++d) {
        unsigned char size[4];
        in.read(size, 4, "header");
        const std::uint32_t n = std::uint32_t(size[0]) << 24 | std::uint32_t(size[1]) << 16 |
                                std::uint32_t(size[2]) << 8 | size[3];
        if (n == 0 || n > (1U << 28)) {
            throw FileError(path + ": dimension " + std::to_string(d + 1) + " has an implausible size " +
                            std::to_string(n));
        }
        array.dims.push_back(static_cast<int>(n));
        total *= n;
        if (total > (std::size_t{1} << 32)) throw FileError(path + ": the array is implausibly large");
    }
    array.data.resize(total);
    in.read(array.data.data(), total, "data");
    return array;
}

} // namespace mtl::core
