// The backward pass of a training step as the task-balancing method decides it, and the
// task-relations measurement that shares its per-task gradients.
#include "train/trainer.h"

namespace mtl::core {

bool Trainer::relationsDue() const {
    return !m_relations.blocks.empty() && (m_step.step + 1) % m_settings.relationsEvery == 0;
}

bool Trainer::balancedBackward(Index batch, float lr) {
    Index present = 0;
    m_presentLosses.resize(Index(m_model.tasks().size()));
    for (std::size_t t = 0; t < m_model.tasks().size(); ++t) {
        if (m_workspace.taskCount[t] == 0) continue;
        m_present[std::size_t(present)] = int(t);
        m_presentLosses(present++) = m_workspace.taskLoss[t];
    }
    m_presentLosses.conservativeResize(present);
    BalancingInput input;
    input.tasks = std::span<const int>(m_present.data(), std::size_t(present));
    input.losses = &m_presentLosses;
    input.userWeights = m_weights;
    input.learningRate = lr;
    input.step = m_step.step + 1;
    input.rng = &m_rng;
    m_relationsMeasured = false;
    const bool measure = relationsDue() && present > 1;
    if (!m_taskGradients) {
        if (measure) {
            // One backward pass per task for the measurement only; the step's own follows.
            m_relationGradients->compute(m_parameters, m_workspace, batch, m_gradients);
            measureRelations(*m_relationGradients, m_step.step + 1, m_step.epoch, m_relations);
            m_relationsMeasured = true;
            m_gradients.setZero();
        }
        m_strategy->combine(input, m_balancedWeights);
    } else {
        m_taskGradients->compute(m_parameters, m_workspace, batch, m_gradients);
        if (measure && !m_relations.blocks.empty()) {
            measureRelations(*m_taskGradients, m_step.step + 1, m_step.epoch, m_relations);
            m_relationsMeasured = true;
        }
        if (m_strategy->writesDirection()) {
            m_strategy->writeDirection(input, m_taskGradients->jacobian(), m_taskGradients->directionBuffer(),
                                       m_balancedWeights);
        } else {
            m_taskGradients->gram(m_gram);
            input.gram = &m_gram;
            m_strategy->combine(input, m_balancedWeights);
        }
    }
    if (!m_balancedWeights.allFinite()) {
        m_failure = balancingMethod(m_settings.balancing.kind).title + " gave non-finite task weights";
        return false;
    }
    std::fill(m_step.taskWeight.begin(), m_step.taskWeight.end(), 0.0f);
    for (Index k = 0; k < present; ++k) m_step.taskWeight[std::size_t(m_present[std::size_t(k)])] = float(m_balancedWeights(k));
    if (!m_taskGradients) {
        m_step.penalty = m_model.backward(m_parameters, m_workspace, batch, m_step.taskWeight, m_model.allTasks(),
                                          true, m_gradients, true);
        return true;
    }
    if (m_strategy->writesDirection()) m_taskGradients->applyDirection(m_gradients);
    else m_taskGradients->applyWeights(m_balancedWeights, m_parameters, m_workspace, batch, m_gradients);
    m_step.penalty = m_model.softPenalty(m_parameters, &m_gradients, &m_workspace.relationships);
    return true;
}

} // namespace mtl::core
