#include "train/loss.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace mtl::core {
namespace {

// log Σ exp(z) computed without overflow.
float logSumExp(const float* z, Index k, float& maxOut) {
    float m = z[0];
    for (Index j = 1; j < k; ++j) m = std::max(m, z[j]);
    double s = 0.0;
    for (Index j = 0; j < k; ++j) s += std::exp(double(z[j] - m));
    maxOut = m;
    return m + static_cast<float>(std::log(s));
}

// Elementwise loss of residual r = output − target.
double elementLoss(LossKind kind, float delta, float output, float target) {
    const double r = double(output) - double(target);
    switch (kind) {
    case LossKind::MSE:
        return r * r;
    case LossKind::MAE:
        return std::abs(r);
    case LossKind::Huber:
        return std::abs(r) <= delta ? 0.5 * r * r : delta * (std::abs(r) - 0.5 * delta);
    case LossKind::BinaryCrossEntropy: {
        // max(z, 0) − z·t + log(1 + exp(−|z|)): stable for any logit z.
        const double z = output;
        return std::max(z, 0.0) - z * target + std::log1p(std::exp(-std::abs(z)));
    }
    case LossKind::SoftmaxCrossEntropy:
        break;
    }
    assert(false && "softmax is not elementwise");
    return 0.0;
}

float elementGradient(LossKind kind, float delta, float output, float target) {
    const float r = output - target;
    switch (kind) {
    case LossKind::MSE:
        return 2.0f * r;
    case LossKind::MAE:
        return r > 0.0f ? 1.0f : (r < 0.0f ? -1.0f : 0.0f);
    case LossKind::Huber:
        return std::abs(r) <= delta ? r : (r > 0.0f ? delta : -delta);
    case LossKind::BinaryCrossEntropy:
        return 1.0f / (1.0f + std::exp(-output)) - target; // σ(z) − t
    case LossKind::SoftmaxCrossEntropy:
        break;
    }
    assert(false && "softmax is not elementwise");
    return 0.0f;
}

} // namespace

bool isClassification(LossKind kind) {
    return kind == LossKind::SoftmaxCrossEntropy || kind == LossKind::BinaryCrossEntropy;
}

double LossValue::mean() const {
    return count > 0 ? sum / double(count) : std::numeric_limits<double>::quiet_NaN();
}

LossValue evaluateLoss(LossKind kind, float huberDelta, ConstMatrixMap outputs,
                       ConstMatrixMap targets) {
    LossValue value;
    if (kind == LossKind::SoftmaxCrossEntropy) {
        for (Index r = 0; r < outputs.rows(); ++r) {
            const float t = targets(r, 0);
            if (std::isnan(t)) continue;
            float m = 0.0f;
            const float lse = logSumExp(outputs.row(r).data(), outputs.cols(), m);
            value.sum += double(lse) - double(outputs(r, static_cast<Index>(t))); // −log p_t
            ++value.count;
        }
        return value;
    }
    for (Index r = 0; r < outputs.rows(); ++r) {
        for (Index c = 0; c < outputs.cols(); ++c) {
            const float t = targets(r, c);
            if (std::isnan(t)) continue;
            value.sum += elementLoss(kind, huberDelta, outputs(r, c), t);
            ++value.count;
        }
    }
    return value;
}

void addLossGradient(LossKind kind, float huberDelta, ConstMatrixMap outputs,
                     ConstMatrixMap targets, float scale, MatrixMap gradient) {
    if (kind == LossKind::SoftmaxCrossEntropy) {
        for (Index r = 0; r < outputs.rows(); ++r) {
            const float t = targets(r, 0);
            if (std::isnan(t)) continue;
            float m = 0.0f;
            const float lse = logSumExp(outputs.row(r).data(), outputs.cols(), m);
            // d(−log p_t)/dz = softmax(z) − onehot(t)
            for (Index c = 0; c < outputs.cols(); ++c) {
                gradient(r, c) += scale * std::exp(outputs(r, c) - lse);
            }
            gradient(r, static_cast<Index>(t)) -= scale;
        }
        return;
    }
    for (Index r = 0; r < outputs.rows(); ++r) {
        for (Index c = 0; c < outputs.cols(); ++c) {
            const float t = targets(r, c);
            if (std::isnan(t)) continue;
            gradient(r, c) += scale * elementGradient(kind, huberDelta, outputs(r, c), t);
        }
    }
}

} // namespace mtl::core
