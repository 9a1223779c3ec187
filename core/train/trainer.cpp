#include "train/trainer.h"

#include "util/error.h"

#include <numeric>

#include "util/threads.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

namespace mtl::core {
namespace {

std::vector<float> effectiveWeights(const Model& model, bool normalize) {
    std::vector<float> weights;
    double sum = 0.0;
    for (const TaskInfo& t : model.tasks()) {
        weights.push_back(t.weight);
        sum += t.weight;
    }
    if (normalize && sum > 0.0) {
        for (float& w : weights) w = float(w / sum);
    }
    return weights;
}

// The first task whose loss is non-finite although it had targets in the batch (a NaN loss
// with no targets only means the task was absent from the batch).
std::string firstNonFiniteTask(const Model& model, const std::vector<float>& losses,
                               const std::vector<Index>& counts) {
    for (std::size_t t = 0; t < losses.size(); ++t) {
        if (!std::isfinite(losses[t]) && counts[t] > 0) return model.tasks()[t].name;
    }
    return {};
}

const TrainingSettings& checked(const TrainingSettings& settings) {
    checkSettings(settings);
    return settings;
}

} // namespace

std::string_view toString(StopReason reason) {
    switch (reason) {
    case StopReason::Completed: return "completed";
    case StopReason::EarlyStopped: return "early_stopped";
    case StopReason::Stopped: return "stopped";
    case StopReason::Diverged: return "diverged";
    }
    return "?";
}

DataSplit splitData(const Dataset& data, const TrainingSettings& settings) {
    if (data.testRows <= 0)
        return splitRows(data.rows(), settings.validationFraction, settings.testFraction,
                         settings.seed);
    if (data.testRows >= data.rows())
        throw SettingError("the dataset's test rows leave no rows to train on");
    DataSplit split =
        splitRows(data.rows() - data.testRows, settings.validationFraction, 0.0f, settings.seed);
    split.test.resize(std::size_t(data.testRows));
    std::iota(split.test.begin(), split.test.end(), data.rows() - data.testRows);
    return split;
}

StopReason parseStopReason(std::string_view text) {
    for (StopReason r : {StopReason::EarlyStopped, StopReason::Stopped, StopReason::Diverged}) {
        if (toString(r) == text)
            return r;
    }
    return StopReason::Completed;
}

Trainer::Trainer(const Model& model, Dataset data, const TrainingSettings& settings)
    : m_model(model), m_settings(checked(settings)), m_data(std::move(data)),
      m_split(splitData(m_data, settings)), m_rng(settings.seed),
      m_gradients(Vector::Zero(model.parameterCount())),
      m_optimizer(settings.optimizer, model.parameterCount()),
      m_workspace(model, std::min<Index>(settings.batchSize, Index(m_split.train.size()))),
      m_weights(effectiveWeights(model, settings.normalizeTaskWeights)), m_order(m_split.train),
      m_gates(model) {
    m_normalizer = Normalizer::fit(m_data.inputs, m_split.train, settings.standardizeInputs);
    m_normalizer.apply(m_data.inputs);
    if (settings.standardizeTargets) {
        std::vector<bool> regression(std::size_t(m_data.targets.cols()), false);
        for (const TaskInfo& task : model.tasks()) {
            if (isClassification(task.loss)) continue;
            for (int c : task.targetColumns) regression[std::size_t(c)] = true;
        }
        m_targetScaling = TargetScaling::fit(m_data.targets, m_split.train, regression);
        m_targetScaling.apply(m_data.targets);
    }
    model.initialize(m_parameters, m_rng);
    const std::size_t tasks = model.tasks().size();
    m_step.taskLoss.assign(tasks, 0.0f);
    m_step.taskWeight = m_weights;
    m_lossWeights = m_weights;
    const BalancingMethod& method = balancingMethod(settings.balancing.kind);
    if (method.family == BalancingFamily::Gradient) {
        m_taskGradients = std::make_unique<TaskGradients>(model, m_workspace.maxBatch(), settings.balancing.space());
    }
    m_strategy = makeBalancingStrategy(settings.balancing, int(tasks),
                                       m_taskGradients ? m_taskGradients->width() : 0);
    if (!m_strategy->stateName().empty()) m_step.taskState.assign(tasks, 0.0f);
    if (settings.relationsEvery > 0 && tasks > 1) {
        // Relations reuse the balancing method's per-task gradients; a loss-based method has none,
        // so the measuring steps compute them on the shared parameters.
        if (!m_taskGradients) {
            m_relationGradients = std::make_unique<TaskGradients>(model, m_workspace.maxBatch(), GradientSpace::Parameters);
        }
        const TaskGradients& source = m_taskGradients ? *m_taskGradients : *m_relationGradients;
        if (source.hasSharedPart()) prepareRelations(source, int(tasks), m_relations);
    }
    m_epochLossSum.assign(tasks, 0.0);
    m_epochCount.assign(tasks, 0.0);
}

double Trainer::trainStep(std::span<const Index> rows, float lr) {
    const auto batch = static_cast<Index>(rows.size());
    loadBatch(m_model, m_data, rows, m_workspace);
    const ForwardContext context{true, &m_rng};
    m_model.forward(m_parameters, m_workspace, batch, context);
    m_gates.add(m_workspace, batch);
    double total = m_model.evaluateLosses(m_workspace, batch, m_weights);
    std::copy(m_workspace.taskLoss.begin(), m_workspace.taskLoss.end(), m_step.taskLoss.begin());
    m_failure.clear();
    if (!std::isfinite(total)) {
        m_step.total = total;
        return total;
    }
    if (!m_gradientsClear) m_gradients.setZero();
    if (!balancedBackward(batch, lr)) {
        m_gradients.setZero();
        m_gradientsClear = true;
        m_step.total = std::numeric_limits<double>::quiet_NaN();
        return m_step.total;
    }
    m_gradientsClear = false;
    total += m_step.penalty;
    m_step.total = total;
    if (!std::isfinite(total)) return total;
    if (m_settings.clipNorm > 0.0f) {
        const float norm = m_gradients.norm();
        if (norm > m_settings.clipNorm) m_gradients *= m_settings.clipNorm / norm;
    }
    m_optimizer.stepAndClear(m_parameters, m_gradients, m_model.weightMask(), lr);
    m_gradientsClear = true;
    if (m_strategy->needsLossesAfterStep()) {
        // FAMO: the same batch's losses after the step.
        m_model.forward(m_parameters, m_workspace, batch, context);
        m_model.evaluateLosses(m_workspace, batch, m_weights);
        m_strategy->afterStep(m_workspace.taskLoss);
    }
    if (!m_step.taskState.empty()) m_strategy->state(m_step.taskState);
    return total;
}

bool Trainer::waitWhilePaused() const {
    while (m_paused && !m_stop) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return !m_stop;
}

int Trainer::threads() const {
    if (m_settings.threads > 0) return m_settings.threads;
    // Forward and backward together cost about three forward passes.
    return automaticThreadCount(3.0 * m_model.multiplyAddsPerSample() * double(m_workspace.maxBatch()));
}

RunResult Trainer::run(TrainingObserver* observer) {
    setThreadCount(threads());
    m_runStart = std::chrono::steady_clock::now();
    RunResult result;
    const auto batch = m_workspace.maxBatch();
    const long stepsPerEpoch = long((Index(m_split.train.size()) + batch - 1) / batch);
    const long totalSteps = stepsPerEpoch * m_settings.epochs;
    Vector lastGood = m_parameters;
    Vector best = m_parameters;
    double bestLoss = std::numeric_limits<double>::infinity();

    for (int epoch = 1; epoch <= m_settings.epochs; ++epoch) {
        runEpoch(epoch, stepsPerEpoch, totalSteps, observer, result);
        if (result.reason == StopReason::Diverged) {
            m_parameters = lastGood;
            result.message += result.epochs > 0
                                  ? "; weights restored to the end of epoch " +
                                        std::to_string(result.epochs)
                                  : "; weights restored to their initial values";
            return result;
        }
        if (result.reason == StopReason::Stopped) break;
        lastGood = m_parameters;
        result.epochs = epoch;
        const SplitEvaluation& validation = result.history.back().validation;
        if (validation.empty()) continue;
        if (validation.total < bestLoss) {
            bestLoss = validation.total;
            best = m_parameters;
            result.bestEpoch = epoch;
        } else if (m_settings.earlyStoppingPatience > 0 &&
                   epoch - result.bestEpoch >= m_settings.earlyStoppingPatience) {
            result.reason = StopReason::EarlyStopped;
            result.message = "validation loss did not improve for " +
                             std::to_string(m_settings.earlyStoppingPatience) +
                             (m_settings.earlyStoppingPatience == 1 ? " epoch" : " epochs");
            break;
        }
    }
    if (m_settings.restoreBestWeights && result.bestEpoch > 0) m_parameters = best;
    if (result.reason == StopReason::Completed) {
        result.message = "completed " + std::to_string(result.epochs) +
                         (result.epochs == 1 ? " epoch" : " epochs");
    } else if (result.reason == StopReason::Stopped) {
        // Stopped inside an epoch: say which, and how many were complete (the progress bar showed
        // the one in progress).
        result.message = result.epochs >= m_settings.epochs
                             ? "stopped by request after the last epoch"
                             : "stopped by request during epoch " +
                                   std::to_string(result.epochs + 1) + " of " +
                                   std::to_string(m_settings.epochs) + " (" +
                                   std::to_string(result.epochs) + " complete)";
    }
    if (result.bestEpoch > 0 && m_settings.restoreBestWeights) {
        result.message += "; kept the weights of epoch " + std::to_string(result.bestEpoch) +
                          " (best validation loss)";
    } else if (result.bestEpoch > 0 && result.bestEpoch != result.epochs) {
        result.message +=
            "; kept the last epoch's weights (the best validation loss was at epoch " +
            std::to_string(result.bestEpoch) + ")";
    }
    if (!m_split.test.empty()) result.test = evaluate(m_split.test);
    return result;
}

void Trainer::runEpoch(int epoch, long stepsPerEpoch, long totalSteps, TrainingObserver* observer,
                       RunResult& result) {
    std::shuffle(m_order.begin(), m_order.end(), m_rng);
    std::fill(m_epochLossSum.begin(), m_epochLossSum.end(), 0.0);
    std::fill(m_epochCount.begin(), m_epochCount.end(), 0.0);
    const float lr = stepThroughEpoch(epoch, stepsPerEpoch, totalSteps, observer, result);
    if (result.reason != StopReason::Completed) return;
    recordEpoch(epoch, lr, observer, result);
    // DWA: the epoch's mean training losses.
    const std::vector<double>& loss = result.history.back().train.loss;
    m_strategy->endEpoch(loss);
}

float Trainer::stepThroughEpoch(int epoch, long stepsPerEpoch, long totalSteps,
                                TrainingObserver* observer, RunResult& result) {
    const auto batch = static_cast<std::size_t>(m_workspace.maxBatch());
    float lr = m_settings.optimizer.learningRate;
    for (std::size_t begin = 0; begin < m_order.size(); begin += batch) {
        if (!waitWhilePaused()) {
            result.reason = StopReason::Stopped;
            return lr;
        }
        lr = learningRateAt(m_settings.schedule, m_settings.optimizer.learningRate, result.steps,
                            stepsPerEpoch, totalSteps);
        const std::size_t size = std::min(batch, m_order.size() - begin);
        m_step.epoch = epoch;
        const double total = trainStep(std::span(m_order).subspan(begin, size), lr);
        ++result.steps;
        m_step.step = result.steps;
        m_step.epoch = epoch;
        m_step.learningRate = lr;
        m_step.rows = static_cast<Index>(size);
        m_step.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_runStart).count();
        if (!std::isfinite(total)) {
            const std::string task = firstNonFiniteTask(m_model, m_step.taskLoss, m_workspace.taskCount);
            result.reason = StopReason::Diverged;
            const std::string at = " at step " + std::to_string(result.steps) + " (epoch " + std::to_string(epoch) + ")";
            result.message = !m_failure.empty()
                                 ? m_failure + at
                                 : (task.empty() ? std::string("the soft-sharing penalty")
                                                 : "the loss of task '" + task + "'") +
                                       " became " + (std::isnan(total) ? "NaN" : "infinite") + at;
            if (observer != nullptr) observer->onStep(m_step);
            return lr;
        }
        m_model.updateRelationships(m_parameters, m_workspace.relationships, result.steps, false);
        for (std::size_t t = 0; t < m_step.taskLoss.size(); ++t) {
            const auto count = double(m_workspace.taskCount[t]);
            if (count > 0) {
                m_epochLossSum[t] += double(m_step.taskLoss[t]) * count;
                m_epochCount[t] += count;
            }
        }
        if (observer != nullptr) observer->onStep(m_step);
        if (observer != nullptr && m_relationsMeasured) observer->onRelations(m_relations);
    }
    return lr;
}

void Trainer::recordEpoch(int epoch, float lr, TrainingObserver* observer, RunResult& result) {
    // Train metrics on at most kMetricRows training rows (they are in random order already);
    // train loss is the mean over the epoch's batches.
    constexpr std::size_t kMetricRows = 10000;
    EpochRecord record;
    record.epoch = epoch;
    record.step = result.steps;
    record.learningRate = lr;
    record.train = evaluate(std::span(m_split.train).first(std::min(kMetricRows, m_split.train.size())));
    record.train.total = 0.0;
    for (std::size_t t = 0; t < m_epochCount.size(); ++t) {
        record.train.loss[t] = m_epochCount[t] > 0 ? m_epochLossSum[t] / m_epochCount[t]
                                                   : std::numeric_limits<double>::quiet_NaN();
        if (m_epochCount[t] > 0) record.train.total += double(m_weights[t]) * record.train.loss[t];
    }
    if (!m_split.validation.empty()) record.validation = evaluate(m_split.validation);
    record.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_runStart).count();
    if (!m_split.validation.empty() && !std::isfinite(record.validation.total)) {
        result.reason = StopReason::Diverged;
        result.message = "the validation loss became non-finite in epoch " + std::to_string(epoch);
    }
    m_model.updateRelationships(m_parameters, m_workspace.relationships, result.steps, true);
    record.covariances = learnedCovariances(m_model, m_workspace.relationships);
    record.gates = m_gates.take();
    result.history.push_back(record);
    if (observer != nullptr) observer->onEpoch(result.history.back());
}

SplitEvaluation Trainer::evaluate(std::span<const Index> rows) {
    const std::size_t tasks = m_model.tasks().size();
    SplitEvaluation out;
    out.rows = static_cast<Index>(rows.size());
    out.loss.assign(tasks, std::numeric_limits<double>::quiet_NaN());
    out.metrics.resize(tasks);
    if (rows.empty()) return out;
    std::vector<Matrix> outputs(tasks);
    std::vector<Matrix> targets(tasks);
    for (std::size_t t = 0; t < tasks; ++t) {
        outputs[t].resize(out.rows, m_model.tasks()[t].outputs);
        targets[t].resize(out.rows, Index(m_model.tasks()[t].targetColumns.size()));
    }
    const auto batch = static_cast<std::size_t>(m_workspace.maxBatch());
    const ForwardContext inference{false, nullptr};
    for (std::size_t begin = 0; begin < rows.size(); begin += batch) {
        const std::size_t size = std::min(batch, rows.size() - begin);
        loadBatch(m_model, m_data, rows.subspan(begin, size), m_workspace);
        m_model.forward(m_parameters, m_workspace, Index(size), inference);
        for (std::size_t t = 0; t < tasks; ++t) {
            outputs[t].middleRows(Index(begin), Index(size)) =
                m_model.taskOutput(m_workspace, int(t), Index(size));
            targets[t].middleRows(Index(begin), Index(size)) =
                topRows(m_workspace.taskTargets[t], Index(size));
        }
    }
    for (std::size_t t = 0; t < tasks; ++t) {
        const TaskInfo& task = m_model.tasks()[t];
        const ConstMatrixMap o(outputs[t].data(), outputs[t].rows(), outputs[t].cols());
        const ConstMatrixMap y(targets[t].data(), targets[t].rows(), targets[t].cols());
        const LossValue value = evaluateLoss(task.loss, task.huberDelta, o, y);
        out.loss[t] = value.mean();
        if (value.count > 0) out.total += double(m_weights[t]) * out.loss[t];
        if (!isClassification(task.loss)) {
            // Metrics in the column's own units.
            m_targetScaling.restore(outputs[t], task.targetColumns);
            m_targetScaling.restore(targets[t], task.targetColumns);
        }
        for (MetricKind metric : task.metrics) {
            out.metrics[t].push_back(computeMetric(metric, task.loss, o, y));
        }
    }
    return out;
}

} // namespace mtl::core
