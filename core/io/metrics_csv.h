#pragma once
// Metrics CSV: one row per epoch and task, for any plotting tool. Columns: epoch, task, seconds,
// learning_rate, train_loss, validation_loss, then train_<metric> and validation_<metric> for
// every metric any task reports (empty where a task has no such metric or no value).

#include "model/model.h"
#include "train/records.h"

#include <string>
#include <vector>

namespace mtl::core {

std::string metricsCsv(const Model& model, const std::vector<EpochRecord>& history);
void writeMetricsCsv(const Model& model, const std::vector<EpochRecord>& history,
                     const std::string& path);

} // namespace mtl::core
