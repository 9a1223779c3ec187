#include "train/gate_use.h"

#include "layers/expert_gate.h"

namespace mtl::core {

GateMeter::GateMeter(const Model& model) : m_model(&model) {
    for (std::size_t k = 0; k < model.instances().size(); ++k) {
        const Instance& inst = model.instances()[k];
        if (inst.experts.empty())
            continue;
        m_instances.push_back(k);
        m_sums.push_back(Eigen::RowVectorXd::Zero(Index(inst.experts.size())));
    }
}

void GateMeter::add(const Workspace& ws, Index batch) {
    for (std::size_t g = 0; g < m_instances.size(); ++g) {
        const ConstMatrixMap weights = ExpertGate::weights(*ws.states[m_instances[g]], batch);
        for (Index e = 0; e < weights.cols(); ++e)
            m_sums[g][e] += weights.col(e).cast<double>().sum();
    }
    m_rows += double(batch);
}

std::vector<GateUse> GateMeter::take() {
    std::vector<GateUse> out;
    const auto& instances = m_model->instances();
    for (std::size_t g = 0; g < m_instances.size(); ++g) {
        const Instance& inst = instances[m_instances[g]];
        GateUse use{m_model->layerNodeId(inst.layer),
                    m_model->tasks()[std::size_t(inst.gateTask)].name,
                    {},
                    {}};
        for (int e : inst.experts)
            use.experts.push_back(m_model->layerNodeId(instances[std::size_t(e)].layer));
        for (Index e = 0; e < m_sums[g].size(); ++e)
            use.weights.push_back(m_rows > 0.0 ? m_sums[g][e] / m_rows : 0.0);
        m_sums[g].setZero();
        out.push_back(std::move(use));
    }
    m_rows = 0.0;
    return out;
}

} // namespace mtl::core
