#pragma once
// Edits of a model spec as plain functions: each takes a spec and returns the changed copy (or
// changes it in place), so a command can keep the spec before and after. No Qt here.

#include "data/dataset.h"
#include "model/model_spec.h"

#include <string>
#include <vector>

namespace mtl::ui {

// A node of `kind` with the defaults a user would start from, its id unique in `spec`.
core::NodeSpec makeNode(const core::ModelSpec& spec, core::NodeKind kind, double x, double y);

// "dense3": the kind's word and the lowest number not taken.
std::string uniqueNodeId(const core::ModelSpec& spec, const std::string& stem);
// "task 3": a task name no head of `spec` uses.
std::string uniqueTaskName(const core::ModelSpec& spec, const std::string& stem);

// Whether a gesture from `from` to `to` makes sense at all (not: whether the graph is valid).
// Returns an empty string when it does, else why not.
std::string connectionProblem(const core::ModelSpec& spec, const std::string& from,
                              const std::string& to);

// Connects from → to, replacing to's input (a node takes one input), or adding an expert to an
// expert gate.
void addEdge(core::ModelSpec& spec, const std::string& from, const std::string& to);
void removeEdge(core::ModelSpec& spec, const std::string& from, const std::string& to);
// Removes the nodes and every edge that touches them.
void removeNodes(core::ModelSpec& spec, const std::vector<std::string>& ids);

// The nodes `ids` and the edges among them, as a spec of their own (for the clipboard).
core::ModelSpec extract(const core::ModelSpec& spec, const std::vector<std::string>& ids);
// Adds `pasted` to `spec` with fresh ids and task names, shifted by (dx, dy); returns the new ids.
std::vector<std::string> paste(core::ModelSpec& spec, core::ModelSpec pasted, double dx, double dy);

// Lays the graph out in its flow (spec.flow): left to right, columns by depth from the input and
// task heads stacked; or top to bottom, rows by depth and heads side by side. Each other node is
// centred on the nodes it feeds; unconnected nodes go after the rest.
void autoLayout(core::ModelSpec& spec);

// The node that every task branch starts from (the deepest node feeding all tasks), or the last
// node of the chain from the input when there are no tasks yet; empty when there is no input.
std::string trunkEnd(const core::ModelSpec& spec);

// Adds a task: an output Dense sized for it, then its head, hung from trunkEnd(). Returns the
// head's id.
std::string addTask(core::ModelSpec& spec, const core::TaskSpec& task, const core::DataSchema& schema);

} // namespace mtl::ui
