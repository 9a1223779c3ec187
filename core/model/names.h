#pragma once
// The words used for enums in files, on the command line and in messages, both ways.
// parse*() return nullopt for an unknown word; the caller names the place in its message.

#include "model/model_spec.h"
#include "train/optimizer.h"
#include "train/schedule.h"

#include <optional>
#include <string>
#include <string_view>

namespace mtl::core {

std::string_view toString(NodeKind kind);
std::string_view toString(LossKind kind);
std::string_view toString(SharingMode mode);
std::string_view toString(Init init);
std::string_view toString(OptimizerKind kind);
std::string_view toString(ScheduleKind kind);

std::optional<NodeKind> parseNodeKind(std::string_view word);
std::optional<LossKind> parseLossKind(std::string_view word);
std::optional<SharingMode> parseSharingMode(std::string_view word);
std::string_view toString(Coupling coupling);
std::optional<Coupling> parseCoupling(std::string_view word);
std::string_view toString(LayoutFlow flow);
std::optional<LayoutFlow> parseLayoutFlow(std::string_view word);
std::optional<Init> parseInit(std::string_view word);
std::optional<OptimizerKind> parseOptimizerKind(std::string_view word);
std::optional<ScheduleKind> parseScheduleKind(std::string_view word);

// "a, b or c": the valid words, for messages.
std::string validNodeKinds();
std::string validLossKinds();
std::string validOptimizerKinds();
std::string validScheduleKinds();

} // namespace mtl::core
