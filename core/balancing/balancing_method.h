#pragma once
// The task-balancing methods: how a training step combines the tasks. One table describes every
// method — its name in files and on the command line, its title and one-line description, its
// paper, its cost, and its parameters with defaults, ranges and help — and the project file,
// `mtl help balancing`, the app's settings and docs/balancing.md all read it.
//
// Loss-based methods choose per-task weights from the losses (one backward pass a step).
// Gradient-based methods look at each task's gradient on the shared parameters (one backward
// pass per task) and choose the update direction; see balancing/strategy.h.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mtl::core {

enum class BalancingKind : std::uint8_t {
    Static, // the user's task weights (the default)
    Equal,  // every weight 1
    Uncertainty,
    Dwa,
    Rlw,
    Gls,
    Famo,
    GradNorm,
    Mgda,
    MgdaUb,
    PcGrad,
    CaGrad,
    ImtlG,
    NashMtl,
    AlignedMtl,
    UpGrad,
    FairGrad,
    DbMtl,
};

enum class BalancingFamily : std::uint8_t { Loss, Gradient };

// Where a gradient-based method takes the tasks' gradients: on the shared parameters, or on the
// shared representation (the outputs of the shared layers that feed the tasks' own layers —
// one backward pass through the shared layers instead of one per task; MGDA-UB's bound).
enum class GradientSpace : std::uint8_t { Parameters, Representation };

struct BalancingParameter {
    std::string name; // as in files and on the command line
    double defaultValue = 0.0;
    double min = 0.0;
    double max = 0.0;
    std::string help;
    std::vector<std::string> choices; // non-empty: the value is an index into these words
};

struct BalancingMethod {
    BalancingKind kind;
    std::string name;  // "pcgrad"
    std::string title; // "PCGrad"
    BalancingFamily family;
    std::string description; // one line: what it does
    std::string reference;   // the paper
    std::string cost;        // "one backward pass per task per step"
    std::vector<BalancingParameter> parameters;
    GradientSpace space = GradientSpace::Parameters;
    bool representationAllowed = false; // may take its gradients on the representation instead
};

const std::vector<BalancingMethod>& balancingMethods();
const BalancingMethod& balancingMethod(BalancingKind kind);
std::optional<BalancingKind> parseBalancingKind(std::string_view name);

// A method with its parameters as chosen; parameters left out take their defaults.
struct BalancingSettings {
    BalancingKind kind = BalancingKind::Static;
    std::map<std::string, double> parameters; // overrides only
    bool operator==(const BalancingSettings&) const = default;

    // The parameter's value: the override, else the method's default. Throws SettingError for
    // a name the method does not have.
    double value(const std::string& name) const;
    GradientSpace space() const;
};

// "pcgrad", "cagrad:c=0.4", "mgda:normalization=l2,space=representation": parsed and checked
// (names, ranges, choices). Throws SettingError naming what is wrong and what would be valid.
BalancingSettings parseBalancing(const std::string& text);
// The inverse of parseBalancing, defaults left out: "cagrad:c=0.4".
std::string formatBalancing(const BalancingSettings& settings);
// Throws SettingError when a parameter is unknown or out of range.
void checkBalancing(const BalancingSettings& settings);
// A parameter's value in words ("l2" for a choice, "0.5" otherwise).
std::string parameterText(const BalancingParameter& parameter, double value);

} // namespace mtl::core
