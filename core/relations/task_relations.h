#pragma once
// What the tasks' gradients say about the tasks, measured during training: for all shared
// parameters together and for each shared layer, the cosine between every two tasks' gradients
// and each task's gradient norm — from the Gram matrix of the per-task gradients the balancing
// methods use (balancing/task_gradients.h), so nothing is computed a second way. From those:
// the gradient-magnitude similarity 2‖g_i‖‖g_j‖/(‖g_i‖² + ‖g_j‖²) (Yu et al. 2020) and the share
// of task pairs in conflict (cosine < 0).

#include "balancing/task_gradients.h"
#include "relations/relation_record.h"

namespace mtl::core {

double magnitudeSimilarity(double normA, double normB);
// Pairs with both tasks present whose cosine is below 0, over those pairs (NaN: none).
double conflictShare(const RelationBlock& block, int tasks);

// Sizes `record` for the model's tasks and shared layers (then measureRelations allocates
// nothing).
void prepareRelations(const TaskGradients& gradients, int tasks, RelationRecord& record);
// Fills `record` from the per-task gradients of the current step.
void measureRelations(const TaskGradients& gradients, long step, int epoch, RelationRecord& record);

} // namespace mtl::core
