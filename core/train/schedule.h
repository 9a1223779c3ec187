#pragma once
// Learning-rate schedules: constant, step decay, cosine annealing, each optionally preceded by a
// linear warm-up from 0 over the first warmupSteps steps.

#include <cstdint>

namespace mtl::core {

enum class ScheduleKind : std::uint8_t { Constant, Step, Cosine };

struct ScheduleSettings {
    ScheduleKind kind = ScheduleKind::Constant;
    long warmupSteps = 0;
    int stepEpochs = 10;        // Step: multiply by gamma every stepEpochs epochs
    float gamma = 0.1f;         // Step
    float minLearningRate = 0;  // Cosine: the value reached at the last step
    bool operator==(const ScheduleSettings&) const = default;
};

// step counts from 0; stepsPerEpoch and totalSteps describe the whole run.
float learningRateAt(const ScheduleSettings& schedule, float base, long step, long stepsPerEpoch,
                     long totalSteps);

} // namespace mtl::core
