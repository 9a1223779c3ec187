// mtl: the command-line front end of MTL Workbench. Every error ends as one line on stderr.

#include "cli/commands.h"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return mtl::cli::runCommand(args);
    } catch (const mtl::cli::UsageError& e) {
        std::cerr << "mtl: " << e.what() << "\n";
        return 2;
    } catch (const mtl::Error& e) {
        std::cerr << "mtl: error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "mtl: internal error: " << e.what() << "\n";
        return 1;
    }
}
