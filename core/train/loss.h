#pragma once
// Per-task losses on a head's outputs. A NaN target is *missing*: it is left out of the loss and
// the gradient of that task only. The loss is the mean over present targets (samples for
// softmax cross-entropy, elements otherwise), as PyTorch's default reduction computes it.

#include "util/tensor.h"

#include <cstdint>

namespace mtl::core {

enum class LossKind : std::uint8_t {
    MSE,                 // mean squared error
    MAE,                 // mean absolute error
    Huber,               // quadratic within ±delta, linear beyond
    SoftmaxCrossEntropy, // one target column holding a class index; outputs are class logits
    BinaryCrossEntropy   // one 0/1 target per output; outputs are logits
};

bool isClassification(LossKind kind);

struct LossValue {
    double sum = 0.0; // summed over present targets
    Index count = 0;  // present targets (samples for softmax, elements otherwise)
    double mean() const;
};

// outputs: [batch, k]; targets: [batch, k] (softmax: [batch, 1], class indices).
// When gradient is non-null, adds scale · d(sum)/d(outputs) into it; callers pass
// scale = weight / count to get the gradient of weight · mean.
LossValue evaluateLoss(LossKind kind, float huberDelta, ConstMatrixMap outputs,
                       ConstMatrixMap targets);
void addLossGradient(LossKind kind, float huberDelta, ConstMatrixMap outputs,
                     ConstMatrixMap targets, float scale, MatrixMap gradient);

} // namespace mtl::core
