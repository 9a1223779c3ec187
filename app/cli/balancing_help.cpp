// `mtl help balancing`: every task-balancing method with its parameters and defaults, from the
// core's table of methods.
#include "cli/commands.h"

#include "balancing/balancing_method.h"

#include <sstream>

namespace mtl::cli {

std::string balancingHelp() {
    std::ostringstream out;
    out << "Task balancing: how each training step combines the tasks.\n"
           "Choose one with  mtl train PROJECT --balancing NAME[:PARAM=VALUE,…]  (or in the "
           "project's\n"
           "training.balancing). Validation loss, early stopping, the best epoch and Δm always use "
           "the\n"
           "task weights, so reports mean the same whatever the method.\n";
    for (const core::BalancingMethod& m : core::balancingMethods()) {
        out << "\n  " << m.name << " — " << m.title << " ("
            << (m.family == core::BalancingFamily::Loss ? "loss-based" : "gradient-based") << "; "
            << m.cost << ")\n"
            << "      " << m.description << "\n";
        for (const core::BalancingParameter& p : m.parameters) {
            out << "      " << p.name << "=";
            if (p.choices.empty()) {
                out << core::parameterText(p, p.defaultValue) << "  (" << p.min << " … " << p.max
                    << ")";
            } else {
                std::string words;
                for (const std::string& c : p.choices)
                    words += (words.empty() ? "" : "|") + c;
                out << core::parameterText(p, p.defaultValue) << "  (" << words << ")";
            }
            out << "  " << p.help << "\n";
        }
        if (m.reference != "—")
            out << "      " << m.reference << "\n";
    }
    return out.str();
}

} // namespace mtl::cli
