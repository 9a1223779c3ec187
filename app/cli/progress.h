#pragma once
// Reports a `mtl train` run as it goes: on a terminal, a progress bar redrawn at most ten times
// a second with samples/s and time left; piped, plain lines only. One table row per epoch.
// Ctrl-C asks the trainer to stop after the current step.

#include "cli/table.h"
#include "train/trainer.h"

#include <chrono>
#include <iosfwd>
#include <vector>

namespace mtl::cli {

class ProgressReporter final : public core::TrainingObserver {
public:
    ProgressReporter(core::Trainer& trainer, int epochs, bool terminal, bool quiet,
                     std::ostream& out);
    ~ProgressReporter() override;
    ProgressReporter(const ProgressReporter&) = delete;
    ProgressReporter& operator=(const ProgressReporter&) = delete;

    void onStep(const core::StepRecord& record) override;
    void onEpoch(const core::EpochRecord& record) override;
    bool interrupted() const;

private:
    void drawBar(const core::StepRecord& record);
    void clearBar();

    core::Trainer& m_trainer;
    EpochTable m_table;
    int m_epochs;
    long m_stepsPerEpoch;
    bool m_terminal;
    bool m_quiet;
    bool m_headerShown = false;
    bool m_barShown = false;
    std::ostream& m_out;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastDraw;
};

} // namespace mtl::cli
