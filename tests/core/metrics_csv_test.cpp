// Metrics CSV: one row per epoch and task, a column per metric any task reports.

#include "test_models.h"

#include "io/metrics_csv.h"
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace mtl::core;

TEST(MetricsCsv, RowsPerEpochAndTask) {
    const Dataset data = mtl::test::twoTaskData(200);
    ModelSpec spec = mtl::test::twoTaskTrunk(data.schema);
    spec.find("b")->task.name = "b, with a comma";
    const Model model = compile(spec, data.schema);
    TrainingSettings s;
    s.epochs = 3;
    s.threads = 1;
    Trainer trainer(model, data, s);
    const RunResult result = trainer.run();
    const std::string csv = metricsCsv(model, result.history);
    std::istringstream lines(csv);
    std::string header, line;
    std::getline(lines, header);
    EXPECT_EQ(header, "epoch,task,seconds,learning_rate,train_loss,validation_loss,train_mse,"
                      "train_rmse,train_mae,train_r2,validation_mse,validation_rmse,"
                      "validation_mae,validation_r2");
    int rows = 0;
    while (std::getline(lines, line)) {
        ++rows;
        if (rows == 2) {
            EXPECT_EQ(line.rfind("1,\"b, with a comma\",", 0), 0U) << line;
        }
        if (rows == 6) {
            EXPECT_EQ(line.rfind("3,\"b, with a comma\",", 0), 0U) << line;
        }
    }
    EXPECT_EQ(rows, 6);
    // The validation loss of epoch 1, task a, as written, reads back as the recorded value.
    std::istringstream first(csv.substr(header.size() + 1));
    std::string cell;
    for (int i = 0; i < 6; ++i) std::getline(first, cell, ',');
    EXPECT_DOUBLE_EQ(std::stod(cell), result.history[0].validation.loss[0]);
}
