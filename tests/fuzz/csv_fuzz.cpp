// libFuzzer target: any bytes through the CSV reader, the delimiter detector and the cell
// parsers. Malformed input must end in mtl::FileError, never a crash or a hang.

#include "data/csv_dataset.h"
#include "data/csv_reader.h"
#include "util/error.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const char delimiter = mtl::core::detectDelimiter(text.substr(0, text.find('\n')));
    std::istringstream in(text);
    mtl::core::CsvReader reader(in, "fuzz.csv", delimiter);
    std::vector<std::string> fields;
    try {
        while (reader.next(fields)) {
            for (const std::string& f : fields) {
                if (!mtl::core::isMissingValue(f)) (void)mtl::core::parseNumber(f);
            }
        }
    } catch (const mtl::FileError&) {
    }
    return 0;
}
