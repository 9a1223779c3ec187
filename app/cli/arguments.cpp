#include "cli/arguments.h"

#include "cli/commands.h"

#include <charconv>

namespace mtl::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::string& command,
                     const std::set<std::string>& valueOptions, const std::set<std::string>& flags)
    : m_command(command) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
            if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
                throw UsageError("unknown option " + arg + " for 'mtl " + command +
                                 "' (see mtl " + command + " --help)");
            }
            m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.contains(name) && !inlineValue) {
            m_flags.insert(name);
        } else if (valueOptions.contains(name)) {
            if (!inlineValue && i + 1 >= args.size()) {
                throw UsageError("option --" + name + " needs a value");
            }
            m_values[name].push_back(inlineValue ? *inlineValue : args[++i]);
        } else {
            throw UsageError("unknown option --" + name + " for 'mtl " + command + "' (see mtl " +
                             command + " --help)");
        }
    }
}

std::optional<std::string> Arguments::value(const std::string& name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& name) const {
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

std::optional<int> Arguments::integer(const std::string& name, int least) const {
    const auto text = value(name);
    if (!text) return std::nullopt;
    int number = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
    if (error != std::errc() || end != text->data() + text->size() || number < least) {
        throw UsageError("--" + name + " expects a whole number ≥ " + std::to_string(least) +
                         ", got '" + *text + "'");
    }
    return number;
}

std::optional<unsigned long long> Arguments::unsignedInteger(const std::string& name) const {
    const auto text = value(name);
    if (!text) return std::nullopt;
    unsigned long long number = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
    if (error != std::errc() || end != text->data() + text->size()) {
        throw UsageError("--" + name + " expects a whole number ≥ 0, got '" + *text + "'");
    }
    return number;
}

} // namespace mtl::cli
