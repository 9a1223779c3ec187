// mtl check PROJECT.mtl.json: every validation issue, each naming node and property.

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/table.h"

#include "model/validate.h"

#include <iostream>

namespace mtl::cli {

int checkCommand(const std::vector<std::string>& args) {
    const Arguments a(args, "check", {}, {"help"});
    if (a.flag("help")) {
        std::cout << kCheckHelp;
        return 0;
    }
    if (a.positionals().size() != 1) {
        throw UsageError("mtl check needs one project file (see mtl check --help)");
    }
    const std::string& path = a.positionals()[0];
    const core::Project project = loadProject(path);
    const core::Dataset data = core::loadDataset(project.dataset, core::projectDirectory(path));
    const core::SpecAnalysis analysis = core::analyze(project.model, data.schema);
    for (const core::SpecIssue& issue : analysis.issues) {
        std::cout << path << ": " << issue.toString() << "\n";
    }
    if (core::hasErrors(analysis.issues)) return 1;
    std::size_t tasks = 0;
    for (const core::NodeSpec& n : project.model.nodes) tasks += n.kind == core::NodeKind::TaskHead;
    std::cout << path << ": ok: " << tasks << " tasks, "
              << withThousands(analysis.totalParameters) << " parameters, "
              << withThousands(static_cast<long long>(analysis.flopsPerSample))
              << " FLOPs per sample (forward)\n";
    return 0;
}

} // namespace mtl::cli
