#pragma once
// Command-line arguments of one `mtl` command: positionals, `--name value` / `--name=value`
// options and `--flag` switches. Anything not declared is an error naming the option.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mtl::cli {

class Arguments {
public:
    // valueOptions take a value, flags do not. Throws UsageError for unknown options.
    Arguments(const std::vector<std::string>& args, const std::string& command,
              const std::set<std::string>& valueOptions, const std::set<std::string>& flags);

    const std::vector<std::string>& positionals() const { return m_positionals; }
    bool flag(const std::string& name) const { return m_flags.contains(name); }
    std::optional<std::string> value(const std::string& name) const; // the last one given
    std::vector<std::string> values(const std::string& name) const;   // every one, in order
    std::optional<int> integer(const std::string& name, int least) const;
    std::optional<unsigned long long> unsignedInteger(const std::string& name) const;

private:
    std::string m_command;
    std::vector<std::string> m_positionals;
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
};

} // namespace mtl::cli
