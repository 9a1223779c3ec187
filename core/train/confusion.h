#pragma once
// Confusion matrices of classification tasks: counts of (true class, predicted class) over a set
// of rows, and per class its precision, recall, F1 and support. A softmax head predicts the
// arg-max of its logits; a binary head thresholds σ(z) at 0.5 (z ≥ 0), one 2×2 matrix per target
// column. Rows whose target is missing are left out.

#include "data/dataset.h"
#include "io/model_file.h"
#include "train/loss.h"

#include <string>
#include <vector>

namespace mtl::core {

struct ClassScores {
    double precision = 0.0; // NaN: the class was never predicted
    double recall = 0.0;    // NaN: the class never occurs
    double f1 = 0.0;        // NaN: neither occurs nor predicted
    Index support = 0;      // rows whose true class it is
};

struct ConfusionMatrix {
    std::string task;
    std::string column;              // the target column (binary heads have one matrix per column)
    std::vector<std::string> labels; // class names, in class order
    std::vector<Index> counts;       // [classes × classes] row-major: [true][predicted]
    Index classes() const { return Index(labels.size()); }
    Index at(Index truth, Index predicted) const {
        return counts[std::size_t(truth * classes() + predicted)];
    }
    Index total() const;
    double accuracy() const; // NaN when empty
    ClassScores scores(Index k) const;
    double macroF1() const; // over the classes that occur or are predicted
};

// outputs: [n, k] logits; targets: [n, 1] class indices (softmax) or [n, k] 0/1 (binary).
// `labels`: per target column its class labels (empty: "0", "1", … or "no"/"yes" for binary).
std::vector<ConfusionMatrix> confusionMatrices(const std::string& task, LossKind loss,
                                               const Matrix& outputs, const Matrix& targets,
                                               const std::vector<TargetColumn>& columns);

// Every classification task of a trained model over `rows` of `data` (raw inputs; the model's
// normalisation is applied). Throws mtl::Error when the data's schema is not the model's.
std::vector<ConfusionMatrix> confusionMatrices(const TrainedModel& trained, const Dataset& data,
                                               const std::vector<Index>& rows);

} // namespace mtl::core
