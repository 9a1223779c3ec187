#pragma once
// The `mtl` commands. Each takes the arguments after its name and returns the exit status;
// errors are thrown (mtl::Error, UsageError) and reported by main() as one line on stderr.

#include "io/project_file.h"
#include "util/error.h"

#include <string>
#include <vector>

namespace mtl::cli {

// Wrong use of the command line: exit status 2.
class UsageError : public mtl::Error {
public:
    using mtl::Error::Error;
};

int runCommand(const std::vector<std::string>& args);

int trainCommand(const std::vector<std::string>& args);
int checkCommand(const std::vector<std::string>& args);
int initCommand(const std::vector<std::string>& args);
int predictCommand(const std::vector<std::string>& args);
int exportCommand(const std::vector<std::string>& args);
int analyzeCommand(const std::vector<std::string>& args);
int experimentCommand(const std::vector<std::string>& args);

// `mtl help balancing`.
std::string balancingHelp();

// The folder of the running `mtl` (to find the bundled examples).
std::string executableDirectory();

// Reads a project, printing its warnings (unknown fields) to stderr.
core::Project loadProject(const std::string& path);

extern const char* const kTrainHelp;
extern const char* const kCheckHelp;
extern const char* const kInitHelp;
extern const char* const kCsvOptionsHelp;
extern const char* const kPredictHelp;
extern const char* const kExportHelp;
extern const char* const kAnalyzeHelp;
extern const char* const kExperimentHelp;

} // namespace mtl::cli
