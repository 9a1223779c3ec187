// libFuzzer target: any text as a project file. It must parse or throw mtl::Error; what parses
// must write back to text that parses to the same project (the round-trip promise), and its model
// must validate without crashing.

#include "io/project_file.h"
#include "model/validate.h"
#include "util/error.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    mtl::core::ProjectLoad load;
    try {
        load = mtl::core::parseProject(text, "fuzz.mtl.json");
    } catch (const mtl::Error&) {
        return 0;
    }
    const std::string written = mtl::core::projectToJson(load.project);
    const mtl::core::ProjectLoad again = mtl::core::parseProject(written, "again.mtl.json");
    if (mtl::core::projectToJson(again.project) != written) std::abort();

    mtl::core::DataSchema schema;
    schema.inputShape = {28, 28, 1};
    schema.targets = {{"task1", {}}, {"item", {"a", "b", "c"}}};
    (void)mtl::core::analyze(load.project.model, schema);
    return 0;
}
