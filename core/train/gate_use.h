#pragma once
// Measures which experts each task's expert gate uses while a model trains: the gate weights of
// every training forward pass, summed per gate instance and averaged when taken (each epoch).

#include "model/model.h"
#include "model/workspace.h"
#include "train/records.h"

#include <vector>

namespace mtl::core {

class GateMeter {
public:
    explicit GateMeter(const Model& model);

    bool empty() const { return m_instances.empty(); }
    // Adds the gate weights of the forward pass just run on `batch` rows; allocation-free.
    void add(const Workspace& ws, Index batch);
    // The mean weights since the last take, per gate instance (gate node, then task order);
    // then starts again.
    std::vector<GateUse> take();

private:
    const Model* m_model;
    std::vector<std::size_t> m_instances; // the model's expert-gate instances
    std::vector<Eigen::RowVectorXd> m_sums;
    double m_rows = 0.0;
};

} // namespace mtl::core
