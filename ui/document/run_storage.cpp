#include "document/run_storage.h"

#include "runs/run_directory.h"
#include "runs/run_places.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QStandardPaths>

namespace mtl::ui {

namespace {

QString canonicalFolder(const QString& path) {
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(QFileInfo(path).absoluteFilePath()) : canonical;
}

QString projectStem(const QString& projectFile) {
    return QString::fromStdString(core::projectStem(projectFile.toStdString()));
}

bool copyTree(const QString& from, const QString& to, QString* error) {
    if (!QDir().mkpath(to)) {
        *error = QObject::tr("cannot create %1").arg(to);
        return false;
    }
    const QDir source(from);
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + "/" + source.relativeFilePath(path);
        const bool ok = it.fileInfo().isDir() ? QDir().mkpath(target) : QFile::copy(path, target);
        if (!ok) {
            *error = QObject::tr("cannot copy %1 to %2").arg(path, target);
            QDir(to).removeRecursively();
            return false;
        }
    }
    return true;
}

} // namespace

QString userRunsRoot() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/runs";
}

QString examplesDirectory() {
    // Installed: <prefix>/share/mtl-workbench/examples; in a build tree: the source's resources.
    return QString::fromStdString(
        core::bundledExamplesDirectory(QCoreApplication::applicationDirPath().toStdString()));
}

bool isExampleProject(const QString& projectFile) {
    const QString examples = examplesDirectory();
    return !projectFile.isEmpty() && !examples.isEmpty() &&
           canonicalFolder(QFileInfo(projectFile).absolutePath()) == examples;
}

bool keepsRunsInUserFolder(const QString& projectFile) {
    if (projectFile.isEmpty() || isExampleProject(projectFile))
        return true;
    const QFileInfo file(projectFile);
    const QFileInfo folder(file.absolutePath());
    return (file.exists() && !file.isWritable()) || !folder.isWritable();
}

QString runsBase(const QString& projectFile) {
    if (projectFile.isEmpty())
        return userRunsRoot() + "/untitled";
    if (keepsRunsInUserFolder(projectFile))
        return userRunsRoot() + "/" + projectStem(projectFile);
    return QFileInfo(projectFile).absolutePath() + "/mtl-runs/" + projectStem(projectFile);
}

QString folderName(const QString& runName) {
    return QString::fromStdString(core::runFolderName(runName.toStdString()));
}

QString uniqueDirectory(const QString& base, const QString& stem) {
    return QString::fromStdString(core::uniqueDirectory(base.toStdString(), stem.toStdString()));
}

bool moveDirectory(const QString& from, const QString& to, QString* error) {
    if (QFileInfo::exists(to)) {
        *error = QObject::tr("%1 already exists").arg(to);
        return false;
    }
    QDir().mkpath(QFileInfo(to).absolutePath());
    if (QDir().rename(from, to))
        return true;
    if (!copyTree(from, to, error))
        return false;
    QDir(from).removeRecursively();
    return true;
}

bool removeRunDirectory(const QString& directory) {
    if (directory.isEmpty() || !QFileInfo(directory + "/run.mtl.json").isFile())
        return false;
    return QDir(directory).removeRecursively();
}

} // namespace mtl::ui
