#include "train/training_settings.h"

#include "util/error.h"

#include <cmath>
#include <string>

namespace mtl::core {

void checkSettings(const TrainingSettings& s) {
    auto fail = [](const std::string& what) { throw SettingError("training setting " + what); };
    if (s.epochs < 1) fail("epochs: must be at least 1");
    if (s.batchSize < 1) fail("batchSize: must be at least 1");
    if (!(s.optimizer.learningRate > 0.0f) || !std::isfinite(s.optimizer.learningRate))
        fail("learningRate: must be a number greater than 0");
    if (!(s.optimizer.weightDecay >= 0.0f)) fail("weightDecay: must be ≥ 0");
    if (!(s.optimizer.momentum >= 0.0f && s.optimizer.momentum < 1.0f))
        fail("momentum: must be in [0, 1)");
    if (!(s.optimizer.beta1 >= 0.0f && s.optimizer.beta1 < 1.0f)) fail("beta1: must be in [0, 1)");
    if (!(s.optimizer.beta2 >= 0.0f && s.optimizer.beta2 < 1.0f)) fail("beta2: must be in [0, 1)");
    if (!(s.clipNorm >= 0.0f)) fail("clipNorm: must be ≥ 0");
    if (s.earlyStoppingPatience < 0) fail("earlyStoppingPatience: must be ≥ 0");
    if (s.schedule.warmupSteps < 0) fail("warmupSteps: must be ≥ 0");
    if (s.schedule.stepEpochs < 1) fail("stepEpochs: must be at least 1");
    if (!(s.validationFraction >= 0.0f && s.testFraction >= 0.0f &&
          s.validationFraction + s.testFraction < 1.0f))
        fail("validationFraction + testFraction: each ≥ 0, together below 1");
    if (s.relationsEvery < 0) fail("relationsEvery: must be ≥ 0 (0: off)");
    checkBalancing(s.balancing);
}

} // namespace mtl::core
