#include "document/project_change.h"

#include "document/project_document.h"

namespace mtl::ui {

ProjectChange::ProjectChange(ProjectDocument* document, const QString& text, core::Project before,
                             core::Project after, QString mergeKey)
    : QUndoCommand(text), m_document(document), m_before(std::move(before)),
      m_after(std::move(after)), m_mergeKey(std::move(mergeKey)) {}

void ProjectChange::undo() { m_document->apply(m_before); }

void ProjectChange::redo() { m_document->apply(m_after); }

bool ProjectChange::mergeWith(const QUndoCommand* other) {
    const auto* next = dynamic_cast<const ProjectChange*>(other);
    if (next == nullptr || next->m_mergeKey != m_mergeKey) return false;
    m_after = next->m_after;
    setObsolete(m_after == m_before);
    return true;
}

} // namespace mtl::ui
