#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mtl::core {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Index argmaxRow(ConstMatrixMap outputs, Index r) {
    Index best = 0;
    outputs.row(r).maxCoeff(&best);
    return best;
}

// Regression: one pass over present elements. R² is averaged over target columns.
double regressionMetric(MetricKind metric, ConstMatrixMap outputs, ConstMatrixMap targets) {
    double squared = 0.0;
    double absolute = 0.0;
    Index count = 0;
    double r2Sum = 0.0;
    Index r2Columns = 0;
    for (Index c = 0; c < outputs.cols(); ++c) {
        double mean = 0.0;
        Index n = 0;
        for (Index r = 0; r < outputs.rows(); ++r) {
            if (!std::isnan(targets(r, c))) {
                mean += targets(r, c);
                ++n;
            }
        }
        if (n == 0) continue;
        mean /= double(n);
        double residual = 0.0;
        double total = 0.0;
        for (Index r = 0; r < outputs.rows(); ++r) {
            const double t = targets(r, c);
            if (std::isnan(t)) continue;
            const double e = double(outputs(r, c)) - t;
            residual += e * e;
            total += (t - mean) * (t - mean);
            absolute += std::abs(e);
        }
        squared += residual;
        count += n;
        if (total > 0.0) {
            r2Sum += 1.0 - residual / total; // R² = 1 − SS_res / SS_tot
            ++r2Columns;
        }
    }
    if (count == 0) return kNaN;
    switch (metric) {
    case MetricKind::MSE:
        return squared / double(count);
    case MetricKind::RMSE:
        return std::sqrt(squared / double(count));
    case MetricKind::MAE:
        return absolute / double(count);
    case MetricKind::R2:
        return r2Columns > 0 ? r2Sum / double(r2Columns) : kNaN;
    default:
        return kNaN;
    }
}

// Predicted and true class of every present target, as (label column, predicted, truth) pairs.
// Softmax: one column, classes 0..k−1. Binary: each output column is its own 0/1 problem.
struct Labelled {
    std::vector<Index> predicted;
    std::vector<Index> truth;
    Index classes = 0;
};

Labelled labelColumn(LossKind loss, ConstMatrixMap outputs, ConstMatrixMap targets, Index c) {
    Labelled l;
    const bool softmax = loss == LossKind::SoftmaxCrossEntropy;
    l.classes = softmax ? outputs.cols() : 2;
    for (Index r = 0; r < outputs.rows(); ++r) {
        const float t = targets(r, softmax ? 0 : c);
        if (std::isnan(t)) continue;
        l.truth.push_back(static_cast<Index>(t >= 0.5f && !softmax ? 1 : t));
        l.predicted.push_back(softmax ? argmaxRow(outputs, r) : (outputs(r, c) > 0.0f ? 1 : 0));
    }
    return l;
}

double macroF1(const Labelled& l) {
    double sum = 0.0;
    Index counted = 0;
    for (Index k = 0; k < l.classes; ++k) {
        Index tp = 0, fp = 0, fn = 0;
        for (std::size_t i = 0; i < l.truth.size(); ++i) {
            const bool p = l.predicted[i] == k, t = l.truth[i] == k;
            tp += p && t;
            fp += p && !t;
            fn += !p && t;
        }
        if (tp + fp + fn == 0) continue; // class absent and never predicted
        sum += 2.0 * double(tp) / double(2 * tp + fp + fn);
        ++counted;
    }
    return counted > 0 ? sum / double(counted) : kNaN;
}

// ROC-AUC as the Mann–Whitney statistic: the probability that a random positive scores above a
// random negative, ties counting one half.
double rocAuc(std::vector<std::pair<float, int>> scored) {
    std::sort(scored.begin(), scored.end());
    double positives = 0.0, rankSum = 0.0;
    for (std::size_t i = 0; i < scored.size();) {
        std::size_t j = i;
        while (j < scored.size() && scored[j].first == scored[i].first) ++j;
        const double averageRank = 0.5 * double(i + 1 + j); // ranks i+1 .. j
        for (std::size_t q = i; q < j; ++q) {
            if (scored[q].second == 1) {
                rankSum += averageRank;
                positives += 1.0;
            }
        }
        i = j;
    }
    const double negatives = double(scored.size()) - positives;
    if (positives == 0.0 || negatives == 0.0) return kNaN;
    return (rankSum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
}

double classificationMetric(MetricKind metric, LossKind loss, ConstMatrixMap outputs,
                            ConstMatrixMap targets) {
    const bool softmax = loss == LossKind::SoftmaxCrossEntropy;
    const Index columns = softmax ? 1 : outputs.cols();
    double sum = 0.0;
    Index counted = 0;
    for (Index c = 0; c < columns; ++c) {
        double value = kNaN;
        if (metric == MetricKind::RocAuc) {
            std::vector<std::pair<float, int>> scored;
            for (Index r = 0; r < outputs.rows(); ++r) {
                const float t = targets(r, softmax ? 0 : c);
                if (std::isnan(t)) continue;
                // Softmax over two classes: the logit difference orders like p(class 1).
                const float score = softmax ? outputs(r, 1) - outputs(r, 0) : outputs(r, c);
                scored.emplace_back(score, t >= 0.5f ? 1 : 0);
            }
            value = rocAuc(std::move(scored));
        } else {
            const Labelled l = labelColumn(loss, outputs, targets, c);
            if (l.truth.empty()) continue;
            if (metric == MetricKind::Accuracy) {
                Index right = 0;
                for (std::size_t i = 0; i < l.truth.size(); ++i) right += l.truth[i] == l.predicted[i];
                value = double(right) / double(l.truth.size());
            } else {
                value = macroF1(l);
            }
        }
        if (!std::isnan(value)) {
            sum += value;
            ++counted;
        }
    }
    return counted > 0 ? sum / double(counted) : kNaN;
}

} // namespace

std::string_view metricName(MetricKind kind) {
    switch (kind) {
    case MetricKind::MSE: return "mse";
    case MetricKind::RMSE: return "rmse";
    case MetricKind::MAE: return "mae";
    case MetricKind::R2: return "r2";
    case MetricKind::Accuracy: return "accuracy";
    case MetricKind::MacroF1: return "macro_f1";
    case MetricKind::RocAuc: return "roc_auc";
    }
    return "?";
}

bool higherIsBetter(MetricKind kind) {
    switch (kind) {
    case MetricKind::R2:
    case MetricKind::Accuracy:
    case MetricKind::MacroF1:
    case MetricKind::RocAuc:
        return true;
    default:
        return false;
    }
}

std::vector<MetricKind> defaultMetrics(LossKind loss, Index outputs) {
    switch (loss) {
    case LossKind::SoftmaxCrossEntropy:
        if (outputs == 2) return {MetricKind::Accuracy, MetricKind::MacroF1, MetricKind::RocAuc};
        return {MetricKind::Accuracy, MetricKind::MacroF1};
    case LossKind::BinaryCrossEntropy:
        return {MetricKind::Accuracy, MetricKind::MacroF1, MetricKind::RocAuc};
    default:
        return {MetricKind::MSE, MetricKind::RMSE, MetricKind::MAE, MetricKind::R2};
    }
}

double computeMetric(MetricKind metric, LossKind loss, ConstMatrixMap outputs,
                     ConstMatrixMap targets) {
    switch (metric) {
    case MetricKind::MSE:
    case MetricKind::RMSE:
    case MetricKind::MAE:
    case MetricKind::R2:
        return regressionMetric(metric, outputs, targets);
    default:
        return classificationMetric(metric, loss, outputs, targets);
    }
}

} // namespace mtl::core
