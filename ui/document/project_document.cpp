#include "document/project_document.h"

#include "document/project_change.h"
#include "document/run_storage.h"
#include "util/error.h"

#include <QDir>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <set>

namespace mtl::ui {

namespace {

bool samePlace(const core::NodeSpec& a, const core::NodeSpec& b) { return a.x == b.x && a.y == b.y; }

bool sameExceptPlace(core::NodeSpec a, const core::NodeSpec& b) {
    a.x = b.x;
    a.y = b.y;
    return a == b;
}

std::set<std::pair<std::string, std::string>> edgeSet(const core::ModelSpec& spec) {
    std::set<std::pair<std::string, std::string>> edges;
    for (const auto& e : spec.edges) edges.emplace(e.from, e.to);
    return edges;
}

// A folder recorded in the project: absolute in memory.
std::string absoluteIn(const QString& projectDir, const std::string& directory) {
    return QDir::cleanPath(QDir(projectDir).absoluteFilePath(QString::fromStdString(directory)))
        .toStdString();
}

// Relative to the file's folder when at or below it (so they move together), else absolute.
std::string relativeIfBelow(const QString& filePath, const std::string& directory) {
    const QString relative =
        QFileInfo(filePath).absoluteDir().relativeFilePath(QString::fromStdString(directory));
    return relative.startsWith("..") ? directory : relative.toStdString();
}

} // namespace

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {
    connect(&m_undo, &QUndoStack::cleanChanged, this, &ProjectDocument::modifiedChanged);
    m_loadPoll.setInterval(20);
    connect(&m_loadPoll, &QTimer::timeout, this, &ProjectDocument::pollLoads);
}

ProjectDocument::~ProjectDocument() {
    for (const auto& load : m_loads) load->thread.join();
}

void ProjectDocument::load(core::Project project, const QString& filePath) {
    m_undo.clear();
    m_filePath = filePath;
    // In memory a CSV path is absolute, so no edit, undo or Save As can make it point elsewhere;
    // projectForSaving() makes it relative to the file's folder again.
    core::CsvSource& csv = project.dataset.csv;
    if (project.dataset.kind == core::DatasetKind::Csv && QDir::isRelativePath(QString::fromStdString(csv.path))) {
        csv.path = QDir(projectDirectory()).absoluteFilePath(QString::fromStdString(csv.path)).toStdString();
    }
    // Run folders, too, are absolute in memory and relative to the file when saved beside it.
    for (core::RunRecord& run : project.runs)
        run.directory = absoluteIn(projectDirectory(), run.directory);
    for (core::ExperimentRecord& e : project.experiments)
        e.directory = absoluteIn(projectDirectory(), e.directory);
    m_unsavedRuns.clear();
    m_runsEdited = false;
    // Runs deleted but neither saved nor discarded: back where the file on disk expects them.
    for (const ParkedRun& run : m_parked) {
        QString why;
        moveDirectory(run.parked, run.directory, &why);
    }
    m_parked.clear();
    m_project = std::move(project);
    m_analysis = {};
    m_graph = core::indexGraph(m_project.model);
    emit filePathChanged();
    emit documentReset();
    startLoadingDataset();
    reanalyze();
    emit changed();
}

void ProjectDocument::setFilePath(const QString& filePath) {
    m_filePath = filePath;
    emit filePathChanged();
}

core::Project ProjectDocument::projectForSaving(const QString& filePath) const {
    core::Project project = m_project;
    core::CsvSource& csv = project.dataset.csv;
    if (project.dataset.kind == core::DatasetKind::Csv) {
        const QString relative = QFileInfo(filePath).absoluteDir().relativeFilePath(QString::fromStdString(csv.path));
        if (!relative.startsWith("..")) csv.path = relative.toStdString(); // beside or below the project
    }
    for (core::RunRecord& run : project.runs)
        run.directory = relativeIfBelow(filePath, run.directory);
    for (core::ExperimentRecord& e : project.experiments)
        e.directory = relativeIfBelow(filePath, e.directory);
    return project;
}

QString ProjectDocument::projectDirectory() const {
    return m_filePath.isEmpty() ? QDir::currentPath() : QFileInfo(m_filePath).absolutePath();
}

QString ProjectDocument::displayName() const {
    if (!m_project.name.empty()) return QString::fromStdString(m_project.name);
    if (!m_filePath.isEmpty()) return QFileInfo(m_filePath).completeBaseName();
    return tr("Untitled");
}

void ProjectDocument::edit(const QString& text, const core::Project& next, const QString& mergeKey) {
    if (next == m_project) return;
    m_undo.push(new ProjectChange(this, text, m_project, next, mergeKey));
}

void ProjectDocument::editSpec(const QString& text, const core::ModelSpec& next, const QString& mergeKey) {
    core::Project project = m_project;
    project.model = next;
    edit(text, project, mergeKey);
}

void ProjectDocument::apply(const core::Project& next) {
    core::Project incoming = next;
    incoming.runs = m_project.runs; // runs are history, not edits: undo never removes one
    incoming.experiments = m_project.experiments;
    const core::Project before = std::exchange(m_project, std::move(incoming));
    m_graph = core::indexGraph(m_project.model);
    emitSpecDiff(before.model, m_project.model);
    if (before.dataset != m_project.dataset) startLoadingDataset();
    reanalyze();
    emit changed();
}

void ProjectDocument::emitSpecDiff(const core::ModelSpec& before, const core::ModelSpec& after) {
    const auto edgesBefore = edgeSet(before);
    const auto edgesAfter = edgeSet(after);
    for (const auto& [from, to] : edgesBefore) {
        if (!edgesAfter.contains({from, to})) emit edgeRemoved(QString::fromStdString(from), QString::fromStdString(to));
    }
    for (const auto& node : before.nodes) {
        if (after.find(node.id) == nullptr) emit nodeRemoved(QString::fromStdString(node.id));
    }
    for (const auto& node : after.nodes) {
        const core::NodeSpec* old = before.find(node.id);
        const QString id = QString::fromStdString(node.id);
        if (old == nullptr) {
            emit nodeAdded(id);
            continue;
        }
        if (!sameExceptPlace(*old, node)) emit nodeChanged(id);
        if (!samePlace(*old, node)) emit nodeMoved(id);
    }
    for (const auto& [from, to] : edgesAfter) {
        if (!edgesBefore.contains({from, to})) emit edgeAdded(QString::fromStdString(from), QString::fromStdString(to));
    }
}

void ProjectDocument::startLoadingDataset() {
    m_dataState = DataState::Loading;
    m_dataMessage = tr("Loading the dataset…");
    emit datasetStateChanged();
    auto load = std::make_shared<PendingLoad>();
    load->thread = std::thread([load, source = m_project.dataset, directory = projectDirectory().toStdString()] {
        LoadedDataset loaded;
        try {
            loaded.dataset = std::make_shared<const core::Dataset>(core::loadDataset(source, directory));
        } catch (const std::exception& e) {
            loaded.error = e.what();
        }
        const std::lock_guard lock(load->mutex);
        load->result = std::move(loaded);
    });
    m_loads.push_back(load);
    m_loadPoll.start();
}

void ProjectDocument::pollLoads() {
    for (auto it = m_loads.begin(); it != m_loads.end();) {
        std::optional<LoadedDataset> result;
        {
            const std::lock_guard lock((*it)->mutex);
            result.swap((*it)->result);
        }
        if (!result) {
            ++it;
            continue;
        }
        (*it)->thread.join();
        const bool newest = std::next(it) == m_loads.end();
        it = m_loads.erase(it);
        if (!newest) continue; // superseded by a later load
        m_dataset = result->dataset;
        m_dataState = m_dataset ? DataState::Ready : DataState::Failed;
        m_dataMessage = QString::fromStdString(result->error);
        emit datasetStateChanged();
        reanalyze();
    }
    if (m_loads.empty()) m_loadPoll.stop();
}

bool ProjectDocument::waitForDataset(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (m_dataState == DataState::Loading && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return m_dataState == DataState::Ready;
}

void ProjectDocument::reanalyze() {
    if (m_dataState == DataState::Ready && m_dataset) {
        m_analysis = core::analyze(m_project.model, m_dataset->schema);
    } else {
        m_analysis = {};
    }
    emit analysisChanged();
}

void ProjectDocument::appendRun(const core::RunRecord& run) {
    m_project.runs.push_back(run);
    m_unsavedRuns << QString::fromStdString(run.directory);
    emit runsChanged();
    emit modifiedChanged();
}

bool ProjectDocument::editRun(const QString& directory,
                              const std::function<void(core::RunRecord&)>& edit) {
    const QString wanted = QDir::cleanPath(directory);
    for (core::RunRecord& record : m_project.runs) {
        if (QDir::cleanPath(QString::fromStdString(record.directory)) != wanted)
            continue;
        edit(record);
        m_runsEdited = true;
        emit runsChanged();
        emit modifiedChanged();
        return true;
    }
    return false;
}

bool ProjectDocument::deleteRun(const QString& directory, QString* error) {
    const QString wanted = QDir::cleanPath(directory);
    const auto found =
        std::find_if(m_project.runs.begin(), m_project.runs.end(), [&](const core::RunRecord& r) {
            return QDir::cleanPath(QString::fromStdString(r.directory)) == wanted;
        });
    if (found == m_project.runs.end())
        return false;
    const bool saved = !m_unsavedRuns.contains(wanted);
    if (QFileInfo(wanted).isDir()) {
        // A run the saved file lists is parked beside its folder until Save (then removed for
        // good) or Discard (then put back), so the file on disk never names a missing folder.
        // A run trained since the last save goes at once.
        bool done = false;
        QString why;
        if (saved) {
            const QString parked = uniqueDirectory(QFileInfo(wanted).absolutePath(),
                                                   ".deleted-" + QFileInfo(wanted).fileName());
            done = moveDirectory(wanted, parked, &why);
            if (done)
                m_parked.push_back(
                    {*found, wanted, parked, std::size_t(found - m_project.runs.begin())});
        } else {
            done = removeRunDirectory(wanted);
        }
        if (!done) {
            if (error)
                *error = tr("could not delete the folder %1%2")
                             .arg(QDir::toNativeSeparators(wanted),
                                  why.isEmpty() ? QString() : ": " + why);
            return false;
        }
    }
    m_project.runs.erase(found);
    if (m_unsavedRuns.removeAll(wanted) == 0)
        m_runsEdited = true; // the saved file still lists it
    emit runsChanged();
    emit modifiedChanged();
    return true;
}

void ProjectDocument::markSaved() {
    m_undo.setClean();
    m_unsavedRuns.clear();
    m_runsEdited = false;
    // Runs deleted since the last save leave for good.
    for (const ParkedRun& run : m_parked)
        removeRunDirectory(run.parked);
    m_parked.clear();
    emit modifiedChanged();
}

void ProjectDocument::discardUnsavedRuns() {
    for (const QString& directory : std::as_const(m_unsavedRuns))
        removeRunDirectory(directory);
    // Deleted runs the saved file still lists come back, as the file has them.
    for (auto it = m_parked.rbegin(); it != m_parked.rend(); ++it) {
        QString why;
        if (!moveDirectory(it->parked, it->directory, &why))
            continue;
        m_project.runs.insert(m_project.runs.begin() +
                                  std::ptrdiff_t(std::min(it->index, m_project.runs.size())),
                              it->record);
    }
    m_parked.clear();
    m_runsEdited = false;
    std::erase_if(m_project.runs, [this](const core::RunRecord& r) {
        return m_unsavedRuns.contains(QString::fromStdString(r.directory));
    });
    m_unsavedRuns.clear();
    emit runsChanged();
    emit modifiedChanged();
}

QStringList ProjectDocument::gatherRuns(const QString& filePath) {
    QStringList failures;
    if (keepsRunsInUserFolder(filePath))
        return failures;
    const QString userRoot = QDir::cleanPath(userRunsRoot()) + "/";
    const QString base = runsBase(filePath);
    for (core::RunRecord& record : m_project.runs) {
        const QString from = QDir::cleanPath(QString::fromStdString(record.directory));
        if (!from.startsWith(userRoot) || !QFileInfo(from).isDir())
            continue;
        const QString to = uniqueDirectory(base, folderName(QString::fromStdString(record.name)));
        QString error;
        if (!moveDirectory(from, to, &error)) {
            failures << QStringLiteral("%1: %2").arg(QString::fromStdString(record.name), error);
            continue;
        }
        record.directory = to.toStdString();
        const auto unsaved = m_unsavedRuns.indexOf(from);
        if (unsaved >= 0)
            m_unsavedRuns[unsaved] = to;
        emit runMoved(from, to);
    }
    return failures;
}

std::vector<core::SpecIssue> ProjectDocument::issuesOf(const std::string& nodeId) const {
    std::vector<core::SpecIssue> found;
    for (const auto& issue : m_analysis.issues) {
        if (issue.nodeId == nodeId) found.push_back(issue);
    }
    return found;
}

QString ProjectDocument::trainBlocker() const {
    switch (m_dataState) {
    case DataState::Loading: return tr("the dataset is still loading");
    case DataState::Failed: return tr("the dataset could not be loaded: %1").arg(m_dataMessage);
    case DataState::Ready: break;
    }
    const auto errors = std::count_if(m_analysis.issues.begin(), m_analysis.issues.end(),
                                      [](const core::SpecIssue& i) { return i.severity == core::Severity::Error; });
    if (errors == 1) return tr("the network has a problem (see Problems)");
    if (errors > 1) return tr("the network has %1 problems (see Problems)").arg(errors);
    return {};
}

std::vector<std::string> ProjectDocument::taskNames() const {
    std::vector<std::string> names;
    for (const auto& node : m_project.model.nodes) {
        if (node.kind == core::NodeKind::TaskHead) names.push_back(node.task.name);
    }
    return names;
}

QColor ProjectDocument::taskColour(int taskIndex) {
    // Distinct hues that stay readable on light and dark backgrounds.
    static const std::array<QColor, 8> colours{QColor(0x1f, 0x77, 0xb4), QColor(0xe6, 0x7e, 0x22),
                                               QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                               QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                               QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};
    return colours[static_cast<std::size_t>(std::max(0, taskIndex)) % colours.size()];
}

QColor ProjectDocument::taskColour(const std::string& taskName) const {
    const auto names = taskNames();
    const auto it = std::find(names.begin(), names.end(), taskName);
    return it == names.end() ? QColor(Qt::gray) : taskColour(static_cast<int>(it - names.begin()));
}

std::vector<std::string> ProjectDocument::tasksThrough(const std::string& nodeId) const {
    std::vector<std::string> names;
    const auto it = m_graph.byId.find(nodeId);
    if (it == m_graph.byId.end()) return names;
    const core::TaskMask mask = m_graph.tasksBelow[static_cast<std::size_t>(it->second)];
    for (std::size_t t = 0; t < m_graph.taskNodes.size() && t < 64; ++t) {
        if ((mask >> t) & 1U) names.push_back(m_project.model.nodes[static_cast<std::size_t>(m_graph.taskNodes[t])].task.name);
    }
    return names;
}

} // namespace mtl::ui
