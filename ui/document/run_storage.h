#pragma once
// Where a project's runs live. Beside a saved project of the user's, in `mtl-runs/<project>/`
// next to its file, recorded by a path relative to it (so the project and its runs folder move
// together). An untitled project, a bundled example, or a project in a folder the user cannot
// write keeps its runs in the user's data folder (`runs/<project>/` there) until it is saved
// somewhere of the user's; Save then moves them beside the file.

#include <QString>

namespace mtl::ui {

// The user's folder for runs of untitled projects and examples.
QString userRunsRoot();
// The bundled example projects' folder, or empty when there is none.
QString examplesDirectory();
bool isExampleProject(const QString& projectFile);
// True for an untitled project, an example, and a project whose file or folder is read-only.
bool keepsRunsInUserFolder(const QString& projectFile);
// The folder a project's new runs go to.
QString runsBase(const QString& projectFile);
// A run's name as a folder name: "baseline task 1" → "baseline-task-1"; only letters, digits,
// '.', '_' and '-' (a task name may hold anything).
QString folderName(const QString& runName);
// `base`/`stem`, or `base`/`stem`-2, -3 … when taken.
QString uniqueDirectory(const QString& base, const QString& stem);
// Moves a folder (a rename, or a copy then removal across file systems). False, with `error`
// saying why, when it could not; a failed copy leaves the source whole.
bool moveDirectory(const QString& from, const QString& to, QString* error);
// Removes a run's folder: only one that holds a run (run.mtl.json), never anything else.
bool removeRunDirectory(const QString& directory);

} // namespace mtl::ui
