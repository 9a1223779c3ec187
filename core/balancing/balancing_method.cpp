#include "balancing/balancing_method.h"

#include "util/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace mtl::core {
namespace {

constexpr const char* kOneBackward = "one backward pass per step";
constexpr const char* kPerTask = "one backward pass per task per step";

BalancingParameter spaceParameter() {
    return {"space",
            0,
            0,
            1,
            "where the task gradients are taken: on the shared parameters, or on the shared "
            "representation (one backward pass through the shared layers instead of one per task)",
            {"parameters", "representation"}};
}

std::vector<BalancingMethod> makeTable() {
    using K = BalancingKind;
    using F = BalancingFamily;
    const BalancingParameter space = spaceParameter();
    return {
        {K::Static,
         "static",
         "Static weights",
         F::Loss,
         "Σ w_t·L_t with the weights set per task in the Tasks panel.",
         "—",
         kOneBackward,
         {}},
        {K::Equal,
         "equal",
         "Equal weights (EW)",
         F::Loss,
         "Σ L_t: every task weighs 1, whatever the task weights say.",
         "—",
         kOneBackward,
         {}},
        {K::Uncertainty,
         "uncertainty",
         "Uncertainty weighting (UW)",
         F::Loss,
         "Learns a noise level σ_t per task and minimises Σ L_t/(2σ_t²) + log σ_t: noisy tasks "
         "weigh less.",
         "A. Kendall, Y. Gal, R. Cipolla. Multi-task learning using uncertainty to weigh losses "
         "for scene "
         "geometry and semantics. CVPR 2018.",
         kOneBackward,
         {{"init", -0.5, -10, 10, "starting log σ² of every task (LibMTL: −0.5)", {}},
          {"lr", 0, 0, 10, "learning rate of log σ² (Adam); 0: the run's learning rate", {}}}},
        {K::Dwa,
         "dwa",
         "Dynamic weight average (DWA)",
         F::Loss,
         "Weights each epoch from how much each task's training loss fell over the last two "
         "epochs: slow tasks weigh more.",
         "S. Liu, E. Johns, A. J. Davison. End-to-end multi-task learning with attention. CVPR "
         "2019.",
         kOneBackward,
         {{"temperature", 2, 0.01, 100, "softmax temperature T: larger, more even weights", {}}}},
        {K::Rlw,
         "rlw",
         "Random loss weighting (RLW)",
         F::Loss,
         "Random weights each step: the softmax of a normal draw per task.",
         "B. Lin, F. Ye, Y. Zhang, I. W. Tsang. Reasonable effectiveness of random weighting: a "
         "litmus test for "
         "multi-task learning. TMLR 2022.",
         kOneBackward,
         {}},
        {K::Gls,
         "gls",
         "Geometric loss strategy (GLS)",
         F::Loss,
         "Minimises the geometric mean of the task losses (Π L_t)^(1/T): each task weighs "
         "inversely to its loss.",
         "S. Chennupati, G. Sistu, S. Yogamani, S. Rawashdeh. MultiNet++: multi-stream feature "
         "aggregation and "
         "geometric loss strategy for multi-task learning. CVPR Workshops 2019.",
         kOneBackward,
         {}},
        {K::Famo,
         "famo",
         "FAMO",
         F::Loss,
         "Learns weights so that every task's loss falls at the same rate, from the losses before "
         "and after each step.",
         "B. Liu, Y. Feng, P. Stone, Q. Liu. FAMO: fast adaptive multitask optimization. NeurIPS "
         "2023.",
         "one backward and one extra forward pass per step",
         {{"lr", 0.025, 1e-6, 10, "learning rate of the weight logits (Adam)", {}},
          {"gamma", 0.001, 0, 1, "weight decay of the weight logits", {}}}},
        {K::GradNorm,
         "gradnorm",
         "GradNorm",
         F::Gradient,
         "Learns weights that make the tasks' gradient norms equal, adjusted by how fast each task "
         "trains.",
         "Z. Chen, V. Badrinarayanan, C.-Y. Lee, A. Rabinovich. GradNorm: gradient normalization "
         "for adaptive loss "
         "balancing in deep multitask networks. ICML 2018.",
         kPerTask,
         {{"alpha", 1.5, 0, 10, "strength of the pull towards a common training rate", {}},
          {"lr",
           0.025,
           1e-6,
           10,
           "learning rate of the weights (gradient descent; weights sum to T)",
           {}},
          space},
         GradientSpace::Parameters,
         true},
        {K::Mgda,
         "mgda",
         "MGDA",
         F::Gradient,
         "The shortest vector in the convex hull of the task gradients: a step that lowers every "
         "task at once.",
         "O. Sener, V. Koltun. Multi-task learning as multi-objective optimization. NeurIPS 2018.",
         kPerTask,
         {{"normalization",
           0,
           0,
           3,
           "how each task's gradient is scaled first",
           {"none", "l2", "loss", "loss+"}},
          space},
         GradientSpace::Parameters,
         true},
        {K::MgdaUb,
         "mgda_ub",
         "MGDA-UB",
         F::Gradient,
         "MGDA on the gradients of the shared representation (the paper's upper bound): one "
         "backward pass through "
         "the shared layers.",
         "O. Sener, V. Koltun. Multi-task learning as multi-objective optimization. NeurIPS 2018.",
         "one backward pass through the task heads per task, one through the shared layers",
         {{"normalization",
           0,
           0,
           3,
           "how each task's gradient is scaled first",
           {"none", "l2", "loss", "loss+"}}},
         GradientSpace::Representation,
         false},
        {K::PcGrad,
         "pcgrad",
         "PCGrad",
         F::Gradient,
         "Projects each task's gradient off every task gradient it conflicts with (in random "
         "order), then sums them.",
         "T. Yu, S. Kumar, A. Gupta, S. Levine, K. Hausman, C. Finn. Gradient surgery for "
         "multi-task learning. "
         "NeurIPS 2020.",
         kPerTask,
         {space},
         GradientSpace::Parameters,
         true},
        {K::CaGrad,
         "cagrad",
         "CAGrad",
         F::Gradient,
         "The average gradient, turned within a ball of radius c·‖g₀‖ to raise the improvement of "
         "the worst task.",
         "B. Liu, X. Liu, X. Jin, P. Stone, Q. Liu. Conflict-averse gradient descent for "
         "multi-task learning. "
         "NeurIPS 2021.",
         kPerTask,
         {{"c",
           0.5,
           0,
           10,
           "radius of the ball around the average gradient, relative to its norm",
           {}},
          {"rescale", 1, 0, 2, "what the direction is divided by", {"none", "1+c^2", "1+c"}},
          space},
         GradientSpace::Parameters,
         true},
        {K::ImtlG,
         "imtl_g",
         "IMTL-G",
         F::Gradient,
         "The combination of the task gradients whose projection on every task's unit gradient is "
         "the same.",
         "L. Liu, Y. Li, Z. Kuang, J.-H. Xue, Y. Chen, W. Yang, Q. Liao, W. Zhang. Towards "
         "impartial multi-task "
         "learning. ICLR 2021.",
         kPerTask,
         {space},
         GradientSpace::Parameters,
         true},
        {K::NashMtl,
         "nash_mtl",
         "Nash-MTL",
         F::Gradient,
         "The Nash bargaining solution among the tasks: weights α with α_t·(Gα)_t = 1; the step's "
         "norm is clipped.",
         "A. Navon, A. Shamsian, I. Achituve, H. Maron, K. Kawaguchi, G. Chechik, E. Fetaya. "
         "Multi-task learning as "
         "a bargaining game. ICML 2022.",
         kPerTask,
         {{"max_norm",
           1.0,
           0,
           1e6,
           "largest norm of the shared update direction; 0: no clipping",
           {}},
          space},
         GradientSpace::Parameters,
         true},
        {K::AlignedMtl,
         "aligned_mtl",
         "Aligned-MTL",
         F::Gradient,
         "Rescales the principal components of the task gradients to equal size, so no direction "
         "dominates.",
         "D. Senushkin, N. Patakin, A. Kuznetsov, A. Konushin. Independent component alignment for "
         "multi-task "
         "learning. CVPR 2023.",
         kPerTask,
         {space},
         GradientSpace::Parameters,
         true},
        {K::UpGrad,
         "upgrad",
         "UPGrad",
         F::Gradient,
         "Averages each task's gradient projected onto the dual cone of all of them: the step "
         "conflicts with no task.",
         "P. Quinton, V. Rey. Jacobian descent for multi-objective optimization. 2024 (TorchJD).",
         kPerTask,
         {{"norm_eps", 1e-4, 0, 1, "below this trace the Gram matrix counts as zero", {}},
          {"reg_eps", 1e-4, 0, 1, "added to the normalised Gram matrix's diagonal", {}},
          space},
         GradientSpace::Parameters,
         true},
        {K::FairGrad,
         "fairgrad",
         "FairGrad",
         F::Gradient,
         "α-fair sharing of the update among the tasks (α = 1: proportional fairness, Nash-MTL's "
         "weights unclipped).",
         "H. Ban, K. Ji. Fair resource allocation in multi-task learning. ICML 2024.",
         kPerTask,
         {{"alpha", 1.0, 0.01, 100, "fairness: larger favours the worst-off task more", {}}, space},
         GradientSpace::Parameters,
         true},
        {K::DbMtl,
         "db_mtl",
         "DB-MTL",
         F::Gradient,
         "Balances loss scales by taking logs, then scales each task's (moving-average) gradient "
         "to the largest norm.",
         "B. Lin, W. Jiang, F. Ye, Y. Zhang, P. Chen, Y.-C. Chen, S. Liu, J. T. Kwok. "
         "Dual-balancing for multi-task "
         "learning. 2023.",
         kPerTask,
         {{"beta", 0.9, 0, 1, "moving-average factor of the gradients", {}},
          {"beta_sigma", 0.5, 0, 5, "decay of the factor: β / k^σ at step k", {}}},
         GradientSpace::Parameters,
         false},
    };
}

const BalancingParameter* findParameter(const BalancingMethod& method, const std::string& name) {
    for (const BalancingParameter& p : method.parameters) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

std::string parameterNames(const BalancingMethod& method) {
    std::string names;
    for (const BalancingParameter& p : method.parameters)
        names += (names.empty() ? "" : ", ") + p.name;
    return names.empty() ? "none" : names;
}

std::string number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

} // namespace

const std::vector<BalancingMethod>& balancingMethods() {
    static const std::vector<BalancingMethod> table = makeTable();
    return table;
}

const BalancingMethod& balancingMethod(BalancingKind kind) {
    for (const BalancingMethod& m : balancingMethods()) {
        if (m.kind == kind)
            return m;
    }
    return balancingMethods().front();
}

std::optional<BalancingKind> parseBalancingKind(std::string_view name) {
    for (const BalancingMethod& m : balancingMethods()) {
        if (m.name == name)
            return m.kind;
    }
    return std::nullopt;
}

double BalancingSettings::value(const std::string& name) const {
    const BalancingMethod& method = balancingMethod(kind);
    const BalancingParameter* p = findParameter(method, name);
    if (p == nullptr)
        throw SettingError(method.name + " has no parameter '" + name + "'");
    const auto it = parameters.find(name);
    return it == parameters.end() ? p->defaultValue : it->second;
}

GradientSpace BalancingSettings::space() const {
    const BalancingMethod& method = balancingMethod(kind);
    if (!method.representationAllowed)
        return method.space;
    return value("space") >= 0.5 ? GradientSpace::Representation : GradientSpace::Parameters;
}

void checkBalancing(const BalancingSettings& settings) {
    const BalancingMethod& method = balancingMethod(settings.kind);
    for (const auto& [name, value] : settings.parameters) {
        const BalancingParameter* p = findParameter(method, name);
        if (p == nullptr) {
            throw SettingError("balancing " + method.name + ": no parameter '" + name +
                               "' (parameters: " + parameterNames(method) + ")");
        }
        if (!(value >= p->min && value <= p->max) ||
            (!p->choices.empty() && value != std::floor(value))) {
            throw SettingError("balancing " + method.name + ": " + name + " = " + number(value) +
                               " is out of range [" + number(p->min) + ", " + number(p->max) + "]");
        }
    }
}

std::string parameterText(const BalancingParameter& parameter, double value) {
    if (!parameter.choices.empty()) {
        const auto index =
            std::size_t(std::clamp(value, 0.0, double(parameter.choices.size() - 1)));
        return parameter.choices[index];
    }
    return number(value);
}

BalancingSettings parseBalancing(const std::string& text) {
    const std::size_t colon = text.find(':');
    const std::string name = text.substr(0, colon);
    const auto kind = parseBalancingKind(name);
    if (!kind) {
        std::string names;
        for (const BalancingMethod& m : balancingMethods())
            names += (names.empty() ? "" : ", ") + m.name;
        throw SettingError("no balancing method '" + name + "' (methods: " + names + ")");
    }
    BalancingSettings settings;
    settings.kind = *kind;
    const BalancingMethod& method = balancingMethod(*kind);
    std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
    std::size_t start = 0;
    while (start < rest.size()) {
        const std::size_t end = std::min(rest.find(',', start), rest.size());
        const std::string item = rest.substr(start, end - start);
        start = end + 1;
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos) {
            throw SettingError("balancing " + method.name + ": expected NAME=VALUE, got '" + item +
                               "'");
        }
        const std::string key = item.substr(0, eq);
        const std::string value = item.substr(eq + 1);
        const BalancingParameter* p = findParameter(method, key);
        if (p == nullptr) {
            throw SettingError("balancing " + method.name + ": no parameter '" + key +
                               "' (parameters: " + parameterNames(method) + ")");
        }
        if (!p->choices.empty()) {
            const auto it = std::find(p->choices.begin(), p->choices.end(), value);
            if (it == p->choices.end()) {
                std::string words;
                for (const std::string& c : p->choices)
                    words += (words.empty() ? "" : ", ") + c;
                throw SettingError("balancing " + method.name + ": " + key + " must be one of " +
                                   words + ", got '" + value + "'");
            }
            settings.parameters[key] = double(it - p->choices.begin());
            continue;
        }
        double number = 0;
        const auto [ptr, error] =
            std::from_chars(value.data(), value.data() + value.size(), number);
        if (error != std::errc() || ptr != value.data() + value.size()) {
            throw SettingError("balancing " + method.name + ": " + key +
                               " expects a number, got '" + value + "'");
        }
        settings.parameters[key] = number;
    }
    checkBalancing(settings);
    return settings;
}

std::string formatBalancing(const BalancingSettings& settings) {
    const BalancingMethod& method = balancingMethod(settings.kind);
    std::string text = method.name;
    bool first = true;
    for (const BalancingParameter& p : method.parameters) {
        const auto it = settings.parameters.find(p.name);
        if (it == settings.parameters.end() || it->second == p.defaultValue)
            continue;
        text += (first ? ":" : ",") + p.name + "=" + parameterText(p, it->second);
        first = false;
    }
    return text;
}

} // namespace mtl::core
