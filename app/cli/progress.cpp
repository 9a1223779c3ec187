#include "cli/progress.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ostream>

namespace mtl::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void onInterrupt(int /*signal*/) { g_interrupted = 1; }

} // namespace

ProgressReporter::ProgressReporter(core::Trainer& trainer, int epochs, bool terminal, bool quiet,
                                   std::ostream& out)
    : m_trainer(trainer), m_table(trainer.model(), !trainer.split().validation.empty()),
      m_epochs(epochs),
      m_stepsPerEpoch(long((core::Index(trainer.split().train.size()) +
                            trainer.workspace().maxBatch() - 1) /
                           trainer.workspace().maxBatch())),
      m_terminal(terminal), m_quiet(quiet), m_out(out), m_start(std::chrono::steady_clock::now()) {
    g_interrupted = 0;
    std::signal(SIGINT, onInterrupt);
}

ProgressReporter::~ProgressReporter() {
    std::signal(SIGINT, SIG_DFL);
    clearBar();
}

bool ProgressReporter::interrupted() const { return g_interrupted != 0; }

void ProgressReporter::onStep(const core::StepRecord& record) {
    if (g_interrupted != 0) m_trainer.requestStop();
    if (!m_terminal || m_quiet) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastDraw < std::chrono::milliseconds(100)) return;
    m_lastDraw = now;
    drawBar(record);
}

void ProgressReporter::drawBar(const core::StepRecord& record) {
    const long total = m_stepsPerEpoch * m_epochs;
    const double done = double(record.step) / double(std::max(1L, total));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const double samples = double(record.step) * double(m_trainer.workspace().maxBatch());
    const double left = done > 0 ? seconds * (1.0 - done) / done : 0.0;
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(done * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '-');
    char line[160];
    std::snprintf(line, sizeof line, "\r  epoch %d/%d [%s] %3.0f%%  %.0f samples/s  %.0fs left ",
                  record.epoch, m_epochs, bar.c_str(), 100.0 * done,
                  seconds > 0 ? samples / seconds : 0.0, left);
    m_out << line << std::flush;
    m_barShown = true;
}

void ProgressReporter::clearBar() {
    if (!m_barShown) return;
    m_out << "\r" << std::string(90, ' ') << "\r" << std::flush;
    m_barShown = false;
}

void ProgressReporter::onEpoch(const core::EpochRecord& record) {
    if (m_quiet) return;
    clearBar();
    if (!m_headerShown) {
        m_out << m_table.header() << "\n";
        m_headerShown = true;
    }
    m_out << m_table.row(record) << "\n" << std::flush;
}

} // namespace mtl::cli
