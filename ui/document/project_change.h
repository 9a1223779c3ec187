#pragma once
// The one undoable command: the project before and after a named change. Graphs are small, so
// keeping two copies is cheap, and undo/redo can never disagree with what the edit did.

#include "io/project_file.h"

#include <QString>
#include <QUndoCommand>

namespace mtl::ui {

class ProjectDocument;

class ProjectChange : public QUndoCommand {
public:
    ProjectChange(ProjectDocument* document, const QString& text, core::Project before,
                  core::Project after, QString mergeKey);

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeKey.isEmpty() ? -1 : 1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    ProjectDocument* m_document;
    core::Project m_before;
    core::Project m_after;
    QString m_mergeKey;
};

} // namespace mtl::ui
