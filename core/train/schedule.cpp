#include "train/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mtl::core {

float learningRateAt(const ScheduleSettings& schedule, float base, long step, long stepsPerEpoch,
                     long totalSteps) {
    if (step < schedule.warmupSteps) {
        return base * float(step + 1) / float(schedule.warmupSteps);
    }
    switch (schedule.kind) {
    case ScheduleKind::Constant:
        return base;
    case ScheduleKind::Step: {
        const long epoch = step / std::max(1L, stepsPerEpoch);
        const long drops = epoch / std::max(1, schedule.stepEpochs);
        return base * std::pow(schedule.gamma, float(drops));
    }
    case ScheduleKind::Cosine: {
        // lr = min + (base − min) · (1 + cos(π · progress)) / 2 after warm-up
        const long span = std::max(1L, totalSteps - schedule.warmupSteps);
        const double progress =
            std::min(1.0, double(step - schedule.warmupSteps) / double(span));
        const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
        return schedule.minLearningRate +
               float((double(base) - schedule.minLearningRate) * cosine);
    }
    }
    return base;
}

} // namespace mtl::core
