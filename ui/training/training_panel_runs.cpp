// Run management on the Train tab: rename, note, delete, compare.

#include "dialogs/run_comparison_dialog.h"
#include "document/project_document.h"
#include "training/chart_panel.h"
#include "training/runs_panel.h"
#include "training/training_controller.h"
#include "training/training_panel.h"

#include <QDir>
#include <QLabel>
#include <QMessageBox>

#include <algorithm>

namespace mtl::ui {

void TrainingPanel::connectRunManagement() {
    connect(m_runsPanel, &RunsPanel::renameRequested, this, &TrainingPanel::renameRun);
    connect(m_runsPanel, &RunsPanel::noteRequested, this, &TrainingPanel::setRunNote);
    connect(m_runsPanel, &RunsPanel::deleteRequested, this, &TrainingPanel::deleteRuns);
    connect(m_runsPanel, &RunsPanel::compareRequested, this, &TrainingPanel::compareRuns);
}

void TrainingPanel::syncRunsWithDocument() {
    const auto& records = m_document->project().runs;
    // Runs the user discarded or deleted leave the list.
    const std::size_t before = m_runs.size();
    std::erase_if(m_runs, [&](const RunPtr& run) {
        if (run->running)
            return false;
        return std::none_of(records.begin(), records.end(), [&](const core::RunRecord& r) {
            return QString::fromStdString(r.directory) == QDir::cleanPath(run->directory);
        });
    });
    bool renamed = false;
    for (const RunPtr& run : m_runs) {
        for (const core::RunRecord& r : records) {
            if (QString::fromStdString(r.directory) != QDir::cleanPath(run->directory))
                continue;
            renamed = renamed || run->name != QString::fromStdString(r.name);
            run->name = QString::fromStdString(r.name);
            run->note = QString::fromStdString(r.note);
        }
    }
    m_runsPanel->setRuns(m_runs);
    // The charts name runs and must not show a deleted one; what they show otherwise stays (the
    // live run while one trains).
    if (renamed || m_runs.size() != before) {
        std::vector<RunPtr> shown = m_charts->runs();
        std::erase_if(shown, [this](const RunPtr& run) {
            return std::find(m_runs.begin(), m_runs.end(), run) == m_runs.end();
        });
        if (shown.empty() && !m_runs.empty())
            shown = {isTraining() ? m_controller->run() : m_runs.back()};
        showRuns(shown);
    }
}

bool TrainingPanel::renameRun(const RunPtr& run, const QString& name) {
    const QString wanted = name.simplified();
    if (wanted.isEmpty()) {
        setStatus(tr("A run needs a name; %1 keeps its own.").arg(run->name), true);
        return false;
    }
    const bool taken = std::any_of(m_runs.begin(), m_runs.end(), [&](const RunPtr& other) {
        return other != run && other->name == wanted;
    });
    if (taken) {
        setStatus(tr("Another run is called %1; %2 keeps its name.").arg(wanted, run->name), true);
        return false;
    }
    if (run->running) {
        setStatus(tr("%1 is training; rename it when it has finished.").arg(run->name), true);
        return false;
    }
    const QString before = run->name;
    if (!m_document->editRun(run->directory,
                             [&](core::RunRecord& r) { r.name = wanted.toStdString(); }))
        return false;
    setStatus(tr("Renamed %1 to %2; Save keeps the name with the project.").arg(before, wanted),
              false);
    return true;
}

void TrainingPanel::setRunNote(const RunPtr& run, const QString& note) {
    const QString trimmed = note.trimmed();
    if (run->running || trimmed == run->note)
        return;
    m_document->editRun(run->directory,
                        [&](core::RunRecord& r) { r.note = trimmed.toStdString(); });
}

void TrainingPanel::deleteRuns(const std::vector<RunPtr>& runs) {
    std::vector<RunPtr> finished;
    std::copy_if(runs.begin(), runs.end(), std::back_inserter(finished),
                 [](const RunPtr& r) { return !r->running; });
    if (finished.empty())
        return;
    QStringList names;
    for (const RunPtr& run : finished)
        names << run->name;
    const QString question =
        (finished.size() == 1
             ? tr("Delete %1 and its files (curves, metrics, trained weights in %2)?")
                   .arg(names.front(), QDir::toNativeSeparators(finished.front()->directory))
             : tr("Delete %1 runs (%2) and their files (curves, metrics, trained weights)?")
                   .arg(finished.size())
                   .arg(names.join(", "))) +
        "\n\n" +
        tr("A run trained since the last save goes at once; a saved one goes for good when you "
           "save the project "
           "(Discard when closing keeps it). This cannot be undone.");
    if (QMessageBox::question(this, tr("Delete runs"), question,
                              QMessageBox::Yes | QMessageBox::Cancel,
                              QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    QStringList failures;
    for (const RunPtr& run : finished) {
        QString error;
        if (!m_document->deleteRun(run->directory, &error))
            failures << QStringLiteral("%1: %2").arg(
                run->name, error.isEmpty() ? tr("not in the project") : error);
    }
    if (!failures.isEmpty())
        setStatus(tr("Some runs could not be deleted:\n%1").arg(failures.join("\n")), true);
    else
        setStatus(finished.size() == 1
                      ? tr("Deleted %1; Save removes it from the project file.").arg(names.front())
                      : tr("Deleted %1 runs; Save removes them from the project file.")
                            .arg(finished.size()),
                  false);
}

void TrainingPanel::compareRuns(const std::vector<RunPtr>& runs) {
    if (runs.empty())
        return;
    auto* dialog = new RunComparisonDialog(runs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace mtl::ui
