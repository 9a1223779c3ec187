#include "model/names.h"

#include "model/node_kind_info.h"

#include <array>
#include <utility>

namespace mtl::core {
namespace {

template <typename Enum, std::size_t N>
using Table = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Table<LossKind, 5> kLossKinds{{{LossKind::MSE, "mse"},
                                         {LossKind::MAE, "mae"},
                                         {LossKind::Huber, "huber"},
                                         {LossKind::SoftmaxCrossEntropy, "cross_entropy"},
                                         {LossKind::BinaryCrossEntropy, "binary_cross_entropy"}}};
constexpr Table<SharingMode, 2> kSharingModes{{{SharingMode::Hard, "hard"},
                                               {SharingMode::Soft, "soft"}}};
constexpr Table<Coupling, 3> kCouplings{{{Coupling::MeanL2, "mean_l2"},
                                         {Coupling::TraceNorm, "trace_norm"},
                                         {Coupling::Relationship, "relationship"}}};
constexpr Table<LayoutFlow, 2> kFlows{
    {{LayoutFlow::LeftToRight, "left_to_right"}, {LayoutFlow::TopToBottom, "top_to_bottom"}}};
constexpr Table<Init, 2> kInits{{{Init::He, "he"}, {Init::Xavier, "xavier"}}};
constexpr Table<OptimizerKind, 4> kOptimizers{{{OptimizerKind::SGD, "sgd"},
                                               {OptimizerKind::Adam, "adam"},
                                               {OptimizerKind::AdamW, "adamw"},
                                               {OptimizerKind::RMSprop, "rmsprop"}}};
constexpr Table<ScheduleKind, 3> kSchedules{{{ScheduleKind::Constant, "constant"},
                                             {ScheduleKind::Step, "step"},
                                             {ScheduleKind::Cosine, "cosine"}}};

template <typename Enum, std::size_t N>
std::string_view nameOf(const Table<Enum, N>& table, Enum value) {
    for (const auto& [e, word] : table) {
        if (e == value) return word;
    }
    return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse(const Table<Enum, N>& table, std::string_view word) {
    for (const auto& [e, name] : table) {
        if (name == word) return e;
    }
    return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string listOf(const Table<Enum, N>& table) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0) out += i + 1 == N ? " or " : ", ";
        out += table[i].second;
    }
    return out;
}

} // namespace

std::string_view toString(NodeKind kind) {
    return kindInfo(kind).word;
}
std::string_view toString(LossKind kind) { return nameOf(kLossKinds, kind); }
std::string_view toString(SharingMode mode) { return nameOf(kSharingModes, mode); }
std::string_view toString(Init init) { return nameOf(kInits, init); }
std::string_view toString(OptimizerKind kind) { return nameOf(kOptimizers, kind); }
std::string_view toString(ScheduleKind kind) { return nameOf(kSchedules, kind); }

std::optional<NodeKind> parseNodeKind(std::string_view w) {
    for (NodeKind kind : allNodeKinds()) {
        if (kindInfo(kind).word == w)
            return kind;
    }
    return std::nullopt;
}
std::optional<LossKind> parseLossKind(std::string_view w) { return parse(kLossKinds, w); }
std::optional<SharingMode> parseSharingMode(std::string_view w) { return parse(kSharingModes, w); }
std::string_view toString(Coupling c) {
    return nameOf(kCouplings, c);
}
std::optional<Coupling> parseCoupling(std::string_view w) {
    return parse(kCouplings, w);
}
std::string_view toString(LayoutFlow flow) {
    return nameOf(kFlows, flow);
}
std::optional<LayoutFlow> parseLayoutFlow(std::string_view w) {
    return parse(kFlows, w);
}
std::optional<Init> parseInit(std::string_view w) { return parse(kInits, w); }
std::optional<OptimizerKind> parseOptimizerKind(std::string_view w) { return parse(kOptimizers, w); }
std::optional<ScheduleKind> parseScheduleKind(std::string_view w) { return parse(kSchedules, w); }

std::string validNodeKinds() {
    std::string out;
    const auto& kinds = allNodeKinds();
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (i > 0)
            out += i + 1 == kinds.size() ? " or " : ", ";
        out += kindInfo(kinds[i]).word;
    }
    return out;
}
std::string validLossKinds() { return listOf(kLossKinds); }
std::string validOptimizerKinds() { return listOf(kOptimizers); }
std::string validScheduleKinds() { return listOf(kSchedules); }

} // namespace mtl::core
