// Aligned-MTL (Senushkin et al. 2023): with G = VΛVᵀ, keeping eigenvalues above
// λ_max·T·ε_float32, B = √λ_min·VΛ^(−1/2)Vᵀ and w = B𝟙: the combined gradients' principal
// components all get the size of the smallest.
#include "balancing/methods.h"

#include <Eigen/Eigenvalues>

#include <cmath>

namespace mtl::core::balancing {
namespace {

class AlignedMtl final : public BalancingStrategy {
public:
    void combine(const BalancingInput& in, SmallVector& weights) override {
        const Index n = Index(in.tasks.size());
        m_eigen.compute(*in.gram);
        const SmallVector& values = m_eigen.eigenvalues(); // ascending
        const double tolerance = values.maxCoeff() * double(n) * 1.1920929e-07;
        double smallest = 0.0;
        for (Index i = 0; i < n; ++i) {
            if (values(i) > tolerance) {
                smallest = values(i);
                break;
            }
        }
        weights = SmallVector::Zero(n);
        if (!(smallest > 0.0)) {
            weights.setOnes();
            return;
        }
        const SmallMatrix& v = m_eigen.eigenvectors();
        for (Index i = 0; i < n; ++i) {
            if (values(i) <= tolerance)
                continue;
            // B𝟙 = √λ_min Σ_i v_i (v_iᵀ𝟙)/√λ_i
            weights += v.col(i) * (std::sqrt(smallest / values(i)) * v.col(i).sum());
        }
    }

private:
    Eigen::SelfAdjointEigenSolver<SmallMatrix> m_eigen{kMaxTasks};
};

} // namespace

std::unique_ptr<BalancingStrategy> makeAlignedMtl() {
    return std::make_unique<AlignedMtl>();
}

} // namespace mtl::core::balancing
