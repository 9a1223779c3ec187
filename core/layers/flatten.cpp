#include "layers/flatten.h"

namespace mtl::core {

void Flatten::forward(const float* /*params*/, ConstMatrixMap x, MatrixMap y,
                      LayerState* /*state*/, const ForwardContext& /*context*/) const {
    y = x;
}

void Flatten::backward(const float* /*params*/, ConstMatrixMap /*x*/, ConstMatrixMap /*y*/,
                       ConstMatrixMap dy, MatrixMap* dx, float* /*dParams*/,
                       LayerState* /*state*/) const {
    if (dx != nullptr) {
        *dx += dy;
    }
}

} // namespace mtl::core
