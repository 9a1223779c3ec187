#pragma once
// relations.csv: the task relations measured during a run (relations/relation_record.h), one row
// per measurement, part of the shared parameters ("all", or a shared layer's node id) and pair of
// tasks a ≤ b: step, epoch, layer, task_a, task_b, cosine, norm_a, norm_b (a = b: cosine 1 and
// the task's gradient norm). Empty cells: the task was absent from that batch.

#include "relations/relation_record.h"

#include <string>
#include <vector>

namespace mtl::core {

std::string relationsCsv(const std::vector<RelationRecord>& records,
                         const std::vector<std::string>& tasks);
void writeRelationsCsv(const std::vector<RelationRecord>& records,
                       const std::vector<std::string>& tasks, const std::string& path);
// Throws FileError naming the file and line for a malformed file or a task not in `tasks`.
std::vector<RelationRecord> readRelationsCsv(const std::string& path,
                                             const std::vector<std::string>& tasks);

} // namespace mtl::core
