#include "export/npz_writer.h"

#include "util/atomic_file.h"
#include "util/error.h"

#include <zlib.h>

#include <cstdint>

namespace mtl::core {

namespace {

void put16(std::string& out, std::uint32_t v) {
    out += char(v & 0xff);
    out += char((v >> 8) & 0xff);
}

void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xffff);
    put16(out, v >> 16);
}

} // namespace

std::string npyBytes(const NpyArray& array) {
    // Python's tuple syntax: "()", "(3,)", "(3, 4)".
    std::string shape = "(";
    for (std::size_t i = 0; i < array.shape.size(); ++i) {
        shape += (i > 0 ? ", " : "") + std::to_string(array.shape[i]);
    }
    shape += array.shape.size() == 1 ? ",)" : ")";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64,
    // ending in a newline.
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += char(1);
    out += char(0);
    put16(out, std::uint32_t(header.size()));
    out += header;
    out.append(reinterpret_cast<const char*>(array.values.data()), array.values.size() * sizeof(float));
    return out;
}

std::string npzBytes(const std::vector<NpyArray>& arrays) {
    std::string out;
    std::string directory;
    for (const NpyArray& array : arrays) {
        const std::string name = array.name + ".npy";
        const std::string data = npyBytes(array);
        if (data.size() >= 0xffffffffU) throw ExportError("array '" + array.name + "' is too large for a zip entry");
        const auto crc = std::uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
        const auto offset = std::uint32_t(out.size());
        // Local file header: stored (method 0), no timestamp.
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        put32(out, crc);
        put32(out, std::uint32_t(data.size()));
        put32(out, std::uint32_t(data.size()));
        put16(out, std::uint32_t(name.size()));
        put16(out, 0);
        out += name;
        out += data;
        // Its central directory record.
        put32(directory, 0x02014b50);
        put16(directory, 20);
        put16(directory, 20);
        put16(directory, 0);
        put16(directory, 0);
        put16(directory, 0);
        put16(directory, 0);
        put32(directory, crc);
        put32(directory, std::uint32_t(data.size()));
        put32(directory, std::uint32_t(data.size()));
        put16(directory, std::uint32_t(name.size()));
        put16(directory, 0);
        put16(directory, 0);
        put16(directory, 0);
        put16(directory, 0);
        put32(directory, 0);
        put32(directory, offset);
        directory += name;
    }
    const auto directoryOffset = std::uint32_t(out.size());
    out += directory;
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, std::uint32_t(arrays.size()));
    put16(out, std::uint32_t(arrays.size()));
    put32(out, std::uint32_t(directory.size()));
    put32(out, directoryOffset);
    put16(out, 0);
    return out;
}

void writeNpz(const std::string& path, const std::vector<NpyArray>& arrays) {
    writeFileAtomically(path, npzBytes(arrays));
}

} // namespace mtl::core
