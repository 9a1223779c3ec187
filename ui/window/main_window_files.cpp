// MainWindow's file handling: new, open, save, save as, recent files, datasets, and the autosave
// that lets the next start restore unsaved work after a crash.
#include "window/main_window.h"

#include "canvas/graph_view.h"
#include "dialogs/csv_import_dialog.h"
#include "dialogs/new_project_dialog.h"
#include "document/counted.h"
#include "document/project_document.h"
#include "document/run_storage.h"
#include "util/error.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

namespace mtl::ui {

namespace {

bool nonInteractive = false;
constexpr int kRecentFiles = 8;

QString recoveryMetaPath() { return MainWindow::recoveryPath() + ".origin"; }

void showError(QWidget* parent, const QString& title, const QString& text) {
    if (nonInteractive) {
        qWarning("%s: %s", qPrintable(title), qPrintable(text));
        return;
    }
    QMessageBox::critical(parent, title, text);
}

} // namespace

void MainWindow::setNonInteractive(bool on) { nonInteractive = on; }

QString MainWindow::recoveryPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery.mtl.json";
}

bool MainWindow::openProject(const QString& path) {
    try {
        core::ProjectLoad loaded = core::readProject(QFileInfo(path).absoluteFilePath().toStdString());
        openProjectValue(loaded.project, QFileInfo(path).absoluteFilePath());
        addRecentFile(QFileInfo(path).absoluteFilePath());
        if (!loaded.warnings.empty()) {
            QStringList fields;
            for (const auto& w : loaded.warnings) fields << QString::fromStdString(w);
            const QString text = tr("%1 has fields this version does not know; saving will leave them out:\n%2")
                                     .arg(QFileInfo(path).fileName(), fields.join("\n"));
            if (nonInteractive) qWarning("%s", qPrintable(text));
            else QMessageBox::warning(this, tr("Unknown fields"), text);
        }
        return true;
    } catch (const std::exception& e) {
        showError(this, tr("Cannot open the project"), QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::openProjectValue(const core::Project& project, const QString& path) {
    m_document->load(project, path);
    QTimer::singleShot(0, m_view, &GraphView::showGraph);
}

void MainWindow::openBundledDemo() {
    if (!maybeSave()) return;
    QFile file(":/examples/synthetic-hard.mtl.json");
    file.open(QIODevice::ReadOnly);
    openProjectValue(core::parseProject(file.readAll().toStdString(), "demo project").project, {});
}

bool MainWindow::save() {
    // An example stays as it came; so does a file the user may not write: Save asks where.
    const QString path = m_document->filePath();
    if (path.isEmpty() || isExampleProject(path) ||
        (QFileInfo::exists(path) && !QFileInfo(path).isWritable())) {
        return saveAs();
    }
    // Runs kept in the user's data folder (of an untitled project or an example) join the file.
    const QStringList unmoved = m_document->gatherRuns(m_document->filePath());
    try {
        core::writeProject(m_document->projectForSaving(m_document->filePath()), m_document->filePath().toStdString());
    } catch (const std::exception& e) {
        showError(this, tr("Cannot save the project"), QString::fromStdString(e.what()));
        return false;
    }
    m_document->markSaved();
    addRecentFile(m_document->filePath());
    QFile::remove(recoveryPath());
    QFile::remove(recoveryMetaPath());
    if (!unmoved.isEmpty()) {
        showError(this, tr("Runs not moved"),
                  tr("Saved %1, but these runs stay where they were (the project links to them "
                     "there):\n%2")
                      .arg(QDir::toNativeSeparators(m_document->filePath()), unmoved.join("\n")));
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_document->filePath())), 4000);
    return true;
}

bool MainWindow::saveAs(const QString& chosen) {
    QString path = chosen;
    if (path.isEmpty()) {
        const QString folder =
            m_document->filePath().isEmpty() || isExampleProject(m_document->filePath())
                ? QDir::homePath()
                : m_document->projectDirectory();
        QString name = m_document->displayName().toLower().replace(QRegularExpression("[^a-z0-9]+"), "-");
        path = QFileDialog::getSaveFileName(this, tr("Save project as"), folder + "/" + name + ".mtl.json",
                                            tr("MTL Workbench projects (*.mtl.json)"));
        if (path.isEmpty()) return false;
    }
    if (!path.endsWith(".json")) path += ".mtl.json";
    if (isExampleProject(path)) {
        showError(this, tr("Cannot save the project"),
                  tr("The examples' folder keeps the examples as they came: choose a folder of "
                     "your own."));
        return false;
    }
    const QString previous = m_document->filePath();
    m_document->setFilePath(QFileInfo(path).absoluteFilePath());
    if (save()) return true;
    m_document->setFilePath(previous);
    return false;
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified()) return true;
    if (nonInteractive) return true;
    const int runs = m_document->unsavedRunCount();
    QString text = tr("%1 has unsaved changes. Save them?").arg(m_document->displayName());
    if (runs > 0) {
        text +=
            "\n\n" + counted(runs, tr("Discard also deletes the run trained since the last save."),
                             tr("Discard also deletes the %1 runs trained since the last save."));
    }
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"), text,
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) return save();
    if (answer != QMessageBox::Discard)
        return false;
    m_document->discardUnsavedRuns();
    return true;
}

void MainWindow::openDialog() {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), m_document->projectDirectory(),
                                                      tr("MTL Workbench projects (*.mtl.json *.json)"));
    if (!path.isEmpty()) openProject(path);
}

void MainWindow::newFromTemplate() {
    if (!maybeSave()) return;
    NewProjectDialog dialog(m_document->project().dataset, m_document->projectDirectory(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    try {
        core::Project project = dialog.project();
        // A CSV path is relative to the old project's folder; the new project has none yet.
        if (project.dataset.kind == core::DatasetKind::Csv) {
            project.dataset.csv.path = core::resolvePath(project.dataset.csv.path, m_document->projectDirectory().toStdString());
        }
        openProjectValue(project, {});
    } catch (const std::exception& e) {
        showError(this, tr("Cannot create the project"), QString::fromStdString(e.what()));
    }
}

void MainWindow::fillExamplesMenu(QMenu* menu) {
    menu->clear();
    const QString folder = examplesDirectory();
    const QStringList files = folder.isEmpty()
                                  ? QStringList()
                                  : QDir(folder).entryList({"*.mtl.json"}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        const QString path = folder + "/" + name;
        QString title = name;
        try {
            title = QString::fromStdString(core::readProject(path.toStdString()).project.name);
        } catch (const std::exception&) {
            continue; // a broken file is not offered
        }
        QAction* action = menu->addAction(title, this, [this, path] {
            if (maybeSave())
                openProject(path);
        });
        action->setToolTip(QDir::toNativeSeparators(path));
    }
    if (menu->isEmpty())
        menu->addAction(tr("No examples found"))->setEnabled(false);
    menu->setToolTipsVisible(true);
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings settings;
    QStringList files = settings.value("recentFiles").toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kRecentFiles) files.removeLast();
    settings.setValue("recentFiles", files);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = QSettings().value("recentFiles").toStringList();
    for (const QString& path : files) {
        QAction* action = m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
            if (maybeSave()) openProject(path);
        });
        action->setToolTip(path);
        action->setEnabled(QFileInfo::exists(path));
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::writeRecovery() {
    if (!m_document->isModified()) return;
    try {
        QDir().mkpath(QFileInfo(recoveryPath()).absolutePath());
        core::writeProject(m_document->project(), recoveryPath().toStdString());
        QFile meta(recoveryMetaPath());
        if (meta.open(QIODevice::WriteOnly | QIODevice::Truncate)) meta.write(m_document->filePath().toUtf8());
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(QString::fromStdString(e.what())), 8000);
    }
}

bool MainWindow::offerRecovery() {
    if (!QFileInfo::exists(recoveryPath())) return false;
    QFile meta(recoveryMetaPath());
    const QString original = meta.open(QIODevice::ReadOnly) ? QString::fromUtf8(meta.readAll()) : QString();
    const QString when = QFileInfo(recoveryPath()).lastModified().toString(Qt::TextDate);
    const bool restore =
        nonInteractive ||
        QMessageBox::question(this, tr("Restore unsaved work?"),
                              tr("MTL Workbench did not close properly. Restore the unsaved changes to %1 from %2?")
                                  .arg(original.isEmpty() ? tr("an untitled project") : QFileInfo(original).fileName(), when),
                              QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes) == QMessageBox::Yes;
    if (!restore) {
        QFile::remove(recoveryPath());
        QFile::remove(recoveryMetaPath());
        return false;
    }
    try {
        const core::ProjectLoad loaded = core::readProject(recoveryPath().toStdString());
        openProjectValue(loaded.project, original);
        m_document->undoStack()->resetClean(); // restored work is unsaved until the user saves it
        return true;
    } catch (const std::exception& e) {
        showError(this, tr("Cannot restore"), QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::useBuiltInDataset(BuiltInDataset which, bool rebuildNetwork) {
    const core::DatasetSource source = builtInSource(which);
    try {
        const core::DataSchema schema = probeSchema(source, m_document->projectDirectory().toStdString());
        m_document->edit(tr("Use dataset %1").arg(builtInTitle(which)),
                         withDataset(m_document->project(), source, schema, rebuildNetwork));
        QTimer::singleShot(0, m_view, &GraphView::showGraph);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot use this dataset"), QString::fromStdString(e.what()));
    }
}

void MainWindow::importCsv(const QString& path) {
    CsvImportDialog dialog(this);
    const core::DatasetSource& current = m_document->project().dataset;
    QString start = path;
    if (start.isEmpty() && current.kind == core::DatasetKind::Csv) {
        start = QString::fromStdString(core::resolvePath(current.csv.path, m_document->projectDirectory().toStdString()));
    }
    if (!start.isEmpty() && dialog.openFile(start) && current.kind == core::DatasetKind::Csv) {
        dialog.setChoices(current.csv);
        dialog.setRebuildNetwork(false);
    }
    if (dialog.exec() != QDialog::Accepted) return;
    applyCsvImport(dialog);
}

void MainWindow::applyCsvImport(const CsvImportDialog& dialog) {
    core::DatasetSource source;
    source.kind = core::DatasetKind::Csv;
    source.csv = dialog.source();
    const QString file = QFileInfo(QString::fromStdString(source.csv.path)).fileName();
    core::Project next = withDataset(m_document->project(), source, dialog.targetSchema(), dialog.rebuildNetwork());
    if (dialog.rebuildNetwork()) next.name = QFileInfo(file).completeBaseName().toStdString();
    m_document->edit(tr("Import CSV %1").arg(file), next);
    QTimer::singleShot(0, m_view, &GraphView::showGraph);
}

} // namespace mtl::ui
