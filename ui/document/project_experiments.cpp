// ProjectDocument's experiments: recorded like runs (history, not edits), written by Save.

#include "document/project_document.h"
#include "document/run_storage.h"

#include "runs/run_directory.h"

namespace mtl::ui {

void ProjectDocument::appendExperiment(const core::ExperimentRecord& experiment) {
    m_project.experiments.push_back(experiment);
    m_runsEdited = true;
    emit experimentsChanged();
    emit modifiedChanged();
}

QString ProjectDocument::newExperimentDirectory(const QString& name) const {
    return uniqueDirectory(runsBase(m_filePath), folderName(name));
}

} // namespace mtl::ui
