#include "training/training_panel.h"

#include "document/counted.h"
#include "document/node_text.h"
#include "document/project_document.h"
#include "document/run_storage.h"
#include "document/spec_edits.h"
#include "model/grouped_model.h"
#include "model/templates.h"
#include "relations/relations_view.h"
#include "runs/run_training.h"
#include "training/balancing_form.h"
#include "training/chart_panel.h"
#include "training/confusion_view.h"
#include "training/expert_use_chart.h"
#include "training/runs_panel.h"
#include "training/settings_form.h"
#include "training/training_controller.h"
#include "training/weights_chart.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace mtl::ui {

TrainingPanel::TrainingPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_controller(new TrainingController(this)),
      m_charts(new ChartPanel(this)), m_runsPanel(new RunsPanel(this)),
      m_settings(new SettingsForm(document, this)), m_balancing(new BalancingForm(document, this)),
      m_weights(new WeightsChart(this)), m_experts(new ExpertUseChart(this)),
      m_relations(new RelationsView(this)), m_confusion(new ConfusionView(document, this)),
      m_views(new QTabWidget(this)), m_train(new QPushButton(tr("Train"), this)),
      m_pause(new QPushButton(tr("Pause"), this)), m_stop(new QPushButton(tr("Stop"), this)),
      m_progress(new QProgressBar(this)), m_progressText(new QLabel(this)),
      m_status(new QLabel(this)),
      m_graphChanged(new QLabel(tr("⚠ The graph changed since this run started; the run "
                                   "goes on with the graph it started with."),
                                this)) {
    setObjectName("training");
    m_train->setIcon(QIcon(":/icons/train.svg"));
    m_train->setObjectName("trainButton");
    m_pause->setObjectName("pauseButton");
    m_stop->setObjectName("stopButton");
    m_stop->setToolTip(tr("Stop after the current step; the weights so far are kept and saved"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(12);
    m_progressText->setObjectName("progressText");
    m_progressText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setObjectName("trainStatus");
    m_status->setWordWrap(true);
    m_graphChanged->setWordWrap(true);
    m_graphChanged->setStyleSheet("color: #b07800");
    m_graphChanged->setVisible(false);
    const auto colourOf = [this](const std::string& task, std::size_t index) {
        const auto names = m_document->taskNames();
        return std::find(names.begin(), names.end(), task) != names.end() ? m_document->taskColour(task)
                                                                          : ProjectDocument::taskColour(int(index));
    };
    m_charts->setColourOf(colourOf);
    m_weights->setColourOf(colourOf);
    m_relations->setColourOf(colourOf);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_train);
    controls->addWidget(m_pause);
    controls->addWidget(m_stop);
    auto* progress = new QVBoxLayout;
    progress->addWidget(m_progress);
    progress->addWidget(m_progressText);
    controls->addLayout(progress, 1);

    // The settings scroll rather than make the window taller than a laptop's screen.
    auto* settingsBox = new QGroupBox(tr("Settings"), this);
    auto* settingsContent = new QWidget(settingsBox);
    auto* settingsLayout = new QVBoxLayout(settingsContent);
    settingsLayout->setContentsMargins(0, 0, 0, 0);
    settingsLayout->addWidget(m_settings);
    settingsLayout->addWidget(m_balancing);
    settingsLayout->addStretch();
    auto* settingsScroll = new QScrollArea(settingsBox);
    settingsScroll->setWidget(settingsContent);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setFrameShape(QFrame::NoFrame);
    settingsScroll->setMinimumHeight(120);
    settingsScroll->setMinimumWidth(220);
    (new QVBoxLayout(settingsBox))->addWidget(settingsScroll);
    auto* runsBox = new QGroupBox(tr("Runs"), this);
    (new QVBoxLayout(runsBox))->addWidget(m_runsPanel);
    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(settingsBox);
    left->addWidget(runsBox);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_charts);
    right->addWidget(m_weights);
    right->addWidget(m_experts);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    right->setStretchFactor(2, 1);
    right->setSizes({600, 220, 200});
    m_views->setObjectName("trainViews");
    m_views->addTab(right, tr("Curves"));
    m_views->addTab(m_relations, tr("Task relations"));
    m_views->addTab(m_confusion, tr("Confusion matrix"));
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_views);
    split->setStretchFactor(1, 3);
    split->setSizes({440, 900});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_graphChanged);
    layout->addWidget(split, 1);

    connect(m_train, &QPushButton::clicked, this, [this] { startTraining(); });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_controller->isPaused()) m_controller->resume();
        else m_controller->pause();
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        m_queue.clear();
        m_controller->stop();
    });
    connect(m_controller, &TrainingController::progressed, this, &TrainingPanel::progressed);
    connect(m_controller, &TrainingController::finished, this, &TrainingPanel::finished);
    connect(m_controller, &TrainingController::pausedChanged, this, &TrainingPanel::updateControls);
    connect(m_runsPanel, &RunsPanel::selectionChanged, this, [this](std::vector<RunPtr> runs) {
        if (runs.empty() || isTraining()) return;
        showRuns(runs);
    });
    connect(m_relations, &RelationsView::createNetworkRequested, this,
            [this](const RunPtr& run, const std::vector<std::vector<std::string>>& groups) {
                try {
                    core::Project next = m_document->project();
                    next.model = core::makeGroupedModel(run->snapshot.model, groups);
                    next.model.flow = m_document->spec().flow; // drawn the way the user chose
                    autoLayout(next.model);
                    QStringList parts;
                    for (const auto& g : groups) parts << QString::number(g.size());
                    m_document->edit(tr("Create network from grouping (%1)").arg(parts.join(" + ")), next);
                    emit graphCreated();
                } catch (const std::exception& e) {
                    setStatus(tr("Cannot create the network: %1").arg(QString::fromStdString(e.what())), true);
                }
            });
    const auto weightsView = [this] {
        m_weights->setView(static_cast<XAxisMode>(m_charts->xAxisChoice()->currentData().toInt()),
                           m_charts->smoothingSlider()->value() / 100.0);
        m_relations->setSmoothing(m_charts->smoothingSlider()->value() / 100.0);
    };
    connect(m_charts->xAxisChoice(), &QComboBox::currentIndexChanged, this, weightsView);
    connect(m_charts->smoothingSlider(), &QSlider::valueChanged, this, weightsView);
    connect(m_runsPanel, &RunsPanel::openGraphRequested, this, &TrainingPanel::openGraphRequested);
    connect(m_runsPanel, &RunsPanel::baselinesRequested, this, &TrainingPanel::trainBaselines);
    connect(document, &ProjectDocument::documentReset, this, &TrainingPanel::loadRuns);
    connect(document, &ProjectDocument::runMoved, this,
            [this](const QString& from, const QString& to) {
                for (const RunPtr& run : m_runs) {
                    if (QDir::cleanPath(run->directory) == from)
                        run->directory = to;
                }
            });
    connect(document, &ProjectDocument::runsChanged, this, &TrainingPanel::syncRunsWithDocument);
    connectRunManagement();
    connect(document, &ProjectDocument::changed, this, &TrainingPanel::updateGraphChanged);
    connect(document, &ProjectDocument::changed, this, &TrainingPanel::datasetMayHaveChanged);
    connect(document, &ProjectDocument::analysisChanged, this, &TrainingPanel::updateControls);
    connect(document, &ProjectDocument::datasetStateChanged, this, &TrainingPanel::updateControls);
    updateControls();
}

TrainingPanel::~TrainingPanel() {
    m_controller->disconnect(this);
}

bool TrainingPanel::isTraining() const { return m_controller->isRunning(); }

QString TrainingPanel::newRunDirectory(const QString& stem) const {
    return uniqueDirectory(runsBase(m_document->filePath()), stem);
}

RunPtr TrainingPanel::startTraining() {
    const QString blocker = m_document->trainBlocker();
    if (!blocker.isEmpty() || isTraining()) {
        setStatus(isTraining() ? tr("A run is already going.") : tr("Cannot train: %1").arg(blocker), true);
        return nullptr;
    }
    std::vector<std::string> taken;
    for (const RunPtr& r : m_runs)
        taken.push_back(r->name.toStdString());
    const QString name = QString::fromStdString(core::nextRunName(taken));
    return startRun(m_document->project(), name, {});
}

void TrainingPanel::trainBaselines() {
    if (isTraining() || !m_document->trainBlocker().isEmpty()) {
        setStatus(tr("Baselines need a trainable network and no run in progress."), true);
        return;
    }
    for (const std::string& task : m_document->taskNames()) {
        core::Project project = m_document->project();
        project.model = core::singleTaskBaseline(project.model, task);
        m_queue.push_back({project, tr("baseline %1").arg(QString::fromStdString(task)), task});
    }
    if (m_queue.empty()) return;
    const Queued next = m_queue.front();
    m_queue.pop_front();
    startRun(next.project, next.name, next.task);
}

RunPtr TrainingPanel::startRun(const core::Project& project, const QString& name, const std::string& baselineTask) {
    RunPtr run = m_controller->start(project, m_document->dataset(), name,
                                     newRunDirectory(folderName(name)), baselineTask);
    if (run->failed) {
        setStatus(tr("Cannot train: %1").arg(run->message), true);
        m_queue.clear();
        return nullptr;
    }
    m_runs.push_back(run);
    m_shownEpochs = 0;
    m_runsPanel->setRuns(m_runs);
    showRuns({run});
    setStatus(tr("Training %1…").arg(name), false);
    updateControls();
    emit trainingStateChanged(true);
    return run;
}

void TrainingPanel::showRuns(const std::vector<RunPtr>& runs) {
    m_charts->setRuns(runs);
    m_weights->setRun(runs.empty() ? nullptr : runs.front());
    m_experts->setRun(runs.empty() ? nullptr : runs.front());
    m_relations->setProjectDirectory(m_document->projectDirectory());
    m_relations->setRun(runs.empty() ? nullptr : runs.front());
    m_confusion->setRun(runs.empty() ? nullptr : runs.front());
}

void TrainingPanel::clearProgress() {
    m_progress->setValue(0);
    m_progressText->clear();
    m_graphChanged->setVisible(false);
}

void TrainingPanel::datasetMayHaveChanged() {
    const core::DatasetSource& current = m_document->project().dataset;
    m_runsPanel->setCurrentDataset(current);
    // The charts, progress and relations of a run on another dataset leave the screen.
    const auto shown = m_charts->runs();
    if (!isTraining() && !shown.empty() && !(shown.front()->snapshot.dataset == current)) {
        showRuns({});
        clearProgress();
        setStatus(
            tr("The project now uses another dataset: its earlier runs are greyed in the list."),
            false);
    }
}

void TrainingPanel::progressed(const RunPtr& run) {
    // Charts out of sight (the Design tab is showing) redraw when they are shown again.
    if (m_charts->isVisible() && !m_charts->runs().empty() && m_charts->runs().front() == run) {
        m_charts->refresh();
        m_weights->refresh();
        m_experts->refresh();
    }
    if (m_relations->isVisible()) m_relations->refresh();
    const core::RunMetrics& metrics = run->metrics;
    if (metrics.epochs().size() != m_shownEpochs) {
        m_shownEpochs = metrics.epochs().size();
        m_runsPanel->updateRun(run);
    }
    const long step = metrics.lastStep();
    const int epoch = int(std::min<long>(run->snapshot.training.epochs, step / std::max(1L, metrics.stepsPerEpoch()) + 1));
    m_progress->setMaximum(int(std::max(1L, run->totalSteps)));
    m_progress->setValue(int(std::min(step, run->totalSteps)));
    const double rate = metrics.rowsPerSecond();
    const double stepsPerSecond = rate / double(std::max<core::Index>(1, run->snapshot.training.batchSize));
    const double left = stepsPerSecond > 0 ? double(run->totalSteps - step) / stepsPerSecond : NAN;
    m_progressText->setText(tr("%1 · epoch %2/%3 · step %4/%5 · %6 samples/s · %7 left")
                                .arg(run->name)
                                .arg(epoch)
                                .arg(run->snapshot.training.epochs)
                                .arg(countText(double(step)), countText(double(run->totalSteps)),
                                     countText(rate), durationText(left)));
    updateGraphChanged();
}

void TrainingPanel::finished(const RunPtr& run) {
    progressed(run);
    m_document->appendRun(runRecord(*run));
    m_runsPanel->setRuns(m_runs);
    const bool diverged = run->reason == core::StopReason::Diverged;
    if (run->failed) setStatus(tr("%1 failed: %2").arg(run->name, run->message), true);
    else if (diverged) setStatus(tr("%1 diverged: %2. The last good weights are kept.").arg(run->name, run->message), true);
    else
        setStatus(tr("%1: %2.").arg(run->name, run->message) + " " + whereRunsGo(), false);
    if (!m_queue.empty() && !diverged && !run->failed && run->reason != core::StopReason::Stopped) {
        const Queued next = m_queue.front();
        m_queue.pop_front();
        startRun(next.project, next.name, next.task);
        return;
    }
    m_queue.clear();
    m_runsPanel->showComparison();
    if (m_confusion->isVisible())
        m_confusion->refresh();
    updateControls();
    m_graphChanged->setVisible(false);
    emit trainingStateChanged(false);
}

QString TrainingPanel::whereRunsGo() const {
    QString folder = QDir::toNativeSeparators(runsBase(m_document->filePath()));
    const QString home = QDir::toNativeSeparators(QDir::homePath());
    if (folder.startsWith(home + QDir::separator()))
        folder = "~" + folder.mid(home.size());
    if (m_document->filePath().isEmpty()) {
        return tr("Kept in %1 until you save the project, which moves it beside the file.")
            .arg(folder);
    }
    if (keepsRunsInUserFolder(m_document->filePath())) {
        return tr("Kept in %1: an example's (or a read-only) folder stays as it came; Save As "
                  "moves "
                  "runs beside your copy.")
            .arg(folder);
    }
    return tr("Its files are in %1; Save adds it to the project.").arg(folder);
}

void TrainingPanel::stopAndWait() {
    m_queue.clear();
    if (!isTraining()) return;
    m_controller->stop();
    m_controller->resume();
    m_controller->waitForFinished();
}

void TrainingPanel::loadRuns() {
    // Nothing of the previous project stays on screen.
    clearProgress();
    m_runs.clear();
    QStringList broken;
    for (const core::RunRecord& record : m_document->project().runs) {
        try {
            m_runs.push_back(loadRun(record, m_document->projectDirectory().toStdString()));
        } catch (const std::exception& e) {
            broken << QStringLiteral("%1: %2").arg(QString::fromStdString(record.name), QString::fromStdString(e.what()));
        }
    }
    m_runsPanel->setRuns(m_runs);
    m_runsPanel->setCurrentDataset(m_document->project().dataset);
    showRuns(m_runs.empty() ? std::vector<RunPtr>{} : std::vector<RunPtr>{m_runs.back()});
    if (!broken.isEmpty()) setStatus(tr("Some runs could not be read:\n%1").arg(broken.join("\n")), true);
    else
        setStatus(m_runs.empty() ? tr("Press Train to train this network.")
                                 : counted(qint64(m_runs.size()), tr("1 earlier run."),
                                           tr("%1 earlier runs.")),
                  false);
}

void TrainingPanel::updateControls() {
    const bool running = isTraining();
    const QString blocker = m_document->trainBlocker();
    m_train->setEnabled(!running && blocker.isEmpty());
    m_train->setToolTip(blocker.isEmpty() ? tr("Train this network") : tr("Cannot train: %1").arg(blocker));
    m_pause->setEnabled(running);
    m_pause->setText(m_controller->isPaused() ? tr("Resume") : tr("Pause"));
    m_stop->setEnabled(running);
    m_runsPanel->baselinesButton()->setEnabled(!running && blocker.isEmpty());
    if (!running && !blocker.isEmpty() && m_status->text().isEmpty()) setStatus(tr("Cannot train: %1").arg(blocker), true);
}

void TrainingPanel::updateGraphChanged() {
    const RunPtr run = m_controller->run();
    const bool changed = run && (run->snapshot.model != m_document->project().model ||
                                 run->snapshot.training != m_document->project().training) && run->baselineTask.empty();
    m_graphChanged->setVisible(changed);
}

bool TrainingPanel::graphChangedShown() const { return !m_graphChanged->isHidden(); }

void TrainingPanel::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #d32f2f") : QString());
}

QString TrainingPanel::statusText() const { return m_status->text(); }
QString TrainingPanel::progressText() const { return m_progressText->text(); }

} // namespace mtl::ui
